using MassTransit;
using PracticeMesh.Assessment.Api;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Facts.Consumers;
using PracticeMesh.Assessment.Honours;
using PracticeMesh.Assessment.Leaderboards;
using PracticeMesh.Assessment.Measures;
using PracticeMesh.Assessment.Publishing;
using PracticeMesh.Assessment.Reports;
using PracticeMesh.Assessment.Schemes;
using PracticeMesh.Assessment.Scoring;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using StackExchange.Redis;

namespace PracticeMesh.Assessment;

/// <summary>
/// Assessment (考评): facts from the other services' events, the monthly figures summed from them, the county's
/// yearly scheme that turns them into scores, rankings and star bands, and the yearly outstanding volunteers and teams.
/// </summary>
public sealed class AssessmentModule : IServiceModule
{
    public string Name => "assessment";

    public void AddServices(IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<AssessmentDbContext>(Name);
        builder.Services.AddScoped<CellLedger>();
        builder.Services.AddScoped<CellRebuilder>();
        builder.Services.AddScoped<ISchemes, SchemeStore>();
        builder.Services.AddScoped<IndicatorEvaluator>();
        builder.Services.AddScoped<IScoreCalculator, ScoreCalculator>();
        builder.Services.AddScoped<Publisher>();
        builder.Services.AddScoped<HonourCandidates>();

        // Leaderboards: Redis sorted sets shared by the replicas when Redis is configured, this process's own otherwise.
        builder.Services.AddOptions<LeaderboardOptions>().BindConfiguration(LeaderboardOptions.Section);
        var redisKeyPrefix = builder.Configuration["Cache:RedisKeyPrefix"] ?? "";
        builder.Services.AddSingleton<ILeaderboardStore>(services => services.GetService<IConnectionMultiplexer>() is { } redis
            ? new RedisLeaderboardStore(redis, redisKeyPrefix)
            : new MemoryLeaderboardStore());
        builder.Services.AddSingleton<LeaderboardProjector>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LeaderboardProjector>());
    }

    public void AddConsumers(IBusRegistrationConfigurator bus)
    {
        // Facts from every event an indicator needs, one file per publishing service (Facts/Consumers).
        bus.AddConsumer<RecordStationRegistered>();
        bus.AddConsumer<RecordStationUpdated>();
        bus.AddConsumer<RecordStationClosed>();
        bus.AddConsumer<RecordSixHavesVerified>();
        bus.AddConsumer<RecordStaffingChanged>();
        bus.AddConsumer<RecordVolunteerApproved>();
        bus.AddConsumer<RecordVolunteerSuspended>();
        bus.AddConsumer<RecordVolunteerReinstated>();
        bus.AddConsumer<RecordTeamCreated>();
        bus.AddConsumer<RecordTeamMemberJoined>();
        bus.AddConsumer<RecordTeamMemberLeft>();
        bus.AddConsumer<RecordHoursCredited>();
        bus.AddConsumer<RecordCareVisitRecorded>();
        bus.AddConsumer<RecordActivityPublished>();
        bus.AddConsumer<RecordActivityCompleted>();
        bus.AddConsumer<RecordActivityCompletionCorrected>();
        bus.AddConsumer<RecordActivityRated>();
        bus.AddConsumer<RecordOrderRated>();
        bus.AddConsumer<RecordOrderCompleted>();
        bus.AddConsumer<RecordCaseReported>();
        bus.AddConsumer<RecordCaseClosed>();
        bus.AddConsumer<RecordCaseEscalated>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapAssessmentApi();
        endpoints.MapSchemesApi();
        endpoints.MapScoresApi();
        endpoints.MapPublishingApi();
        endpoints.MapHonoursApi();
        endpoints.MapLeaderboardsApi();
        endpoints.MapReportsApi();
        endpoints.MapRebuildApi();
    }
}
