using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PracticeMesh.Identity.Data;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Identity.Tests;

/// <summary>The people API and its division-scope rules.</summary>
public sealed class PeopleTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private static string NewUserName() => $"user.{Guid.NewGuid():N}"[..16];

    private static object Person(string userName, string role = PracticeMeshRoles.Volunteer, string division = "321324104202") =>
        new { userName, displayName = "张三", password = "correct-horse-1", role, division };

    [Fact]
    public async Task A_county_admin_creates_a_person_who_can_then_sign_in()
    {
        using var admin = factory.CreateClient();
        var userName = NewUserName();
        var created = await admin.PostAsync("/api/v1/identity/people", Person(userName, PracticeMeshRoles.StationAdmin, "321324105201"), HttpStatusCode.Created);
        Assert.Equal(userName, created.GetProperty("userName").GetString());
        Assert.False(created.TryGetProperty("passwordHash", out _));
        var id = created.GetProperty("id").GetGuid();

        var fetched = await admin.GetAsync($"/api/v1/identity/people/{id}", HttpStatusCode.OK);
        Assert.Equal(PracticeMeshRoles.StationAdmin, fetched.GetProperty("role").GetString());

        using var anonymous = factory.CreateAnonymousClient();
        var token = await anonymous.PasswordAsync(userName.ToUpperInvariant(), "correct-horse-1");
        Assert.Equal(HttpStatusCode.OK, token.Status);
        Assert.Equal(id.ToString(), token.Jwt.Subject);
        Assert.Equal("321324105201", token.Jwt.GetClaim(PracticeMeshClaims.Division).Value);
    }

    [Fact]
    public async Task A_township_admin_manages_people_only_within_the_township()
    {
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        await township.PostAsync("/api/v1/identity/people", Person(NewUserName(), division: "321324104202"), HttpStatusCode.Created);
        await township.PostAsync("/api/v1/identity/people", Person(NewUserName(), division: "321324105201"), HttpStatusCode.Forbidden);
        await township.PostAsync("/api/v1/identity/people", Person(NewUserName(), PracticeMeshRoles.CountyAdmin, "321324104"), HttpStatusCode.Forbidden);

        using var admin = factory.CreateClient();
        var outside = await admin.PostAsync("/api/v1/identity/people", Person(NewUserName(), division: "321324105201"), HttpStatusCode.Created);
        await township.GetAsync($"/api/v1/identity/people/{outside.GetProperty("id").GetGuid()}", HttpStatusCode.NotFound);

        var listed = await township.GetAsync("/api/v1/identity/people?under=321324", HttpStatusCode.OK);
        Assert.All(listed.EnumerateArray(), p => Assert.StartsWith("321324104", p.GetProperty("division").GetString()));
        Assert.Contains(listed.EnumerateArray(), p => p.GetProperty("userName").GetString() == "volunteer");
        var empty = await township.GetAsync("/api/v1/identity/people?under=321324105", HttpStatusCode.OK);
        Assert.Empty(empty.EnumerateArray());
    }

    [Fact]
    public async Task Only_admins_reach_the_people_api()
    {
        using var volunteer = factory.CreateClient(PracticeMeshRoles.Volunteer, "321324104202");
        await volunteer.PostAsync("/api/v1/identity/people", Person(NewUserName()), HttpStatusCode.Forbidden);
        using var stationAdmin = factory.CreateClient(PracticeMeshRoles.StationAdmin, "321324104201");
        await stationAdmin.GetAsync("/api/v1/identity/people", HttpStatusCode.Forbidden);
        using var anonymous = factory.CreateAnonymousClient();
        using var response = await anonymous.GetAsync("/api/v1/identity/people");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Missing_fields_are_named_in_the_400()
    {
        using var admin = factory.CreateClient();
        var problem = await admin.PostAsync("/api/v1/identity/people", new { }, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "userName", "displayName", "password", "role", "division" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
        var partner = await admin.PostAsync("/api/v1/identity/people", Person(NewUserName(), PracticeMeshRoles.Partner), HttpStatusCode.BadRequest);
        Assert.True(partner.GetProperty("errors").TryGetProperty("role", out _));
    }

    [Fact]
    public async Task A_taken_user_name_is_a_conflict_whatever_its_case()
    {
        using var admin = factory.CreateClient();
        var userName = NewUserName();
        await admin.PostAsync("/api/v1/identity/people", Person(userName), HttpStatusCode.Created);
        await admin.PostAsync("/api/v1/identity/people", Person(userName.ToUpperInvariant()), HttpStatusCode.Conflict);
        await admin.PostAsync("/api/v1/identity/people", Person("county.admin"), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_deactivated_person_can_no_longer_sign_in()
    {
        using var admin = factory.CreateClient();
        var userName = NewUserName();
        var created = await admin.PostAsync("/api/v1/identity/people", Person(userName), HttpStatusCode.Created);
        using var anonymous = factory.CreateAnonymousClient();
        var before = await anonymous.PasswordAsync(userName, "correct-horse-1", "offline_access");
        Assert.Equal(HttpStatusCode.OK, before.Status);

        await admin.PostAsync($"/api/v1/identity/people/{created.GetProperty("id").GetGuid()}/deactivate", null, HttpStatusCode.OK);

        Assert.Equal("invalid_grant", (await anonymous.PasswordAsync(userName, "correct-horse-1")).Error);
        var refresh = await anonymous.RequestTokenAsync(("grant_type", "refresh_token"), ("refresh_token", before.Body.GetProperty("refresh_token").GetString()!));
        Assert.Equal("invalid_grant", refresh.Error);
    }

    [Fact]
    public async Task Seeding_the_demo_accounts_again_changes_nothing()
    {
        var seeder = factory.Services.GetServices<IHostedService>().Single(s => s.GetType().Name == "DemoSeeder");
        await seeder.StartAsync(CancellationToken.None);

        using var admin = factory.CreateClient();
        var people = await admin.GetAsync("/api/v1/identity/people", HttpStatusCode.OK);
        foreach (var (userName, _, _, _) in DemoAccounts.People)
        {
            Assert.Single(people.EnumerateArray(), p => p.GetProperty("userName").GetString() == userName);
        }
        var clients = await admin.GetAsync("/api/v1/identity/clients", HttpStatusCode.OK);
        var partner = Assert.Single(clients.EnumerateArray(), c => c.GetProperty("clientId").GetString() == DemoAccounts.PartnerClientId);
        Assert.Single(partner.GetProperty("secrets").EnumerateArray());
    }
}
