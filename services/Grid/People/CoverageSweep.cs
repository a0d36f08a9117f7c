using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.Grid.Data;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Grid.People;

/// <summary>Settings of the people and coverage part (<c>Grid:*</c>).</summary>
public sealed class CoverageOptions
{
    /// <summary>How often each replica looks for assignments that began or ended with the day (see <see cref="CoverageSweep"/>).</summary>
    public TimeSpan CoverageSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How far back the sweep looks, so a service that was down for a few days still publishes what changed.</summary>
    public int CoverageSweepDays { get; set; } = 7;
}

/// <summary>
/// Coverage also moves with the calendar: an assignment dated ahead starts to count on its first day, and an ended one
/// stops counting the day after its last. Nobody writes anything then, so this sweep reckons the villages of such
/// assignments again (<see cref="CoverageTracker.RecheckAsync"/>). Every replica sweeps and a restart sweeps again: a
/// village reckoned twice changes nothing the second time, and two replicas reckoning it at once collide on the stored
/// gap's key, so one of them saves and publishes.
/// </summary>
public sealed class CoverageSweep(GridDbContext db, CoverageOptions options, TimeProvider time, ILogger<CoverageSweep> logger)
{
    /// <summary>One round; returns how many villages were reckoned.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = ChinaTime.Today(now);
        var since = today.AddDays(-options.CoverageSweepDays);
        var villages = await db.Assignments.AsNoTracking()
            .Where(a => (a.From > since && a.From <= today) || (a.Until != null && a.Until >= since && a.Until < today))
            .Select(a => a.DivisionCode).Distinct().ToListAsync(cancellationToken);
        foreach (var village in villages)
        {
            await RecheckAsync(village, now, cancellationToken);
        }
        return villages.Count;
    }

    private async Task RecheckAsync(DivisionCode village, DateTimeOffset now, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        try
        {
            await CoverageTracker.RecheckAsync(db, village, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
        {
            // Another replica (or a write in the village) reckoned it at the same moment and published the change.
            logger.LogDebug("Coverage of {Village} was reckoned by another writer at the same time", village);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}

/// <summary>Runs <see cref="CoverageSweep"/> every <see cref="CoverageOptions.CoverageSweepInterval"/> on each replica.</summary>
public sealed class CoverageSweepService(
    IServiceScopeFactory scopes, DatabaseSchema<GridDbContext> schema, CoverageOptions options, TimeProvider time,
    ILogger<CoverageSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await schema.Ready.WaitAsync(stoppingToken);
        }
        catch (Exception)
        {
            // The start failed or is stopping; the initializer reports it.
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<CoverageSweep>().RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (stoppingToken.IsCancellationRequested || ex is ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be briefly unreachable; the next round tries again.
                logger.LogWarning(ex, "The coverage sweep failed a round");
            }
            try
            {
                await Task.Delay(options.CoverageSweepInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

public static class PeopleRegistration
{
    /// <summary>The people and coverage part's services: its settings, the sweep and the service that runs it.</summary>
    public static void AddGridPeople(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(builder.Configuration.GetSection("Grid").Get<CoverageOptions>() ?? new CoverageOptions());
        builder.Services.AddScoped<CoverageSweep>();
        builder.Services.AddHostedService<CoverageSweepService>();
    }
}
