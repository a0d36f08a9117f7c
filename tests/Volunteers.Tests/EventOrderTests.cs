using System.Globalization;
using System.Net;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>
/// The hour ledger ends where the activity's record ends whatever order its completion and corrections arrive in, and
/// however often: a correction that needs a credit not arrived yet waits (retried) instead of being skipped.
/// </summary>
public sealed class EventOrderTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    private static readonly DateTimeOffset StartsAt = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);
    private static readonly DivisionCode Station = DivisionCode.Parse("321324104201");

    /// <summary>
    /// Present volunteer: 3 h at completion, corrected to 1 h, then to 2.5 h. Absent volunteer: nothing at completion,
    /// corrected to 2 h, then to 1 h.
    /// </summary>
    private static IIntegrationEvent[] History(Guid present, Guid absent)
    {
        var activity = Guid.NewGuid();
        var completed = new ActivityCompleted(Guid.NewGuid(), StartsAt.AddHours(3), Station, activity, Station.Value, null, ActivityCategory.Policy,
            StartsAt, StartsAt.AddHours(3), [new ActivityParticipant(present, 3m)], 1);
        ActivityCompletionCorrected Corrected(int day, params ActivityHoursDelta[] deltas) => new(Guid.NewGuid(), completed.OccurredAt.AddDays(day), Station,
            activity, Station.Value, null, completed.Category, completed.StartsAt, completed.EndsAt, "签到记录有误", deltas, 2);
        return
        [
            completed,
            Corrected(1, new ActivityHoursDelta(present, 3m, 1m, -2m), new ActivityHoursDelta(absent, 0m, 2m, 2m)),
            Corrected(2, new ActivityHoursDelta(present, 1m, 2.5m, 1.5m), new ActivityHoursDelta(absent, 2m, 1m, -1m)),
        ];
    }

    [Fact]
    public async Task A_completion_and_its_corrections_in_any_order_and_repeated_leave_the_ledger_as_in_order()
    {
        using var client = factory.CreateClient();
        var inOrder = (await client.RegisterApprovedAsync("王芳"), await client.RegisterApprovedAsync("李强"));
        await factory.DeliverAsync(History(inOrder.Item1, inOrder.Item2));
        var expected = ((2.5m, "-2,1.5,3"), (1m, "-1,2"));
        await SettlesAtAsync(client, inOrder, expected);

        // Every order of the three events with the first correction sent twice: 24 histories, each its own volunteers.
        var runs = new List<(Guid, Guid)>();
        var deliveries = new List<Task>();
        foreach (var order in EventOrders.Permutations([0, 1, 2, 3]))
        {
            var volunteers = (await client.RegisterApprovedAsync("王芳"), await client.RegisterApprovedAsync("李强"));
            var events = History(volunteers.Item1, volunteers.Item2);
            runs.Add(volunteers);
            deliveries.Add(factory.DeliverAsync(order.Select(i => i == 3 ? events[1] : events[i])));
        }
        await Task.WhenAll(deliveries);

        foreach (var run in runs)
        {
            await SettlesAtAsync(client, run, expected);
        }
    }

    [Fact]
    public async Task A_volunteer_suspended_after_a_completion_is_credited_for_it_and_not_for_one_completed_after_the_suspension()
    {
        using var client = factory.CreateClient();
        var volunteer = await client.RegisterApprovedAsync();
        var suspendedAt = factory.Clock.GetUtcNow();
        await client.PostAsync($"{VolunteerClient.Path}/{volunteer}/suspend", new { reason = "违反服务规范" }, HttpStatusCode.OK);

        // Both completions arrive after the suspension; only the one completed before it credits (the activity did too).
        ActivityCompleted Completed(DateTimeOffset at, decimal hours) => new(Guid.NewGuid(), at, Station, Guid.NewGuid(), Station.Value, null,
            ActivityCategory.Policy, at.AddHours(-3), at, [new ActivityParticipant(volunteer, hours)], 1);
        await factory.DeliverAsync([Completed(suspendedAt.AddMinutes(-1), 2m), Completed(suspendedAt.AddMinutes(1), 1m)]);

        var ledger = await client.GetLedgerAsync(volunteer);
        Assert.Equal(2m, ledger.TotalHours);
        Assert.Single(ledger.Entries);
    }

    /// <summary>
    /// Waits until the ledgers show <paramref name="expected"/>: a message that waited for its predecessor may still be
    /// on its way back from a delayed redelivery when the harness has seen the first delivery through.
    /// </summary>
    private static Task SettlesAtAsync(HttpClient client, (Guid, Guid) volunteers, ((decimal, string), (decimal, string)) expected) =>
        HttpAssertions.EventuallyAsync(async () => await StateAsync(client, volunteers) is var state && state == expected ? "settled" : null,
            $"the ledgers of {volunteers} to read {expected}");

    /// <summary>Each volunteer's total and the hours of their entries, sorted: what a volunteer or admin sees.</summary>
    private static async Task<((decimal, string), (decimal, string))> StateAsync(HttpClient client, (Guid Present, Guid Absent) volunteers)
    {
        async Task<(decimal, string)> One(Guid id)
        {
            var ledger = await client.GetLedgerAsync(id);
            return (ledger.TotalHours, string.Join(",", ledger.Entries.Select(e => e.Hours).Order().Select(h => ((double)h).ToString(CultureInfo.InvariantCulture))));
        }
        return (await One(volunteers.Present), await One(volunteers.Absent));
    }
}
