using Npgsql;
using PracticeMesh.TestSupport;

namespace PracticeMesh.EndToEnd.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection : ICollectionFixture<DistributedPlatform>
{
    public const string Name = "end to end";
}

/// <summary>The slice through the gateway, with every service in its own process on the real servers.</summary>
[Collection(EndToEndCollection.Name)]
public class DistributedSliceTests(DistributedPlatform platform)
{
    [Fact]
    public async Task The_slice_credits_hours_once_and_feeds_assessment_even_when_the_event_arrives_twice()
    {
        using var client = await platform.SignInAsync("county.admin");
        var slice = new Slice(client, "321324104201");
        await slice.RegisterStationsAndVolunteerAsync();
        var activityId = await slice.HoldActivityAsync("新时代文明实践政策宣讲", hours: 2m);
        await slice.CompleteAsync(activityId);

        var ledger = await slice.WaitForTotalHoursAsync(2m);
        var entry = Assert.Single(ledger.GetProperty("entries").EnumerateArray());
        Assert.Equal(activityId, entry.GetProperty("activityId").GetGuid());
        Assert.Equal(2m, entry.GetProperty("hours").GetDecimal());
        var month = await slice.WaitForAssessmentAsync(1);
        Assert.Equal(2m, month.GetProperty("volunteerHours").GetDecimal());

        // The relay publishes ActivityCompleted again (as after a crash between the broker's confirm and the row's
        // mark): the same event id reaches both consumers a second time.
        await RepublishAsync(platform.DatabaseOf("activities"), activityId);
        await platform.WaitForQueuesToDrainAsync("credit-hours-on-activity-completed", "record-activity-completed");

        ledger = await slice.HoursAsync();
        Assert.Single(ledger.GetProperty("entries").EnumerateArray());
        Assert.Equal(2m, ledger.GetProperty("totalHours").GetDecimal());
        month = await slice.AssessmentAsync();
        Assert.Equal(1, month.GetProperty("completedActivities").GetInt32());
        Assert.Equal(2m, month.GetProperty("volunteerHours").GetDecimal());
    }

    [Fact]
    public async Task A_correction_after_completion_reaches_the_ledger_and_the_assessment()
    {
        using var client = await platform.SignInAsync("county.admin");
        var slice = new Slice(client, "321324104203");
        await slice.RegisterStationsAndVolunteerAsync();
        var activityId = await slice.HoldActivityAsync("科普讲座", hours: 3m);
        await slice.CompleteAsync(activityId);
        await slice.WaitForTotalHoursAsync(3m);

        // The volunteer left an hour early: the activity's record is corrected, and both consumers follow.
        await slice.CorrectAsync(activityId, hours: 2m, reason: "提前一小时离场");

        var ledger = await slice.WaitForTotalHoursAsync(2m);
        var entries = ledger.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        var correction = Assert.Single(entries, e => e.GetProperty("kind").GetString() == "Correction");
        Assert.Equal((-1m, "提前一小时离场"), (correction.GetProperty("hours").GetDecimal(), correction.GetProperty("reason").GetString()));
        var month = await slice.WaitForAssessmentHoursAsync(2m);
        Assert.Equal((1, 1), (month.GetProperty("completedActivities").GetInt32(), month.GetProperty("participantCount").GetInt32()));
    }

    [Fact]
    public async Task Stopping_RabbitMQ_in_the_middle_of_the_slice_loses_no_hours_and_credits_none_twice()
    {
        using var client = await platform.SignInAsync("county.admin");
        var slice = new Slice(client, "321324104202");
        await slice.RegisterStationsAndVolunteerAsync();
        var activityId = await slice.HoldActivityAsync("垃圾分类志愿服务", hours: 1.5m);

        await RealServers.StopRabbitMqAsync();
        try
        {
            // Completing needs only the activities database: the event waits in the outbox.
            await slice.CompleteAsync(activityId);
            await HttpAssertions.EventuallyAsync(async () =>
                await FailedAttemptsAsync(platform.DatabaseOf("activities")) > 0 ? "tried" : null,
                "the relay to fail against the stopped broker");
            Assert.Equal(0m, (await slice.HoursAsync()).GetProperty("totalHours").GetDecimal());
        }
        finally
        {
            await RealServers.StartRabbitMqAsync();
        }

        var ledger = await slice.WaitForTotalHoursAsync(1.5m, TimeSpan.FromSeconds(120));
        var entry = Assert.Single(ledger.GetProperty("entries").EnumerateArray());
        Assert.Equal(activityId, entry.GetProperty("activityId").GetGuid());
        var month = await slice.WaitForAssessmentAsync(1, TimeSpan.FromSeconds(60));
        Assert.Equal(1.5m, month.GetProperty("volunteerHours").GetDecimal());
        await platform.WaitForQueuesToDrainAsync("credit-hours-on-activity-completed", "record-activity-completed");
        Assert.Equal(1.5m, (await slice.HoursAsync()).GetProperty("totalHours").GetDecimal());
    }

    private static async Task<long> FailedAttemptsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(RealServers.PostgresDatabase(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM outbox_messages WHERE attempts > 0 AND sent_at IS NULL", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task RepublishAsync(string database, Guid activityId)
    {
        await using var connection = new NpgsqlConnection(RealServers.PostgresDatabase(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "UPDATE outbox_messages SET sent_at = NULL WHERE message_type = 'urn:message:PracticeMesh.Contracts.Events.V1:ActivityCompleted' AND payload LIKE $1", connection);
        command.Parameters.AddWithValue($"%{activityId}%");
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
        await HttpAssertions.EventuallyAsync(async () =>
        {
            await using var check = new NpgsqlCommand("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", connection);
            return (long)(await check.ExecuteScalarAsync())! == 0 ? "sent again" : null;
        }, "the relay to publish the row again");
    }
}
