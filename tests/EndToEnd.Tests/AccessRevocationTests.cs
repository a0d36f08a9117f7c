using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PracticeMesh.TestSupport;

namespace PracticeMesh.EndToEnd.Tests;

/// <summary>
/// A change to a person takes effect within seconds in every service: a deactivated person's token, or the token of a
/// person whose role changed, is refused by stations and activities alike, and a deactivated person's refresh is refused.
/// </summary>
public static class AccessRevocationScenario
{
    private const string Password = "Revocation-test-1";

    public sealed record Person(Guid Id, string UserName);

    public sealed record Tokens(string AccessToken, string RefreshToken);

    public static async Task<Person> CreateStationAdminAsync(HttpClient admin, string station)
    {
        var userName = $"revoke.{Guid.NewGuid():N}"[..20];
        var created = await admin.PostAsync("/api/v1/identity/people",
            new { userName, displayName = "实践站管理员", password = Password, role = "station_admin", division = station }, HttpStatusCode.Created);
        return new Person(created.GetProperty("id").GetGuid(), userName);
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> TokenAsync(HttpClient anonymous, params (string Key, string Value)[] form)
    {
        using var response = await anonymous.PostAsync("/connect/token", new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"the token endpoint answered {(int)response.StatusCode}: {text}");
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public static async Task<Tokens> SignInAsync(HttpClient anonymous, Person person)
    {
        var (status, body) = await TokenAsync(anonymous, ("grant_type", "password"), ("username", person.UserName), ("password", Password), ("scope", "offline_access"));
        Assert.Equal(HttpStatusCode.OK, status);
        return new Tokens(body.GetProperty("access_token").GetString()!, body.GetProperty("refresh_token").GetString()!);
    }

    /// <summary>A read in stations and one in activities, with <paramref name="accessToken"/>.</summary>
    public static async Task<(HttpStatusCode Stations, HttpStatusCode Activities)> ReadBothAsync(Func<HttpClient> newClient, string accessToken, string station)
    {
        using var client = newClient().WithToken(accessToken);
        using var stations = await client.GetAsync("/api/v1/stations?under=321324");
        using var activities = await client.GetAsync($"/api/v1/activities?under={station}");
        return (stations.StatusCode, activities.StatusCode);
    }

    public static Task BothRefuseAsync(Func<HttpClient> newClient, string accessToken, string station, string what) =>
        HttpAssertions.EventuallyAsync(async () =>
        {
            var (stations, activities) = await ReadBothAsync(newClient, accessToken, station);
            return stations == HttpStatusCode.Unauthorized && activities == HttpStatusCode.Unauthorized ? "refused" : null;
        }, what, TimeSpan.FromSeconds(30));

    /// <summary>The whole story for a deactivation, on any platform.</summary>
    public static async Task DeactivationAsync(Func<HttpClient> newClient, HttpClient admin, string station)
    {
        var person = await CreateStationAdminAsync(admin, station);
        using var anonymous = newClient();
        var tokens = await SignInAsync(anonymous, person);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), await ReadBothAsync(newClient, tokens.AccessToken, station));

        await admin.PostAsync($"/api/v1/identity/people/{person.Id}/deactivate", null, HttpStatusCode.OK);

        await BothRefuseAsync(newClient, tokens.AccessToken, station, "stations and activities to refuse the deactivated person's token");
        var (status, body) = await TokenAsync(anonymous, ("grant_type", "refresh_token"), ("refresh_token", tokens.RefreshToken));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }
}

[Collection(EndToEndCollection.Name)]
public class DistributedAccessRevocationTests(DistributedPlatform platform)
{
    [Fact]
    public async Task A_deactivated_persons_token_is_refused_by_every_service_within_seconds_and_refresh_is_refused()
    {
        using var admin = await platform.SignInAsync("county.admin");
        await AccessRevocationScenario.DeactivationAsync(platform.CreateClient, admin, "321324104201");
    }

    [Fact]
    public async Task After_a_role_change_the_earlier_token_is_refused_everywhere_and_a_new_one_carries_the_new_role()
    {
        using var admin = await platform.SignInAsync("county.admin");
        const string station = "321324104201";
        var person = await AccessRevocationScenario.CreateStationAdminAsync(admin, station);
        using var anonymous = platform.CreateClient();
        var before = await AccessRevocationScenario.SignInAsync(anonymous, person);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), await AccessRevocationScenario.ReadBothAsync(platform.CreateClient, before.AccessToken, station));

        await PutAsync(admin, $"/api/v1/identity/people/{person.Id}", new { role = "resident" });

        await AccessRevocationScenario.BothRefuseAsync(platform.CreateClient, before.AccessToken, station, "the token from before the role change to be refused");
        // A token issued after the change (iat counts in whole seconds, so perhaps a moment later) works, as a resident.
        await HttpAssertions.EventuallyAsync(async () =>
        {
            var after = await AccessRevocationScenario.SignInAsync(anonymous, person);
            var role = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(after.AccessToken).GetClaim("role").Value;
            Assert.Equal("resident", role);
            var reads = await AccessRevocationScenario.ReadBothAsync(platform.CreateClient, after.AccessToken, station);
            return reads == (HttpStatusCode.OK, HttpStatusCode.OK) ? "accepted" : null;
        }, "a token issued after the change to be accepted");
    }

    private static async Task PutAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PutAsJsonAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

/// <summary>The same in the standalone host: several modules in one process, the in-memory bus.</summary>
public class StandaloneAccessRevocationTests(StandalonePlatform platform) : IClassFixture<StandalonePlatform>
{
    [Fact]
    public async Task A_deactivated_persons_token_is_refused_by_every_module_within_seconds_and_refresh_is_refused()
    {
        using var admin = await platform.SignInAsync("county.admin");
        await AccessRevocationScenario.DeactivationAsync(platform.CreateClient, admin, "321324104201");
    }
}

/// <summary>The README's demo: the <c>volunteer</c> login is the demo volunteer 王芳 of 王集村, and the resident lives there.</summary>
public class StandaloneDemoPeopleTests(DemoStandalonePlatform platform) : IClassFixture<DemoStandalonePlatform>
{
    [Fact]
    public async Task The_demo_volunteer_login_carries_the_demo_volunteers_id_and_the_resident_lives_in_the_village()
    {
        using var anonymous = platform.CreateClient();
        // The demo county loads after start-up; identity links the login once it hears of her approval.
        var volunteerId = await HttpAssertions.EventuallyAsync(async () =>
        {
            var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(await PlatformTokens.PasswordAsync(anonymous, "volunteer", PlatformTokens.DemoPassword));
            return token.TryGetClaim("volunteer_id", out var claim) ? claim.Value : null;
        }, "the demo volunteer login to be linked", TimeSpan.FromSeconds(90));

        using var admin = await platform.SignInAsync("county.admin");
        var volunteer = await admin.GetAsync($"/api/v1/volunteers/{volunteerId}", HttpStatusCode.OK);
        Assert.Equal("王芳", volunteer.GetProperty("name").GetString());
        Assert.Equal("321324104202", volunteer.GetProperty("homeStationCode").GetString());

        var resident = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(await PlatformTokens.PasswordAsync(anonymous, "resident", PlatformTokens.DemoPassword));
        Assert.Equal("321324104202", resident.GetClaim("division").Value);
        Assert.False(resident.TryGetClaim("volunteer_id", out _));
    }
}
