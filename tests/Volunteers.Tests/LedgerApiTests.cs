using System.Net;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>Manual credits, corrections and volunteers' correction requests: append-only, with a reason and an approver.</summary>
public sealed class LedgerApiTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    private const string Path = VolunteerClient.Path;

    [Fact]
    public async Task A_manual_credit_records_reason_and_approver_and_publishes_HoursCredited()
    {
        using var admin = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324104201");
        var id = await admin.RegisterApprovedAsync("郑华");

        var entry = await admin.PostAsync($"{Path}/{id}/hours/credits", new { hours = 2.5, servedOn = "2026-03-01", reason = "防汛值守补录" }, HttpStatusCode.Created);

        Assert.Equal("ManualCredit", entry.GetProperty("kind").GetString());
        Assert.Equal("防汛值守补录", entry.GetProperty("reason").GetString());
        Assert.Equal("test station_admin", entry.GetProperty("approvedBy").GetString());
        Assert.Equal(2.5m, (await admin.GetLedgerAsync(id)).TotalHours);
        await factory.PublishedAsync<HoursCredited>(m => m.VolunteerId == id && m.Hours == 2.5m && m.ActivityId == null);
    }

    [Theory]
    [InlineData(-1, "2026-03-01", "补录", "hours")]
    [InlineData(0, "2026-03-01", "补录", "hours")]
    [InlineData(25, "2026-03-01", "补录", "hours")]
    [InlineData(2, "2026-03-01", " ", "reason")]
    [InlineData(2, "2026-04-01", "补录", "servedOn")]
    [InlineData(2, null, "补录", "servedOn")]
    public async Task Bad_manual_credits_are_400_and_write_nothing(double hours, string? servedOn, string reason, string field)
    {
        using var client = factory.CreateClient();
        var id = await client.RegisterApprovedAsync();

        var problem = await client.PostAsync($"{Path}/{id}/hours/credits", new { hours, servedOn, reason }, HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty((await client.GetLedgerAsync(id)).Entries);
    }

    [Fact]
    public async Task No_day_holds_more_than_24_hours()
    {
        using var client = factory.CreateClient();
        var id = await client.RegisterApprovedAsync();
        await client.PostAsync($"{Path}/{id}/hours/credits", new { hours = 20, servedOn = "2026-03-02", reason = "抗洪" }, HttpStatusCode.Created);

        await client.PostAsync($"{Path}/{id}/hours/credits", new { hours = 5, servedOn = "2026-03-02", reason = "抗洪" }, HttpStatusCode.BadRequest);
        await client.PostAsync($"{Path}/{id}/hours/credits", new { hours = 4, servedOn = "2026-03-02", reason = "抗洪" }, HttpStatusCode.Created);
        await client.PostAsync($"{Path}/{id}/hours/credits", new { hours = 5, servedOn = "2026-03-03", reason = "抗洪" }, HttpStatusCode.Created);

        Assert.Equal(29m, (await client.GetLedgerAsync(id)).TotalHours);
    }

    [Fact]
    public async Task Manual_hours_need_an_admin_in_scope_and_unknown_volunteers_are_404()
    {
        using var county = factory.CreateClient();
        var id = await county.RegisterApprovedAsync();
        using var otherTownship = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");
        using var partner = factory.CreateClient(PracticeMeshRoles.Partner, "321324", [ApiScopes.VolunteersWrite, ApiScopes.VolunteersRead]);
        using var leader = factory.CreateClient(PracticeMeshRoles.TeamLeader, "321324104201");
        var body = new { hours = 1, servedOn = "2026-03-01", reason = "补录" };

        await otherTownship.PostAsync($"{Path}/{id}/hours/credits", body, HttpStatusCode.NotFound);
        await partner.PostAsync($"{Path}/{id}/hours/credits", body, HttpStatusCode.Forbidden);
        await leader.PostAsync($"{Path}/{id}/hours/credits", body, HttpStatusCode.Forbidden);
        await county.PostAsync($"{Path}/{Guid.NewGuid()}/hours/credits", body, HttpStatusCode.NotFound);
        var pending = await county.RegisterAsync("待审");
        await county.PostAsync($"{Path}/{pending}/hours/credits", body, HttpStatusCode.Conflict);
        Assert.Empty((await county.GetLedgerAsync(id)).Entries);
    }

    [Fact]
    public async Task A_correction_is_a_new_entry_and_cannot_take_back_more_than_the_entry_holds()
    {
        using var client = factory.CreateClient();
        var id = await client.RegisterApprovedAsync();
        var credit = (await client.PostAsync($"{Path}/{id}/hours/credits", new { hours = 3, servedOn = "2026-03-01", reason = "补录" }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();

        var correction = await client.PostAsync($"{Path}/{id}/hours/corrections", new { entryId = credit, hours = -1, reason = "提前离场" }, HttpStatusCode.Created);
        await client.PostAsync($"{Path}/{id}/hours/corrections", new { entryId = credit, hours = -2.5, reason = "再减" }, HttpStatusCode.BadRequest);
        await client.PostAsync($"{Path}/{id}/hours/corrections", new { entryId = credit, hours = 1, reason = " " }, HttpStatusCode.BadRequest);
        await client.PostAsync($"{Path}/{id}/hours/corrections", new { entryId = Guid.NewGuid(), hours = 1, reason = "x" }, HttpStatusCode.BadRequest);
        await client.PostAsync($"{Path}/{id}/hours/corrections", new { entryId = correction.GetProperty("id").GetGuid(), hours = 1, reason = "x" }, HttpStatusCode.BadRequest);

        var ledger = await client.GetLedgerAsync(id);
        Assert.Equal(2m, ledger.TotalHours);
        Assert.Equal([3m, -1m], ledger.Entries.Select(e => e.Hours));
        Assert.Equal(credit, ledger.Entries[1].CorrectsEntryId);
        Assert.Equal("Correction", ledger.Entries[1].Kind);
    }

    [Fact]
    public async Task A_volunteer_requests_a_correction_and_an_admin_accepts_or_rejects_it()
    {
        using var admin = factory.CreateClient();
        var id = await admin.RegisterApprovedAsync("冯敏", "321324104201");
        var credit = (await admin.PostAsync($"{Path}/{id}/hours/credits", new { hours = 1, servedOn = "2026-03-01", reason = "补录" }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        // The volunteer's own login (linked to the record); a volunteer asks only for themselves.
        using var volunteer = factory.CreateClient().WithToken(TestTokens.Create(PracticeMeshRoles.Volunteer, "321324104201", volunteerId: id));
        using var elsewhere = factory.CreateClient(PracticeMeshRoles.Volunteer, "321324105201");

        await elsewhere.PostAsync($"{Path}/{id}/hours/correction-requests", new { entryId = credit, hours = 1, reason = "签退漏记" }, HttpStatusCode.NotFound);
        await volunteer.PostAsync($"{Path}/{id}/hours/correction-requests", new { entryId = credit, hours = 30, reason = "x" }, HttpStatusCode.BadRequest);
        await volunteer.PostAsync($"{Path}/{id}/hours/correction-requests", new { hours = 2, reason = "x" }, HttpStatusCode.BadRequest);
        var more = (await volunteer.PostAsync($"{Path}/{id}/hours/correction-requests", new { entryId = credit, hours = 1, reason = "签退漏记" }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var day = (await volunteer.PostAsync($"{Path}/{id}/hours/correction-requests", new { servedOn = "2026-03-02", hours = 2, reason = "活动未登记" }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        // A volunteer cannot decide their own request.
        await volunteer.PostAsync($"{Path}/{id}/hours/correction-requests/{more}/accept", null, HttpStatusCode.Forbidden);
        Assert.Equal(1m, (await admin.GetLedgerAsync(id)).TotalHours);

        var accepted = await admin.PostAsync($"{Path}/{id}/hours/correction-requests/{more}/accept", null, HttpStatusCode.OK);
        await admin.PostAsync($"{Path}/{id}/hours/correction-requests/{more}/accept", null, HttpStatusCode.Conflict);
        await admin.PostAsync($"{Path}/{id}/hours/correction-requests/{day}/reject", new { reason = " " }, HttpStatusCode.BadRequest);
        var rejected = await admin.PostAsync($"{Path}/{id}/hours/correction-requests/{day}/reject", new { reason = "无签到记录" }, HttpStatusCode.OK);
        await admin.PostAsync($"{Path}/{id}/hours/correction-requests/{day}/accept", null, HttpStatusCode.Conflict);

        Assert.Equal("Accepted", accepted.GetProperty("status").GetString());
        Assert.Equal("Rejected", rejected.GetProperty("status").GetString());
        var ledger = await admin.GetLedgerAsync(id);
        Assert.Equal(2m, ledger.TotalHours);
        Assert.Equal(accepted.GetProperty("resultEntryId").GetGuid(), ledger.Entries[1].Id);
        var requests = await admin.GetAsync($"{Path}/{id}/hours/correction-requests", HttpStatusCode.OK);
        Assert.Equal(2, requests.GetArrayLength());
        await admin.PostAsync($"{Path}/{id}/hours/correction-requests/{Guid.NewGuid()}/accept", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Crossing_a_star_threshold_publishes_StarLevelReached_once()
    {
        using var client = factory.CreateClient();
        var id = await client.RegisterApprovedAsync();
        for (var day = 1; day <= 4; day++)
        {
            await client.PostAsync($"{Path}/{id}/hours/credits", new { hours = 24, servedOn = $"2026-02-0{day}", reason = "驻点" }, HttpStatusCode.Created);
        }
        Assert.Equal(0, (await client.GetLedgerAsync(id)).StarLevel);

        await client.PostAsync($"{Path}/{id}/hours/credits", new { hours = 4, servedOn = "2026-02-05", reason = "驻点" }, HttpStatusCode.Created);

        var reached = await factory.PublishedAsync<StarLevelReached>(m => m.VolunteerId == id);
        Assert.Equal((1, 100m), (reached.StarLevel, reached.TotalHours));
        Assert.Equal(1, (await client.GetLedgerAsync(id)).StarLevel);
        Assert.Equal(1, (await client.GetVolunteerAsync(id)).GetProperty("starLevel").GetInt32());

        // Falling below and rising again does not announce the same star twice.
        var entry = (await client.GetLedgerAsync(id)).Entries[^1].Id;
        await client.PostAsync($"{Path}/{id}/hours/corrections", new { entryId = entry, hours = -1, reason = "核减" }, HttpStatusCode.Created);
        await client.PostAsync($"{Path}/{id}/hours/corrections", new { entryId = entry, hours = 1, reason = "复核" }, HttpStatusCode.Created);
        await factory.PublishedAsync<HoursCredited>(m => m.VolunteerId == id && m.TotalHours == 100m && m.Hours == 1m);
        Assert.Single(factory.Harness.Published.Select<StarLevelReached>(m => m.Context.Message.VolunteerId == id));
    }

    [Fact]
    public async Task Activity_credits_also_raise_the_star_level()
    {
        using var client = factory.CreateClient();
        var id = await client.RegisterApprovedAsync();
        for (var day = 1; day <= 4; day++)
        {
            await client.PostAsync($"{Path}/{id}/hours/credits", new { hours = 24, servedOn = $"2026-01-0{day}", reason = "驻点" }, HttpStatusCode.Created);
        }
        var startsAt = new DateTimeOffset(2026, 3, 3, 1, 0, 0, TimeSpan.Zero);
        var completed = new ActivityCompleted(Guid.NewGuid(), startsAt.AddHours(5), DivisionCode.Parse("321324104201"), Guid.NewGuid(), "321324104201", null,
            ActivityCategory.Policy, startsAt, startsAt.AddHours(5), [new ActivityParticipant(id, 5m)], 1);

        await factory.Harness.Bus.Publish(completed);

        var reached = await factory.PublishedAsync<StarLevelReached>(m => m.VolunteerId == id);
        Assert.Equal((1, 101m), (reached.StarLevel, reached.TotalHours));
    }
}
