using MassTransit;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.ServiceDefaults.Messaging;

/// <summary>
/// A consumer with an inbox: it records (consumer, event id) in the same SaveChanges, and so the same
/// transaction, as its effect. A redelivered event finds its row and changes nothing; two deliveries racing
/// each other collide on the inbox key, and the loser's retry finds the row.
/// </summary>
public abstract class IdempotentConsumer<TMessage, TContext>(TContext db, TimeProvider time) : IConsumer<TMessage>
    where TMessage : class, IIntegrationEvent
    where TContext : ServiceDbContext
{
    protected TContext Db { get; } = db;
    protected TimeProvider Time { get; } = time;

    private string ConsumerName => GetType().FullName!;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.Message.EventId;
        var consumer = ConsumerName;
        if (await Db.InboxMessages.AnyAsync(m => m.Consumer == consumer && m.MessageId == messageId, context.CancellationToken))
        {
            PracticeMeshTelemetry.InboxDuplicates.Add(1);
            return;
        }
        await HandleAsync(context.Message, context.CancellationToken);
        Db.InboxMessages.Add(new InboxMessage
        {
            Consumer = consumer,
            MessageId = messageId,
            ProcessedAt = Time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
        await Db.SaveChangesAsync(context.CancellationToken);
    }

    /// <summary>
    /// Applies the event through <see cref="Db"/>'s change tracker (and <see cref="ServiceDbContext.AddEvent"/>
    /// for follow-up events) without saving: the base class saves once, with the inbox row.
    /// </summary>
    protected abstract Task HandleAsync(TMessage message, CancellationToken cancellationToken);
}
