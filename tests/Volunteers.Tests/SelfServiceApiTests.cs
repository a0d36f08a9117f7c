using System.Net;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using PracticeMesh.Volunteers.Api;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>A signed-in person registers themselves, and a linked volunteer reads their own record, ledger, obligation and certificate.</summary>
public sealed class SelfServiceApiTests(VolunteersFactory factory) : SelfServiceScenario<VolunteersFactory>(factory), IClassFixture<VolunteersFactory>;

/// <summary>The same on PostgreSQL, with the schema from the migrations (the person's filtered unique index among them).</summary>
public sealed class SelfServicePostgresTests(PostgresVolunteersFactory factory) : SelfServiceScenario<PostgresVolunteersFactory>(factory),
    IClassFixture<PostgresVolunteersFactory>;

public abstract class SelfServiceScenario<TFactory>(TFactory factory) where TFactory : ServiceFactory<VolunteersModule>
{
    private const string Path = VolunteerClient.Path;

    private HttpClient Person(string role, string division, Guid? subject = null, Guid? volunteerId = null) =>
        factory.CreateClient().WithToken(TestTokens.Create(role, division, subject: (subject ?? Guid.NewGuid()).ToString(), volunteerId: volunteerId));

    private static object SelfRegistration(string realName = "孙丽", string? idNumber = null, string politicalStatus = "Masses") => new
    {
        realName,
        idNumber = idNumber ?? TestPeople.IdCard(),
        phone = TestPeople.Mobile(),
        politicalStatus,
        skills = new[] { "广场舞" },
    };

