using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.ServiceDefaults.Tests;

/// <summary>
/// Outbox rows that can never be published (their type unknown, their payload unreadable) are given up on after
/// their attempts instead of being retried for ever, and operators see them and can put them back.
/// </summary>
public class DeadLetterTests
{
    private const string DeadLetters = "/api/v1/notes/outbox/dead-letters";

    private static Task Delivered(NotesHost host, Guid eventId) =>
        HttpAssertions.EventuallyAsync<string>(async () =>
            await host.TalliesAsync(eventId) > 0 && await host.SentAtAsync(eventId) is not null ? "delivered" : null,
            $"event {eventId} to be consumed and marked sent");

    private static async Task<string> ReadinessAsync(NotesHost host)
    {
        using var client = host.CreateClient();
        using var response = await client.GetAsync("/health/ready");
        // Dead rows degrade the service but never take it out of rotation.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static OutboxMessage Row(string messageType, string payload, long? deadAt = null) => new()
    {
        Id = Guid.CreateVersion7(),
        MessageType = messageType,
        Payload = payload,
        OccurredAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        AvailableAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        DeadAt = deadAt,
    };

    private static Task<OutboxMessage> RowAsync(NotesHost host, Guid id) =>
        host.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id));

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task Rows_that_cannot_be_read_die_after_their_attempts_while_other_events_flow_and_the_service_is_degraded(Store store)
    {
        await using var storage = new NotesStore(store);
        await using var host = new NotesHost(storage, settings: new Dictionary<string, string?> { ["Outbox:MaxAttempts"] = "3" });
        using var deaths = new MetricCollector<long>(PracticeMeshTelemetry.Meter, "practicemesh.outbox.dead");
        await host.StartAsync();
        Assert.Equal("Healthy", await ReadinessAsync(host));

        // A type renamed without keeping its name, and a payload that no longer reads as its (old-style named) type.
        var renamed = Row($"urn:message:PracticeMesh.Gone:NoteRenamed{Guid.NewGuid():N}", "{}");
        var garbled = Row($"{typeof(NoteAdded).FullName}, {typeof(NoteAdded).Assembly.GetName().Name}", "not json");
        await host.WithDbAsync(db =>
        {
            db.OutboxMessages.AddRange(renamed, garbled);
            return db.SaveChangesAsync();
        });
        var healthy = await host.WithDbAsync(db => db.AddNoteAsync("flows past the dead rows"));
        await Delivered(host, healthy.EventId);

        foreach (var id in new[] { renamed.Id, garbled.Id })
        {
            await HttpAssertions.EventuallyAsync(async () => await RowAsync(host, id) is { DeadAt: not null } row ? row : null, $"row {id} to die");
        }
        // Once dead, a row is no longer tried: a later round that publishes another event leaves it as it was.
        var later = await host.WithDbAsync(db => db.AddNoteAsync("a later round"));
        await Delivered(host, later.EventId);
        var renamedRow = await RowAsync(host, renamed.Id);
        Assert.Equal(3, renamedRow.Attempts);
        Assert.Null(renamedRow.SentAt);
        Assert.Contains(renamed.MessageType, renamedRow.LastError);
        Assert.Equal(3, (await RowAsync(host, garbled.Id)).Attempts);

        Assert.Equal("Degraded", await ReadinessAsync(host));
        Assert.Contains(deaths.GetMeasurementSnapshot(),
            m => m.Value == 1 && Equals(m.Tags["messaging.message.type"], renamed.MessageType));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task A_county_admin_lists_a_dead_row_and_retries_it_and_it_is_delivered_once(Store store)
    {
        await using var storage = new NotesStore(store);
        await using var host = new NotesHost(storage);
        await host.StartAsync();
        // A replica of an older version gave up on an event type it did not know yet; every replica knows it now.
        var message = NotesDbContext.NewEvent("given up on by an older replica");
        var row = OutboxMessage.From(message, DateTimeOffset.UtcNow);
        row.DeadAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        row.Attempts = 10;
        row.LastError = "No integration event type is named urn:message:PracticeMesh.ServiceDefaults.Tests:NoteAdded.";
        await host.WithDbAsync(db =>
        {
            db.OutboxMessages.Add(row);
            return db.SaveChangesAsync();
        });
        Assert.Equal("Degraded", await ReadinessAsync(host));

        using var admin = host.CreateClient(PracticeMeshRoles.CountyAdmin);
        var listed = await admin.GetAsync(DeadLetters, HttpStatusCode.OK);
        var entry = Assert.Single(listed.EnumerateArray());
        Assert.Equal(message.EventId, entry.GetProperty("id").GetGuid());
        Assert.Equal("urn:message:PracticeMesh.ServiceDefaults.Tests:NoteAdded", entry.GetProperty("messageType").GetString());
        Assert.Equal(10, entry.GetProperty("attempts").GetInt32());

        // Operators only.
        using (var township = host.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104"))
        {
            await township.GetAsync(DeadLetters, HttpStatusCode.Forbidden);
            await township.PostAsync($"{DeadLetters}/{message.EventId}/retry", null, HttpStatusCode.Forbidden);
        }
        using (var anonymous = host.CreateClient())
        {
            await anonymous.GetAsync(DeadLetters, HttpStatusCode.Unauthorized);
        }
        await admin.PostAsync($"{DeadLetters}/{Guid.NewGuid()}/retry", null, HttpStatusCode.NotFound);
        await admin.GetAsync($"{DeadLetters}?limit=0", HttpStatusCode.BadRequest);

        var retried = await admin.PostAsync($"{DeadLetters}/{message.EventId}/retry", null, HttpStatusCode.OK);
        Assert.Equal(1, retried.GetProperty("retried").GetInt32());
        await Delivered(host, message.EventId);
        Assert.Equal(1, await host.TalliesAsync(message.EventId));
        Assert.Empty((await admin.GetAsync(DeadLetters, HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal("Healthy", await ReadinessAsync(host));
        // The retry is an admin write, audited like every other.
        Assert.Equal(1, await host.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.MessageType.EndsWith(":AuditRecorded"))));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task Rows_are_named_by_message_urn_and_rows_named_the_old_way_are_still_published(Store store)
    {
        await using var storage = new NotesStore(store);
        await using var host = new NotesHost(storage);
        await host.StartAsync();

        var current = await host.WithDbAsync(db => db.AddNoteAsync("named by its urn"));
        var old = NotesDbContext.NewEvent("written by the version before urns");
        var oldRow = OutboxMessage.From(old, DateTimeOffset.UtcNow);
        oldRow.MessageType = $"{typeof(NoteAdded).FullName}, {typeof(NoteAdded).Assembly.GetName().Name}";
        await host.WithDbAsync(db =>
        {
            db.OutboxMessages.Add(oldRow);
            return db.SaveChangesAsync();
        });

        await Delivered(host, current.EventId);
        await Delivered(host, old.EventId);
        Assert.Equal("urn:message:PracticeMesh.ServiceDefaults.Tests:NoteAdded", (await RowAsync(host, current.EventId)).MessageType);
    }
}
