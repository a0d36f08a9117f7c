using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using PracticeMesh.Contracts;

namespace PracticeMesh.ServiceDefaults.Data;

/// <summary>
/// Base of every service's DbContext: the outbox and inbox tables, and the conventions that let one model
/// run on PostgreSQL and SQLite alike.
/// </summary>
public abstract class ServiceDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();
    /// <summary>Subjects whose older tokens are refused (<see cref="Security.AccessRevocations"/>), fed by <c>AccessRevoked</c>.</summary>
    public DbSet<RevokedSubject> RevokedSubjects => Set<RevokedSubject>();

    /// <summary>Set when a save wrote outbox rows that the relay has not been told about yet.</summary>
    internal bool OutboxRowsWritten { get; set; }

    /// <summary>Queues an integration event; it is written by the next SaveChanges, in its transaction.</summary>
    public void AddEvent(IIntegrationEvent message, DateTimeOffset now) => OutboxMessages.Add(OutboxMessage.From(message, now));

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DivisionCode>().HaveConversion<DivisionCodeConverter>().HaveMaxLength(12);
        if (Database.IsSqlite())
        {
            // SQLite has no date-time-with-offset type: store UTC ticks so ordering and comparison work in SQL.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
        else
        {
            // timestamptz takes UTC only; values (and query parameters) in China time are converted, not refused.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox_messages");
            outbox.HasKey(m => m.Id);
            outbox.Property(m => m.Id).HasColumnName("id");
            outbox.Property(m => m.MessageType).HasColumnName("message_type").HasMaxLength(300);
            outbox.Property(m => m.Payload).HasColumnName("payload");
            outbox.Property(m => m.OccurredAt).HasColumnName("occurred_at");
            outbox.Property(m => m.AvailableAt).HasColumnName("available_at");
            outbox.Property(m => m.Attempts).HasColumnName("attempts");
            outbox.Property(m => m.LockedUntil).HasColumnName("locked_until");
            outbox.Property(m => m.LockedBy).HasColumnName("locked_by").HasMaxLength(100);
            outbox.Property(m => m.SentAt).HasColumnName("sent_at");
            outbox.Property(m => m.LastError).HasColumnName("last_error");
            outbox.Property(m => m.DeadAt).HasColumnName("dead_at");
            // The relay's claim query reads unsent rows in order.
            outbox.HasIndex(m => new { m.SentAt, m.AvailableAt, m.OccurredAt }).HasDatabaseName("ix_outbox_pending");
            // The health check counts dead rows on every probe: almost always none, found in an empty index.
            outbox.HasIndex(m => m.DeadAt).HasFilter("dead_at IS NOT NULL").HasDatabaseName("ix_outbox_dead");
        });
        modelBuilder.Entity<InboxMessage>(inbox =>
        {
            inbox.ToTable("inbox_messages");
            inbox.HasKey(m => new { m.Consumer, m.MessageId });
            inbox.Property(m => m.Consumer).HasColumnName("consumer").HasMaxLength(200);
            inbox.Property(m => m.MessageId).HasColumnName("message_id");
            inbox.Property(m => m.ProcessedAt).HasColumnName("processed_at");
            // Upkeep deletes the oldest rows in batches.
            inbox.HasIndex(m => m.ProcessedAt).HasDatabaseName("ix_inbox_processed_at");
        });
        modelBuilder.Entity<RevokedSubject>(revoked =>
        {
            revoked.ToTable("revoked_subjects");
            revoked.HasKey(r => r.Subject);
            revoked.Property(r => r.Subject).HasColumnName("subject").HasMaxLength(200);
            revoked.Property(r => r.NotBefore).HasColumnName("not_before");
            revoked.Property(r => r.Version).HasColumnName("version").IsConcurrencyToken();
            // Every refresh reads the rows recent enough to matter.
            revoked.HasIndex(r => r.NotBefore).HasDatabaseName("ix_revoked_subjects_not_before");
        });
    }

    private sealed class UtcDateTimeOffsetConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        value => value.ToUniversalTime(),
        value => value);

    private sealed class DivisionCodeConverter() : ValueConverter<DivisionCode, string>(
        code => code.Value,
        text => DivisionCode.Parse(text));
}
