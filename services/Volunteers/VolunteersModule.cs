using MassTransit;
using Microsoft.Extensions.Options;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.Volunteers.Api;
using PracticeMesh.Volunteers.Care;
using PracticeMesh.Volunteers.Data;
using PracticeMesh.Volunteers.Domain;
using PracticeMesh.Volunteers.Messaging;

namespace PracticeMesh.Volunteers;

/// <summary>
/// Volunteers (志愿者): real-name registration and review, personal data protected at rest, teams, the hour ledger
/// credited from completed activities, yearly obligations and star levels; care (结对帮扶): the people served, pairings and visits.
/// </summary>
public sealed class VolunteersModule : IServiceModule
{
    public string Name => "volunteers";

    public void AddServices(IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<VolunteersDbContext>(Name);
        builder.Services.AddOptions<VolunteersOptions>().BindConfiguration("Volunteers");
        // Read and checked now, so a host without a key fails at start rather than at the first registration.
        var protector = CreateProtector(builder.Configuration.GetSection("Volunteers").Get<VolunteersOptions>() ?? new VolunteersOptions());
        builder.Services.AddSingleton(protector);
        builder.Services.AddSingleton(services => new ObligationPolicy(services.GetRequiredService<IOptions<VolunteersOptions>>().Value));
        builder.Services.AddSingleton(services => new StarLadder(services.GetRequiredService<IOptions<VolunteersOptions>>().Value));
        builder.Services.AddScoped<HourLedgerWriter>();
        builder.Services.AddAuthorization(VolunteerPolicies.Add);
        builder.Services.AddOptions<CareOptions>().BindConfiguration("Care").Validate(care => care.IsValid, CareOptions.Invalid).ValidateOnStart();
        builder.Services.AddScoped<CareServices>();
    }

    public void AddConsumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CreditHoursOnActivityCompleted>();
        bus.AddConsumer<AdjustHoursOnActivityCompletionCorrected>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapVolunteersApi();
        endpoints.MapCareApi();
    }

    /// <summary>
    /// The key that protects ID numbers and phones at rest comes from configuration. Only a host that says so
    /// (<c>Volunteers:UseDevelopmentKey</c>: the standalone demo, tests) may use the fixed, public development key.
    /// </summary>
    internal static PersonalDataProtector CreateProtector(VolunteersOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.DataKey))
        {
            return options.UseDevelopmentKey
                ? new PersonalDataProtector(System.Security.Cryptography.SHA256.HashData("practicemesh-development-only-volunteers-key"u8))
                : throw new InvalidOperationException(
                    "Volunteers:DataKey is required (base64 of 32 random bytes, e.g. `openssl rand -base64 32`); only a development host may set Volunteers:UseDevelopmentKey=true instead.");
        }
        byte[] key;
        try
        {
            key = Convert.FromBase64String(options.DataKey);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Volunteers:DataKey is not base64.");
        }
        return key.Length == 32 ? new PersonalDataProtector(key) : throw new InvalidOperationException("Volunteers:DataKey must be 32 bytes (base64).");
    }
}
