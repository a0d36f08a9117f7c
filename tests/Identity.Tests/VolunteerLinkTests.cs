using System.Net;
using System.Net.Http.Json;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Identity.Tests;

/// <summary>A login is the volunteer record it is linked to: by the approval of a self-registration, or by an admin.</summary>
public sealed class VolunteerLinkTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private const string Password = "correct-horse-1";
    private const string Village = "321324104202";

    private static string NewUserName() => $"user.{Guid.NewGuid():N}"[..16];

    private async Task<(Guid Id, string UserName)> CreatePersonAsync(string role = PracticeMeshRoles.Resident, string division = Village)
    {
        using var admin = factory.CreateClient();
        var userName = NewUserName();
        var created = await admin.PostAsync("/api/v1/identity/people",
            new { userName, displayName = "李四", password = Password, role, division }, HttpStatusCode.Created);
        return (created.GetProperty("id").GetGuid(), userName);
    }

    private async Task<TokenClient.TokenAnswer> SignInAsync(string userName, string? scope = null)
    {
        using var anonymous = factory.CreateAnonymousClient();
        var token = await anonymous.PasswordAsync(userName, Password, scope);
        Assert.Equal(HttpStatusCode.OK, token.Status);
        return token;
    }

    private static string? VolunteerClaim(TokenClient.TokenAnswer token) =>
        token.Jwt.TryGetClaim(PracticeMeshClaims.VolunteerId, out var claim) ? claim.Value : null;

    private static VolunteerApproved Approved(Guid volunteerId, Guid? personId, DateTimeOffset at, string division = Village) =>
        new(Guid.CreateVersion7(), at, DivisionCode.Parse(division), volunteerId, "李四", personId);

    private static VolunteerSuspended Suspended(Guid volunteerId, DateTimeOffset at) =>
        new(Guid.CreateVersion7(), at, DivisionCode.Parse(Village), volunteerId, "不再参加活动");

    private static VolunteerReinstated Reinstated(Guid volunteerId, DateTimeOffset at) =>
        new(Guid.CreateVersion7(), at, DivisionCode.Parse(Village), volunteerId);

    private Task<AccessRevoked> RevokedAsync(Guid personId, string reason) =>
        factory.PublishedAsync<AccessRevoked>(r => r.Subject == personId.ToString() && r.Reason == reason);

    [Fact]
    public async Task A_resident_whose_registration_is_approved_becomes_that_volunteer_in_their_next_tokens()
    {
        var (personId, userName) = await CreatePersonAsync();
        using var anonymous = factory.CreateAnonymousClient();
        var before = await anonymous.PasswordAsync(userName, Password, "offline_access");
        Assert.Null(VolunteerClaim(before));
        Assert.DoesNotContain(ApiScopes.ActivitiesAttend, before.Scopes);

        var volunteerId = Guid.CreateVersion7();
        await factory.DeliverAsync([Approved(volunteerId, personId, factory.Clock.GetUtcNow())]);

        using var admin = factory.CreateClient();
        var person = await admin.GetAsync($"/api/v1/identity/people/{personId}", HttpStatusCode.OK);
        Assert.Equal(volunteerId, person.GetProperty("volunteerId").GetGuid());
        var revoked = await RevokedAsync(personId, "linked to a volunteer");
        Assert.Equal(Village, revoked.DivisionCode.Value);

        // Signed in again: the volunteer's id, and the volunteer's scopes besides the resident's (a resident who
        // volunteers signs up too).
        var after = await SignInAsync(userName);
        Assert.Equal(volunteerId.ToString(), VolunteerClaim(after));
        Assert.Equal(PracticeMeshRoles.Resident, after.Jwt.GetClaim(PracticeMeshClaims.Role).Value);
        Assert.Contains(ApiScopes.ActivitiesAttend, after.Scopes);
        Assert.Contains(ApiScopes.GridReport, after.Scopes);

        // A refresh reads the link too: the refresh token from before the link gives a token that carries it.
        var refreshed = await anonymous.RequestTokenAsync(("grant_type", "refresh_token"), ("refresh_token", before.Body.GetProperty("refresh_token").GetString()!));
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(volunteerId.ToString(), VolunteerClaim(refreshed));
        Assert.Contains(ApiScopes.ActivitiesAttend, refreshed.Scopes);
    }

    public static TheoryData<bool> Histories => new() { false, true };

    /// <summary>
    /// An approval, a suspension and a reinstatement, delivered in every order with the approval twice: the login ends
    /// linked, and its token carries the volunteer id exactly when the history ends reinstated.
    /// </summary>
    [Theory]
    [MemberData(nameof(Histories))]
    public async Task Approvals_suspensions_and_reinstatements_in_any_order_end_as_their_history(bool endsSuspended)
    {
        var start = factory.Clock.GetUtcNow().AddDays(-10);
        foreach (var order in EventOrders.Permutations([0, 1, 2]))
        {
            var (personId, userName) = await CreatePersonAsync(PracticeMeshRoles.Volunteer);
            var volunteerId = Guid.CreateVersion7();
            var approved = Approved(volunteerId, personId, start);
            // Suspended on day 2 and reinstated on day 3, or reinstated on day 2 (of an earlier suspension elsewhere) and suspended on day 3.
            IIntegrationEvent suspended = Suspended(volunteerId, start.AddDays(endsSuspended ? 3 : 2));
            IIntegrationEvent reinstated = Reinstated(volunteerId, start.AddDays(endsSuspended ? 2 : 3));
            IIntegrationEvent[] history = [approved, suspended, reinstated];
            await factory.DeliverAsync([.. order.Select(i => history[i]), approved]);

            var token = await SignInAsync(userName);
            Assert.Equal(endsSuspended ? null : volunteerId.ToString(), VolunteerClaim(token));
        }
    }

    [Fact]
    public async Task A_suspended_volunteers_login_loses_the_volunteer_id_and_its_earlier_tokens_until_reinstated()
    {
        var (personId, userName) = await CreatePersonAsync();
        var volunteerId = Guid.CreateVersion7();
        var now = factory.Clock.GetUtcNow();
        await factory.DeliverAsync([Approved(volunteerId, personId, now.AddDays(-1))]);
        Assert.Equal(volunteerId.ToString(), VolunteerClaim(await SignInAsync(userName)));

        await factory.DeliverAsync([Suspended(volunteerId, now.AddHours(-2))]);
        await RevokedAsync(personId, "volunteer suspended");
        var suspended = await SignInAsync(userName);
        Assert.Null(VolunteerClaim(suspended));
        Assert.DoesNotContain(ApiScopes.ActivitiesAttend, suspended.Scopes);

        await factory.DeliverAsync([Reinstated(volunteerId, now.AddHours(-1))]);
        var reinstated = await SignInAsync(userName);
        Assert.Equal(volunteerId.ToString(), VolunteerClaim(reinstated));
        Assert.Contains(ApiScopes.ActivitiesAttend, reinstated.Scopes);
    }

    [Fact]
    public async Task An_admin_who_covers_both_links_a_login_to_a_volunteer_and_unlinks_it_audited()
    {
        var volunteerId = Guid.CreateVersion7();
        var elsewhere = Guid.CreateVersion7();
        await factory.DeliverAsync([
            Approved(volunteerId, null, factory.Clock.GetUtcNow()),
            Approved(elsewhere, null, factory.Clock.GetUtcNow(), "321324105201"),
        ]);
        var (personId, userName) = await CreatePersonAsync(PracticeMeshRoles.Volunteer);
        var (otherId, _) = await CreatePersonAsync(PracticeMeshRoles.Volunteer);
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        using var otherTownship = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");

        // The person outside the caller's township, an unknown volunteer, a volunteer outside the scope: 404 alike.
        await PutAsync(otherTownship, $"/api/v1/identity/people/{personId}/volunteer", new { volunteerId }, HttpStatusCode.NotFound);
        await PutAsync(township, $"/api/v1/identity/people/{personId}/volunteer", new { volunteerId = Guid.CreateVersion7() }, HttpStatusCode.NotFound);
        await PutAsync(township, $"/api/v1/identity/people/{personId}/volunteer", new { volunteerId = elsewhere }, HttpStatusCode.NotFound);
        var missing = await PutAsync(township, $"/api/v1/identity/people/{personId}/volunteer", new { }, HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(missing, "volunteerId");

        var linked = await PutAsync(township, $"/api/v1/identity/people/{personId}/volunteer", new { volunteerId }, HttpStatusCode.OK);
        Assert.Equal(volunteerId, linked.GetProperty("volunteerId").GetGuid());
        Assert.Equal(volunteerId.ToString(), VolunteerClaim(await SignInAsync(userName)));
        await RevokedAsync(personId, "linked to a volunteer");
        await factory.PublishedAsync<AuditRecorded>(a => a.Action == $"PUT /api/v1/identity/people/{personId}/volunteer");

        // One login per volunteer: another person cannot hold the same record.
        await PutAsync(township, $"/api/v1/identity/people/{otherId}/volunteer", new { volunteerId }, HttpStatusCode.Conflict);

        using var unlink = await township.DeleteAsync($"/api/v1/identity/people/{personId}/volunteer");
        Assert.Equal(HttpStatusCode.OK, unlink.StatusCode);
        Assert.Null(VolunteerClaim(await SignInAsync(userName)));
        await RevokedAsync(personId, "unlinked from its volunteer");
        await factory.PublishedAsync<AuditRecorded>(a => a.Action == $"DELETE /api/v1/identity/people/{personId}/volunteer");

        // Free again: the other person may now be linked to it.
        await PutAsync(township, $"/api/v1/identity/people/{otherId}/volunteer", new { volunteerId }, HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(PracticeMeshRoles.Resident, "321324104")]
    [InlineData(PracticeMeshRoles.Volunteer, "321324")]
    [InlineData(PracticeMeshRoles.GridWorker, "321324104")]
    public async Task Residents_volunteers_and_grid_workers_live_in_a_village(string role, string division)
    {
        using var admin = factory.CreateClient();
        var problem = await admin.PostAsync("/api/v1/identity/people",
            new { userName = NewUserName(), displayName = "李四", password = Password, role, division }, HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(problem, "division");

        // Nor can a township-level person become one without moving to a village.
        var (teamLeaderId, _) = await CreatePersonAsync(PracticeMeshRoles.TeamLeader, "321324104");
        var changed = await PutAsync(admin, $"/api/v1/identity/people/{teamLeaderId}", new { role }, HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(changed, "division");
        await PutAsync(admin, $"/api/v1/identity/people/{teamLeaderId}", new { role, division = Village }, HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_admin_changes_a_persons_role_and_division_and_their_earlier_tokens_stop_working()
    {
        var (personId, userName) = await CreatePersonAsync(PracticeMeshRoles.TownshipAdmin, "321324104");
        var before = await SignInAsync(userName);
        using var asPerson = factory.CreateAnonymousClient().WithBearer(before);
        await asPerson.GetAsync("/api/v1/identity/people", HttpStatusCode.OK);

        using var admin = factory.CreateClient();
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        // The same rules as creating: not out of the caller's township, not to county admin but by a county admin.
        await PutAsync(township, $"/api/v1/identity/people/{personId}", new { division = "321324105" }, HttpStatusCode.Forbidden);
        await PutAsync(township, $"/api/v1/identity/people/{personId}", new { role = PracticeMeshRoles.CountyAdmin, division = "321324" }, HttpStatusCode.Forbidden);
        await PutAsync(township, $"/api/v1/identity/people/{Guid.CreateVersion7()}", new { displayName = "王五" }, HttpStatusCode.NotFound);

        var changed = await PutAsync(admin, $"/api/v1/identity/people/{personId}",
            new { role = PracticeMeshRoles.StationAdmin, division = "321324105201", displayName = "双沟村站长" }, HttpStatusCode.OK);
        Assert.Equal(PracticeMeshRoles.StationAdmin, changed.GetProperty("role").GetString());
        Assert.Equal("321324105201", changed.GetProperty("division").GetString());
        Assert.Equal("双沟村站长", changed.GetProperty("displayName").GetString());
        var revoked = await RevokedAsync(personId, "role or division changed");
        Assert.Equal("321324104", revoked.DivisionCode.Value);

        // The token issued before the change no longer counts here (and, through the event, in every service).
        await HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await asPerson.GetAsync("/api/v1/identity/people");
            return response.StatusCode == HttpStatusCode.Unauthorized ? "refused" : null;
        }, "the earlier token to be refused");

        // A token issued afterwards says what holds now (a token's iat is in whole seconds, so a second later).
        factory.Clock.Advance(TimeSpan.FromSeconds(2));
        var after = await SignInAsync(userName);
        Assert.Equal(PracticeMeshRoles.StationAdmin, after.Jwt.GetClaim(PracticeMeshClaims.Role).Value);
        Assert.Equal("321324105201", after.Jwt.GetClaim(PracticeMeshClaims.Division).Value);
        using var response = await factory.CreateAnonymousClient().WithBearer(after).GetAsync("/api/v1/identity/people");
        // A station admin is no people admin: authenticated (not 401), but forbidden.
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_deactivated_persons_earlier_token_is_refused_and_the_change_published()
    {
        var (personId, userName) = await CreatePersonAsync(PracticeMeshRoles.TownshipAdmin, "321324104");
        using var asPerson = factory.CreateAnonymousClient().WithBearer(await SignInAsync(userName));
        await asPerson.GetAsync("/api/v1/identity/people", HttpStatusCode.OK);

        using var admin = factory.CreateClient();
        await admin.PostAsync($"/api/v1/identity/people/{personId}/deactivate", null, HttpStatusCode.OK);

        var revoked = await RevokedAsync(personId, "deactivated");
        Assert.Equal(personId.ToString(), revoked.Subject);
        await HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await asPerson.GetAsync("/api/v1/identity/people");
            return response.StatusCode == HttpStatusCode.Unauthorized ? "refused" : null;
        }, "the deactivated person's token to be refused");
    }

    private static async Task<System.Text.Json.JsonElement> PutAsync(HttpClient client, string path, object body, HttpStatusCode expected)
    {
        using var response = await client.PutAsJsonAsync(path, body, HttpAssertions.Json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"PUT {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        if ((int)expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        return text.Length == 0 ? default : System.Text.Json.JsonDocument.Parse(text).RootElement.Clone();
    }
}
