using Microsoft.EntityFrameworkCore;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.TestSupport;

namespace PracticeMesh.ServiceDefaults.Tests;

/// <summary>The inbox and outbox do not grow for ever: what is past its retention goes, in bounded batches.</summary>
public class UpkeepTests
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task Inbox_rows_past_the_retention_and_old_sent_rows_are_deleted_while_recent_and_dead_rows_stay(Store store)
    {
        await using var storage = new NotesStore(store);
        await using var host = new NotesHost(storage, settings: new Dictionary<string, string?>
        {
            ["Inbox:Retention"] = "01:00:00",
            ["Inbox:CleanupInterval"] = "00:00:00.200",
            // Smaller than the rows to delete: the round goes on batch after batch until none is left.
            ["Inbox:CleanupBatchSize"] = "2",
            ["Outbox:SentRetention"] = "1.00:00:00",
        });
        await host.StartAsync();

        var now = DateTimeOffset.UtcNow;
        var twoHoursAgo = now.AddHours(-2).ToUnixTimeMilliseconds();
        var recent = NotesDbContext.NewEvent("handled just now");
        var oldSent = OutboxMessage.From(NotesDbContext.NewEvent("sent two days ago"), now.AddDays(-2));
        oldSent.SentAt = now.AddDays(-2).ToUnixTimeMilliseconds();
        var oldDead = OutboxMessage.From(NotesDbContext.NewEvent("dead for two days"), now.AddDays(-2));
        oldDead.DeadAt = now.AddDays(-2).ToUnixTimeMilliseconds();
        await host.WithDbAsync(db =>
        {
            for (var i = 0; i < 5; i++)
            {
                db.InboxMessages.Add(new InboxMessage { Consumer = "old consumer", MessageId = Guid.CreateVersion7(), ProcessedAt = twoHoursAgo });
            }
            db.InboxMessages.Add(new InboxMessage { Consumer = "recent consumer", MessageId = recent.EventId, ProcessedAt = now.ToUnixTimeMilliseconds() });
            db.OutboxMessages.AddRange(oldSent, oldDead);
            return db.SaveChangesAsync();
        });

        await HttpAssertions.EventuallyAsync<string>(async () => await host.WithDbAsync(async db =>
                !await db.InboxMessages.AnyAsync(m => m.Consumer == "old consumer") && !await db.OutboxMessages.AnyAsync(m => m.Id == oldSent.Id))
                ? "gone" : null,
            "expired inbox rows and the old sent row to be deleted");
        Assert.True(await host.WithDbAsync(db => db.InboxMessages.AnyAsync(m => m.MessageId == recent.EventId)));
        // A dead row waits for an operator, however old.
        Assert.True(await host.WithDbAsync(db => db.OutboxMessages.AnyAsync(m => m.Id == oldDead.Id)));
    }
}
