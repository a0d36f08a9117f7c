using Microsoft.EntityFrameworkCore;
using PracticeMesh.Activities.Attendance;
using PracticeMesh.Activities.Lecturers;
using PracticeMesh.Activities.Lifecycle;
using PracticeMesh.Activities.Orders;
using PracticeMesh.Activities.Ratings;
using PracticeMesh.Activities.Records;
using PracticeMesh.Activities.Series;
using PracticeMesh.Activities.Shared;
using PracticeMesh.ServiceDefaults.Data;

namespace PracticeMesh.Activities.Data;

public sealed class ActivitiesDbContext(DbContextOptions<ActivitiesDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Activity> Activities => Set<Activity>();
    public DbSet<SignUp> SignUps => Set<SignUp>();
    public DbSet<ResidentInterest> ResidentInterests => Set<ResidentInterest>();
    public DbSet<ActivityRating> Ratings => Set<ActivityRating>();
    public DbSet<ServiceItem> ServiceItems => Set<ServiceItem>();
    public DbSet<ServiceOrder> Orders => Set<ServiceOrder>();
    public DbSet<OrderEscalation> OrderEscalations => Set<OrderEscalation>();
    public DbSet<KnownStation> Stations => Set<KnownStation>();
    public DbSet<KnownVolunteer> Volunteers => Set<KnownVolunteer>();
    public DbSet<KnownTeam> Teams => Set<KnownTeam>();
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();
    public DbSet<ActivitySeries> Series => Set<ActivitySeries>();
    public DbSet<Lecturer> Lecturers => Set<Lecturer>();
    public DbSet<ActivityRecord> ActivityRecords => Set<ActivityRecord>();
    public DbSet<RecordAttachment> RecordAttachments => Set<RecordAttachment>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Activity>(activity =>
        {
            activity.ToTable("activities");
            activity.HasKey(a => a.Id);
            activity.Property(a => a.StationCode).HasMaxLength(20);
            activity.Property(a => a.Title).HasMaxLength(200);
            activity.Property(a => a.Category).HasConversion<string>().HasMaxLength(24);
            activity.Property(a => a.Status).HasConversion<string>().HasMaxLength(12);
            activity.Property(a => a.Platform).HasConversion<string>().HasMaxLength(24);
            activity.Property(a => a.FestivalTag).HasConversion<string>().HasMaxLength(24);
            activity.Property(a => a.Venue).HasMaxLength(200);
            activity.Property(a => a.Lecturer).HasMaxLength(100);
            activity.Property(a => a.Audience).HasMaxLength(200);
            activity.Property(a => a.Content).HasMaxLength(2000);
            activity.Property(a => a.Place).HasMaxLength(200);
            activity.Property(a => a.CancelReason).HasMaxLength(500);
            activity.Ignore(a => a.ConfirmedCount);
            activity.HasIndex(a => a.SeriesId);
            activity.HasIndex(a => new { a.StationCode, a.StartsAt });
            activity.HasIndex(a => new { a.DivisionCode, a.StartsAt });
            activity.HasMany(a => a.SignUps).WithOne().HasForeignKey(s => s.ActivityId);
            activity.Navigation(a => a.SignUps).HasField("_signUps").UsePropertyAccessMode(PropertyAccessMode.Field);
            // Every change of the activity or its places bumps Version: two sign-ups racing for the last place, or two
            // organisers completing at once, and the second save fails instead of overbooking or publishing twice.
            activity.Property(a => a.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<SignUp>(signUp =>
        {
            signUp.ToTable("sign_ups");
            signUp.HasKey(s => new { s.ActivityId, s.VolunteerId });
            signUp.Property(s => s.Status).HasConversion<string>().HasMaxLength(12);
            signUp.Property(s => s.CheckInMethod).HasConversion<string>().HasMaxLength(12);
            signUp.Property(s => s.CheckOutMethod).HasConversion<string>().HasMaxLength(12);
            signUp.Property(s => s.AttendanceNote).HasMaxLength(500);
            signUp.Property(s => s.CreditedHours).HasPrecision(9, 2);
            // The overlap check reads a volunteer's sign-ups.
            signUp.HasIndex(s => s.VolunteerId);
            signUp.Property(s => s.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<ResidentInterest>(interest =>
        {
            interest.ToTable("resident_interests");
            interest.HasKey(i => new { i.ActivityId, i.ResidentId });
            interest.Property(i => i.ResidentId).HasMaxLength(100);
        });
        modelBuilder.Entity<ActivityRating>(rating =>
        {
            rating.ToTable("activity_ratings");
            // One rating per resident per activity, enforced by the key as well as the handler.
            rating.HasKey(r => new { r.ActivityId, r.ResidentId });
            rating.Property(r => r.ResidentId).HasMaxLength(100);
            rating.Property(r => r.StationCode).HasMaxLength(20);
            rating.Property(r => r.Comment).HasMaxLength(500);
            rating.HasIndex(r => r.StationCode);
            rating.HasIndex(r => r.TeamId);
        });
        modelBuilder.Entity<ServiceItem>(item =>
        {
            item.ToTable("service_items");
            item.HasKey(i => i.Id);
            item.Property(i => i.StationCode).HasMaxLength(20);
            item.Property(i => i.Title).HasMaxLength(100);
            item.Property(i => i.Description).HasMaxLength(1000);
            item.Property(i => i.Category).HasConversion<string>().HasMaxLength(24);
            item.HasIndex(i => i.StationCode);
        });
        modelBuilder.Entity<ServiceOrder>(order =>
        {
            order.ToTable("service_orders");
            order.HasKey(o => o.Id);
            order.Property(o => o.ResidentId).HasMaxLength(100);
            order.Property(o => o.StationCode).HasMaxLength(20);
            order.Property(o => o.Title).HasMaxLength(100);
            order.Property(o => o.Details).HasMaxLength(1000);
            order.Property(o => o.Status).HasConversion<string>().HasMaxLength(12);
            order.Property(o => o.LastDeclineReason).HasMaxLength(500);
            order.Property(o => o.Comment).HasMaxLength(500);
            order.Property(o => o.EscalationReason).HasConversion<string>().HasMaxLength(16);
            order.Ignore(o => o.IsWish);
            // Every change bumps Version: of two replicas sweeping the same late order, only one saves its escalation.
            order.Property(o => o.Version).IsConcurrencyToken();
            order.HasIndex(o => new { o.DivisionCode, o.Status });
            order.HasIndex(o => new { o.ResidentId, o.PlacedAt });
            // The sweep's question: open orders by age.
            order.HasIndex(o => new { o.Status, o.PlacedAt });
        });
        modelBuilder.Entity<OrderEscalation>(escalation =>
        {
            escalation.ToTable("order_escalations");
            // One row per order and step: a second sweep escalating the same step fails on the key and publishes nothing.
            escalation.HasKey(e => new { e.OrderId, e.Level });
            escalation.Property(e => e.Reason).HasConversion<string>().HasMaxLength(16);
        });
        modelBuilder.Entity<KnownStation>(station =>
        {
            station.ToTable("known_stations");
            station.HasKey(s => s.Code);
            station.Property(s => s.Code).HasMaxLength(20);
            station.Property(s => s.Name).HasMaxLength(100);
            station.Ignore(s => s.IsClosed);
            station.Property(s => s.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<KnownVolunteer>(volunteer =>
        {
            volunteer.ToTable("known_volunteers");
            volunteer.HasKey(v => v.Id);
            volunteer.Property(v => v.DisplayName).HasMaxLength(50);
            volunteer.Ignore(v => v.IsSuspended);
            volunteer.Property(v => v.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<KnownTeam>(team =>
        {
            team.ToTable("known_teams");
            team.HasKey(t => t.Id);
            team.Property(t => t.Name).HasMaxLength(100);
            team.Property(t => t.HomeStationCode).HasMaxLength(20);
            team.HasIndex(t => t.DivisionCode);
        });
        modelBuilder.Entity<TeamMember>(member =>
        {
            member.ToTable("team_members");
            member.HasKey(m => new { m.TeamId, m.VolunteerId });
            member.Property(m => m.Version).IsConcurrencyToken();
        });
        OnSchedulingModelCreating(modelBuilder);
    }

    /// <summary>Series, lecturer pools and records.</summary>
    private static void OnSchedulingModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ActivitySeries>(series =>
        {
            series.ToTable("activity_series");
            series.HasKey(x => x.Id);
            series.Property(x => x.StationCode).HasMaxLength(20);
            series.Property(x => x.Frequency).HasConversion<string>().HasMaxLength(12);
            series.Property(x => x.Title).HasMaxLength(200);
            series.Property(x => x.Category).HasConversion<string>().HasMaxLength(24);
            series.Property(x => x.Platform).HasConversion<string>().HasMaxLength(24);
            series.Property(x => x.Venue).HasMaxLength(200);
            series.Property(x => x.Lecturer).HasMaxLength(100);
            series.Property(x => x.Audience).HasMaxLength(200);
            series.Property(x => x.Content).HasMaxLength(2000);
            series.Property(x => x.Place).HasMaxLength(200);
            series.Property(x => x.CancelReason).HasMaxLength(500);
            series.Ignore(x => x.Recurrence);
            series.Property(x => x.Version).IsConcurrencyToken();
            series.HasIndex(x => x.DivisionCode);
        });
        modelBuilder.Entity<Lecturer>(lecturer =>
        {
            lecturer.ToTable("lecturers");
            lecturer.HasKey(l => l.Id);
            lecturer.Property(l => l.Name).HasMaxLength(50);
            lecturer.Property(l => l.Phone).HasMaxLength(20);
            lecturer.Ignore(l => l.MaskedPhone);
            lecturer.HasIndex(l => l.DivisionCode);
        });
        modelBuilder.Entity<ActivityRecord>(record =>
        {
            record.ToTable("activity_records");
            record.HasKey(r => r.ActivityId);
            record.Property(r => r.Summary).HasMaxLength(RecordsApi.MaxSummaryLength);
        });
        modelBuilder.Entity<RecordAttachment>(attachment =>
        {
            attachment.ToTable("record_attachments");
            attachment.HasKey(a => a.Id);
            attachment.Property(a => a.Kind).HasConversion<string>().HasMaxLength(12);
            attachment.Property(a => a.FileName).HasMaxLength(200);
            attachment.Property(a => a.ContentType).HasMaxLength(100);
            attachment.Property(a => a.StorageKey).HasMaxLength(200);
            attachment.HasIndex(a => a.ActivityId);
        });
    }
}
