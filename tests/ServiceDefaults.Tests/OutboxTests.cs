using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.TestSupport;

namespace PracticeMesh.ServiceDefaults.Tests;

/// <summary>The transactional outbox and the inbox, on both databases a service can run on.</summary>
public class OutboxTests
{
    private static Task<NoteAdded> Delivered(NotesHost host, Guid eventId) =>
        HttpAssertions.EventuallyAsync<NoteAdded>(async () =>
            await host.TalliesAsync(eventId) > 0 && await host.SentAtAsync(eventId) is not null ? new NoteAdded(eventId, default, default, "") : null,
            $"event {eventId} to be consumed and marked sent");

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task An_event_saved_with_its_change_is_published_once_and_marked_sent(Store store)
    {
        await using var storage = new NotesStore(store);
        await using var host = new NotesHost(storage);
        await host.StartAsync();

        var message = await host.WithDbAsync(db => db.AddNoteAsync("宣讲"));

        await Delivered(host, message.EventId);
        Assert.Equal(1, await host.TalliesAsync(message.EventId));
        var published = host.Harness.Published.Select<NoteAdded>().Where(p => p.Context.Message.EventId == message.EventId).ToList();
        var single = Assert.Single(published);
        // The bus message id is the event id, which is what lets every inbox drop a republished copy.
        Assert.Equal(message.EventId, single.Context.MessageId);
        Assert.Equal("宣讲", single.Context.Message.Text);
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task A_rolled_back_change_leaves_neither_the_change_nor_its_event(Store store)
    {
        await using var storage = new NotesStore(store);
        await using var host = new NotesHost(storage);
        await host.StartAsync();

        await host.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.AddNoteAsync("never");
            await transaction.RollbackAsync();
            return 0;
        });

        Assert.Equal(0, await host.WithDbAsync(db => db.OutboxMessages.CountAsync()));
        Assert.Equal(0, await host.WithDbAsync(db => db.Notes.CountAsync()));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task An_event_committed_just_before_a_crash_is_published_after_the_restart(Store store)
    {
        await using var storage = new NotesStore(store);
        // First run: creates the schema, then the process goes away.
        await using (var first = new NotesHost(storage))
        {
            await first.StartAsync();
        }
        // The change and its event committed, and the process died before its relay ran.
        NoteAdded message;
        await using (var db = storage.OpenContext())
        {
            message = await db.AddNoteAsync("committed before the crash");
        }

        await using var restarted = new NotesHost(storage);
        await restarted.StartAsync();

        await Delivered(restarted, message.EventId);
        Assert.Equal(1, await restarted.TalliesAsync(message.EventId));
    }

