using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Identity.Data;
using PracticeMesh.Identity.Domain;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.Identity.Messaging;

/// <summary>
/// Keeps every service's audit records in one trail for county admins to query; once per event. Each record stands
/// alone (the trail is read ordered by when things happened, not by arrival), so nothing here waits for another event.
/// </summary>
public sealed class KeepAuditRecord(IdentityDbContext db, TimeProvider time) : IdempotentConsumer<AuditRecorded, IdentityDbContext>(db, time)
{
    protected override Task HandleAsync(AuditRecorded message, CancellationToken cancellationToken)
    {
        Db.AuditEntries.Add(AuditEntry.From(message, Time.GetUtcNow()));
        return Task.CompletedTask;
    }
}
