using System.Net;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Identity.Tests;

/// <summary>Dates outside the accepted window and text a database cannot store are 400s naming the field.</summary>
public sealed class InputValidationTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private const string Clients = "/api/v1/identity/clients";

    private static object Registration(string clientId, string? displayName = null, DateTimeOffset? secretExpiresAt = null) => new
    {
        clientId,
        displayName = displayName ?? "省志愿服务平台",
        scopes = new[] { ApiScopes.ActivitiesRead },
        division = "321324",
        rateLimitPerMinute = 60,
        secretExpiresAt,
    };

    [Fact]
    public async Task Dates_outside_the_accepted_window_are_refused()
    {
        using var admin = factory.CreateClient();
        var clientId = $"partner-{Guid.NewGuid():N}"[..24];

        HttpAssertions.AssertNamesInvalid(await admin.PostAsync(Clients,
            Registration(clientId, secretExpiresAt: new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero)), HttpStatusCode.BadRequest), "secretExpiresAt");
        await admin.GetAsync($"{Clients}/{clientId}", HttpStatusCode.NotFound);

        await admin.PostAsync(Clients, Registration(clientId), HttpStatusCode.Created);
        HttpAssertions.AssertNamesInvalid(await admin.PostAsync($"{Clients}/{clientId}/secrets",
            new { expiresAt = new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero) }, HttpStatusCode.BadRequest), "expiresAt");
        HttpAssertions.AssertNamesInvalid(await admin.GetAsync("/api/v1/audit?from=0001-01-01T00:00:00Z", HttpStatusCode.BadRequest), "from");
        HttpAssertions.AssertNamesInvalid(await admin.GetAsync("/api/v1/audit?to=9999-12-31T00:00:00Z", HttpStatusCode.BadRequest), "to");
    }

    [Fact]
    public async Task Text_with_a_nul_character_is_refused_in_queries_and_bodies()
    {
        using var admin = factory.CreateClient();
        var clientId = $"partner-{Guid.NewGuid():N}"[..24];

        HttpAssertions.AssertNamesInvalid(await admin.PostAsync(Clients, Registration(clientId, displayName: "省\u0000平台"), HttpStatusCode.BadRequest), "displayName");
        HttpAssertions.AssertNamesInvalid(await admin.GetAsync("/api/v1/audit?subject=%00", HttpStatusCode.BadRequest), "subject");
        await admin.GetAsync($"{Clients}/{clientId}", HttpStatusCode.NotFound);
    }
}
