using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Messaging;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using PracticeMesh.Volunteers.Data;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>The calls the care tests repeat: register a person served, pair, visit, read the monthly check.</summary>
internal static class CareClient
{
    public const string Path = "/api/v1/volunteers/care";

    public static async Task<Guid> AddRecipientAsync(this HttpClient client, string station = "321324104201", string name = "张桂英",
        string category = "EmptyNestElderly", string? idCardNumber = null, string? mobile = null)
    {
        var created = await client.PostAsync($"{Path}/recipients", new { name, category, address = "三组12号", stationCode = station, idCardNumber, mobile },
            HttpStatusCode.Created);
        return created.GetProperty("id").GetGuid();
    }

    public static async Task<Guid> PairAsync(this HttpClient client, Guid volunteerId, Guid recipientId, string startsOn = "2026-02-01", string? endsOn = null)
    {
        var created = await client.PostAsync($"{Path}/pairings", new { volunteerId, recipientId, startsOn, endsOn }, HttpStatusCode.Created);
        return created.GetProperty("id").GetGuid();
    }

    public static Task<JsonElement> VisitAsync(this HttpClient client, Guid? volunteerId, Guid recipientId, string visitedOn, decimal hours = 1.5m,
        HttpStatusCode expected = HttpStatusCode.Created) =>
        client.PostAsync($"{Path}/visits", new { volunteerId, recipientId, visitedOn, summary = "打扫卫生, 代购药品", hours }, expected);

    public static async Task<List<JsonElement>> VisitsAsync(this HttpClient client, string query) =>
        [.. (await client.GetAsync($"{Path}/visits?{query}", HttpStatusCode.OK)).EnumerateArray()];

    public static async Task<Dictionary<Guid, JsonElement>> BehindAsync(this HttpClient client, string query)
    {
        var report = await client.GetAsync($"{Path}/visits/behind?{query}", HttpStatusCode.OK);
        return report.GetProperty("behind").EnumerateArray().ToDictionary(r => r.GetProperty("volunteerId").GetGuid());
    }

    /// <summary>A client whose login is the volunteer <paramref name="volunteerId"/> of <paramref name="village"/>.</summary>
    public static HttpClient AsVolunteer(this VolunteersFactory factory, Guid volunteerId, string village = "321324104201") =>
        factory.CreateClient().WithToken(TestTokens.Create(PracticeMeshRoles.Volunteer, village, volunteerId: volunteerId));
}

