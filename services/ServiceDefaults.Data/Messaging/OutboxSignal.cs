using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.ServiceDefaults.Messaging;

public interface IOutboxSignal
{
    void Notify();
}

/// <summary>Wakes a service's outbox relay as soon as a transaction wrote events, so it need not wait for its poll.</summary>
public sealed class OutboxSignal<TContext> : IOutboxSignal where TContext : ServiceDbContext
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; the relay will look once for all of them.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// Signals the relay when a save wrote outbox rows: at once outside a transaction, at the commit inside one. Saves
/// that wrote no event (most check-ins, say) wake nothing.
/// </summary>
internal sealed class OutboxSignalInterceptor(IOutboxSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        NoteOutboxRows(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        NoteOutboxRows(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        NotifyUnlessInTransaction(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        NotifyUnlessInTransaction(eventData.Context);
        return result;
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        NotifyIfWritten(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => NotifyIfWritten(eventData.Context);

    private static void NoteOutboxRows(DbContext? context)
    {
        if (context is ServiceDbContext service
            && service.ChangeTracker.Entries<OutboxMessage>().Any(entry => entry.State == EntityState.Added))
        {
            service.OutboxRowsWritten = true;
        }
    }

    // Rows written inside an explicit transaction are visible only at its commit.
    private void NotifyUnlessInTransaction(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null)
        {
            NotifyIfWritten(context);
        }
    }

    private void NotifyIfWritten(DbContext? context)
    {
        if (context is ServiceDbContext { OutboxRowsWritten: true } service)
        {
            service.OutboxRowsWritten = false;
            signal.Notify();
        }
    }
}
