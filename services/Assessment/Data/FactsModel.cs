using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PracticeMesh.Assessment.Facts;
using PracticeMesh.Assessment.Measures;

namespace PracticeMesh.Assessment.Data;

internal sealed class MeasureCellConfiguration : IEntityTypeConfiguration<MeasureCell>
{
    public void Configure(EntityTypeBuilder<MeasureCell> cell)
    {
        cell.ToTable("measure_cells");
        cell.HasKey(c => new { c.Kind, c.Subject, c.Month, c.Measure });
        cell.Property(c => c.Kind).HasConversion<string>().HasMaxLength(10);
        cell.Property(c => c.Subject).HasMaxLength(40);
        cell.Property(c => c.Month).HasMaxLength(7);
        cell.Property(c => c.Measure).HasMaxLength(40);
        cell.Ignore(c => c.Key);
        // Concurrent consumers read-modify-write the same cell; the loser's save fails and its retry adds again.
        cell.Property(c => c.Version).IsConcurrencyToken();
        // A rebuild replaces whole months; rankings read a month range of many subjects.
        cell.HasIndex(c => new { c.Month, c.Kind, c.Measure });
    }
}

internal sealed class LeaderboardMarkConfiguration : IEntityTypeConfiguration<LeaderboardMark>
{
    public void Configure(EntityTypeBuilder<LeaderboardMark> mark)
    {
        mark.ToTable("leaderboard_marks");
        mark.HasKey(m => m.Id);
        mark.Property(m => m.Kind).HasConversion<string>().HasMaxLength(10);
        mark.Property(m => m.Subject).HasMaxLength(40);
    }
}

internal sealed class StationFactConfiguration : IEntityTypeConfiguration<StationFact>
{
    public void Configure(EntityTypeBuilder<StationFact> station)
    {
        station.ToTable("station_facts");
        station.HasKey(s => s.StationCode);
        station.Property(s => s.StationCode).HasMaxLength(20);
        station.Property(s => s.Name).HasMaxLength(100);
        station.Property(s => s.Kind).HasConversion<string>().HasMaxLength(20);
        station.Property(s => s.ParentStationCode).HasMaxLength(20);
        station.Property(s => s.Version).IsConcurrencyToken();
        station.HasIndex(s => s.DivisionCode);
    }
}

internal sealed class SixHavesFactConfiguration : IEntityTypeConfiguration<SixHavesFact>
{
    public void Configure(EntityTypeBuilder<SixHavesFact> fact)
    {
        fact.ToTable("six_haves_facts");
        fact.HasKey(f => f.EventId);
        fact.Property(f => f.StationCode).HasMaxLength(20);
        fact.HasIndex(f => new { f.StationCode, f.OccurredAt });
    }
}

internal sealed class StaffingFactConfiguration : IEntityTypeConfiguration<StaffingFact>
{
    public void Configure(EntityTypeBuilder<StaffingFact> fact)
    {
        fact.ToTable("staffing_facts");
        fact.HasKey(f => f.EventId);
        fact.Property(f => f.StationCode).HasMaxLength(20);
        fact.HasIndex(f => new { f.StationCode, f.OccurredAt });
    }
}

internal sealed class VolunteerFactConfiguration : IEntityTypeConfiguration<VolunteerFact>
{
    public void Configure(EntityTypeBuilder<VolunteerFact> volunteer)
    {
        volunteer.ToTable("volunteer_facts");
        volunteer.HasKey(v => v.VolunteerId);
        volunteer.Property(v => v.Name).HasMaxLength(50);
        volunteer.Property(v => v.HomeStationCode).HasMaxLength(20);
        volunteer.Property(v => v.CategoryList).HasMaxLength(300);
        volunteer.HasIndex(v => v.HomeStationCode);
    }
}

internal sealed class VolunteerStatusFactConfiguration : IEntityTypeConfiguration<VolunteerStatusFact>
{
    public void Configure(EntityTypeBuilder<VolunteerStatusFact> fact)
    {
        fact.ToTable("volunteer_status_facts");
        fact.HasKey(f => f.EventId);
        fact.HasIndex(f => new { f.VolunteerId, f.OccurredAt });
    }
}

internal sealed class TeamFactConfiguration : IEntityTypeConfiguration<TeamFact>
{
    public void Configure(EntityTypeBuilder<TeamFact> team)
    {
        team.ToTable("team_facts");
        team.HasKey(t => t.TeamId);
        team.Property(t => t.Name).HasMaxLength(100);
        team.Property(t => t.HomeStationCode).HasMaxLength(20);
        team.Property(t => t.Tier).HasConversion<string>().HasMaxLength(20);
        team.Property(t => t.Type).HasConversion<string>().HasMaxLength(30);
        team.HasIndex(t => t.HomeStationCode);
    }
}

