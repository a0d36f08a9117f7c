using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests;

/// <summary>
/// A station's month ends the same whatever order an activity's completion and corrections arrive in, and however
/// often: the history is delivered in every order, with a correction sent twice, each at a station of its own.
/// </summary>
public sealed class EventOrderTests(AssessmentFactory factory) : IClassFixture<AssessmentFactory>
{
    private const string Path = "/api/v1/assessment";
    private static readonly DateTimeOffset StartsAt = new(2026, 4, 10, 1, 0, 0, TimeSpan.Zero);
    private static int _station = 100;

    /// <summary>
    /// Completed with two volunteers (2 h, 1.5 h); corrected: the first to 1 h, the second to none, a third joins with 2 h;
    /// corrected again: the first to 3 h, the third to 1.5 h. In order: two participants, 4.5 h.
    /// </summary>
    private static IIntegrationEvent[] History(string station)
    {
        var (first, second, third) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var completed = new ActivityCompleted(Guid.NewGuid(), StartsAt.AddHours(2), DivisionCode.Parse(station), Guid.NewGuid(), station, null,
            ActivityCategory.Culture, StartsAt, StartsAt.AddHours(2), [new(first, 2m), new(second, 1.5m)], 2);
        ActivityCompletionCorrected Corrected(int day, int attendees, params ActivityHoursDelta[] deltas) => new(Guid.NewGuid(), completed.OccurredAt.AddDays(day),
            completed.DivisionCode, completed.ActivityId, station, null, completed.Category, completed.StartsAt, completed.EndsAt, "签到记录有误", deltas, attendees);
        return
        [
            completed,
            Corrected(1, 2, new(first, 2m, 1m, -1m), new(second, 1.5m, 0m, -1.5m), new(third, 0m, 2m, 2m)),
            Corrected(2, 2, new(first, 1m, 3m, 2m), new(third, 2m, 1.5m, -0.5m)),
        ];
    }

    [Fact]
    public async Task A_completion_and_its_corrections_in_any_order_and_repeated_count_as_in_order()
    {
        using var client = factory.CreateClient();
        var inOrder = NextStation();
        await factory.DeliverAsync(History(inOrder));
        var expected = new StationMonthDto(inOrder, "2026-04", 1, 2, 4.5m);
        await SettlesAtAsync(client, expected);

        var stations = new List<string>();
        var deliveries = new List<Task>();
        foreach (var order in EventOrders.Permutations([0, 1, 2, 3]))
        {
            var station = NextStation();
            var events = History(station);
            stations.Add(station);
            // Index 3 is the first correction a second time (same event id).
            deliveries.Add(factory.DeliverAsync(order.Select(i => i == 3 ? events[1] : events[i])));
        }
        await Task.WhenAll(deliveries);

        foreach (var station in stations)
        {
            await SettlesAtAsync(client, expected with { StationCode = station });
        }
    }

    private static Task SettlesAtAsync(HttpClient client, StationMonthDto expected) =>
        HttpAssertions.EventuallyAsync(async () => await client.GetAsync<StationMonthDto>($"{Path}/stations/{expected.StationCode}/months/2026-04") == expected ? "settled" : null,
            $"{expected.StationCode} to count {expected}");

    /// <summary>A village code of this fixture's own township (321324107), one per history.</summary>
    private static string NextStation() => $"321324107{Interlocked.Increment(ref _station)}";

    private sealed record StationMonthDto(string StationCode, string Month, int CompletedActivities, int ParticipantCount, decimal VolunteerHours);
}
