using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.ServiceDefaults.Messaging;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using PracticeMesh.Volunteers.Data;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>Real-name registration, duplicates, personal data masked and revealed only to entitled admins, suspension, search.</summary>
public sealed class RegistrationApiTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    private const string Path = VolunteerClient.Path;

    [Fact]
    public async Task A_second_registration_of_the_same_person_is_409_naming_nobody_and_writes_nothing()
    {
        using var county = factory.CreateClient();
        using var townshipB = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");
        var idCard = TestPeople.IdCard();
        await county.PostAsync(Path, TestPeople.Registration("王芳", "321324104201", idCard), HttpStatusCode.Created);

        // Another township, another name, the ID number in lower case: still the same person.
        var problem = await townshipB.PostAsync(Path, TestPeople.Registration("王小芳", "321324105201", idCard.ToLowerInvariant()), HttpStatusCode.Conflict);

        var text = problem.ToString();
        Assert.DoesNotContain("王芳", text);
        Assert.DoesNotContain("321324104201", text);
        Assert.DoesNotContain(idCard[^4..], text);
        var list = await townshipB.GetAsync($"{Path}?q=王小芳", HttpStatusCode.OK);
        Assert.Equal(0, list.GetArrayLength());
    }

    [Theory]
    [InlineData("bad-check", "idCardNumber")]
    [InlineData("impossible-date", "idCardNumber")]
    [InlineData("future-date", "idCardNumber")]
    [InlineData("short", "idCardNumber")]
    [InlineData("mobile", "mobile")]
    [InlineData("political", "politicalStatus")]
    public async Task Bad_personal_data_is_400_naming_the_field(string @case, string field)
    {
        using var client = factory.CreateClient();
        var valid = TestPeople.IdCard();
        var wrongCheck = valid[..17] + (valid[17] == '0' ? '1' : '0');
        var body = new Dictionary<string, object?>
        {
            ["name"] = "赵六", ["idCardNumber"] = valid, ["mobile"] = "13912345678", ["politicalStatus"] = "Masses", ["homeStationCode"] = "321324104201",
        };
        switch (@case)
        {
            case "bad-check": body["idCardNumber"] = wrongCheck; break;
            case "impossible-date": body["idCardNumber"] = WithCheck("32132419900230123"); break;
            case "future-date": body["idCardNumber"] = WithCheck("32132420300101123"); break;
            case "short": body["idCardNumber"] = "3213241990"; break;
            case "mobile": body["mobile"] = "12912345678"; break;
            case "political": body["politicalStatus"] = null; break;
        }

        var problem = await client.PostAsync(Path, body, HttpStatusCode.BadRequest);

        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, (await client.GetAsync($"{Path}?q=赵六", HttpStatusCode.OK)).GetArrayLength());
    }

    private static string WithCheck(string first17) => first17 + Domain.IdCardNumber.CheckCharacter(first17);

    [Fact]
    public async Task No_response_carries_the_full_id_number_or_phone_but_the_audited_personal_data_view()
    {
        using var county = factory.CreateClient();
        var idCard = TestPeople.IdCard(new DateOnly(1988, 8, 8));
        var created = await county.PostAsync(Path, new
        {
            name = "孙丽", idCardNumber = idCard, mobile = "13812345678", politicalStatus = "LeagueMember",
            categories = new[] { "Student", "LeagueApplicant" }, skills = new[] { "摄影" }, homeStationCode = "321324104201",
        }, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        await county.PostAsync($"{Path}/{id}/approve", null, HttpStatusCode.OK);

        var responses = new List<string>
        {
            created.ToString(),
            (await county.GetVolunteerAsync(id)).ToString(),
            (await county.GetAsync($"{Path}?q=孙丽", HttpStatusCode.OK)).ToString(),
            (await county.PostAsync($"{Path}/{id}/suspend", new { reason = "调查中" }, HttpStatusCode.OK)).ToString(),
            (await county.PostAsync($"{Path}/{id}/reinstate", null, HttpStatusCode.OK)).ToString(),
            (await county.GetAsync($"{Path}/{id}/obligations", HttpStatusCode.OK)).ToString(),
        };
        foreach (var text in responses)
        {
            Assert.DoesNotContain(idCard, text);
            Assert.DoesNotContain("13812345678", text);
        }
        Assert.Equal($"{idCard[..4]}**********{idCard[^4..]}", created.GetProperty("idCardNumber").GetString());
        Assert.Equal("138****5678", created.GetProperty("mobile").GetString());
        Assert.Equal(1988, created.GetProperty("birthYear").GetInt32());
        Assert.Equal(["Student", "LeagueApplicant"], created.GetProperty("categories").EnumerateArray().Select(c => c.GetString()).OrderDescending());

        // Events carry no personal data either.
        var registered = await factory.PublishedAsync<VolunteerRegistered>(m => m.VolunteerId == id);
        Assert.DoesNotContain(idCard, JsonSerializer.Serialize(registered));

        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        var full = await township.GetAsync($"{Path}/{id}/personal-data", HttpStatusCode.OK);
        Assert.Equal(idCard, full.GetProperty("idCardNumber").GetString());
        Assert.Equal("13812345678", full.GetProperty("mobile").GetString());
        Assert.Equal("1988-08-08", full.GetProperty("birthDate").GetString());
        var audit = await factory.PublishedAsync<AuditRecorded>(m => m.Detail != null && m.Detail.Contains(id.ToString()) && m.Action.Contains("personal-data"));
        Assert.Equal(("321324104", "township_admin", "volunteers"), (audit.DivisionCode.Value, audit.Role, audit.Service));
        Assert.DoesNotContain(idCard, JsonSerializer.Serialize(audit));
    }

    [Fact]
    public async Task Personal_data_is_refused_to_non_admins_and_to_admins_of_another_division()
    {
        using var county = factory.CreateClient();
        var id = await county.RegisterAsync("周杰", "321324104201");

        using var otherTownship = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");
        using var otherStation = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324104202");
        using var leader = factory.CreateClient(PracticeMeshRoles.TeamLeader, "321324104201");
        using var partner = factory.CreateClient(PracticeMeshRoles.Partner, "321324", [ApiScopes.VolunteersRead]);
        using var volunteer = factory.CreateClient(PracticeMeshRoles.Volunteer, "321324104201");

        await otherTownship.GetAsync($"{Path}/{id}/personal-data", HttpStatusCode.NotFound);
        await otherStation.GetAsync($"{Path}/{id}/personal-data", HttpStatusCode.NotFound);
        await leader.GetAsync($"{Path}/{id}/personal-data", HttpStatusCode.Forbidden);
        await partner.GetAsync($"{Path}/{id}/personal-data", HttpStatusCode.Forbidden);
        await volunteer.GetAsync($"{Path}/{id}/personal-data", HttpStatusCode.Forbidden);
        // Leaders may read the masked record.
        var masked = await leader.GetAsync($"{Path}/{id}", HttpStatusCode.OK);
        Assert.Contains("**********", masked.GetProperty("idCardNumber").GetString());
        Assert.Equal(0, await CountAuditRowsAsync(id));
    }

    [Fact]
    public async Task Suspending_publishes_VolunteerSuspended_and_stops_credits_until_reinstated()
    {
        using var client = factory.CreateClient();
        var id = await client.RegisterApprovedAsync("吴磊");

        await client.PostAsync($"{Path}/{id}/suspend", new { reason = " " }, HttpStatusCode.BadRequest);
        var suspended = await client.PostAsync($"{Path}/{id}/suspend", new { reason = "长期未参加活动" }, HttpStatusCode.OK);

        Assert.Equal("Suspended", suspended.GetProperty("status").GetString());
        var message = await factory.PublishedAsync<VolunteerSuspended>(m => m.VolunteerId == id);
        Assert.Equal("长期未参加活动", message.Reason);
        await client.PostAsync($"{Path}/{id}/suspend", new { reason = "again" }, HttpStatusCode.Conflict);
        await client.PostAsync($"{Path}/{id}/hours/credits", new { hours = 1, servedOn = "2026-03-01", reason = "补录" }, HttpStatusCode.Conflict);
        Assert.Empty((await client.GetLedgerAsync(id)).Entries);

        var reinstated = await client.PostAsync($"{Path}/{id}/reinstate", null, HttpStatusCode.OK);
        Assert.Equal("Approved", reinstated.GetProperty("status").GetString());
        await factory.PublishedAsync<VolunteerReinstated>(m => m.VolunteerId == id);
        await client.PostAsync($"{Path}/{id}/reinstate", null, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Search_filters_by_name_station_category_and_status_within_the_callers_division()
    {
        using var county = factory.CreateClient();
        var a = await county.RegisterApprovedAsync("检索甲", "321324104201", ["Teacher"]);
        var b = await county.RegisterAsync("检索乙", "321324104202", ["Retiree"]);
        var c = await county.RegisterApprovedAsync("检索丙", "321324105201", ["Teacher"]);

        static Guid[] Ids(JsonElement list) => [.. list.EnumerateArray().Select(v => v.GetProperty("id").GetGuid())];

        Assert.Equal(new[] { a, b, c }.Order(), Ids(await county.GetAsync($"{Path}?q=检索", HttpStatusCode.OK)).Order());
        Assert.Equal(new[] { a, c }.Order(), Ids(await county.GetAsync($"{Path}?q=检索&category=Teacher", HttpStatusCode.OK)).Order());
        Assert.Equal([b], Ids(await county.GetAsync($"{Path}?q=检索&station=321324104202", HttpStatusCode.OK)));
        Assert.Equal([b], Ids(await county.GetAsync($"{Path}?q=检索&status=Pending", HttpStatusCode.OK)));
        Assert.Equal(new[] { a, b }.Order(), Ids(await county.GetAsync($"{Path}?q=检索&under=321324104", HttpStatusCode.OK)).Order());

        using var townshipB = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");
        Assert.Equal([c], Ids(await townshipB.GetAsync($"{Path}?q=检索", HttpStatusCode.OK)));
        Assert.Empty(Ids(await townshipB.GetAsync($"{Path}?q=检索&under=321324104", HttpStatusCode.OK)));
        await county.GetAsync($"{Path}?limit=0", HttpStatusCode.BadRequest);
        await county.GetAsync($"{Path}?under=32x", HttpStatusCode.BadRequest);
    }

    private async Task<int> CountAuditRowsAsync(Guid volunteer)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<VolunteersDbContext>();
        var rows = await db.OutboxMessages.AsNoTracking().Where(m => m.MessageType == IntegrationEventTypes.NameOf(typeof(AuditRecorded))).ToListAsync();
        return rows.Count(m => m.Payload.Contains(volunteer.ToString()) && m.Payload.Contains("personal-data"));
    }
}
