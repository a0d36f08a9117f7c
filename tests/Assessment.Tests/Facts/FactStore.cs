using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Contracts;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests.Facts;

/// <summary>
/// Reads what assessment kept (every fact and every cell) as comparable lines, so two deliveries of one history can be
/// compared whole rather than by a few chosen figures. Versions (how many writes a row took) are left out: they count
/// arrivals, which differ with the order, not the state.
/// </summary>
internal static class FactStore
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    /// <summary>Every fact and cell row, optionally only those naming one of <paramref name="names"/>' keys, with those keys replaced by their names.</summary>
    public static async Task<List<string>> RowsAsync(ServiceFactory<AssessmentModule> factory, IReadOnlyDictionary<string, string>? names = null, bool cells = true, bool facts = true)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AssessmentDbContext>();
        var rows = new List<object>();
        if (facts)
        {
            rows.AddRange(await db.StationFacts.AsNoTracking().ToListAsync());
            rows.AddRange(await db.SixHavesFacts.AsNoTracking().ToListAsync());
            rows.AddRange(await db.StaffingFacts.AsNoTracking().ToListAsync());
            rows.AddRange(await db.VolunteerFacts.AsNoTracking().ToListAsync());
            rows.AddRange(await db.VolunteerStatusFacts.AsNoTracking().ToListAsync());
            rows.AddRange(await db.TeamFacts.AsNoTracking().ToListAsync());
            rows.AddRange(await db.TeamMembershipFacts.AsNoTracking().ToListAsync());
            rows.AddRange(await db.ActivityFacts.AsNoTracking().ToListAsync());
            rows.AddRange(await db.ParticipationFacts.AsNoTracking().ToListAsync());
            rows.AddRange(await db.HoursFacts.AsNoTracking().ToListAsync());
            rows.AddRange(await db.RatingFacts.AsNoTracking().ToListAsync());
            rows.AddRange(await db.OrderFacts.AsNoTracking().ToListAsync());
            rows.AddRange(await db.CareVisitFacts.AsNoTracking().ToListAsync());
            rows.AddRange(await db.CaseFacts.AsNoTracking().ToListAsync());
        }
        if (cells)
        {
            // A cell moved to zero and a cell never written say the same: an order that adds then takes away leaves the first.
            rows.AddRange(await db.MeasureCells.AsNoTracking().Where(c => c.Value != 0).ToListAsync());
        }
        var lines = rows.Select(Describe);
        if (names is not null)
        {
            lines = lines.Where(line => names.Keys.Any(key => line.Contains(key, StringComparison.Ordinal)))
                .Select(line => names.Aggregate(line, (text, name) => text.Replace(name.Key, name.Value, StringComparison.Ordinal)));
        }
        return [.. lines.Order(StringComparer.Ordinal)];
    }

    /// <summary>The cells (subject, month, measure = value) of one key, with the key replaced by its name.</summary>
    public static async Task<Dictionary<string, long>> CellsAsync(ServiceFactory<AssessmentModule> factory, string subject)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AssessmentDbContext>();
        var cells = await db.MeasureCells.AsNoTracking().Where(c => c.Subject == subject).ToListAsync();
        return cells.Where(c => c.Value != 0).ToDictionary(c => $"{c.Month} {c.Measure}", c => c.Value);
    }

    /// <summary>
    /// Publishes every delivery at once, then waits until the inbox holds each: the inbox row is written in the same
    /// save as the event's effect, so it is the one sure sign that it was applied. (A delivery that failed its quick
    /// retries is redelivered seconds later; counting the harness's consumptions could stop waiting before that.)
    /// </summary>
    public static async Task DeliverAsync(ServiceFactory<AssessmentModule> factory, IEnumerable<IIntegrationEvent> deliveries)
    {
        var sent = new List<IIntegrationEvent>();
        foreach (var message in deliveries)
        {
            await factory.Harness.Bus.Publish(message, message.GetType());
            sent.Add(message);
        }
        foreach (var message in sent.DistinctBy(m => m.EventId))
        {
            await AppliedAsync(factory, message);
        }
    }

    /// <summary>Waits until the inbox holds <paramref name="message"/>: its consumer applied it (or recognised it) and saved.</summary>
    public static async Task AppliedAsync(ServiceFactory<AssessmentModule> factory, IIntegrationEvent message)
    {
        // Past the second redelivery (5 s, then 30 s) of an event that waited for its predecessor or lost a race on a cell.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            using (var scope = factory.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AssessmentDbContext>();
                if (await db.InboxMessages.AsNoTracking().AnyAsync(m => m.MessageId == message.EventId))
                {
                    return;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {message.GetType().Name} {message.EventId} to be applied.");
            await Task.Delay(5);
        }
    }

    private static string Describe(object row)
    {
        var node = JsonSerializer.SerializeToNode(row, row.GetType(), Json)!.AsObject();
        node.Remove("Version");
        return $"{row.GetType().Name} {node.ToJsonString()}";
    }
}
