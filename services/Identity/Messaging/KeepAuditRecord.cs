using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Identity.Data;
using PracticeMesh.Identity.Domain;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.Identity.Messaging;

/// <summary>Keeps every service's audit records in one trail for county admins to query; once per event.</summary>
public sealed class KeepAuditRecord(IdentityDbContext db, TimeProvider time) : IdempotentConsumer<AuditRecorded, IdentityDbContext>(db, time)
{
    protected override Task HandleAsync(AuditRecorded message, CancellationToken cancellationToken)
    {
        Db.AuditEntries.Add(AuditEntry.From(message, Time.GetUtcNow()));
        return Task.CompletedTask;
    }
}
