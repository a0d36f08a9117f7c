using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.Volunteers.Care;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Data;

public sealed class VolunteersDbContext(DbContextOptions<VolunteersDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Volunteer> Volunteers => Set<Volunteer>();
    public DbSet<HourLedgerEntry> HourLedger => Set<HourLedgerEntry>();
    public DbSet<HourCorrectionRequest> CorrectionRequests => Set<HourCorrectionRequest>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMembership> TeamMemberships => Set<TeamMembership>();
    public DbSet<ServiceRecordCertificate> Certificates => Set<ServiceRecordCertificate>();
    public DbSet<Achievement> Achievements => Set<Achievement>();
    public DbSet<CareRecipient> CareRecipients => Set<CareRecipient>();
    public DbSet<CarePairing> CarePairings => Set<CarePairing>();
    public DbSet<CareVisit> CareVisits => Set<CareVisit>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Volunteer>(volunteer =>
        {
            volunteer.ToTable("volunteers");
            volunteer.HasKey(v => v.Id);
            volunteer.Property(v => v.Name).HasMaxLength(50);
            volunteer.Property(v => v.Status).HasConversion<string>().HasMaxLength(12);
            volunteer.Property(v => v.RejectionReason).HasMaxLength(500);
            volunteer.Property(v => v.SuspensionReason).HasMaxLength(500);
            volunteer.Property(v => v.IdCardHash).HasMaxLength(64);
            volunteer.Property(v => v.IdCardCipher).HasMaxLength(200);
            volunteer.Property(v => v.IdCardMasked).HasMaxLength(18);
            volunteer.Property(v => v.MobileCipher).HasMaxLength(200);
            volunteer.Property(v => v.MobileMasked).HasMaxLength(11);
            volunteer.Property(v => v.Sex).HasConversion<string>().HasMaxLength(8);
            volunteer.Property(v => v.PoliticalStatus).HasConversion<string>().HasMaxLength(16);
            volunteer.Property(v => v.CategoryList).HasMaxLength(300);
            volunteer.Property(v => v.SkillList).HasMaxLength(700);
            volunteer.Ignore(v => v.Categories);
            volunteer.Ignore(v => v.Skills);
            // One person registers once, county-wide: the keyed hash of the ID number is unique.
            volunteer.HasIndex(v => v.IdCardHash).IsUnique();
            // Lists and reports select by division prefix (LIKE '321324104%'): on PostgreSQL that needs pattern
            // operators unless the database's collation is C; equality (a station) uses the same index.
            volunteer.HasIndex(v => v.DivisionCode).HasOperators("text_pattern_ops");
            volunteer.HasIndex(v => v.Name);
            // One self-registration per person while it stands (pending, approved or suspended); after a rejection
            // the person may try again. The filter is plain SQL both PostgreSQL and SQLite read.
            volunteer.HasIndex(v => v.PersonId).IsUnique().HasFilter("\"PersonId\" IS NOT NULL AND \"Status\" <> 'Rejected'");
            volunteer.Property(v => v.UnitStationCode).HasMaxLength(StationCode.MaxLength);
            volunteer.Ignore(v => v.HomeStationCode);
        });
        modelBuilder.Entity<HourLedgerEntry>(entry =>
        {
            entry.ToTable("hour_ledger");
            entry.HasKey(e => e.Id);
            entry.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
            entry.Property(e => e.Reason).HasMaxLength(500);
            entry.Property(e => e.ApprovedBy).HasMaxLength(100);
            entry.Property(e => e.ApprovedBySubject).HasMaxLength(100);
            entry.Ignore(e => e.Hours);
            // Exactly one credit per activity and volunteer, whatever the redeliveries.
            entry.HasIndex(e => new { e.ActivityId, e.VolunteerId }).IsUnique();
            // The time rides along so totals and obligation reports sum from the index alone (an index-only scan on
            // PostgreSQL): a township's year is read from ~50,000 index entries, not the county's whole ledger.
            entry.HasIndex(e => new { e.VolunteerId, e.ServedOn }).IncludeProperties(e => e.Hundredths);
            entry.HasIndex(e => e.CorrectsEntryId);
            // One accepted request yields one entry, even when two admins accept it at once.
            entry.HasIndex(e => e.CorrectionRequestId).IsUnique();
            // One credit per care visit.
            entry.HasIndex(e => e.CareVisitId).IsUnique();
        });
        modelBuilder.Entity<HourCorrectionRequest>(request =>
        {
            request.ToTable("hour_correction_requests");
            request.HasKey(r => r.Id);
            request.Property(r => r.Status).HasConversion<string>().HasMaxLength(12);
            request.Property(r => r.Reason).HasMaxLength(500);
            request.Property(r => r.DecisionReason).HasMaxLength(500);
            request.Property(r => r.RequestedBy).HasMaxLength(100);
            request.Property(r => r.DecidedBy).HasMaxLength(100);
            request.Ignore(r => r.Hours);
            request.HasIndex(r => new { r.VolunteerId, r.RequestedAt });
            request.HasIndex(r => new { r.DivisionCode, r.Status });
        });
        modelBuilder.Entity<Team>(team =>
        {
            team.ToTable("teams");
            team.HasKey(t => t.Id);
            team.Property(t => t.Name).HasMaxLength(100);
            team.Property(t => t.Tier).HasConversion<string>().HasMaxLength(12);
            team.Property(t => t.Type).HasConversion<string>().HasMaxLength(24);
            team.HasIndex(t => t.DivisionCode);
            team.HasIndex(t => t.ParentTeamId);
            team.Property(t => t.UnitStationCode).HasMaxLength(StationCode.MaxLength);
            team.Ignore(t => t.HomeStationCode);
        });
        modelBuilder.Entity<TeamMembership>(membership =>
        {
            membership.ToTable("team_memberships");
            membership.HasKey(m => m.Id);
            membership.HasIndex(m => new { m.TeamId, m.VolunteerId });
            membership.HasIndex(m => new { m.VolunteerId, m.LeftAt });
        });
        modelBuilder.Entity<ServiceRecordCertificate>(certificate =>
        {
            certificate.ToTable("certificates");
            certificate.HasKey(c => c.Id);
            certificate.Property(c => c.Serial).HasMaxLength(40);
            certificate.Property(c => c.VerificationHash).HasMaxLength(64);
            certificate.Property(c => c.MaskedName).HasMaxLength(50);
            certificate.Property(c => c.MaskedIdCard).HasMaxLength(18);
            certificate.Property(c => c.IssuedBy).HasMaxLength(100);
            certificate.Ignore(c => c.TotalHours);
            certificate.HasIndex(c => c.Serial).IsUnique();
            certificate.HasIndex(c => c.VolunteerId);
        });
        modelBuilder.Entity<Achievement>(achievement =>
        {
            achievement.ToTable("achievements");
            achievement.HasKey(a => a.Id);
            achievement.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
            achievement.Property(a => a.Title).HasMaxLength(200);
            achievement.Property(a => a.Issuer).HasMaxLength(100);
            achievement.Property(a => a.RecordedBy).HasMaxLength(100);
            achievement.HasIndex(a => new { a.VolunteerId, a.Kind });
        });
        CareModel.Configure(modelBuilder);
    }
}