    [Fact]
    public async Task A_resident_registers_themselves_in_their_village_and_waits_for_that_station_to_approve()
    {
        var person = Guid.NewGuid();
        using var resident = Person(PracticeMeshRoles.Resident, "321324104202", person);
        var idNumber = TestPeople.IdCard();

        var created = await resident.PostAsync($"{Path}/self-registrations", SelfRegistration("孙丽", idNumber), HttpStatusCode.Created);

        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(("Pending", "321324104202", false), (created.GetProperty("status").GetString(), created.GetProperty("homeStationCode").GetString(),
            created.GetProperty("linked").GetBoolean()));
        Assert.DoesNotContain(idNumber[6..14], created.ToString());
        var registered = await factory.PublishedAsync<VolunteerRegistered>(e => e.VolunteerId == id);
        Assert.Equal(person, registered.PersonId);
        // Before approval the login is not linked yet, but the person sees where their registration stands.
        var mine = await resident.GetAsync($"{Path}/me", HttpStatusCode.OK);
        Assert.Equal((id, "Pending"), (mine.GetProperty("id").GetGuid(), mine.GetProperty("status").GetString()));
        await resident.PostAsync($"{Path}/self-registrations", SelfRegistration("孙丽"), HttpStatusCode.Conflict);

        using var otherStation = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324104201");
        await otherStation.PostAsync($"{Path}/{id}/approve", null, HttpStatusCode.NotFound);
        using var station = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324104202");
        await station.PostAsync($"{Path}/{id}/approve", null, HttpStatusCode.OK);
        var approved = await factory.PublishedAsync<VolunteerApproved>(e => e.VolunteerId == id);
        Assert.Equal(person, approved.PersonId);
        Assert.Equal("Approved", (await resident.GetAsync($"{Path}/me", HttpStatusCode.OK)).GetProperty("status").GetString());
        await resident.PostAsync($"{Path}/self-registrations", SelfRegistration("孙丽"), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_self_registration_keeps_the_admin_rules_and_is_refused_to_partners_and_logins_without_a_village()
    {
        using var resident = Person(PracticeMeshRoles.Resident, "321324104202");
        var valid = TestPeople.IdCard();
        var wrongCheck = valid[..17] + (valid[17] == '0' ? '1' : '0');

        var bad = await resident.PostAsync($"{Path}/self-registrations", SelfRegistration("孙丽", wrongCheck), HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(bad, "idNumber");
        var noName = await resident.PostAsync($"{Path}/self-registrations", SelfRegistration(""), HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(noName, "realName");

        // The same ID number as a volunteer an admin registered: one person registers once.
        using var county = factory.CreateClient();
        var taken = TestPeople.IdCard();
        await county.PostAsync(Path, TestPeople.Registration("周强", "321324104202", taken), HttpStatusCode.Created);
        var duplicate = await resident.PostAsync($"{Path}/self-registrations", SelfRegistration("周强", taken), HttpStatusCode.Conflict);
        Assert.DoesNotContain("周强", duplicate.ToString());

        using var partner = factory.CreateClient(PracticeMeshRoles.Partner, "321324104202", [ApiScopes.VolunteersWrite]);
        await partner.PostAsync($"{Path}/self-registrations", SelfRegistration(), HttpStatusCode.Forbidden);
        using var townshipPerson = Person(PracticeMeshRoles.TownshipAdmin, "321324104");
        await townshipPerson.PostAsync($"{Path}/self-registrations", SelfRegistration(), HttpStatusCode.Forbidden);

        // Nothing refused was kept: the resident has no registration.
        var none = await resident.GetAsync($"{Path}/me", HttpStatusCode.NotFound);
        Assert.Equal(SelfServiceApi.NotLinked, none.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_linked_volunteer_reads_their_own_record_ledger_obligation_and_certificate_and_nobody_elses()
    {
        using var county = factory.CreateClient();
        var me = await county.RegisterApprovedAsync("吴敏", "321324104203");
        var neighbour = await county.RegisterApprovedAsync("郑浩", "321324104203");
        await county.PostAsync($"{Path}/{me}/hours/credits", new { hours = 3.5, servedOn = "2026-03-01", reason = "防汛值守" }, HttpStatusCode.Created);
        await county.PostAsync($"{Path}/{neighbour}/hours/credits", new { hours = 2, servedOn = "2026-03-01", reason = "防汛值守" }, HttpStatusCode.Created);
        var team = (await county.PostAsync($"{Path}/teams", new { name = "卫生治理队", tier = "Team", homeStationCode = "321324104203" }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        await county.PostAsync($"{Path}/teams/{team}/members", new { volunteerId = me }, HttpStatusCode.Created);
        using var volunteer = Person(PracticeMeshRoles.Volunteer, "321324104203", volunteerId: me);

        var record = await volunteer.GetAsync($"{Path}/me", HttpStatusCode.OK);
        Assert.Equal((me, "Approved", true), (record.GetProperty("id").GetGuid(), record.GetProperty("status").GetString(), record.GetProperty("linked").GetBoolean()));
        Assert.Contains("*", record.GetProperty("idCardNumber").GetString());
        Assert.Equal("Cadre", record.GetProperty("categories")[0].GetString());
        Assert.Equal(team, record.GetProperty("teams")[0].GetProperty("teamId").GetGuid());
        Assert.Equal(3.5m, (await volunteer.GetAsync<VolunteerClient.Ledger>($"{Path}/me/hours")).TotalHours);
        Assert.Equal(3.5m, (await volunteer.GetAsync<VolunteerClient.Ledger>($"{Path}/{me}/hours")).TotalHours);
        var obligation = await volunteer.GetAsync($"{Path}/me/obligations?year=2026", HttpStatusCode.OK);
        Assert.Equal((20m, 3.5m), (obligation.GetProperty("requiredHours").GetDecimal(), obligation.GetProperty("doneHours").GetDecimal()));
        await volunteer.GetAsync($"{Path}/{me}", HttpStatusCode.OK);

        var issued = await volunteer.PostAsync($"{Path}/me/certificates", new { from = "2026-01-01", to = "2026-03-04" }, HttpStatusCode.Created);
        Assert.Equal(3.5m, issued.GetProperty("totalHours").GetDecimal());
        var certificate = issued.GetProperty("id").GetGuid();
        foreach (var pdf in new[] { issued.GetProperty("pdfUrl").GetString()!, $"{Path}/{me}/certificates/{certificate}/pdf" })
        {
            using var response = await volunteer.GetAsync(pdf);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        }
        var verified = await factory.CreateAnonymousClient().GetAsync(
            $"{Path}/certificates/verify?serial={issued.GetProperty("serial").GetString()}&code={issued.GetProperty("verificationCode").GetString()}", HttpStatusCode.OK);
        Assert.Equal(3.5m, verified.GetProperty("totalHours").GetDecimal());

        // The neighbour in the same village: none of it, whichever path.
        await volunteer.GetAsync($"{Path}/{neighbour}", HttpStatusCode.Forbidden);
        await volunteer.GetAsync($"{Path}/{neighbour}/hours", HttpStatusCode.Forbidden);
        await volunteer.GetAsync($"{Path}/{neighbour}/obligations", HttpStatusCode.Forbidden);
        await volunteer.PostAsync($"{Path}/{neighbour}/certificates", new { from = "2026-01-01", to = "2026-03-04" }, HttpStatusCode.Forbidden);
        await volunteer.GetAsync($"{Path}/{neighbour}/certificates/{certificate}/pdf", HttpStatusCode.Forbidden);
        await volunteer.GetAsync($"{Path}?under=321324104203", HttpStatusCode.Forbidden);
        using var neighboursLogin = Person(PracticeMeshRoles.Volunteer, "321324104203", volunteerId: neighbour);
        await neighboursLogin.GetAsync($"{Path}/me/certificates/{certificate}/pdf", HttpStatusCode.NotFound);
        Assert.Equal(2m, (await neighboursLogin.GetAsync<VolunteerClient.Ledger>($"{Path}/me/hours")).TotalHours);
    }

    [Fact]
    public async Task A_login_not_linked_to_a_volunteer_gets_404_saying_so_on_every_me_path()
    {
        using var resident = Person(PracticeMeshRoles.Resident, "321324104202");

        foreach (var path in new[] { "/me", "/me/hours", "/me/obligations", $"/me/certificates/{Guid.NewGuid()}/pdf" })
        {
            var problem = await resident.GetAsync(Path + path, HttpStatusCode.NotFound);
            Assert.Equal(SelfServiceApi.NotLinked, problem.GetProperty("detail").GetString());
        }
        var issue = await resident.PostAsync($"{Path}/me/certificates", new { from = "2026-01-01", to = "2026-03-01" }, HttpStatusCode.NotFound);
        Assert.Equal(SelfServiceApi.NotLinked, issue.GetProperty("detail").GetString());
    }
}
