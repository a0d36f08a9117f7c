using System.Net;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>The hour ledger follows an activity's corrected presences (ActivityCompletionCorrected), append-only.</summary>
public sealed class CorrectedActivityTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    private const string Path = VolunteerClient.Path;
    private static readonly DateTimeOffset StartsAt = new(2026, 3, 5, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_correction_adds_a_correction_entry_against_the_credit_once_however_often_delivered()
    {
        using var client = factory.CreateClient();
        var volunteer = await client.RegisterApprovedAsync();
        var completed = Completed(new ActivityParticipant(volunteer, 3m));
        await PublishAndWaitAsync(completed);
        var corrected = Corrected(completed, new ActivityHoursDelta(volunteer, 3m, 2m, -1m));

        await PublishAndWaitAsync(corrected, times: 2);

        var ledger = await client.GetLedgerAsync(volunteer);
        Assert.Equal(2m, ledger.TotalHours);
        var credit = Assert.Single(ledger.Entries, e => e.Kind == "ActivityCredit");
        var correction = Assert.Single(ledger.Entries, e => e.Kind == "Correction");
        Assert.Equal((-1m, credit.Id, "提前离场"), (correction.Hours, correction.CorrectsEntryId, correction.Reason));
        await factory.PublishedAsync<HoursCredited>(m => m.VolunteerId == volunteer && m.Hours == -1m && m.TotalHours == 2m);
    }

    [Fact]
    public async Task A_volunteer_absent_at_completion_and_corrected_to_present_is_credited()
    {
        using var client = factory.CreateClient();
        var present = await client.RegisterApprovedAsync("王芳");
        var absent = await client.RegisterApprovedAsync("李强");
        var completed = Completed(new ActivityParticipant(present, 2m));
        await PublishAndWaitAsync(completed);

        await PublishAndWaitAsync(Corrected(completed, new ActivityHoursDelta(absent, 0m, 1.5m, 1.5m)));

        var entry = Assert.Single((await client.GetLedgerAsync(absent)).Entries);
        Assert.Equal(("ActivityCredit", 1.5m, completed.ActivityId), (entry.Kind, entry.Hours, entry.ActivityId));
        // A redelivered completion still credits nobody twice.
        await PublishAndWaitAsync(completed with { EventId = Guid.NewGuid() });
        Assert.Equal(1.5m, (await client.GetLedgerAsync(absent)).TotalHours);
    }

    [Fact]
    public async Task A_correction_never_takes_back_more_than_the_credit_still_holds()
    {
        using var client = factory.CreateClient();
        var volunteer = await client.RegisterApprovedAsync();
        var completed = Completed(new ActivityParticipant(volunteer, 2m));
        await PublishAndWaitAsync(completed);
        var credit = Assert.Single((await client.GetLedgerAsync(volunteer)).Entries).Id;
        // An admin already took an hour back by hand; the activity's record then drops the presence altogether.
        await client.PostAsync($"{Path}/{volunteer}/hours/corrections", new { entryId = credit, hours = -1, reason = "提前离场" }, HttpStatusCode.Created);

        await PublishAndWaitAsync(Corrected(completed, new ActivityHoursDelta(volunteer, 2m, 0m, -2m)));

        var ledger = await client.GetLedgerAsync(volunteer);
        Assert.Equal(0m, ledger.TotalHours);
        Assert.Equal([2m, -1m, -1m], ledger.Entries.OrderBy(e => e.Kind == "Correction").Select(e => e.Hours));
    }

    [Fact]
    public async Task Unknown_and_pending_volunteers_and_time_taken_from_nothing_leave_the_ledger_unchanged()
    {
        using var client = factory.CreateClient();
        var pending = await client.RegisterAsync("张伟");
        var uncredited = await client.RegisterApprovedAsync("赵敏");
        var completed = Completed();
        await PublishAndWaitAsync(completed);

        await PublishAndWaitAsync(Corrected(completed,
            new ActivityHoursDelta(pending, 0m, 2m, 2m),
            new ActivityHoursDelta(uncredited, 1m, 0m, -1m),
            new ActivityHoursDelta(Guid.NewGuid(), 0m, 1m, 1m)));

        Assert.Empty((await client.GetLedgerAsync(pending)).Entries);
        Assert.Empty((await client.GetLedgerAsync(uncredited)).Entries);
    }

    private static ActivityCompleted Completed(params ActivityParticipant[] participants) => new(
        Guid.NewGuid(), StartsAt.AddHours(3), DivisionCode.Parse("321324104201"), Guid.NewGuid(), "321324104201", null,
        ActivityCategory.Policy, StartsAt, StartsAt.AddHours(3), participants, participants.Length);

    private static ActivityCompletionCorrected Corrected(ActivityCompleted completed, params ActivityHoursDelta[] deltas) => new(
        Guid.NewGuid(), completed.OccurredAt.AddDays(1), completed.DivisionCode, completed.ActivityId, completed.StationCode, null,
        completed.Category, completed.StartsAt, completed.EndsAt, "提前离场", deltas, completed.AttendeeCount);

    /// <summary>Publishes the event <paramref name="times"/> times, each after the previous one was handled (a redelivery).</summary>
    private async Task PublishAndWaitAsync<T>(T message, int times = 1) where T : class, IIntegrationEvent
    {
        for (var i = 1; i <= times; i++)
        {
            await factory.Harness.Bus.Publish(message);
            await factory.ConsumedAsync<T>(m => m.EventId == message.EventId, i);
        }
    }
}
