using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;
using static PracticeMesh.Activities.Tests.Feed;

namespace PracticeMesh.Activities.Tests;

/// <summary>The service with sub-teams counted for their parent, and a team rule of 2 a year (both from configuration).</summary>
public sealed class SubTeamsCountedFactory : ActivitiesFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Activities:TeamCadenceCountsSubTeams", "true");
        builder.UseSetting("Activities:TeamActivitiesPerYear", "2");
    }
}

/// <summary>The service with a small attachment limit, so a test can go over it.</summary>
public sealed class SmallRecordsFactory : ActivitiesFactory
{
    public const int MaxBytes = 4096;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Activities:RecordMaxBytes", MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>Requests the shared assertions do not cover (PUT, PATCH, DELETE, any body), and the steps to a held activity.</summary>
internal static class Scheduling
{
    public static async Task<JsonElement> SendAsync(this HttpClient client, HttpMethod method, string path, HttpContent? content, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        if ((int)expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<JsonElement> SendJsonAsync(this HttpClient client, HttpMethod method, string path, object body, HttpStatusCode expected) =>
        client.SendAsync(method, path, JsonContent.Create(body, options: HttpAssertions.Json), expected);

    /// <summary>A team as the volunteers service announces it, with its parent team when it is a sub-team.</summary>
    public static async Task<Guid> TeamAsync(ServiceFactory<ActivitiesModule> factory, string station, Guid? parent, params Guid[] members)
    {
        var created = new TeamCreated(Guid.NewGuid(), factory.Clock.GetUtcNow(), DivisionCode.Parse(station), Guid.NewGuid(), parent is null ? "志愿服务队" : "分队",
            TeamTier.Team, TeamType.PartyVanguard, parent, station, null);
        await factory.Harness.Bus.Publish(created);
        await factory.ConsumedAsync<TeamCreated>(m => m.EventId == created.EventId);
        foreach (var member in members)
        {
            var joined = new TeamMemberJoined(Guid.NewGuid(), factory.Clock.GetUtcNow(), DivisionCode.Parse(station), created.TeamId, member);
            await factory.Harness.Bus.Publish(joined);
            await factory.ConsumedAsync<TeamMemberJoined>(m => m.EventId == joined.EventId);
        }
        return created.TeamId;
    }

    /// <summary>Moves the clock into the activity, records the volunteers there for its first hour, and completes it.</summary>
    public static async Task HoldAsync(ServiceFactory<ActivitiesModule> factory, HttpClient admin, Guid id, DateTimeOffset startsAt, int residents = 0,
        params Guid[] present)
    {
        factory.Clock.SetUtcNow(startsAt.AddMinutes(90));
        foreach (var volunteer in present)
        {
            await admin.PostAsync($"{Route}/{id}/check-ins", new { volunteerId = volunteer, at = startsAt, reason = "签到表" }, HttpStatusCode.OK);
            await admin.PostAsync($"{Route}/{id}/check-outs", new { volunteerId = volunteer, at = startsAt.AddHours(1), reason = "签退表" }, HttpStatusCode.OK);
        }
        await admin.PostAsync($"{Route}/{id}/complete", new { residentAttendees = residents }, HttpStatusCode.OK);
    }
}
