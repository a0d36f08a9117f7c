using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.Open311;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using static PracticeMesh.Grid.Tests.Open311Client;

namespace PracticeMesh.Grid.Tests;

/// <summary>Partners' Open311 keys: issued by a county admin, shown once, kept as a hash, revocable.</summary>
public sealed class Open311KeysTests(GridFactory factory) : IClassFixture<GridFactory>
{
    private const string Path = "/api/v1/grid/open311/keys";

    [Fact]
    public async Task A_key_is_shown_once_kept_as_its_hash_and_listed_without_it()
    {
        using var admin = factory.CreateClient();

        var created = await admin.PostAsync(Path, new { clientId = "city-management", name = "数字城管平台", division = "321324" }, HttpStatusCode.Created);
        var listed = await admin.GetAsync(Path, HttpStatusCode.OK);

        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetGuid();
        Assert.True(key.Length > 60, key);
        var entry = Assert.Single(listed.EnumerateArray(), k => k.GetProperty("id").GetGuid() == id);
        Assert.Equal(("city-management", "数字城管平台", "321324"),
            (entry.GetProperty("clientId").GetString(), entry.GetProperty("name").GetString(), entry.GetProperty("division").GetString()));
        Assert.False(entry.TryGetProperty("key", out _));
        Assert.DoesNotContain(key, listed.GetRawText());
        await using var scope = factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<GridDbContext>().Set<Open311ApiKey>().AsNoTracking().SingleAsync(k => k.Id == id);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(key)), stored.Hash);
        await factory.PublishedAsync<AuditRecorded>(a => a.Action == $"POST {Path}");
    }

    [Fact]
    public async Task A_revoked_key_is_refused_with_403_in_the_spec_format_and_nothing_is_written()
    {
        using var admin = factory.CreateClient();
        var key = await IssueKeyAsync(factory, clientId: "revoked-app");
        var id = Guid.ParseExact(key[..32], "N");
        using var client = factory.CreateAnonymousClient();
        var first = await PostFormAsync(client, $"{Base}/requests.json", Request(key));
        Assert.Equal(HttpStatusCode.OK, first.Status);

        using var revoke = await admin.DeleteAsync($"{Path}/{id}");
        var before = await CountCasesAsync(factory);
        var refused = await PostFormAsync(client, $"{Base}/requests.json", Request(key));
        var refusedXml = await PostFormAsync(client, $"{Base}/requests.xml", Request(key));

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        AssertJsonErrors(refused, HttpStatusCode.Forbidden, "revoked");
        AssertXmlErrors(refusedXml, HttpStatusCode.Forbidden, "revoked");
        Assert.Equal(before, await CountCasesAsync(factory));
        var listed = await admin.GetAsync(Path, HttpStatusCode.OK);
        Assert.Contains(listed.EnumerateArray(), k => k.GetProperty("id").GetGuid() == id && k.GetProperty("revokedAt").ValueKind == System.Text.Json.JsonValueKind.String);
        using var again = await admin.DeleteAsync($"{Path}/{id}");
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
    }

    [Fact]
    public async Task Only_a_county_admin_with_grid_write_issues_lists_and_revokes_keys()
    {
        var key = await IssueKeyAsync(factory, clientId: "guarded");
        var id = Guid.ParseExact(key[..32], "N");
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        using var withoutScope = factory.CreateClient(PracticeMeshRoles.CountyAdmin, "321324", [ApiScopes.GridRead]);
        using var partner = factory.CreateClient(PracticeMeshRoles.Partner, "321324", [ApiScopes.GridWrite]);
        using var anonymous = factory.CreateAnonymousClient();
        var body = new { clientId = "sneaky", name = "Sneaky", division = "321324104" };

        foreach (var client in new[] { township, withoutScope, partner })
        {
            await client.PostAsync(Path, body, HttpStatusCode.Forbidden);
            await client.GetAsync(Path, HttpStatusCode.Forbidden);
            using var revoke = await client.DeleteAsync($"{Path}/{id}");
            Assert.Equal(HttpStatusCode.Forbidden, revoke.StatusCode);
        }
        await anonymous.PostAsync(Path, body, HttpStatusCode.Unauthorized);

        using var admin = factory.CreateClient();
        var listed = await admin.GetAsync(Path, HttpStatusCode.OK);
        Assert.DoesNotContain(listed.EnumerateArray(), k => k.GetProperty("clientId").GetString() == "sneaky");
        Assert.Equal(HttpStatusCode.OK, (await PostFormAsync(anonymous, $"{Base}/requests.json", Request(key))).Status);
    }

    [Fact]
    public async Task A_key_outside_the_admins_county_is_403_and_bad_fields_are_400()
    {
        using var admin = factory.CreateClient();

        await admin.PostAsync(Path, new { clientId = "elsewhere", name = "Other county", division = "320100" }, HttpStatusCode.Forbidden);
        var bad = await admin.PostAsync(Path, new { clientId = "", name = "", division = "32x" }, HttpStatusCode.BadRequest);
        using var unknown = await admin.DeleteAsync($"{Path}/{Guid.NewGuid()}");

        HttpAssertions.AssertNamesInvalid(bad, "clientId");
        HttpAssertions.AssertNamesInvalid(bad, "name");
        HttpAssertions.AssertNamesInvalid(bad, "division");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var listed = await admin.GetAsync(Path, HttpStatusCode.OK);
        Assert.DoesNotContain(listed.EnumerateArray(), k => k.GetProperty("clientId").GetString() is "elsewhere" or "");
    }
}
