using System.Net;
using System.Net.Http.Json;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Stations.Tests;

/// <summary>Tokens and division scopes: who reaches which part of the county.</summary>
public sealed class AuthorizationTests(StationsFactory factory) : IClassFixture<StationsFactory>, IAsyncLifetime
{
    private const string Path = "/api/v1/stations";

    public async Task InitializeAsync()
    {
        using var county = factory.CreateClient();
        foreach (var (code, kind) in new[]
                 {
                     ("321324", "CountyCentre"), ("321324104", "Institute"), ("321324104201", "Village"),
                     ("321324105", "Institute"), ("321324105201", "Village"),
                 })
        {
            // Runs before every test of the class; the tree is registered by the first.
            using var response = await county.PostAsJsonAsync(Path, new { code, name = $"site {code}", kind }, HttpAssertions.Json);
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string> BadTokens => new()
    {
        { "no token", "" },
        { "expired", TestTokens.Create(PracticeMeshRoles.CountyAdmin, "321324", lifetime: TimeSpan.FromMinutes(-10)) },
        { "forged", TestTokens.Create(PracticeMeshRoles.CountyAdmin, "321324", key: TestTokens.ForgeryKey) },
        { "wrong audience", TestTokens.Create(PracticeMeshRoles.CountyAdmin, "321324", audience: "another-api") },
        { "wrong issuer", TestTokens.Create(PracticeMeshRoles.CountyAdmin, "321324", issuer: "https://evil.example/") },
        { "malformed", "not.a.jwt" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_missing_or_bad_token_is_refused_with_401_and_nothing_is_written(string what, string token)
    {
        using var client = factory.CreateAnonymousClient();
        if (token.Length > 0)
        {
            client.WithToken(token);
        }

        using var read = await client.GetAsync($"{Path}/321324");
        using var write = await client.PostAsJsonAsync(Path, new { code = "321324106", name = "x", kind = "Institute" });

        Assert.True(read.StatusCode == HttpStatusCode.Unauthorized, $"{what}: read gave {(int)read.StatusCode}");
        Assert.True(write.StatusCode == HttpStatusCode.Unauthorized, $"{what}: write gave {(int)write.StatusCode}");
        using var county = factory.CreateClient();
        await county.GetAsync($"{Path}/321324106", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_township_admin_reaches_only_their_township()
    {
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");

        await township.GetAsync($"{Path}/321324104201", HttpStatusCode.OK);
        // The neighbouring township exists, but not for this caller.
        await township.GetAsync($"{Path}/321324105201", HttpStatusCode.NotFound);
        await township.GetAsync($"{Path}/321324105/children", HttpStatusCode.NotFound);
        var whole = await township.GetAsync<List<StationDto>>($"{Path}?under=321324");
        Assert.All(whole, s => Assert.StartsWith("321324104", s.Code));
        Assert.Equal(["321324104", "321324104201"], whole.Select(s => s.Code));
        Assert.Empty(await township.GetAsync<List<StationDto>>($"{Path}?under=321324105"));

        await township.PostAsync(Path, new { code = "321324105202", name = "not theirs", kind = "Village" }, HttpStatusCode.Forbidden);
        await township.PostAsync(Path, new { code = "321324104202", name = "theirs", kind = "Village" }, HttpStatusCode.Created);
        using var county = factory.CreateClient();
        await county.GetAsync($"{Path}/321324105202", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_token_without_the_write_scope_cannot_register()
    {
        using var volunteer = factory.CreateClient(PracticeMeshRoles.Volunteer, "321324104201");

        await volunteer.GetAsync($"{Path}/321324104201", HttpStatusCode.OK);
        await volunteer.PostAsync(Path, new { code = "321324104203", name = "x", kind = "Village" }, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_admin_write_is_audited_with_who_and_what()
    {
        using var admin = factory.CreateClient().WithToken(
            TestTokens.Create(PracticeMeshRoles.TownshipAdmin, "321324104", subject: "township-admin-7"));

        await admin.PostAsync(Path, new { code = "321324104209", name = "audited", kind = "Village" }, HttpStatusCode.Created);

        var audit = await factory.PublishedAsync<AuditRecorded>(a => a.SubjectId == "township-admin-7");
        Assert.Equal("stations", audit.Service);
        Assert.Equal("POST /api/v1/stations", audit.Action);
        Assert.Equal(PracticeMeshRoles.TownshipAdmin, audit.Role);
        Assert.Equal("321324104", audit.DivisionCode.Value);
    }

    private sealed record StationDto(string Code);
}
