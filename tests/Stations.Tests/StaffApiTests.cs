using System.Net;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Stations.Tests;

/// <summary>Leaders and staff, and the staffing minimum: an institute at least 2 staff (usually up to 3), a station 1 (usually up to 2).</summary>
public sealed class StaffApiTests(StationsFactory factory) : IClassFixture<StationsFactory>
{
    private const string Path = StationsClient.Path;

    private HttpClient CityWideClient() => factory.CreateClient(PracticeMeshRoles.Partner, "3213", ApiScopes.All);

    [Fact]
    public async Task An_institute_meets_the_minimum_with_two_staff_and_a_fourth_is_recorded_as_above_the_usual_range()
    {
        using var client = CityWideClient();
        await client.RegisterTreeAsync("321331");
        var staff = $"{Path}/321331104/staff";

        await client.PostAsync(staff, new { name = "张书记", role = "Head", post = "镇党委书记" }, HttpStatusCode.Created);
        await client.PostAsync(staff, new { name = "李一", role = "FullTime" }, HttpStatusCode.Created);
        var one = await client.GetAsync(staff, HttpStatusCode.OK);
        Assert.False(one.GetProperty("staffing").GetProperty("met").GetBoolean());
        Assert.Equal(1, one.GetProperty("staffing").GetProperty("staffCount").GetInt32());

        await client.PostAsync(staff, new { name = "李二", role = "PartTime" }, HttpStatusCode.Created);
        await client.PostAsync(staff, new { name = "李三", role = "PartTime" }, HttpStatusCode.Created);
        var full = await client.GetAsync(staff, HttpStatusCode.OK);
        Assert.True(full.GetProperty("staffing").GetProperty("met").GetBoolean());
        Assert.Equal("张书记", full.GetProperty("staffing").GetProperty("headName").GetString());
        Assert.Equal(4, full.GetProperty("members").GetArrayLength());

        Assert.False(full.GetProperty("staffing").GetProperty("aboveUsualRange").GetBoolean());
        await client.PostAsync(staff, new { name = "李四", role = "FullTime" }, HttpStatusCode.Created);
        await client.PostAsync(staff, new { name = "王书记", role = "Head" }, HttpStatusCode.Conflict);
        var four = await client.GetAsync(staff, HttpStatusCode.OK);
        Assert.Equal(4, four.GetProperty("staffing").GetProperty("staffCount").GetInt32());
        Assert.True(four.GetProperty("staffing").GetProperty("met").GetBoolean());
        Assert.True(four.GetProperty("staffing").GetProperty("aboveUsualRange").GetBoolean());
        var above = await factory.PublishedAsync<StaffingChanged>(m => m.StationCode == "321331104" && m.StaffCount == 4);
        Assert.True(above.Met);
        Assert.True(above.AboveUsualRange);

        var e = await factory.PublishedAsync<StaffingChanged>(m => m.StationCode == "321331104" && m.StaffCount == 3);
        Assert.True(e.Met);
        Assert.Equal(2, e.RequiredMin);
        Assert.Equal(3, e.RequiredMax);
        Assert.Equal("张书记", e.HeadName);
    }

    [Fact]
    public async Task Removing_staff_can_leave_a_station_unmet_and_says_so()
    {
        using var client = CityWideClient();
        await client.RegisterTreeAsync("321332");
        var staff = $"{Path}/321332104201/staff";
        await client.PostAsync(staff, new { name = "站长", role = "Head" }, HttpStatusCode.Created);
        await client.PostAsync(staff, new { name = "副站长", role = "Deputy" }, HttpStatusCode.Created);
        var member = await client.PostAsync(staff, new { name = "专职", role = "FullTime" }, HttpStatusCode.Created);
        await client.PostAsync(staff, new { name = "兼职", role = "PartTime" }, HttpStatusCode.Created);
        await client.DeleteAsync($"{staff}/{member.GetProperty("id").GetGuid()}", HttpStatusCode.NoContent);
        await client.DeleteAsync($"{staff}/{member.GetProperty("id").GetGuid()}", HttpStatusCode.NotFound);
        var roster = await client.GetAsync(staff, HttpStatusCode.OK);

        Assert.True(roster.GetProperty("staffing").GetProperty("met").GetBoolean());
        Assert.Equal(1, roster.GetProperty("staffing").GetProperty("staffCount").GetInt32());
        Assert.Equal("副站长", roster.GetProperty("staffing").GetProperty("deputyName").GetString());
        var e = await factory.PublishedAsync<StaffingChanged>(m => m.StationCode == "321332104201" && m.StaffCount == 1 && m.DeputyName != null);
        Assert.Equal(1, e.RequiredMin);
        Assert.Equal(2, e.RequiredMax);
    }

    [Fact]
    public async Task The_township_report_lists_every_site_met_or_unmet()
    {
        using var client = CityWideClient();
        await client.RegisterTreeAsync("321333");
        await client.RegisterAsync("321333104202", "Village");
        await client.RegisterAsync("321333104201-S01", "School");
        await client.PostAsync($"{Path}/321333104201/staff", new { name = "甲", role = "FullTime" }, HttpStatusCode.Created);

        var report = await client.GetAsync($"{Path}/staffing?under=321333104", HttpStatusCode.OK);

        Assert.Equal(4, report.GetProperty("sites").GetInt32());
        Assert.Equal(1, report.GetProperty("met").GetInt32());
        Assert.Equal(3, report.GetProperty("unmet").GetInt32());
        var unmet = await client.GetAsync($"{Path}/staffing?under=321333104&met=false", HttpStatusCode.OK);
        Assert.Equal(["321333104", "321333104201-S01", "321333104202"],
            unmet.GetProperty("stations").EnumerateArray().Select(s => s.GetProperty("stationCode").GetString()));
    }

    [Theory]
    [InlineData("", "FullTime", "name")]
    [InlineData("甲", "Chairman", "role")]
    public async Task A_bad_member_is_400_naming_the_field(string name, string role, string field)
    {
        using var client = CityWideClient();
        await client.EnsureTreeAsync("321334");

        var problem = await client.PostAsync($"{Path}/321334104201/staff", new { name, role }, HttpStatusCode.BadRequest);

        Assert.True(problem.HasError(field), problem.ToString());
    }

    [Fact]
    public async Task Staff_are_reached_only_within_the_callers_division()
    {
        using var county = factory.CreateClient();
        await county.RegisterTreeAsync("321324");
        await county.RegisterAsync("321324105", "Institute");
        await county.RegisterAsync("321324105201", "Village");
        var member = await county.PostAsync($"{Path}/321324105201/staff", new { name = "甲", role = "FullTime" }, HttpStatusCode.Created);
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");

        await township.GetAsync($"{Path}/321324105201/staff", HttpStatusCode.NotFound);
        await township.PostAsync($"{Path}/321324105201/staff", new { name = "乙", role = "FullTime" }, HttpStatusCode.NotFound);
        await township.DeleteAsync($"{Path}/321324105201/staff/{member.GetProperty("id").GetGuid()}", HttpStatusCode.NotFound);
        var report = await township.GetAsync($"{Path}/staffing?under=321324", HttpStatusCode.OK);
        Assert.All(report.GetProperty("stations").EnumerateArray(), s => Assert.StartsWith("321324104", s.GetProperty("stationCode").GetString()));
        using var volunteer = factory.CreateClient(PracticeMeshRoles.Volunteer, "321324104201");
        await volunteer.PostAsync($"{Path}/321324104201/staff", new { name = "丙", role = "FullTime" }, HttpStatusCode.Forbidden);
    }
}
