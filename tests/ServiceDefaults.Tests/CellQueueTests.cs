using PracticeMesh.TestSupport;

namespace PracticeMesh.ServiceDefaults.Tests;

/// <summary>
/// Two township cells of one service (each its own database) on one real RabbitMQ virtual host: each cell names its
/// queues apart (<c>Messaging:Cell</c>), so both receive every event instead of splitting one queue between them.
/// </summary>
public class CellQueueTests
{
    [Fact]
    public async Task Two_cells_of_one_service_each_consume_every_published_event()
    {
        await using var cellA = new NotesStore(Store.Sqlite);
        await using var cellB = new NotesStore(Store.Sqlite);
        await using var primary = new NotesHost(cellA, rabbitMq: true, testHarness: false);
        // Cell b shares the primary's broker and virtual host, not its database.
        await using var second = new NotesHost(cellB, rabbitMq: true, testHarness: false,
            settings: new Dictionary<string, string?> { ["Messaging:Cell"] = "b", ["ConnectionStrings:rabbitmq"] = cellA.RabbitMq });
        await primary.StartAsync();
        await second.StartAsync();

        var fromPrimary = await primary.WithDbAsync(db => db.AddNoteAsync("青阳镇的宣讲"));
        var fromSecond = await second.WithDbAsync(db => db.AddNoteAsync("双沟镇的宣讲"));

        await HttpAssertions.EventuallyAsync(async () =>
            await primary.TalliesAsync(fromPrimary.EventId) == 1 && await second.TalliesAsync(fromPrimary.EventId) == 1
            && await primary.TalliesAsync(fromSecond.EventId) == 1 && await second.TalliesAsync(fromSecond.EventId) == 1 ? "both" : null,
            "each cell to consume both events");
        var virtualHost = Uri.UnescapeDataString(new Uri(cellA.RabbitMq).AbsolutePath.TrimStart('/'));
        var queues = await RealServers.QueueCountsAsync(virtualHost);
        // The primary keeps today's names exactly; the cell's are its own, the shared AccessRevoked one included.
        Assert.Contains("tally-note-added", queues.Keys);
        Assert.Contains("tally-note-added-cell-b", queues.Keys);
        Assert.Contains("notes-record-access-revoked", queues.Keys);
        Assert.Contains("notes-record-access-revoked-cell-b", queues.Keys);
    }

    [Fact]
    public void A_cell_name_that_cannot_name_a_queue_is_refused_at_start()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => new Messaging.CellEndpointNameFormatter("Cell B"));
        Assert.Contains("Messaging:Cell", refused.Message, StringComparison.Ordinal);
    }
}
