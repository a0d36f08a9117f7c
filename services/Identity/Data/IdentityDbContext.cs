using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Identity.Domain;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Identity.Data;

/// <summary>People, partner clients and their secrets, the audit trail, OpenIddict's own tables and the data-protection keys.</summary>
public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : ServiceDbContext(options), IDataProtectionKeyContext
{
    /// <summary>The keys that seal the sign-in page's session cookie and antiforgery token, shared by every replica.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Person> People => Set<Person>();
    public DbSet<PartnerClient> PartnerClients => Set<PartnerClient>();
    public DbSet<PartnerClientSecret> PartnerClientSecrets => Set<PartnerClientSecret>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<KnownVolunteer> Volunteers => Set<KnownVolunteer>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // OpenIddict's applications, authorizations, scopes and tokens; AddServiceDatabase owns the options, so the
        // entities are added here rather than through options.UseOpenIddict().
        modelBuilder.UseOpenIddict();
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        modelBuilder.Entity<Person>(person =>
        {
            person.ToTable("people");
            person.HasKey(p => p.Id);
            person.Property(p => p.UserName).HasMaxLength(64);
            person.HasIndex(p => p.UserName).IsUnique();
            person.Property(p => p.DisplayName).HasMaxLength(50);
            person.Property(p => p.PasswordHash).HasMaxLength(200);
            person.Property(p => p.Role).HasMaxLength(30);
            person.Property(p => p.DivisionCode).HasMaxLength(12);
            person.HasIndex(p => p.DivisionCode);
            // One login per volunteer record (NULLs, the unlinked, do not collide).
            person.HasIndex(p => p.VolunteerId).IsUnique();
            person.Ignore(p => p.Division);
        });
        modelBuilder.Entity<KnownVolunteer>(volunteer =>
        {
            volunteer.ToTable("known_volunteers");
            volunteer.HasKey(v => v.Id);
            volunteer.Property(v => v.Id).ValueGeneratedNever();
            volunteer.Property(v => v.DivisionCode).HasMaxLength(12);
            volunteer.Property(v => v.DisplayName).HasMaxLength(100);
            volunteer.Property(v => v.Version).IsConcurrencyToken();
            volunteer.Ignore(v => v.Division);
            volunteer.Ignore(v => v.IsApproved);
            volunteer.Ignore(v => v.IsSuspended);
        });
        modelBuilder.Entity<PartnerClient>(client =>
        {
            client.ToTable("partner_clients");
            client.HasKey(c => c.ClientId);
            client.Property(c => c.ClientId).HasMaxLength(64);
            client.Property(c => c.DisplayName).HasMaxLength(100);
            client.Property(c => c.Scopes).HasMaxLength(500);
            client.Property(c => c.DivisionScope).HasMaxLength(12);
            client.Ignore(c => c.ScopeList);
            client.HasMany(c => c.Secrets).WithOne().HasForeignKey(s => s.ClientId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<PartnerClientSecret>(secret =>
        {
            secret.ToTable("partner_client_secrets");
            secret.HasKey(s => s.Id);
            // Ids are made by the domain; without this EF would take a new secret found through the client's
            // collection for an existing row and update it.
            secret.Property(s => s.Id).ValueGeneratedNever();
            secret.Property(s => s.ClientId).HasMaxLength(64);
            secret.Property(s => s.Hash).HasMaxLength(64);
            secret.Property(s => s.Hint).HasMaxLength(8);
        });
        modelBuilder.Entity<AuditEntry>(entry =>
        {
            entry.ToTable("audit_entries");
            entry.HasKey(e => e.Id);
            entry.Property(e => e.DivisionCode).HasMaxLength(12);
            entry.Property(e => e.Service).HasMaxLength(50);
            entry.Property(e => e.Action).HasMaxLength(300);
            entry.Property(e => e.Detail).HasMaxLength(2000);
            entry.Property(e => e.SubjectId).HasMaxLength(100);
            entry.Property(e => e.SubjectName).HasMaxLength(100);
            entry.Property(e => e.Role).HasMaxLength(30);
            entry.Property(e => e.ClientId).HasMaxLength(100);
            entry.Property(e => e.IpAddress).HasMaxLength(64);
            entry.Property(e => e.UserAgent).HasMaxLength(300);
            entry.Property(e => e.CorrelationId).HasMaxLength(100);
            // The query reads newest first, by time and division prefix or subject.
            entry.HasIndex(e => e.OccurredAt);
            entry.HasIndex(e => new { e.DivisionCode, e.OccurredAt });
            entry.HasIndex(e => new { e.SubjectId, e.OccurredAt });
        });
    }
}