    [Fact]
    public async Task A_standalone_file_made_before_dead_letters_is_upgraded_at_start_and_its_rows_published()
    {
        await using var storage = new NotesStore(Store.Sqlite);
        await using (var first = new NotesHost(storage))
        {
            await first.StartAsync();
        }
        NoteAdded message;
        await using (var db = storage.OpenContext())
        {
            message = await db.AddNoteAsync("waiting in a file of the version before");
            // As that version made the file: no dead_at, none of the indexes since.
            await db.Database.ExecuteSqlRawAsync("DROP INDEX ix_outbox_dead");
            await db.Database.ExecuteSqlRawAsync("DROP INDEX ix_inbox_processed_at");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE outbox_messages DROP COLUMN dead_at");
        }

        await using var upgraded = new NotesHost(storage);
        await upgraded.StartAsync();

        await Delivered(upgraded, message.EventId);
        Assert.Equal(1, await upgraded.TalliesAsync(message.EventId));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task A_row_claimed_by_a_relay_that_died_is_published_when_its_lease_ends(Store store)
    {
        await using var storage = new NotesStore(store);
        await using var host = new NotesHost(storage);
        await host.StartAsync();

        var message = NotesDbContext.NewEvent("claimed, then the claimer died");
        await host.WithDbAsync(async db =>
        {
            var row = OutboxMessage.From(message, DateTimeOffset.UtcNow);
            row.LockedBy = "a replica that crashed";
            row.LockedUntil = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeMilliseconds();
            db.OutboxMessages.Add(row);
            return await db.SaveChangesAsync();
        });

        await Delivered(host, message.EventId);
        Assert.Equal(1, await host.TalliesAsync(message.EventId));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task A_row_published_again_after_a_crash_before_its_mark_changes_nothing(Store store)
    {
        await using var storage = new NotesStore(store);
        await using var host = new NotesHost(storage);
        await host.StartAsync();
        var message = await host.WithDbAsync(db => db.AddNoteAsync("published, not marked"));
        await Delivered(host, message.EventId);

        // The broker confirmed, then the relay died before marking the row: the row is unsent again.
        await host.WithDbAsync(db => db.OutboxMessages.Where(m => m.Id == message.EventId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, (long?)null)));

        await HttpAssertions.EventuallyAsync<string>(async () =>
            await host.SentAtAsync(message.EventId) is not null ? "again" : null, "the row to be published again");
        // Once the bus has gone quiet the second copy has been consumed (the harness lists a message id once).
        await host.Harness.InactivityTask;
        Assert.Equal(1, await host.TalliesAsync(message.EventId));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task The_same_event_delivered_twice_at_once_is_applied_once(Store store)
    {
        await using var storage = new NotesStore(store);
        await using var host = new NotesHost(storage);
        await host.StartAsync();
        var message = NotesDbContext.NewEvent("twice");

        await Task.WhenAll(host.Harness.Bus.Publish(message), host.Harness.Bus.Publish(message));

        await HttpAssertions.EventuallyAsync<string>(() => Task.FromResult(
            host.Harness.Consumed.Select<NoteAdded>().Count(c => c.Context.Message.EventId == message.EventId) >= 2 ? "both" : null),
            "both deliveries to be consumed");
        Assert.Equal(1, await host.TalliesAsync(message.EventId));
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task A_redelivered_event_is_acknowledged_unchanged_and_logs_no_error(Store store)
    {
        await using var storage = new NotesStore(store);
        await using var host = new NotesHost(storage);
        await host.StartAsync();
        var message = NotesDbContext.NewEvent("again");

        for (var delivery = 1; delivery <= 2; delivery++)
        {
            await host.Harness.Bus.Publish(message);
            await HttpAssertions.EventuallyAsync<string>(() => Task.FromResult(
                host.Harness.Consumed.Select<NoteAdded>().Count(c => c.Context.Message.EventId == message.EventId) >= delivery ? "consumed" : null),
                $"delivery {delivery} to be consumed");
        }

        Assert.Equal(1, await host.TalliesAsync(message.EventId));
        // At-least-once delivery makes repeats routine: neither a fault nor an error line for the operator.
        Assert.All(host.Harness.Consumed.Select<NoteAdded>().Where(c => c.Context.Message.EventId == message.EventId), c => Assert.Null(c.Exception));
        Assert.Empty(host.Errors);
    }

    [Fact]
    public async Task Two_replicas_never_publish_the_same_row()
    {
        await using var storage = new NotesStore(Store.Postgres);
        await using var first = new NotesHost(storage);
        await first.StartAsync();
        await using var second = new NotesHost(storage);
        await second.StartAsync();

        // Written by a third process, so neither relay is woken early: both find the rows on their poll, together.
        var ids = new List<Guid>();
        await using (var db = storage.OpenContext())
        {
            for (var i = 0; i < 400; i++)
            {
                var message = NotesDbContext.NewEvent($"note {i}");
                ids.Add(message.EventId);
                db.OutboxMessages.Add(OutboxMessage.From(message, DateTimeOffset.UtcNow));
            }
            await db.SaveChangesAsync();
        }

        await HttpAssertions.EventuallyAsync<string>(async () =>
            await first.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.SentAt == null)) == 0 ? "all sent" : null,
            "every row to be sent", TimeSpan.FromSeconds(60));

        var published = first.Harness.Published.Select<NoteAdded>().Select(p => p.Context.Message.EventId)
            .Concat(second.Harness.Published.Select<NoteAdded>().Select(p => p.Context.Message.EventId))
            .ToList();
        Assert.Equal(ids.Count, published.Count);
        Assert.Equal(ids.Order(), published.Order());
    }
}
