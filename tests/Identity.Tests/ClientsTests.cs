using System.Net;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Identity.Tests;

/// <summary>Partner registration and secret rotation without downtime.</summary>
public sealed class ClientsTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private static string NewClientId() => $"partner-{Guid.NewGuid():N}"[..20];

    private static object Registration(string clientId, string division = "321324", int rateLimit = 60) => new
    {
        clientId,
        displayName = "省志愿服务平台",
        scopes = new[] { ApiScopes.ActivitiesRead, ApiScopes.StationsRead },
        division,
        rateLimitPerMinute = rateLimit,
    };

    [Fact]
    public async Task A_registered_client_gets_a_secret_once_and_tokens_with_its_scopes_and_rate_limit()
    {
        using var admin = factory.CreateClient();
        var clientId = NewClientId();
        var registered = await admin.PostAsync("/api/v1/identity/clients", Registration(clientId, "321324104", 30), HttpStatusCode.Created);
        var secret = registered.GetProperty("secret").GetProperty("secret").GetString()!;
        Assert.True(secret.Length >= 40);

        var shown = await admin.GetAsync($"/api/v1/identity/clients/{clientId}", HttpStatusCode.OK);
        Assert.DoesNotContain(secret, shown.ToString());
        Assert.Single(shown.GetProperty("secrets").EnumerateArray());

        using var anonymous = factory.CreateAnonymousClient();
        var token = await anonymous.ClientCredentialsAsync(clientId, secret);
        Assert.Equal(HttpStatusCode.OK, token.Status);
        Assert.Equal([ApiScopes.ActivitiesRead, ApiScopes.StationsRead], token.Scopes.Order());
        Assert.Equal("321324104", token.Jwt.GetClaim(PracticeMeshClaims.Division).Value);
        Assert.Equal(30, token.Jwt.GetPayloadValue<int>("rate_limit"));
    }

    [Fact]
    public async Task Rotation_keeps_the_old_secret_working_until_it_is_deleted()
    {
        using var admin = factory.CreateClient();
        using var anonymous = factory.CreateAnonymousClient();
        var clientId = NewClientId();
        var registered = await admin.PostAsync("/api/v1/identity/clients", Registration(clientId), HttpStatusCode.Created);
        var oldId = registered.GetProperty("secret").GetProperty("id").GetGuid();
        var oldSecret = registered.GetProperty("secret").GetProperty("secret").GetString()!;

        var added = await admin.PostAsync($"/api/v1/identity/clients/{clientId}/secrets", new { }, HttpStatusCode.Created);
        var newSecret = added.GetProperty("secret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.ClientCredentialsAsync(clientId, oldSecret)).Status);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.ClientCredentialsAsync(clientId, newSecret)).Status);

        using (var response = await admin.DeleteAsync($"/api/v1/identity/clients/{clientId}/secrets/{oldId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        var refused = await anonymous.ClientCredentialsAsync(clientId, oldSecret);
        Assert.Equal("invalid_client", refused.Error);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.ClientCredentialsAsync(clientId, newSecret)).Status);

        // The last secret stays: removing it would lock the partner out.
        var newId = added.GetProperty("id").GetGuid();
        using var last = await admin.DeleteAsync($"/api/v1/identity/clients/{clientId}/secrets/{newId}");
        Assert.Equal(HttpStatusCode.Conflict, last.StatusCode);
    }

    [Fact]
    public async Task An_expired_secret_no_longer_works()
    {
        using var admin = factory.CreateClient();
        using var anonymous = factory.CreateAnonymousClient();
        var clientId = NewClientId();
        await admin.PostAsync("/api/v1/identity/clients", Registration(clientId), HttpStatusCode.Created);
        var expiresAt = factory.Clock.GetUtcNow().AddMinutes(5);
        var shortLived = await admin.PostAsync($"/api/v1/identity/clients/{clientId}/secrets", new { expiresAt }, HttpStatusCode.Created);
        var secret = shortLived.GetProperty("secret").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await anonymous.ClientCredentialsAsync(clientId, secret)).Status);

        // Only the secret check reads the test clock here; tokens are stamped by it too, so keep the jump small.
        factory.Clock.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal("invalid_client", (await anonymous.ClientCredentialsAsync(clientId, secret)).Error);
    }

    [Fact]
    public async Task Bad_registrations_are_refused_with_field_names()
    {
        using var admin = factory.CreateClient();
        var problem = await admin.PostAsync("/api/v1/identity/clients", new { clientId = "x", scopes = new[] { "root" }, division = "abc" }, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "clientId", "displayName", "scopes", "division", "rateLimitPerMinute" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
    }

    [Fact]
    public async Task A_duplicate_client_id_is_a_conflict()
    {
        using var admin = factory.CreateClient();
        var clientId = NewClientId();
        await admin.PostAsync("/api/v1/identity/clients", Registration(clientId), HttpStatusCode.Created);
        await admin.PostAsync("/api/v1/identity/clients", Registration(clientId), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Only_county_admins_register_clients_and_only_within_their_county()
    {
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        await township.PostAsync("/api/v1/identity/clients", Registration(NewClientId(), "321324104"), HttpStatusCode.Forbidden);

        using var admin = factory.CreateClient();
        await admin.PostAsync("/api/v1/identity/clients", Registration(NewClientId(), "32"), HttpStatusCode.Forbidden);

        using var otherCounty = factory.CreateClient(PracticeMeshRoles.CountyAdmin, "321323");
        await otherCounty.GetAsync("/api/v1/identity/clients/demo-partner", HttpStatusCode.NotFound);
        await otherCounty.PostAsync("/api/v1/identity/clients/demo-partner/secrets", new { }, HttpStatusCode.NotFound);

        using var anonymous = factory.CreateAnonymousClient();
        using var response = await anonymous.GetAsync("/api/v1/identity/clients");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
