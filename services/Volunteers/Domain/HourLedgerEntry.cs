using PracticeMesh.Contracts;

namespace PracticeMesh.Volunteers.Domain;

public enum LedgerEntryKind { ActivityCredit, ManualCredit, Correction }

/// <summary>
/// One line of a volunteer's hour ledger. The ledger is append-only: corrections are new entries, never edits.
/// Time is kept in whole minutes so sums are exact on every database.
/// </summary>
public sealed class HourLedgerEntry
{
    private HourLedgerEntry() { }

    public Guid Id { get; private set; }
    public Guid VolunteerId { get; private set; }
    /// <summary>The activity credited; at most one entry per activity and volunteer (a unique index).</summary>
    public Guid? ActivityId { get; private set; }
    public DivisionCode DivisionCode { get; private set; }
    public LedgerEntryKind Kind { get; private set; }
    public int Minutes { get; private set; }
    public DateTimeOffset ServedOn { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }

    /// <summary>Hours over a day are not service time.</summary>
    public const int MaxMinutesPerActivity = 24 * 60;

    public static HourLedgerEntry CreditActivity(Guid volunteerId, Guid activityId, DivisionCode stationDivision, decimal hours, DateTimeOffset servedOn, DateTimeOffset now)
    {
        var minutes = (int)Math.Round(hours * 60m, MidpointRounding.AwayFromZero);
        if (minutes is < 0 or > MaxMinutesPerActivity)
        {
            throw new ArgumentOutOfRangeException(nameof(hours), hours, "Credited hours must lie between 0 and 24.");
        }
        return new HourLedgerEntry
        {
            Id = Guid.CreateVersion7(now),
            VolunteerId = volunteerId,
            ActivityId = activityId,
            DivisionCode = stationDivision,
            Kind = LedgerEntryKind.ActivityCredit,
            Minutes = minutes,
            ServedOn = servedOn,
            RecordedAt = now,
        };
    }

    public decimal Hours => Math.Round(Minutes / 60m, 2);
}
