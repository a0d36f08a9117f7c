using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Data;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.Grid.TimeLimits;

/// <summary>
/// The revision of a county-wide settings document this cell holds: <c>categories</c>, or <c>calendar-{year}</c>.
/// No row means the shipped defaults, older than any change the county made.
/// </summary>
public sealed class SettingsRevision
{
    private SettingsRevision() { }

    public SettingsRevision(string document) => Document = document;

    public string Document { get; private set; } = "";
    public long Revision { get; set; }
}

internal sealed class SettingsRevisionMapping : IEntityTypeConfiguration<SettingsRevision>
{
    public void Configure(EntityTypeBuilder<SettingsRevision> entity)
    {
        entity.ToTable("settings_revisions");
        entity.HasKey(r => r.Document);
        entity.Property(r => r.Document).HasMaxLength(40);
        // Two writes of one document at once: the second is 409, so no event carries a list missing the other's change.
        entity.Property(r => r.Revision).IsConcurrencyToken();
    }
}

/// <summary>
/// The county-wide settings (case categories with their time limits, the working calendar) are the same in every grid
/// cell: the cell that takes a county administrator's write publishes the whole document with a revision
/// (<see cref="CaseCategoriesChanged"/>, <see cref="WorkingCalendarChanged"/>), and every cell, the writer included,
/// applies a document only when its revision is newer than the one it holds. Copies, late arrivals and any order
/// therefore end with the latest document everywhere.
/// </summary>
public static class CountySettings
{
    public const string Categories = "categories";

    public static string Calendar(int year) => $"calendar-{year}";

    /// <summary>The revision a write made now gets: its time in ticks, and always past the one held.</summary>
    public static async Task<long> NextRevisionAsync(GridDbContext db, string document, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var held = await HeldAsync(db, document, cancellationToken);
        held.Revision = Math.Max(now.UtcTicks, held.Revision + 1);
        return held.Revision;
    }

    /// <summary>
    /// Takes <paramref name="revision"/> for <paramref name="document"/> when it is newer than the one held; false for a
    /// document this cell has seen (its own write, a copy) or one overtaken by a newer one.
    /// </summary>
    public static async Task<bool> TakeIfNewerAsync(GridDbContext db, string document, long revision, CancellationToken cancellationToken)
    {
        var held = await HeldAsync(db, document, cancellationToken);
        if (revision <= held.Revision)
        {
            return false;
        }
        held.Revision = revision;
        return true;
    }

    private static async Task<SettingsRevision> HeldAsync(GridDbContext db, string document, CancellationToken cancellationToken)
    {
        var held = await db.Set<SettingsRevision>().FindAsync([document], cancellationToken);
        if (held is null)
        {
            held = new SettingsRevision(document);
            db.Add(held);
        }
        return held;
    }

    /// <summary>The whole category list after a write, as the event carries it (<paramref name="categories"/> are tracked).</summary>
    public static CaseCategoriesChanged CategoriesChanged(IEnumerable<CaseCategory> categories, DivisionCode county, long revision, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), now, county, revision, [.. categories.OrderBy(c => c.Code, StringComparer.Ordinal).Select(c => new CaseCategorySetting(
            c.Code, c.Name, c.Description, Limit(c.AcceptWithin), Limit(c.HandleWithin), Limit(c.VerifyWithin), c.StaysInGrid, c.Active, c.Version))]);

    private static CaseTimeLimit Limit(WorkingTime limit) => new(limit.Amount, limit.Unit.ToString());

    internal static WorkingTime Limit(CaseTimeLimit limit) =>
        new(limit.Amount, Enum.TryParse<LimitUnit>(limit.Unit, ignoreCase: false, out var unit) && Enum.IsDefined(unit)
            ? unit
            : throw new InvalidOperationException($"Unknown time limit unit '{limit.Unit}'."));
}

/// <summary>Makes this cell's case categories the county's list when it is newer than the one held.</summary>
public sealed class ApplyCaseCategoriesChanged(GridDbContext db, TimeProvider time)
    : IdempotentConsumer<CaseCategoriesChanged, GridDbContext>(db, time)
{
    protected override async Task HandleAsync(CaseCategoriesChanged message, CancellationToken cancellationToken)
    {
        if (!await CountySettings.TakeIfNewerAsync(Db, CountySettings.Categories, message.Revision, cancellationToken))
        {
            return;
        }
        var held = await Db.CaseCategories.ToDictionaryAsync(c => c.Code, StringComparer.Ordinal, cancellationToken);
        foreach (var setting in message.Categories)
        {
            if (held.Remove(setting.Code, out var category))
            {
                category.Mirror(setting);
            }
            else
            {
                Db.CaseCategories.Add(CaseCategory.Mirrored(setting));
            }
        }
        // Categories are never deleted (cases name them): one the county's list does not have is not offered here either.
        foreach (var extra in held.Values)
        {
            extra.Deactivate();
        }
    }
}

/// <summary>Makes this cell's calendar of a year the county's when it is newer than the one held.</summary>
public sealed class ApplyWorkingCalendarChanged(GridDbContext db, TimeProvider time, WorkingCalendarStore store) : IConsumer<WorkingCalendarChanged>
{
    public async Task Consume(ConsumeContext<WorkingCalendarChanged> context)
    {
        var message = context.Message;
        var cancellationToken = context.CancellationToken;
        if (!await CountySettings.TakeIfNewerAsync(db, CountySettings.Calendar(message.Year), message.Revision, cancellationToken))
        {
            return;
        }
        var calendar = await db.Set<CalendarYear>().SingleOrDefaultAsync(y => y.Year == message.Year, cancellationToken);
        if (calendar is null)
        {
            db.Add(new CalendarYear(message.Year, message.Holidays, message.Workdays, CalendarSource.County, message.OccurredAt));
        }
        else
        {
            calendar.Replace(message.Holidays, message.Workdays, message.OccurredAt);
        }
        if (await Inbox.SaveOnceAsync(db, GetType().FullName!, message.EventId, time, () => db.SaveChangesAsync(cancellationToken), cancellationToken))
        {
            // After the commit, so a count in between cannot cache the old year again.
            store.Invalidate();
        }
    }
}
