using PracticeMesh.Activities;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Dapr;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Dapr.Tests;

/// <summary>With Dapr on, a completed activity also reaches the Dapr pub/sub component, as a CloudEvent partners can deduplicate.</summary>
public sealed class ActivityCompletedToDaprTests(ActivitiesWithDapr factory) : IClassFixture<ActivitiesWithDapr>
{
    [Fact]
    public async Task Completing_an_activity_publishes_one_CloudEvent_whose_id_is_the_event_id()
    {
        var completed = await CompletedActivities.CompleteOneAsync(factory);

        var published = await PublishedAsync(completed.EventId.ToString());
        await ForwardedAsync(completed);
        Assert.Equal(1, factory.Sidecar.CountPublished(completed.EventId.ToString()));
        Assert.Equal((DaprServiceFactory<ActivitiesModule>.PubSub, "activity-completed", "application/cloudevents+json"),
            (published.PubSub, published.Topic, published.ContentType?.Split(';')[0]));
        var cloudEvent = published.CloudEvent;
        Assert.Equal("1.0", cloudEvent.GetProperty("specversion").GetString());
        Assert.Equal("practicemesh.ActivityCompleted.v1", cloudEvent.GetProperty("type").GetString());
        Assert.Equal("practicemesh/activities", cloudEvent.GetProperty("source").GetString());
        Assert.Equal("application/json", cloudEvent.GetProperty("datacontenttype").GetString());
        Assert.Equal(completed.StationCode, cloudEvent.GetProperty("subject").GetString());
        var data = cloudEvent.GetProperty("data");
        Assert.Equal(completed.ActivityId, data.GetProperty("activityId").GetGuid());
        Assert.Equal(completed.EventId, data.GetProperty("eventId").GetGuid());
        Assert.Equal("ConvenienceService", data.GetProperty("category").GetString());
        Assert.Equal(completed.Participants.Single().VolunteerId, data.GetProperty("participants")[0].GetProperty("volunteerId").GetGuid());
    }

    [Fact]
    public async Task A_sidecar_that_refuses_to_publish_delays_the_CloudEvent_and_does_not_lose_it()
    {
        factory.Sidecar.PublishOutage = true;
        ActivityCompleted completed;
        try
        {
            var refusedBefore = factory.Sidecar.RefusedPublishes;
            completed = await CompletedActivities.CompleteOneAsync(factory);
            await HttpAssertions.EventuallyAsync(() => Task.FromResult<object?>(factory.Sidecar.RefusedPublishes > refusedBefore ? true : null),
                "the sidecar to refuse a publish");
            Assert.Equal(0, factory.Sidecar.CountPublished(completed.EventId.ToString()));
        }
        finally
        {
            factory.Sidecar.PublishOutage = false;
        }

        // The HTTP client's retry waits on the host's clock, which the test owns: let time pass until the retry comes.
        await HttpAssertions.EventuallyAsync(() =>
        {
            var published = factory.Sidecar.Published.FirstOrDefault(e => e.Id == completed.EventId.ToString());
            if (published is null)
            {
                factory.Clock.Advance(TimeSpan.FromSeconds(2));
            }
            return Task.FromResult(published);
        }, "the CloudEvent once the sidecar publishes again");
        await ForwardedAsync(completed);
        Assert.Equal(1, factory.Sidecar.CountPublished(completed.EventId.ToString()));
    }

    private Task<PublishedCloudEvent> PublishedAsync(string id) =>
        HttpAssertions.EventuallyAsync(() => Task.FromResult(factory.Sidecar.Published.FirstOrDefault(e => e.Id == id)), $"CloudEvent {id} at the sidecar");

    /// <summary>The forwarding consumer finished with the event (so a second publish would have happened by now).</summary>
    private Task ForwardedAsync(ActivityCompleted completed) => factory.ConsumedAsync<ActivityCompleted>(m => m.EventId == completed.EventId);
}

/// <summary>With Dapr off (the default) nothing of it is wired and no sidecar is called.</summary>
public sealed class ActivitiesWithoutDaprTests(ActivitiesWithoutDapr factory) : IClassFixture<ActivitiesWithoutDapr>
{
    [Fact]
    public async Task Completing_an_activity_calls_no_sidecar()
    {
        await CompletedActivities.CompleteOneAsync(factory);

        Assert.Null(factory.Services.GetService(typeof(DaprEventPublisher)));
        Assert.Null(factory.Services.GetService(typeof(DaprOptions)));
        Assert.Empty(factory.Sidecar.Requests);
    }
}
