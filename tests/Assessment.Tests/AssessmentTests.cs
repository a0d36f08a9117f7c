using System.Net;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests;

/// <summary>
/// Station months fed by ActivityCompleted and read over HTTP. The fixture is shared, so each test counts at
/// its own station.
/// </summary>
public sealed class AssessmentTests(AssessmentFactory factory) : IClassFixture<AssessmentFactory>
{
    private const string Path = "/api/v1/assessment";

    [Fact]
    public async Task A_completed_activity_counts_in_its_stations_month()
    {
        using var client = factory.CreateClient();
        const string station = "321324104201";

        await DeliverAsync(Completed(station, new DateTimeOffset(2026, 3, 10, 1, 0, 0, TimeSpan.Zero), 1.5m, 2m));
        await DeliverAsync(Completed(station, new DateTimeOffset(2026, 3, 20, 1, 0, 0, TimeSpan.Zero), 1m));

        var month = await client.GetAsync<StationMonthDto>($"{Path}/stations/{station}/months/2026-03");
        Assert.Equal(new StationMonthDto(station, "2026-03", 2, 3, 4.5m), month);
    }

    [Fact]
    public async Task The_same_event_delivered_twice_counts_once()
    {
        using var client = factory.CreateClient();
        const string station = "321324104202";
        var completed = Completed(station, new DateTimeOffset(2026, 3, 10, 1, 0, 0, TimeSpan.Zero), 2m);

        await DeliverAsync(completed);
        await DeliverAsync(completed);

        var month = await client.GetAsync<StationMonthDto>($"{Path}/stations/{station}/months/2026-03");
        Assert.Equal(new StationMonthDto(station, "2026-03", 1, 1, 2m), month);
    }

    [Fact]
    public async Task A_corrected_activity_moves_its_hours_and_participants_once_in_either_order()
    {
        using var client = factory.CreateClient();
        const string station = "321324104205";
        var completed = Completed(station, new DateTimeOffset(2026, 3, 10, 1, 0, 0, TimeSpan.Zero), 2m, 1.5m);
        var (stayed, left, joined) = (completed.Participants[0].VolunteerId, completed.Participants[1].VolunteerId, Guid.NewGuid());
        var corrected = new ActivityCompletionCorrected(Guid.NewGuid(), completed.OccurredAt.AddDays(1), completed.DivisionCode, completed.ActivityId,
            station, null, completed.Category, completed.StartsAt, completed.EndsAt, "签到记录有误",
            [new(stayed, 2m, 1m, -1m), new(left, 1.5m, 0m, -1.5m), new(joined, 0m, 2m, 2m)], 2);

        // The correction may arrive first; the month comes out the same.
        await DeliverAsync(corrected);
        await DeliverAsync(completed);
        await DeliverAsync(corrected);

        var month = await client.GetAsync<StationMonthDto>($"{Path}/stations/{station}/months/2026-03");
        Assert.Equal(new StationMonthDto(station, "2026-03", 1, 2, 3m), month);
    }

    [Fact]
    public async Task The_same_event_delivered_twice_at_once_counts_once()
    {
        using var client = factory.CreateClient();
        const string station = "321324104203";
        var completed = Completed(station, new DateTimeOffset(2026, 3, 10, 1, 0, 0, TimeSpan.Zero), 2m);

        // Both copies race on the new month's row and the inbox key; the loser's retry must find the winner's work.
        await Task.WhenAll(factory.Harness.Bus.Publish(completed), factory.Harness.Bus.Publish(completed));
        await factory.ConsumedAsync<ActivityCompleted>(m => m.EventId == completed.EventId, count: 2);

        var month = await client.GetAsync<StationMonthDto>($"{Path}/stations/{station}/months/2026-03");
        Assert.Equal(1, month.CompletedActivities);
    }

    [Fact]
    public async Task An_activity_on_the_evening_of_March_31_UTC_counts_in_April()
    {
        using var client = factory.CreateClient();
        const string station = "321324104204";

        // 2026-04-01 01:00 in China.
        await DeliverAsync(Completed(station, new DateTimeOffset(2026, 3, 31, 17, 0, 0, TimeSpan.Zero), 1m));

        Assert.Equal(0, (await client.GetAsync<StationMonthDto>($"{Path}/stations/{station}/months/2026-03")).CompletedActivities);
        Assert.Equal(1, (await client.GetAsync<StationMonthDto>($"{Path}/stations/{station}/months/2026-04")).CompletedActivities);
    }

    [Fact]
    public async Task A_month_lists_every_station_under_a_prefix()
    {
        using var client = factory.CreateClient();
        var may = new DateTimeOffset(2026, 5, 6, 1, 0, 0, TimeSpan.Zero);
        await DeliverAsync(Completed("321324105201", may, 1m));
        await DeliverAsync(Completed("321324105202", may));
        await DeliverAsync(Completed("321324106201", may, 2m));

        var township = await client.GetAsync<List<StationMonthDto>>($"{Path}/months/2026-05?under=321324105");
        var county = await client.GetAsync<List<StationMonthDto>>($"{Path}/months/2026-05?under=321324");

        Assert.Equal([new StationMonthDto("321324105201", "2026-05", 1, 1, 1m), new StationMonthDto("321324105202", "2026-05", 1, 0, 0m)], township);
        Assert.Equal(["321324105201", "321324105202", "321324106201"], county.Select(m => m.StationCode));
    }

    [Fact]
    public async Task A_month_without_activities_is_zeros()
    {
        using var client = factory.CreateClient();

        var month = await client.GetAsync<StationMonthDto>($"{Path}/stations/321324104299/months/2026-02");

        Assert.Equal(new StationMonthDto("321324104299", "2026-02", 0, 0, 0m), month);
    }

    [Theory]
    [InlineData("/stations/321324104201/months/2026-13", "month")]
    [InlineData("/stations/321324104201/months/202603", "month")]
    [InlineData("/stations/32132410420/months/2026-03", "code")]
    [InlineData("/stations/abc/months/2026-03", "code")]
    [InlineData("/months/2026-3", "month")]
    [InlineData("/months/2026-03?under=32x", "under")]
    public async Task Bad_input_is_400_naming_the_field(string path, string field)
    {
        using var client = factory.CreateClient();

        var problem = await client.GetAsync(Path + path, HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    private static ActivityCompleted Completed(string station, DateTimeOffset startsAt, params decimal[] hours)
    {
        var participants = hours.Select(h => new ActivityParticipant(Guid.NewGuid(), h)).ToList();
        return new ActivityCompleted(Guid.NewGuid(), startsAt.AddHours(2), DivisionCode.Parse(station), Guid.NewGuid(), station, null,
            ActivityCategory.Culture, startsAt, startsAt.AddHours(2), participants, participants.Count);
    }

    /// <summary>Feeds one delivery of the event into the service's bus and waits until it was handled.</summary>
    private async Task DeliverAsync<T>(T message) where T : class, IIntegrationEvent
    {
        var before = factory.Harness.Consumed.Select<T>(x => x.Exception is null && x.Context.Message.EventId == message.EventId).Count();
        await factory.Harness.Bus.Publish(message);
        await factory.ConsumedAsync<T>(m => m.EventId == message.EventId, before + 1);
    }

    private sealed record StationMonthDto(string StationCode, string Month, int CompletedActivities, int ParticipantCount, decimal VolunteerHours);
}