internal sealed class TeamMembershipFactConfiguration : IEntityTypeConfiguration<TeamMembershipFact>
{
    public void Configure(EntityTypeBuilder<TeamMembershipFact> fact)
    {
        fact.ToTable("team_membership_facts");
        fact.HasKey(f => f.EventId);
        fact.HasIndex(f => new { f.TeamId, f.VolunteerId, f.OccurredAt });
    }
}

internal sealed class ActivityFactConfiguration : IEntityTypeConfiguration<ActivityFact>
{
    public void Configure(EntityTypeBuilder<ActivityFact> activity)
    {
        activity.ToTable("activity_facts");
        activity.HasKey(a => a.ActivityId);
        activity.Property(a => a.StationCode).HasMaxLength(20);
        activity.Property(a => a.Month).HasMaxLength(7);
        activity.Property(a => a.Category).HasConversion<string>().HasMaxLength(30);
        activity.Property(a => a.Version).IsConcurrencyToken();
        activity.Ignore(a => a.Completed);
        activity.Ignore(a => a.Concentrated);
        activity.HasIndex(a => new { a.Month, a.StationCode });
        activity.HasIndex(a => new { a.TeamId, a.Month });
    }
}

internal sealed class ParticipationFactConfiguration : IEntityTypeConfiguration<ParticipationFact>
{
    public void Configure(EntityTypeBuilder<ParticipationFact> participation)
    {
        participation.ToTable("participation_facts");
        participation.HasKey(p => new { p.ActivityId, p.VolunteerId });
        participation.Property(p => p.StationCode).HasMaxLength(20);
        participation.Property(p => p.Month).HasMaxLength(7);
        participation.Property(p => p.Version).IsConcurrencyToken();
        participation.Ignore(p => p.Hundredths);
        participation.Ignore(p => p.TookPart);
        participation.HasIndex(p => p.Month);
        participation.HasIndex(p => new { p.TeamId, p.Month });
        participation.HasIndex(p => new { p.VolunteerId, p.Month });
    }
}

internal sealed class HoursFactConfiguration : IEntityTypeConfiguration<HoursFact>
{
    public void Configure(EntityTypeBuilder<HoursFact> hours)
    {
        hours.ToTable("hours_facts");
        hours.HasKey(h => h.LedgerEntryId);
        hours.Property(h => h.Month).HasMaxLength(7);
        hours.HasIndex(h => h.Month);
        hours.HasIndex(h => new { h.VolunteerId, h.Month });
    }
}

internal sealed class RatingFactConfiguration : IEntityTypeConfiguration<RatingFact>
{
    public void Configure(EntityTypeBuilder<RatingFact> rating)
    {
        rating.ToTable("rating_facts");
        rating.HasKey(r => r.EventId);
        rating.Property(r => r.Source).HasConversion<string>().HasMaxLength(10);
        rating.Property(r => r.StationCode).HasMaxLength(20);
        rating.Property(r => r.Month).HasMaxLength(7);
        rating.HasIndex(r => new { r.Month, r.StationCode });
        rating.HasIndex(r => new { r.TeamId, r.Month });
    }
}

internal sealed class OrderFactConfiguration : IEntityTypeConfiguration<OrderFact>
{
    public void Configure(EntityTypeBuilder<OrderFact> order)
    {
        order.ToTable("order_facts");
        order.HasKey(o => o.OrderId);
        order.Property(o => o.StationCode).HasMaxLength(20);
        order.Property(o => o.Month).HasMaxLength(7);
        order.HasIndex(o => new { o.Month, o.StationCode });
    }
}

internal sealed class CareVisitFactConfiguration : IEntityTypeConfiguration<CareVisitFact>
{
    public void Configure(EntityTypeBuilder<CareVisitFact> visit)
    {
        visit.ToTable("care_visit_facts");
        visit.HasKey(v => v.VisitId);
        visit.Property(v => v.StationCode).HasMaxLength(20);
        visit.Property(v => v.Month).HasMaxLength(7);
        visit.HasIndex(v => new { v.Month, v.StationCode });
    }
}

internal sealed class CaseFactConfiguration : IEntityTypeConfiguration<CaseFact>
{
    public void Configure(EntityTypeBuilder<CaseFact> fact)
    {
        fact.ToTable("case_facts");
        fact.HasKey(c => c.CaseId);
        fact.Property(c => c.StationCode).HasMaxLength(20);
        fact.Property(c => c.GridCode).HasMaxLength(40);
        fact.Property(c => c.Category).HasMaxLength(60);
        fact.Property(c => c.ReportedMonth).HasMaxLength(7);
        fact.Property(c => c.ClosedMonth).HasMaxLength(7);
        fact.Property(c => c.Outcome).HasConversion<string>().HasMaxLength(20);
        fact.Property(c => c.Version).IsConcurrencyToken();
        fact.Ignore(c => c.Resolved);
        fact.HasIndex(c => c.ReportedMonth);
        fact.HasIndex(c => c.ClosedMonth);
    }
}
