using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Data;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Grid.TimeLimits;

/// <summary>The time-limit settings among <c>Grid:*</c>.</summary>
public sealed class TimeLimitOptions
{
    /// <summary>The periods of a working day in China time, "08:30-12:00,13:30-17:30".</summary>
    public string WorkingHours { get; set; } = global::PracticeMesh.Grid.TimeLimits.WorkingHours.Default;

    /// <summary>How often each replica looks for overdue cases.</summary>
    public TimeSpan EscalationSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a replica counts on the calendars it read before reading them again (another replica may have loaded a year).</summary>
    public TimeSpan CalendarRefresh { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// The county's calendars, read once and kept: a handful of rows, asked for by every report and by the sweep for every
/// overdue case. A load through this replica's API is seen at once; one through another replica within
/// <see cref="TimeLimitOptions.CalendarRefresh"/>.
/// </summary>
public sealed class WorkingCalendarStore(TimeLimitOptions options, TimeProvider time)
{
    private readonly WorkingHours _hours = WorkingHours.Parse(options.WorkingHours);
    private volatile Snapshot? _current;

    private sealed record Snapshot(WorkingCalendar Calendar, long ReadAt);

    public WorkingHours Hours => _hours;

    public async Task<WorkingCalendar> CurrentAsync(GridDbContext db, CancellationToken cancellationToken)
    {
        if (_current is { } current && time.GetElapsedTime(current.ReadAt) < options.CalendarRefresh)
        {
            return current.Calendar;
        }
        var years = await db.Set<CalendarYear>().AsNoTracking().ToDictionaryAsync(y => y.Year, cancellationToken);
        var calendar = new WorkingCalendar(years, _hours);
        _current = new Snapshot(calendar, time.GetTimestamp());
        return calendar;
    }

    /// <summary>A year was loaded here: the next count reads the calendars again.</summary>
    public void Invalidate() => _current = null;
}

/// <summary>
/// A category's limits counted on the working calendar (<see cref="WorkingCalendar"/>): working hours only inside
/// working hours of working days, working days as whole days ending when the Nth working day's hours end.
/// </summary>
public sealed class WorkingCalendarTimeLimits(GridDbContext db, WorkingCalendarStore store) : ICaseTimeLimits
{
    public Task<DateTimeOffset> DueAtAsync(CaseCategory category, CaseStage stage, DateTimeOffset from, CancellationToken cancellationToken) =>
        AddAsync(from, category.LimitFor(stage), cancellationToken);

    public async Task<DateTimeOffset> AddAsync(DateTimeOffset from, WorkingTime amount, CancellationToken cancellationToken) =>
        (await store.CurrentAsync(db, cancellationToken)).Add(from, amount);
}

/// <summary>The published calendars shipped with the service (<c>TimeLimits/Calendars/{year}.json</c>, embedded).</summary>
public static class ShippedCalendars
{
    private const string Prefix = "PracticeMesh.Grid.Calendars.";

    private sealed record CalendarFile(int Year, string? Source, List<DateOnly> Holidays, List<DateOnly> Workdays);

    public static IReadOnlyList<CalendarYear> Load(DateTimeOffset at)
    {
        var assembly = typeof(ShippedCalendars).Assembly;
        var years = new List<CalendarYear>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order())
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            var file = JsonSerializer.Deserialize<CalendarFile>(stream, JsonSerializerOptions.Web)
                ?? throw new InvalidOperationException($"{name} is empty.");
            years.Add(new CalendarYear(file.Year, file.Holidays, file.Workdays, CalendarSource.Default, at));
        }
        return years;
    }
}

/// <summary>
/// Writes each shipped calendar whose year has no row yet, once the schema exists; a year the county loaded is never
/// overwritten. Awaited before the host serves requests, so the first report counts on the holidays.
/// </summary>
public sealed class ShippedCalendarSeeder(
    IServiceScopeFactory scopes, DatabaseSchema<GridDbContext> schema, WorkingCalendarStore store, TimeProvider time, ILogger<ShippedCalendarSeeder> logger)
    : EarlyStartedService
{
    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await schema.Ready.WaitAsync(stoppingToken);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GridDbContext>();
            var known = await db.Set<CalendarYear>().Select(y => y.Year).ToListAsync(stoppingToken);
            var missing = ShippedCalendars.Load(time.GetUtcNow()).Where(y => !known.Contains(y.Year)).ToList();
            if (missing.Count == 0)
            {
                return;
            }
            db.AddRange(missing);
            await db.SaveChangesAsync(stoppingToken);
            store.Invalidate();
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Another replica wrote them first.
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is not OperationCanceledException)
        {
            // A schema that failed is the initializer's to report; anything else is logged and the host still starts.
            logger.LogWarning(ex, "The shipped working calendars were not written");
        }
    }
}
