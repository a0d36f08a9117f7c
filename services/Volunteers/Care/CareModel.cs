using Microsoft.EntityFrameworkCore;

namespace PracticeMesh.Volunteers.Care;

/// <summary>The care tables in the volunteers' database: recipients, pairings and visits.</summary>
internal static class CareModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<CareRecipient>(recipient =>
        {
            recipient.ToTable("care_recipients");
            recipient.HasKey(r => r.Id);
            recipient.Property(r => r.Name).HasMaxLength(CareRecipient.MaxNameLength);
            recipient.Property(r => r.Category).HasConversion<string>().HasMaxLength(24);
            recipient.Property(r => r.Address).HasMaxLength(CareRecipient.MaxAddressLength);
            recipient.Property(r => r.Status).HasConversion<string>().HasMaxLength(12);
            recipient.Property(r => r.RetirementReason).HasMaxLength(500);
            recipient.Property(r => r.IdCardHash).HasMaxLength(64);
            recipient.Property(r => r.IdCardCipher).HasMaxLength(200);
            recipient.Property(r => r.IdCardMasked).HasMaxLength(18);
            recipient.Property(r => r.Sex).HasConversion<string>().HasMaxLength(8);
            recipient.Property(r => r.MobileCipher).HasMaxLength(200);
            recipient.Property(r => r.MobileMasked).HasMaxLength(11);
            // A person is in the county's register once (those given without an ID number cannot be matched).
            recipient.HasIndex(r => r.IdCardHash).IsUnique();
            recipient.HasIndex(r => r.DivisionCode).HasOperators("text_pattern_ops");
        });
        modelBuilder.Entity<CarePairing>(pairing =>
        {
            pairing.ToTable("care_pairings");
            pairing.HasKey(p => p.Id);
            pairing.Property(p => p.EndReason).HasMaxLength(500);
            // One open pairing of the same two at a time, even when two admins pair them at once.
            pairing.HasIndex(p => new { p.VolunteerId, p.RecipientId }).IsUnique().HasFilter("\"EndedAt\" IS NULL").HasDatabaseName("ix_care_pairings_open");
            pairing.HasIndex(p => new { p.RecipientId, p.StartsOn });
            pairing.HasIndex(p => p.DivisionCode).HasOperators("text_pattern_ops");
        });
        modelBuilder.Entity<CareVisit>(visit =>
        {
            visit.ToTable("care_visits");
            visit.HasKey(v => v.Id);
            visit.Property(v => v.Summary).HasMaxLength(CareVisit.MaxSummaryLength);
            visit.Property(v => v.RecordedBy).HasMaxLength(100);
            visit.Ignore(v => v.Hours);
            // One visit per volunteer, household and day: a request sent twice is recorded and credited once.
            visit.HasIndex(v => new { v.VolunteerId, v.RecipientId, v.VisitedOn }).IsUnique();
            visit.HasIndex(v => v.DivisionCode).HasOperators("text_pattern_ops");
            visit.HasIndex(v => v.LedgerEntryId).IsUnique();
        });
    }
}
