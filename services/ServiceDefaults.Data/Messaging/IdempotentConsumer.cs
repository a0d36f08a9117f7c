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
        await Inbox.SaveOnceAsync(Db, consumer, messageId, Time, () => Db.SaveChangesAsync(context.CancellationToken), context.CancellationToken);
    }

    /// <summary>
    /// Applies the event through <see cref="Db"/>'s change tracker (and <see cref="ServiceDbContext.AddEvent"/>
    /// for follow-up events) without saving: the base class saves once, with the inbox row.
    /// </summary>
    protected abstract Task HandleAsync(TMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// The inbox's rule for anything that handles a message once (consumers, and topic endpoints that take messages from
/// outside the bus): the effect and the (consumer, message id) row commit in one save; a save that breaks the inbox
/// key because the row is there already was a copy of a message handled before.
/// </summary>
public static class Inbox
{
    /// <summary>
    /// Adds the inbox row to <paramref name="db"/> and runs <paramref name="save"/>, which saves the context with the
    /// effect. True when applied; false for a copy of a message handled before (its effect rolled back with the row).
    /// </summary>
    public static async Task<bool> SaveOnceAsync(ServiceDbContext db, string consumer, Guid messageId, TimeProvider time, Func<Task> save,
        CancellationToken cancellationToken)
    {
        db.InboxMessages.Add(new InboxMessage
        {
            Consumer = consumer,
            MessageId = messageId,
            ProcessedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
        try
        {
            await save();
            return true;
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            if (!await db.InboxMessages.AsNoTracking().AnyAsync(m => m.Consumer == consumer && m.MessageId == messageId, cancellationToken))
            {
                throw;
            }
            PracticeMeshTelemetry.InboxDuplicates.Add(1);
            return false;
        }
    }
}
