using System.Net;
using Microsoft.AspNetCore.Hosting;
using PracticeMesh.Activities;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using static PracticeMesh.Activities.Tests.Feed;

namespace PracticeMesh.Activities.Tests;

/// <summary>Unit and mobile stations (school, enterprise, agency, 流动实践站) hold activities like any other station.</summary>
public sealed class UnitStationTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    private readonly Feed _feed = new(factory);

    /// <summary>What the stations service announces when it registers a unit station.</summary>
    private async Task UnitStationAsync(string code, StationKind kind)
    {
        var parsed = StationCode.Parse(code);
        var registered = new StationRegistered(Guid.NewGuid(), factory.Clock.GetUtcNow(), parsed.Place, Guid.NewGuid(), code, $"{kind} 实践站", kind,
            parsed.Place.Value);
        await factory.Harness.Bus.Publish(registered);
        await factory.ConsumedAsync<StationRegistered>(m => m.EventId == registered.EventId);
    }

    [Fact]
    public async Task A_school_station_holds_an_activity_from_creation_to_completion_and_its_events_name_it_and_its_place()
    {
        const string school = "321324104201-S01";
        await UnitStationAsync(school, StationKind.School);
        using var admin = factory.CreateClient();
        var volunteer = await _feed.VolunteerAsync("321324104201");
        var now = factory.Clock.GetUtcNow();

        var id = await _feed.ActivityAsync(admin, now.AddHours(-2), now.AddHours(1), station: school);
        await admin.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = volunteer }, HttpStatusCode.OK);
        await admin.PostAsync($"{Route}/{id}/check-ins", new { volunteerId = volunteer, at = now.AddHours(-2), reason = "到场登记" }, HttpStatusCode.OK);
        await admin.PostAsync($"{Route}/{id}/check-outs", new { volunteerId = volunteer, at = now, reason = "离场登记" }, HttpStatusCode.OK);
        var completed = await admin.PostAsync($"{Route}/{id}/complete", null, HttpStatusCode.OK);

        Assert.Equal(school, completed.GetProperty("stationCode").GetString());
        Assert.Equal(2m, SignUpOf(completed, volunteer).GetProperty("creditedHours").GetDecimal());
        var published = await factory.PublishedAsync<ActivityCompleted>(m => m.ActivityId == id);
        Assert.Equal(school, published.StationCode);
        Assert.Equal("321324104201", published.DivisionCode.Value);
        // The village's own lists and plans take it in: the place's code is the unit station's prefix.
        var listed = await admin.GetAsync($"{Route}?under=321324104201", HttpStatusCode.OK);
        Assert.Contains(listed.EnumerateArray(), a => a.GetProperty("id").GetGuid() == id && a.GetProperty("stationCode").GetString() == school);
    }

    [Fact]
    public async Task A_mobile_station_of_a_township_is_in_that_townships_scope_and_no_other()
    {
        const string mobile = "321324104-M01";
        await UnitStationAsync(mobile, StationKind.Mobile);
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        using var neighbour = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");
        var startsAt = factory.Clock.GetUtcNow().AddDays(5);
        var body = new { stationCode = mobile, title = "流动宣讲", category = "Policy", startsAt, endsAt = startsAt.AddHours(2), capacity = 10 };

        var created = await township.PostAsync(Route, body, HttpStatusCode.Created);
        await neighbour.PostAsync(Route, body, HttpStatusCode.Forbidden);
        await neighbour.GetAsync($"{Route}/{created.GetProperty("id").GetGuid()}", HttpStatusCode.NotFound);

        Assert.Equal(mobile, created.GetProperty("stationCode").GetString());
    }

    [Theory]
    [InlineData("321324104201-X01")]
    [InlineData("321324104201-S00")]
    [InlineData("321324104201-S1")]
    [InlineData("3213241042-S01")]
    public async Task A_malformed_unit_station_code_is_400_naming_stationCode(string code)
    {
        using var admin = factory.CreateClient();
        var startsAt = factory.Clock.GetUtcNow().AddDays(5);

        var problem = await admin.PostAsync(Route, new { stationCode = code, title = "x", category = "Policy", startsAt, endsAt = startsAt.AddHours(1), capacity = 5 },
            HttpStatusCode.BadRequest);

        AssertNamesField(problem, "stationCode");
    }

    [Fact]
    public async Task A_unit_station_not_heard_of_yet_is_404()
    {
        using var admin = factory.CreateClient();
        var startsAt = factory.Clock.GetUtcNow().AddDays(5);

        await admin.PostAsync(Route, new { stationCode = "321324104201-E07", title = "x", category = "Policy", startsAt, endsAt = startsAt.AddHours(1), capacity = 5 },
            HttpStatusCode.NotFound);
    }
}

/// <summary>A county that announces a week ahead and credits at most an hour and a half per activity.</summary>
public sealed class CountyConfiguredActivitiesFactory : ActivitiesFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Activities:AnnounceDaysAhead", "7");
        builder.UseSetting("Activities:MaxCreditedHoursPerActivity", "1.5");
    }
}

/// <summary>The announcement lead and the hour cap are county defaults a county may change (docs/county-settings.md).</summary>
public sealed class CountySettingsTests(CountyConfiguredActivitiesFactory factory) : IClassFixture<CountyConfiguredActivitiesFactory>
{
    private readonly Feed _feed = new(factory);

    [Fact]
    public async Task The_configured_lead_flags_an_announcement_five_days_ahead_and_the_configured_cap_limits_the_credit()
    {
        const string station = "321324104201";
        await _feed.StationAsync(station);
        using var admin = factory.CreateClient();
        var now = factory.Clock.GetUtcNow();

        var late = await _feed.ActivityAsync(admin, now.AddDays(5));
        Assert.True((await admin.GetAsync($"{Route}/{late}", HttpStatusCode.OK)).GetProperty("lateAnnouncement").GetBoolean());

        var volunteer = await _feed.VolunteerAsync(station);
        var id = await _feed.ActivityAsync(admin, now.AddHours(-3), now.AddHours(1));
        await admin.PostAsync($"{Route}/{id}/sign-ups", new { volunteerId = volunteer }, HttpStatusCode.OK);
        await admin.PostAsync($"{Route}/{id}/check-ins", new { volunteerId = volunteer, at = now.AddHours(-3), reason = "到场登记" }, HttpStatusCode.OK);
        await admin.PostAsync($"{Route}/{id}/check-outs", new { volunteerId = volunteer, at = now, reason = "离场登记" }, HttpStatusCode.OK);
        var completed = await admin.PostAsync($"{Route}/{id}/complete", null, HttpStatusCode.OK);

        Assert.Equal(1.5m, SignUpOf(completed, volunteer).GetProperty("creditedHours").GetDecimal());
    }

    [Theory]
    [InlineData(-1, 8, 14)]
    [InlineData(3, 0, 14)]
    [InlineData(3, 25, 14)]
    [InlineData(3, 8, 0)]
    public void A_setting_that_cannot_be_used_stops_the_host_at_start(int announceDays, decimal maxHours, int ratingDays)
    {
        var options = new ActivitiesOptions { AnnounceDaysAhead = announceDays, MaxCreditedHoursPerActivity = maxHours, RatingWindowDays = ratingDays };

        Assert.Throws<InvalidOperationException>(() => options.EnsureUsable());
    }

    [Fact]
    public void The_defaults_are_the_county_defaults()
    {
        var defaults = new ActivitiesOptions().EnsureUsable();

        Assert.Equal((3, 8m, 14), (defaults.AnnounceDaysAhead, defaults.MaxCreditedHoursPerActivity, defaults.RatingWindowDays));
    }
}
