using System.Net;
using PracticeMesh.Activities;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Dapr.Tests;

/// <summary>Runs an activity from draft to completion over the API, as the activities tests do.</summary>
internal static class CompletedActivities
{
    private const string Path = "/api/v1/activities";
    private static int stations;

    /// <summary>An activity completed with one volunteer present; returns the <see cref="ActivityCompleted"/> it published on the bus.</summary>
    public static async Task<ActivityCompleted> CompleteOneAsync(ServiceFactory<ActivitiesModule> factory)
    {
        // A station of its own per call: the tests of a class share the service.
        var station = $"321324104{200 + Interlocked.Increment(ref stations)}";
        var registered = new StationRegistered(Guid.NewGuid(), factory.Clock.GetUtcNow(), DivisionCode.Parse(station), Guid.NewGuid(), station,
            "实践站", StationKind.Village, station[..9]);
        await factory.Harness.Bus.Publish(registered);
        await factory.ConsumedAsync<StationRegistered>(m => m.EventId == registered.EventId);
        var approved = new VolunteerApproved(Guid.NewGuid(), factory.Clock.GetUtcNow(), DivisionCode.Parse(station), Guid.NewGuid(), "王芳");
        await factory.Harness.Bus.Publish(approved);
        await factory.ConsumedAsync<VolunteerApproved>(m => m.EventId == approved.EventId);

        using var admin = factory.CreateClient();
        var startsAt = factory.Clock.GetUtcNow().AddHours(1);
        var endsAt = startsAt.AddHours(2);
        var id = (await admin.PostAsync(Path, new
        {
            stationCode = station, title = "学雷锋志愿服务", category = "ConvenienceService", startsAt, endsAt, capacity = 5,
        }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await admin.PostAsync($"{Path}/{id}/publish", null, HttpStatusCode.OK);
        await admin.PostAsync($"{Path}/{id}/sign-ups", new { volunteerId = approved.VolunteerId }, HttpStatusCode.OK);
        factory.Clock.SetUtcNow(startsAt.AddMinutes(5));
        await admin.PostAsync($"{Path}/{id}/check-ins", new { reason = "补录: 手机没电", volunteerId = approved.VolunteerId }, HttpStatusCode.OK);
        factory.Clock.SetUtcNow(endsAt.AddMinutes(5));
        await admin.PostAsync($"{Path}/{id}/check-outs", new { reason = "补录: 手机没电", volunteerId = approved.VolunteerId }, HttpStatusCode.OK);
        await admin.PostAsync($"{Path}/{id}/complete", null, HttpStatusCode.OK);
        return await factory.PublishedAsync<ActivityCompleted>(m => m.ActivityId == id);
    }
}
