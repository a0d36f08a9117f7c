using MassTransit;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.ServiceDefaults.Messaging;

/// <summary>
/// A consumer with an inbox: it records (consumer, event id) in the same SaveChanges, and so the same
/// transaction, as its effect. A redelivered event collides with its row and its save changes nothing, whether the
/// first delivery finished long ago or is racing it. Handlers must therefore tolerate being applied again
/// (their effect is discarded), and must not act outside <see cref="Db"/>.
/// </summary>
public abstract class IdempotentConsumer<TMessage, TContext>(TContext db, TimeProvider time) : IConsumer<TMessage>
    where TMessage : class, IIntegrationEvent
    where TContext : ServiceDbContext
{
    protected TContext Db { get; } = db;
    protected TimeProvider Time { get; } = time;

    /// <summary>The consumer's key in the inbox: its class name, unless it says otherwise.</summary>
    protected virtual string ConsumerName => GetType().FullName!;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.Message.EventId;
        var consumer = ConsumerName;
        // Almost every delivery is the first: apply it and save it with its inbox row, and ask whether the event was
        // applied before only when that save breaks a unique key (a round trip saved on every delivery). A duplicate's
        // effect is then rolled back with its inbox row.
        await HandleAsync(context.Message, context.CancellationToken);
        Db.InboxMessages.Add(new InboxMessage
        {
            Consumer = consumer,
            MessageId = messageId,
            ProcessedAt = Time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
        try
        {
            await Db.SaveChangesAsync(context.CancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            if (!await Db.InboxMessages.AsNoTracking().AnyAsync(m => m.Consumer == consumer && m.MessageId == messageId, context.CancellationToken))
            {
                throw;
            }
            PracticeMeshTelemetry.InboxDuplicates.Add(1);
        }
    }

    /// <summary>
    /// Applies the event through <see cref="Db"/>'s change tracker (and <see cref="ServiceDbContext.AddEvent"/>
    /// for follow-up events) without saving: the base class saves once, with the inbox row.
    /// </summary>
    protected abstract Task HandleAsync(TMessage message, CancellationToken cancellationToken);
}
