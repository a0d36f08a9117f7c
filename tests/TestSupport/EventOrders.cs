using PracticeMesh.Contracts;

namespace PracticeMesh.TestSupport;

/// <summary>
/// Feeds a service's consumers an event history in every order, with duplicates, as the broker may deliver it: events
/// on different queues arrive in any order, and an outbox relay that crashed after publishing sends again.
/// </summary>
public static class EventOrders
{
    /// <summary>Every order of <paramref name="items"/> (n! of them: keep histories small).</summary>
    public static IEnumerable<IReadOnlyList<T>> Permutations<T>(IReadOnlyList<T> items)
    {
        if (items.Count <= 1)
        {
            yield return items;
            yield break;
        }
        for (var i = 0; i < items.Count; i++)
        {
            var rest = items.Where((_, index) => index != i).ToList();
            foreach (var tail in Permutations(rest))
            {
                yield return [items[i], .. tail];
            }
        }
    }

    /// <summary>
    /// Publishes <paramref name="deliveries"/> in the order given, without waiting in between, and waits until each
    /// was consumed without error as often as it was sent. A consumer that cannot apply an event yet throws; the bus's
    /// retries deliver it again once its predecessor has arrived.
    /// </summary>
    public static async Task DeliverAsync<TEntryPoint>(this ServiceFactory<TEntryPoint> factory, IEnumerable<IIntegrationEvent> deliveries)
        where TEntryPoint : class
    {
        var sent = new List<IIntegrationEvent>();
        foreach (var message in deliveries)
        {
            await factory.Harness.Bus.Publish(message, message.GetType());
            sent.Add(message);
        }
        foreach (var group in sent.GroupBy(m => m.EventId))
        {
            var first = group.First();
            var wait = typeof(EventOrders).GetMethod(nameof(ConsumedAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(typeof(TEntryPoint), first.GetType());
            await (Task)wait.Invoke(null, [factory, first.EventId, group.Count()])!;
        }
    }

    private static Task ConsumedAsync<TEntryPoint, TMessage>(ServiceFactory<TEntryPoint> factory, Guid eventId, int count)
        where TEntryPoint : class where TMessage : class, IIntegrationEvent =>
        factory.ConsumedAsync<TMessage>(m => m.EventId == eventId, count);
}
