using PracticeMesh.Grid.Escalation;

namespace PracticeMesh.Grid.TimeLimits;

/// <summary>The working calendar, the limits counted on it and the escalation sweep, as the grid module registers them.</summary>
public static class TimeLimitsRegistration
{
    public static IHostApplicationBuilder AddCaseTimeLimits(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Grid").Get<TimeLimitOptions>() ?? new TimeLimitOptions();
        // A bad Grid:WorkingHours stops the start here rather than at the first report.
        _ = WorkingHours.Parse(options.WorkingHours);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<WorkingCalendarStore>();
        builder.Services.AddScoped<ICaseTimeLimits, WorkingCalendarTimeLimits>();
        builder.Services.AddHostedService<ShippedCalendarSeeder>();
        builder.Services.AddScoped<CaseEscalationSweep>();
        builder.Services.AddHostedService<CaseEscalationService>();
        return builder;
    }

    public static IEndpointRouteBuilder MapCaseTimeLimits(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapTimeLimitsApi().MapEscalationsApi();
}
