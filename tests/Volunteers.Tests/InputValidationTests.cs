using System.Net;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>
/// Dates outside the accepted window (2000 to ten years ahead) and text a database cannot store are 400s naming the
/// field, never a 500 from China-time arithmetic leaving the calendar.
/// </summary>
public sealed class InputValidationTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    private const string Path = VolunteerClient.Path;

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    [InlineData("1999-12-31")]
    public async Task Days_outside_the_accepted_window_are_refused(string day)
    {
        using var admin = factory.CreateClient();
        var id = await admin.RegisterApprovedAsync();

        HttpAssertions.AssertNamesInvalid(await admin.PostAsync($"{Path}/{id}/hours/credits", new { hours = 2, servedOn = day, reason = "补录" }, HttpStatusCode.BadRequest), "servedOn");
        HttpAssertions.AssertNamesInvalid(await admin.PostAsync($"{Path}/{id}/certificates", new { from = day, to = "2026-03-01" }, HttpStatusCode.BadRequest), "from");
        HttpAssertions.AssertNamesInvalid(await admin.PostAsync($"{Path}/{id}/certificates", new { from = "2026-01-01", to = day }, HttpStatusCode.BadRequest), "to");
        HttpAssertions.AssertNamesInvalid(await admin.PostAsync($"{Path}/{id}/trainings", new { title = "应急救护培训", on = day }, HttpStatusCode.BadRequest), "on");
        using var volunteer = factory.CreateClient(PracticeMeshRoles.Volunteer, "321324104201");
        HttpAssertions.AssertNamesInvalid(await volunteer.PostAsync($"{Path}/{id}/hours/correction-requests", new { servedOn = day, hours = 1, reason = "漏记" }, HttpStatusCode.BadRequest), "servedOn");

        Assert.Equal(0m, (await admin.GetLedgerAsync(id)).TotalHours);
    }

    [Fact]
    public async Task Years_outside_the_accepted_window_are_refused()
    {
        using var admin = factory.CreateClient();
        var id = await admin.RegisterApprovedAsync();

        foreach (var year in new[] { 0, 1, 1999, 2037, 9999, 10000 })
        {
            HttpAssertions.AssertNamesInvalid(await admin.GetAsync($"{Path}/{id}/obligations?year={year}", HttpStatusCode.BadRequest), "year");
            HttpAssertions.AssertNamesInvalid(await admin.GetAsync($"{Path}/obligations?year={year}", HttpStatusCode.BadRequest), "year");
        }
        await admin.GetAsync($"{Path}/{id}/obligations?year=2036", HttpStatusCode.OK);
    }

    [Fact]
    public async Task Text_with_a_nul_character_is_refused_in_queries_and_bodies()
    {
        using var admin = factory.CreateClient();
        using var anonymous = factory.CreateAnonymousClient();
        var id = await admin.RegisterApprovedAsync();

        HttpAssertions.AssertNamesInvalid(await anonymous.GetAsync($"{Path}/certificates/verify?serial=%00&code=x", HttpStatusCode.BadRequest), "serial");
        HttpAssertions.AssertNamesInvalid(await admin.PostAsync($"{Path}/{id}/trainings", new { title = "应急\u0000救护", on = "2026-02-20" }, HttpStatusCode.BadRequest), "title");
        HttpAssertions.AssertNamesInvalid(await admin.PostAsync($"{Path}/{id}/commendations", new { title = "优秀志愿者", issuer = "\u0000", on = "2026-02-20" }, HttpStatusCode.BadRequest), "issuer");
        HttpAssertions.AssertNamesInvalid(await admin.PostAsync($"{Path}/{id}/hours/credits", new { hours = 2, servedOn = "2026-03-01", reason = "补录\u0000" }, HttpStatusCode.BadRequest), "reason");

        Assert.Empty((await admin.GetAsync($"{Path}/{id}/trainings", HttpStatusCode.OK)).EnumerateArray());
        Assert.Empty((await admin.GetAsync($"{Path}/{id}/commendations", HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(0m, (await admin.GetLedgerAsync(id)).TotalHours);
    }
}