/// <summary>The register of people served (帮扶对象): masked, in scope, audited personal-data reads.</summary>
public sealed class CareRecipientsApiTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    private const string Path = CareClient.Path;

    [Fact]
    public async Task A_persons_ID_number_and_phone_are_shown_masked_and_only_an_admin_covering_them_reads_them_audited()
    {
        using var station = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324104201");
        var idCard = TestPeople.IdCard(new DateOnly(1945, 3, 12));
        var mobile = TestPeople.Mobile();
        var id = await station.AddRecipientAsync(name: "孙秀兰", idCardNumber: idCard, mobile: mobile);

        var shown = await station.GetAsync($"{Path}/recipients/{id}", HttpStatusCode.OK);
        Assert.Equal($"{idCard[..4]}**********{idCard[^4..]}", shown.GetProperty("idCardNumber").GetString());
        Assert.Equal($"{mobile[..3]}****{mobile[^4..]}", shown.GetProperty("mobile").GetString());
        Assert.Equal(1945, shown.GetProperty("birthYear").GetInt32());
        var listed = await station.GetAsync($"{Path}/recipients?q=孙秀兰", HttpStatusCode.OK);
        Assert.DoesNotContain(idCard, listed.ToString());
        Assert.DoesNotContain(mobile, listed.ToString());

        var full = await station.GetAsync($"{Path}/recipients/{id}/personal-data", HttpStatusCode.OK);
        Assert.Equal(idCard, full.GetProperty("idCardNumber").GetString());
        Assert.Equal(mobile, full.GetProperty("mobile").GetString());
        await factory.PublishedAsync<AuditRecorded>(a => a.Detail != null && a.Detail.Contains($"care recipient {id}") && a.Action.Contains("personal-data"));

        using var leader = factory.CreateClient(PracticeMeshRoles.TeamLeader, "321324104201");
        await leader.GetAsync($"{Path}/recipients/{id}", HttpStatusCode.OK);
        await leader.GetAsync($"{Path}/recipients/{id}/personal-data", HttpStatusCode.Forbidden);
        using var otherTownship = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");
        await otherTownship.GetAsync($"{Path}/recipients/{id}", HttpStatusCode.NotFound);
        await otherTownship.GetAsync($"{Path}/recipients/{id}/personal-data", HttpStatusCode.NotFound);
        using var volunteer = factory.CreateClient(PracticeMeshRoles.Volunteer, "321324104201");
        await volunteer.GetAsync($"{Path}/recipients/{id}", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_person_is_registered_once_in_scope_with_a_known_category()
    {
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        var idCard = TestPeople.IdCard();
        await township.AddRecipientAsync("321324104202", "周建国", "Disabled", idCard);

        await township.PostAsync($"{Path}/recipients", new { name = "周建国", category = "Disabled", address = "五组", stationCode = "321324104203", idCardNumber = idCard },
            HttpStatusCode.Conflict);
        await township.PostAsync($"{Path}/recipients", new { name = "吴小明", category = "LeftBehindChild", address = "一组", stationCode = "321324105201" },
            HttpStatusCode.Forbidden);
        var problem = await township.PostAsync($"{Path}/recipients", new { name = "", category = "Orphan", address = "一组", stationCode = "321324104201" },
            HttpStatusCode.BadRequest);
        Assert.Contains("category", problem.ToString());
        problem = await township.PostAsync($"{Path}/recipients", new { name = " ", category = "Other", address = "一组", stationCode = "321324104201", mobile = "12345" },
            HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(problem, "name");
        HttpAssertions.AssertNamesInvalid(problem, "mobile");
        using var leader = factory.CreateClient(PracticeMeshRoles.TeamLeader, "321324104201");
        await leader.PostAsync($"{Path}/recipients", new { name = "吴小明", category = "LeftBehindChild", address = "一组", stationCode = "321324104201" },
            HttpStatusCode.Forbidden);

        var listed = (await township.GetAsync($"{Path}/recipients?station=321324104202&category=Disabled", HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(["周建国"], listed.Select(r => r.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task An_admin_updates_a_person_and_retiring_them_ends_their_pairings()
    {
        using var admin = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324104201");
        var volunteer = await admin.RegisterApprovedAsync("赵敏");
        var id = await admin.AddRecipientAsync(name: "钱玉兰", mobile: TestPeople.Mobile());
        var pairing = await admin.PairAsync(volunteer, id);

        using var patch = await admin.PatchAsJsonAsync($"{Path}/recipients/{id}", new { address = "三组14号", category = "LonelyElderly", mobile = "" });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var updated = await admin.GetAsync($"{Path}/recipients/{id}", HttpStatusCode.OK);
        Assert.Equal("三组14号", updated.GetProperty("address").GetString());
        Assert.Equal("LonelyElderly", updated.GetProperty("category").GetString());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("mobile").ValueKind);

        await admin.PostAsync($"{Path}/recipients/{id}/retire", new { reason = " " }, HttpStatusCode.BadRequest);
        var retired = await admin.PostAsync($"{Path}/recipients/{id}/retire", new { reason = "已随子女迁居县城" }, HttpStatusCode.OK);
        Assert.Equal("Retired", retired.GetProperty("status").GetString());
        var ended = (await admin.GetAsync($"{Path}/pairings?recipientId={id}", HttpStatusCode.OK)).EnumerateArray().Single();
        Assert.Equal(pairing, ended.GetProperty("id").GetGuid());
        Assert.Equal("2026-03-04", ended.GetProperty("endsOn").GetString());
        Assert.NotEqual(JsonValueKind.Null, ended.GetProperty("endedAt").ValueKind);
        await admin.PostAsync($"{Path}/recipients/{id}/retire", new { reason = "again" }, HttpStatusCode.Conflict);
        await admin.PostAsync($"{Path}/pairings", new { volunteerId = volunteer, recipientId = id, startsOn = "2026-03-05" }, HttpStatusCode.Conflict);
    }
}

/// <summary>The care API's document: served, and every body it takes has an example the endpoint accepts.</summary>
public sealed class CareApiDocumentTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    [Fact]
    public async Task Every_care_request_example_is_accepted()
    {
        using var client = factory.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var answers = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject().Where(p => p.Key.StartsWith(CareClient.Path, StringComparison.Ordinal)))
        {
            foreach (var (method, operation) in item!.AsObject().Where(o => o.Key is "post" or "put" or "patch"))
            {
                var example = operation!["requestBody"]?["content"]?["application/json"]?["example"];
                Assert.True(example is not null, $"{method} {path}: no example");
                // A new id for each id in the path: 404 is an answer; a 400 means the example itself is wrong.
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal))
                {
                    Content = new StringContent(example!.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
                };
                using var response = await client.SendAsync(request);
                answers.Add($"{method} {path} {(int)response.StatusCode}");
                Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.NotFound,
                    $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
        Assert.Equal(6, answers.Count);
    }
}

/// <summary>Pairings (一对一结对帮扶): same station, one open pairing of the same two, at most the county's years.</summary>
public sealed class CarePairingsApiTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    private const string Path = CareClient.Path;

    [Fact]
    public async Task A_volunteer_is_paired_with_a_person_of_their_own_station_for_at_most_three_years_by_default()
    {
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        var volunteer = await township.RegisterApprovedAsync("孙丽", "321324104201");
        var here = await township.AddRecipientAsync("321324104201");
        var elsewhere = await township.AddRecipientAsync("321324104202");

        var problem = await township.PostAsync($"{Path}/pairings", new { volunteerId = volunteer, recipientId = elsewhere, startsOn = "2026-03-01" }, HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(problem, "recipientId");
        problem = await township.PostAsync($"{Path}/pairings", new { volunteerId = volunteer, recipientId = here, startsOn = "2026-03-01", endsOn = "2029-03-01" }, HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(problem, "endsOn");
        Assert.Empty((await township.GetAsync($"{Path}/pairings?volunteerId={volunteer}", HttpStatusCode.OK)).EnumerateArray());

        var created = await township.PostAsync($"{Path}/pairings", new { volunteerId = volunteer, recipientId = here, startsOn = "2026-03-01" }, HttpStatusCode.Created);
        Assert.Equal("2029-02-28", created.GetProperty("endsOn").GetString());
        Assert.Equal("Active", created.GetProperty("status").GetString());
        Assert.Equal("孙丽", created.GetProperty("volunteerName").GetString());
        await township.PostAsync($"{Path}/pairings", new { volunteerId = volunteer, recipientId = here, startsOn = "2026-06-01" }, HttpStatusCode.Conflict);

        var pending = await township.RegisterAsync("待审", "321324104201");
        await township.PostAsync($"{Path}/pairings", new { volunteerId = pending, recipientId = here, startsOn = "2026-03-01" }, HttpStatusCode.Conflict);
        using var otherTownship = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");
        await otherTownship.PostAsync($"{Path}/pairings", new { volunteerId = volunteer, recipientId = here, startsOn = "2026-03-01" }, HttpStatusCode.NotFound);
        await otherTownship.PostAsync($"{Path}/pairings/{created.GetProperty("id").GetGuid()}/end", new { reason = "x" }, HttpStatusCode.NotFound);
        Assert.Single((await township.GetAsync($"{Path}/pairings?volunteerId={volunteer}&activeOn=2026-03-04", HttpStatusCode.OK)).EnumerateArray());
        Assert.Empty((await otherTownship.GetAsync($"{Path}/pairings?volunteerId={volunteer}", HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task An_ended_pairing_takes_no_more_visits_and_the_two_may_be_paired_again_later()
    {
        using var admin = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324104201");
        var volunteer = await admin.RegisterApprovedAsync("冯刚");
        var recipient = await admin.AddRecipientAsync();
        var pairing = await admin.PairAsync(volunteer, recipient, "2026-02-01");
        await admin.VisitAsync(volunteer, recipient, "2026-02-20");

        var problem = await admin.PostAsync($"{Path}/pairings/{pairing}/end", new { endsOn = "2026-02-10", reason = "外出务工" }, HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(problem, "endsOn");
        var ended = await admin.PostAsync($"{Path}/pairings/{pairing}/end", new { endsOn = "2026-02-28", reason = "外出务工" }, HttpStatusCode.OK);
        Assert.Equal("Ended", ended.GetProperty("status").GetString());

        problem = await admin.VisitAsync(volunteer, recipient, "2026-03-02", expected: HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(problem, "recipientId");
        await admin.PairAsync(volunteer, recipient, "2026-03-01");
        await admin.VisitAsync(volunteer, recipient, "2026-03-02");
        Assert.Equal(2, (await admin.VisitsAsync($"volunteerId={volunteer}")).Count);
    }

    [Fact]
    public async Task A_pairing_that_ran_its_course_gives_way_to_a_new_one_of_the_same_two()
    {
        using var admin = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324104201");
        var volunteer = await admin.RegisterApprovedAsync("秦岚");
        var recipient = await admin.AddRecipientAsync();
        var first = await admin.PairAsync(volunteer, recipient, "2026-01-01", "2026-01-31");

        var second = await admin.PairAsync(volunteer, recipient, "2026-03-01");

        var pairings = (await admin.GetAsync($"{Path}/pairings?recipientId={recipient}", HttpStatusCode.OK)).EnumerateArray()
            .ToDictionary(p => p.GetProperty("id").GetGuid(), p => p.GetProperty("status").GetString());
        Assert.Equal(("Ended", "Active"), (pairings[first], pairings[second]));
        HttpAssertions.AssertNamesInvalid(await admin.VisitAsync(volunteer, recipient, "2026-02-15", expected: HttpStatusCode.BadRequest), "recipientId");
        await admin.VisitAsync(volunteer, recipient, "2026-01-15");
        await admin.VisitAsync(volunteer, recipient, "2026-03-02");
        Assert.Equal([first, second], (await admin.VisitsAsync($"volunteerId={volunteer}")).Select(v => v.GetProperty("pairingId").GetGuid()));
    }
}

/// <summary>Visits (走访): the volunteer's own, credited once through the ledger; acting for others only with the right.</summary>
public sealed class CareVisitsApiTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    private const string Path = CareClient.Path;

    private async Task<(HttpClient Admin, Guid Volunteer, Guid Recipient)> PairedAsync(string name)
    {
        var admin = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324104201");
        var volunteer = await admin.RegisterApprovedAsync(name);
        var recipient = await admin.AddRecipientAsync();
        await admin.PairAsync(volunteer, recipient);
        return (admin, volunteer, recipient);
    }

    [Fact]
    public async Task A_volunteer_records_their_own_visit_and_its_hours_are_credited_once_like_an_activitys()
    {
        var (admin, volunteer, recipient) = await PairedAsync("陈芳");
        using var _ = admin;
        using var self = factory.AsVolunteer(volunteer);

        var visit = await self.VisitAsync(null, recipient, "2026-03-02", 1.5m);
        var visitId = visit.GetProperty("id").GetGuid();
        await self.VisitAsync(volunteer, recipient, "2026-03-02", 1.5m, HttpStatusCode.Conflict);

        var ledger = await admin.GetLedgerAsync(volunteer);
        var entry = Assert.Single(ledger.Entries);
        Assert.Equal(("CareVisit", 1.5m, 1.5m), (entry.Kind, entry.Hours, ledger.TotalHours));
        Assert.Equal(visit.GetProperty("ledgerEntryId").GetGuid(), entry.Id);
        await factory.PublishedAsync<HoursCredited>(h => h.VolunteerId == volunteer && h.CareVisitId == visitId && h.Hours == 1.5m && h.ActivityId == null);
        await factory.PublishedAsync<CareVisitRecorded>(e => e.VisitId == visitId && e.VolunteerId == volunteer && e.RecipientId == recipient
            && e.Category == CareRecipientCategory.EmptyNestElderly && e.VisitedOn == new DateOnly(2026, 3, 2) && e.LedgerEntryId == entry.Id);
        var obligation = await admin.GetAsync($"{VolunteerClient.Path}/{volunteer}/obligations?year=2026", HttpStatusCode.OK);
        Assert.Equal(1.5m, obligation.GetProperty("doneHours").GetDecimal());
        var mine = (await self.GetAsync($"{Path}/visits/mine?month=2026-03", HttpStatusCode.OK)).EnumerateArray().Single();
        Assert.Equal(visitId, mine.GetProperty("id").GetGuid());
        var paired = (await self.GetAsync($"{Path}/pairings/mine", HttpStatusCode.OK)).EnumerateArray().Single();
        Assert.Equal((recipient, "三组12号"), (paired.GetProperty("recipientId").GetGuid(), paired.GetProperty("address").GetString()));
        using var unlinked = factory.CreateClient(PracticeMeshRoles.Volunteer, "321324104201");
        await unlinked.GetAsync($"{Path}/pairings/mine", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Visits_reach_a_star_level_as_activities_do()
    {
        var (admin, volunteer, recipient) = await PairedAsync("褚强");
        using var _ = admin;
        for (var day = 1; day <= 5; day++)
        {
            await admin.VisitAsync(volunteer, recipient, $"2026-02-0{day}", 20m);
        }

        Assert.Equal(1, (await admin.GetLedgerAsync(volunteer)).StarLevel);
        await factory.PublishedAsync<StarLevelReached>(s => s.VolunteerId == volunteer && s.StarLevel == 1 && s.TotalHours == 100m);
    }

    [Fact]
    public async Task A_volunteer_cannot_record_a_visit_for_someone_else_and_nothing_is_written()
    {
        var (admin, other, recipient) = await PairedAsync("卫东");
        using var _ = admin;
        var me = await admin.RegisterApprovedAsync("蒋华");
        using var self = factory.AsVolunteer(me);
        using var unlinked = factory.CreateClient(PracticeMeshRoles.Volunteer, "321324104201");

        var refused = await self.VisitAsync(other, recipient, "2026-03-02", expected: HttpStatusCode.NotFound);
        var unknown = await self.VisitAsync(Guid.NewGuid(), recipient, "2026-03-02", expected: HttpStatusCode.NotFound);
        Assert.Equal(unknown.GetProperty("title").GetString(), refused.GetProperty("title").GetString());
        HttpAssertions.AssertNamesInvalid(await unlinked.VisitAsync(null, recipient, "2026-03-02", expected: HttpStatusCode.BadRequest), "volunteerId");
        // Not paired with that person: their own id, someone else's household.
        HttpAssertions.AssertNamesInvalid(await self.VisitAsync(me, recipient, "2026-03-02", expected: HttpStatusCode.BadRequest), "recipientId");

        Assert.Empty((await admin.GetLedgerAsync(other)).Entries);
        Assert.Empty((await admin.GetLedgerAsync(me)).Entries);
        Assert.Empty(await admin.VisitsAsync($"recipientId={recipient}"));
    }

    [Fact]
    public async Task An_admin_or_team_leader_records_a_visit_for_a_volunteer_they_cover_and_it_is_audited()
    {
        var (admin, volunteer, recipient) = await PairedAsync("沈洁");
        using var _ = admin;
        using var leader = factory.CreateClient(PracticeMeshRoles.TeamLeader, "321324104201");
        using var otherLeader = factory.CreateClient(PracticeMeshRoles.TeamLeader, "321324104202");

        await otherLeader.VisitAsync(volunteer, recipient, "2026-03-01", expected: HttpStatusCode.NotFound);
        await leader.VisitAsync(volunteer, recipient, "2026-03-02");
        await factory.PublishedAsync<AuditRecorded>(a => a.Role == PracticeMeshRoles.TeamLeader && a.Detail == $"on behalf of volunteer {volunteer}"
            && a.Action == $"POST {Path}/visits");
        var subject = Guid.NewGuid().ToString();
        using var station = factory.CreateClient().WithToken(TestTokens.Create(PracticeMeshRoles.StationAdmin, "321324104201", subject: subject));
        await station.VisitAsync(volunteer, recipient, "2026-03-03");
        await factory.PublishedAsync<AuditRecorded>(a => a.SubjectId == subject && a.Action == $"POST {Path}/visits");

        Assert.Equal(3m, (await admin.GetLedgerAsync(volunteer)).TotalHours);
    }

    [Fact]
    public async Task A_visit_to_someone_of_another_station_is_refused_and_nothing_is_written()
    {
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        var volunteer = await township.RegisterApprovedAsync("韩梅", "321324104201");
        var elsewhere = await township.AddRecipientAsync("321324104202");
        using var self = factory.AsVolunteer(volunteer);

        HttpAssertions.AssertNamesInvalid(await township.VisitAsync(volunteer, elsewhere, "2026-03-02", expected: HttpStatusCode.BadRequest), "recipientId");
        // The volunteer's own village does not reach the other village's register at all.
        await self.VisitAsync(null, elsewhere, "2026-03-02", expected: HttpStatusCode.NotFound);
        await township.VisitAsync(volunteer, Guid.NewGuid(), "2026-03-02", expected: HttpStatusCode.NotFound);

        Assert.Empty((await township.GetLedgerAsync(volunteer)).Entries);
        Assert.Empty(await township.VisitsAsync($"volunteerId={volunteer}"));
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VolunteersDbContext>();
        var recorded = await db.OutboxMessages.AsNoTracking().Where(m => m.MessageType == IntegrationEventTypes.NameOf(typeof(CareVisitRecorded))).ToListAsync();
        Assert.DoesNotContain(recorded, m => m.Payload.Contains(volunteer.ToString()));
    }

    [Theory]
    [InlineData("2026-03-05", 1.5, "visitedOn")]
    [InlineData("2026-03-02", 0, "hours")]
    [InlineData("2026-03-02", 24.5, "hours")]
    [InlineData("9999-12-31", 1, "visitedOn")]
    public async Task Bad_visits_are_400_naming_the_field_and_write_nothing(string visitedOn, double hours, string field)
    {
        var (admin, volunteer, recipient) = await PairedAsync("杨帆");
        using var _ = admin;

        HttpAssertions.AssertNamesInvalid(await admin.VisitAsync(volunteer, recipient, visitedOn, (decimal)hours, HttpStatusCode.BadRequest), field);
        Assert.Empty((await admin.GetLedgerAsync(volunteer)).Entries);
    }

    [Fact]
    public async Task A_visits_hours_are_corrected_through_the_ledgers_correction_path()
    {
        var (admin, volunteer, recipient) = await PairedAsync("朱琳");
        using var _ = admin;
        var visit = await admin.VisitAsync(volunteer, recipient, "2026-03-02", 2m);
        var entryId = visit.GetProperty("ledgerEntryId").GetGuid();

        await admin.PostAsync($"{VolunteerClient.Path}/{volunteer}/hours/corrections", new { entryId, hours = -0.5, reason = "实际走访1.5小时" }, HttpStatusCode.Created);

        var listed = Assert.Single(await admin.VisitsAsync($"volunteerId={volunteer}"));
        Assert.Equal((2m, 1.5m), (listed.GetProperty("hours").GetDecimal(), listed.GetProperty("creditedHours").GetDecimal()));
        Assert.Equal(1.5m, (await admin.GetLedgerAsync(volunteer)).TotalHours);
    }

    [Fact]
    public async Task The_monthly_check_lists_who_visited_fewer_than_two_households_within_scope()
    {
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324106");
        var keeps = await township.RegisterApprovedAsync("达标", "321324106201");
        var once = await township.RegisterApprovedAsync("一户", "321324106201");
        var single = await township.RegisterApprovedAsync("单户", "321324106202");
        var unpaired = await township.RegisterApprovedAsync("未结对", "321324106202");
        var (r1, r2, r3) = (await township.AddRecipientAsync("321324106201"), await township.AddRecipientAsync("321324106201"), await township.AddRecipientAsync("321324106202"));
        await township.PairAsync(keeps, r1);
        await township.PairAsync(keeps, r2);
        await township.PairAsync(once, r1);
        await township.PairAsync(once, r2);
        await township.PairAsync(single, r3);
        await township.VisitAsync(keeps, r1, "2026-03-01");
        await township.VisitAsync(keeps, r2, "2026-03-03");
        await township.VisitAsync(once, r1, "2026-03-01");
        await township.VisitAsync(once, r1, "2026-03-02");
        await township.VisitAsync(once, r2, "2026-02-27");

        var report = await township.GetAsync($"{Path}/visits/behind?month=2026-03", HttpStatusCode.OK);
        Assert.Equal((2, 3, "321324106"), (report.GetProperty("required").GetInt32(), report.GetProperty("pairedVolunteers").GetInt32(), report.GetProperty("under").GetString()));
        var behind = await township.BehindAsync("month=2026-03");
        Assert.Equal(new[] { once, single }.Order(), behind.Keys.Order());
        Assert.Equal((2, 1, 2, 1), (behind[once].GetProperty("pairedHouseholds").GetInt32(), behind[once].GetProperty("householdsVisited").GetInt32(),
            behind[once].GetProperty("visits").GetInt32(), behind[once].GetProperty("short").GetInt32()));
        Assert.Equal(2, behind[single].GetProperty("short").GetInt32());
        Assert.DoesNotContain(unpaired, behind.Keys);
        // This month by default (China time: 2026-03); a station narrows it; another township sees nobody of these.
        Assert.Equal(behind.Keys.Order(), (await township.BehindAsync("")).Keys.Order());
        Assert.Equal([single], (await township.BehindAsync("under=321324106202")).Keys);
        Assert.Contains(keeps, (await township.BehindAsync("month=2026-02")).Keys);
        using var otherTownship = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");
        Assert.Empty(await otherTownship.BehindAsync("month=2026-03&under=321324106"));
        await township.GetAsync($"{Path}/visits/behind?month=2026-13", HttpStatusCode.BadRequest);
        await township.GetAsync($"{Path}/visits/behind?month=9999-12", HttpStatusCode.BadRequest);
    }
}

/// <summary>The service with a county's own care settings, whose clock stands at midnight between two China months.</summary>
public sealed class ConfiguredCareFactory : ServiceFactory<VolunteersModule>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Care:MaxPairingYears", "1");
        builder.UseSetting("Care:VisitsPerMonth", "1");
    }
}

/// <summary>Care settings are the county's, and months are China months.</summary>
public sealed class CareSettingsAndChinaMonthsTests(ConfiguredCareFactory factory) : IClassFixture<ConfiguredCareFactory>
{
    private const string Path = CareClient.Path;

    [Fact]
    public async Task Pairing_length_and_monthly_visits_come_from_configuration_and_a_visit_counts_in_its_China_month()
    {
        using var admin = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324104201");
        var volunteer = await admin.RegisterApprovedAsync("许静");
        var recipient = await admin.AddRecipientAsync();
        await admin.PostAsync($"{Path}/pairings", new { volunteerId = volunteer, recipientId = recipient, startsOn = "2026-03-01", endsOn = "2027-03-01" },
            HttpStatusCode.BadRequest);
        var pairing = await admin.PostAsync($"{Path}/pairings", new { volunteerId = volunteer, recipientId = recipient, startsOn = "2026-03-01" }, HttpStatusCode.Created);
        Assert.Equal("2027-02-28", pairing.GetProperty("endsOn").GetString());

        // 00:30 on 1 April in China, still 31 March in UTC: 1 April is today, not the future, and counts in April.
        factory.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 31, 16, 30, 0, TimeSpan.Zero));
        await admin.VisitAsync(volunteer, recipient, "2026-04-02", expected: HttpStatusCode.BadRequest);
        await admin.VisitAsync(volunteer, recipient, "2026-04-01");

        var march = await admin.GetAsync($"{Path}/visits/behind?month=2026-03", HttpStatusCode.OK);
        Assert.Equal(1, march.GetProperty("required").GetInt32());
        Assert.Equal([volunteer], march.GetProperty("behind").EnumerateArray().Select(r => r.GetProperty("volunteerId").GetGuid()));
        var thisMonth = await admin.GetAsync($"{Path}/visits/behind", HttpStatusCode.OK);
        Assert.Equal("2026-04", thisMonth.GetProperty("month").GetString());
        Assert.Empty(thisMonth.GetProperty("behind").EnumerateArray());
        var entry = Assert.Single((await admin.GetLedgerAsync(volunteer)).Entries);
        Assert.Equal(new DateTimeOffset(2026, 3, 31, 16, 0, 0, TimeSpan.Zero), entry.ServedOn);
    }
}

/// <summary>The volunteers service on the real PostgreSQL, in a database of its own.</summary>
public sealed class PostgresCareFactory() : PostgresServiceFactory<VolunteersModule>("volunteers");

/// <summary>
/// Care on PostgreSQL, the deployed database: its migration, the partial unique index of open pairings, dates and
/// division prefixes in SQL, and people registered without an ID number side by side.
/// </summary>
public sealed class CarePostgresTests(PostgresCareFactory factory) : IClassFixture<PostgresCareFactory>
{
    private const string Path = CareClient.Path;

    [Fact]
    public async Task Register_pair_visit_and_check_the_month_on_PostgreSQL()
    {
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        var volunteer = await township.RegisterApprovedAsync("邵敏", "321324104201");
        var withoutNumbers = await township.AddRecipientAsync("321324104201", "无证号甲");
        var alsoWithout = await township.AddRecipientAsync("321324104201", "无证号乙");
        var idCard = TestPeople.IdCard();
        await township.AddRecipientAsync("321324104201", "有证号", idCardNumber: idCard);
        await township.PostAsync($"{Path}/recipients", new { name = "有证号", category = "Other", address = "一组", stationCode = "321324104201", idCardNumber = idCard },
            HttpStatusCode.Conflict);

        var lapsed = await township.PairAsync(volunteer, withoutNumbers, "2026-01-01", "2026-01-31");
        var renewed = await township.PairAsync(volunteer, withoutNumbers, "2026-02-01");
        await township.PairAsync(volunteer, alsoWithout, "2026-03-01");
        await township.PostAsync($"{Path}/pairings", new { volunteerId = volunteer, recipientId = withoutNumbers, startsOn = "2026-02-10" }, HttpStatusCode.Conflict);
        await township.VisitAsync(volunteer, withoutNumbers, "2026-01-20");
        await township.VisitAsync(volunteer, withoutNumbers, "2026-03-02");
        await township.VisitAsync(volunteer, withoutNumbers, "2026-03-02", expected: HttpStatusCode.Conflict);

        Assert.Equal([lapsed, renewed], (await township.VisitsAsync($"under=321324104201&volunteerId={volunteer}")).Select(v => v.GetProperty("pairingId").GetGuid()));
        Assert.Equal(1, (await township.BehindAsync("month=2026-03&under=3213241042"))[volunteer].GetProperty("householdsVisited").GetInt32());
        await township.VisitAsync(volunteer, alsoWithout, "2026-03-03");
        Assert.Empty(await township.BehindAsync("month=2026-03&under=321324104201"));
        Assert.Equal(4.5m, (await township.GetLedgerAsync(volunteer)).TotalHours);
        Assert.Equal(2, (await township.GetAsync($"{Path}/pairings?volunteerId={volunteer}&activeOn=2026-03-04", HttpStatusCode.OK)).GetArrayLength());
    }
}
