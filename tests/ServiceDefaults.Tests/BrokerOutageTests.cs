using Microsoft.EntityFrameworkCore;
using PracticeMesh.TestSupport;

namespace PracticeMesh.ServiceDefaults.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerCollection
{
    public const string Name = "stops the real RabbitMQ";
}

/// <summary>Against the real RabbitMQ and PostgreSQL: the outbox holds events through a broker outage.</summary>
[Collection(BrokerCollection.Name)]
public class BrokerOutageTests
{
    [Fact]
    public async Task An_event_saved_while_RabbitMQ_is_down_is_delivered_once_after_it_returns()
    {
        await using var storage = new NotesStore(Store.Postgres);
        await using var host = new NotesHost(storage, rabbitMq: true, testHarness: false);
        await host.StartAsync();

        NoteAdded message;
        await RealServers.StopRabbitMqAsync();
        try
        {
            message = await host.WithDbAsync(db => db.AddNoteAsync("saved during the outage"));
            // The relay tried, failed and put the row back for later.
            await HttpAssertions.EventuallyAsync<string>(async () => await host.WithDbAsync(db =>
                    db.OutboxMessages.AnyAsync(m => m.Id == message.EventId && m.Attempts > 0 && m.LastError != null && m.SentAt == null))
                    ? "failed" : null,
                "a failed publish attempt while the broker is down");
        }
        finally
        {
            await RealServers.StartRabbitMqAsync();
        }

        await HttpAssertions.EventuallyAsync<string>(async () =>
                await host.TalliesAsync(message.EventId) == 1 && await host.SentAtAsync(message.EventId) is not null ? "delivered" : null,
            "delivery after the broker is back", TimeSpan.FromSeconds(90));
        Assert.Equal(1, await host.TalliesAsync(message.EventId));
    }
}
