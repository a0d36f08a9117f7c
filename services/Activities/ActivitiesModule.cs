using MassTransit;
using PracticeMesh.Activities.Dapr;
using PracticeMesh.Activities.Data;
using PracticeMesh.Activities.Attendance;
using PracticeMesh.Activities.Messaging;
using PracticeMesh.Activities.Orders;
using PracticeMesh.Activities.Records;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Dapr;
using StackExchange.Redis;

namespace PracticeMesh.Activities;

/// <summary>Activities (活动): plans, publishing, sign-up, verified check-in and check-out, completion, ratings and the order loop.</summary>
public sealed class ActivitiesModule : IServiceModule
{
    public string Name => "activities";

    /// <summary><c>Dapr:Enabled</c>, read when the services are added (before the consumers are).</summary>
    private bool dapr;

    public void AddServices(IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ActivitiesDbContext>(Name);
        dapr = builder.Configuration.GetValue<bool>(DaprOptions.EnabledKey);
        if (dapr)
        {
            ActivitiesDapr.AddServices(builder);
        }
        var options = (builder.Configuration.GetSection("Activities").Get<ActivitiesOptions>() ?? new ActivitiesOptions()).EnsureUsable();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new QrTokenSigner(options));
        builder.Services.AddScoped<AttendanceVerifier>();
        builder.Services.AddScoped<OrderEscalationSweep>();
        builder.Services.AddHostedService<OrderEscalationService>();
        var records = options.RecordsDirectory is { Length: > 0 } directory
            ? directory
            : Path.Combine(builder.Configuration["Database:DataDirectory"] ?? "data", "records");
        builder.Services.AddSingleton<IRecordStore>(new LocalDirectoryRecordStore(records));
        // Used QR tokens must be seen by every replica: Redis when configured, this process otherwise.
        builder.Services.AddSingleton<IQrTokenUseStore>(services => services.GetService<IConnectionMultiplexer>() is { } redis
            ? new RedisQrTokenUseStore(redis)
            : new InMemoryQrTokenUseStore(services.GetRequiredService<TimeProvider>()));
    }

    public void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<TrackStationRegistered>();
        bus.AddConsumer<TrackVolunteerApproved>();
        bus.AddConsumer<TrackStationUpdated>();
        bus.AddConsumer<TrackStationClosed>();
        bus.AddConsumer<TrackVolunteerSuspended>();
        bus.AddConsumer<TrackVolunteerReinstated>();
        bus.AddConsumer<TrackTeamCreated>();
        bus.AddConsumer<TrackTeamMemberJoined>();
        bus.AddConsumer<TrackTeamMemberLeft>();
        if (dapr)
        {
            ActivitiesDapr.AddConsumers(bus);
        }
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapActivitiesApi();
}
