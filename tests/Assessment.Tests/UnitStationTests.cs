using System.Net;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests;

/// <summary>Unit and mobile stations are assessed like any other: their months are counted, read and listed under their place.</summary>
public sealed class UnitStationTests(AssessmentFactory factory) : IClassFixture<AssessmentFactory>
{
    private const string Path = "/api/v1/assessment";
    private const string School = "321324131201-S01";

    [Fact]
    public async Task A_school_stations_month_is_counted_apart_from_its_villages_and_read_by_its_code()
    {
        using var client = factory.CreateClient();
        var march = new DateTimeOffset(2026, 3, 10, 1, 0, 0, TimeSpan.Zero);

        await DeliverAsync(Completed(School, march, 1.5m, 2m));
        await DeliverAsync(Completed("321324131201", march, 1m));

        var school = await client.GetAsync($"{Path}/stations/{School}/months/2026-03", HttpStatusCode.OK);
        Assert.Equal((School, 1, 2, 3.5m), (school.GetProperty("stationCode").GetString(), school.GetProperty("completedActivities").GetInt32(),
            school.GetProperty("participantCount").GetInt32(), school.GetProperty("volunteerHours").GetDecimal()));
        var village = await client.GetAsync($"{Path}/stations/321324131201/months/2026-03", HttpStatusCode.OK);
        Assert.Equal(1m, village.GetProperty("volunteerHours").GetDecimal());
        var township = await client.GetAsync($"{Path}/months/2026-03?under=321324131", HttpStatusCode.OK);
        Assert.Equal(["321324131201", School], township.EnumerateArray().Select(m => m.GetProperty("stationCode").GetString()));
    }

    [Fact]
    public async Task A_mobile_station_is_read_within_its_townships_scope_only()
    {
        const string mobile = "321324132-M01";
        await DeliverAsync(Completed(mobile, new DateTimeOffset(2026, 3, 12, 1, 0, 0, TimeSpan.Zero), 2m));
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324132");
        using var neighbour = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324133");

        var month = await township.GetAsync($"{Path}/stations/{mobile}/months/2026-03", HttpStatusCode.OK);
        await neighbour.GetAsync($"{Path}/stations/{mobile}/months/2026-03", HttpStatusCode.NotFound);

        Assert.Equal(2m, month.GetProperty("volunteerHours").GetDecimal());
    }

    [Theory]
    [InlineData("321324131201-Z01")]
    [InlineData("321324131201-S")]
    public async Task A_malformed_unit_station_code_is_400_naming_code(string code)
    {
        using var client = factory.CreateClient();

        var problem = await client.GetAsync($"{Path}/stations/{code}/months/2026-03", HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("code", out _), problem.ToString());
    }

    private static ActivityCompleted Completed(string station, DateTimeOffset startsAt, params decimal[] hours)
    {
        var participants = hours.Select(h => new ActivityParticipant(Guid.NewGuid(), h)).ToList();
        return new ActivityCompleted(Guid.NewGuid(), startsAt.AddHours(2), StationCode.Parse(station).Place, Guid.NewGuid(), station, null,
            ActivityCategory.Culture, startsAt, startsAt.AddHours(2), participants, participants.Count);
    }

    private async Task DeliverAsync<T>(T message) where T : class, IIntegrationEvent
    {
        await factory.Harness.Bus.Publish(message);
        await factory.ConsumedAsync<T>(m => m.EventId == message.EventId);
    }
}
