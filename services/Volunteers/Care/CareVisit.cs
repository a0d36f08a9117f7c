using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Care;

/// <summary>
/// A home visit (走访) by a volunteer to a person they are paired with: the China day, what was done and the hours,
/// credited to the volunteer's ledger by one entry (<see cref="LedgerEntryId"/>). A volunteer records one visit per
/// household and day (a unique index), so a request sent twice credits once.
/// </summary>
public sealed class CareVisit
{
    public const int MaxSummaryLength = 1000;

    private CareVisit() { }

    public Guid Id { get; private set; }
    public Guid VolunteerId { get; private set; }
    public Guid RecipientId { get; private set; }
    public Guid PairingId { get; private set; }
    /// <summary>The recipient's station.</summary>
    public DivisionCode DivisionCode { get; private set; }
    public DateOnly VisitedOn { get; private set; }
    /// <summary>What was done (帮扶内容).</summary>
    public string Summary { get; private set; } = "";
    public int Hundredths { get; private set; }
    public Guid LedgerEntryId { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
    /// <summary>The subject of whoever recorded it: the volunteer, or an admin for them.</summary>
    public string? RecordedBy { get; private set; }

    public decimal Hours => new ServiceTime(Hundredths).Hours;

    /// <summary>
    /// Checks the visit's own fields: the day (not in the future, China time), what was done, and hours above 0 and
    /// at most 24. Returns the hours in hundredths.
    /// </summary>
    public static int Validate(DateOnly? visitedOn, string? summary, decimal? hours, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (visitedOn is not { } day)
        {
            errors["visitedOn"] = ["The day of the visit is required (yyyy-MM-dd)."];
        }
        else if (day > ChinaTime.Today(now))
        {
            errors["visitedOn"] = ["A visit is recorded once made; the day cannot be in the future (China time)."];
        }
        if (string.IsNullOrWhiteSpace(summary) || summary.Trim().Length > MaxSummaryLength)
        {
            errors["summary"] = [$"What was done, in 1 to {MaxSummaryLength} characters, is required."];
        }
        var hundredths = hours is { } h ? ServiceTime.FromHours(h).Hundredths : 0;
        if (hundredths is <= 0 or > HourLedgerEntry.MaxHundredthsPerDay)
        {
            errors["hours"] = ["A visit's hours are more than 0 and at most 24."];
        }
        HourLedgerEntry.ThrowIfAny(errors);
        return hundredths;
    }

    /// <summary>
    /// The pairing of the two that holds on <paramref name="day"/>: a visit to someone outside the volunteer's station,
    /// or not paired with them that day, is refused naming <c>recipientId</c>.
    /// </summary>
    public static CarePairing PairingFor(Volunteer volunteer, CareRecipient recipient, DateOnly day, IEnumerable<CarePairing> pairingsOfTheTwo)
    {
        if (!CarePairing.InStationArea(volunteer.DivisionCode, recipient.DivisionCode))
        {
            throw new DomainValidationException("recipientId", "This person belongs to another station than the volunteer; visits are to the people of one's own station.");
        }
        return pairingsOfTheTwo.Where(p => p.Covers(day)).OrderByDescending(p => p.StartsOn).FirstOrDefault()
            ?? throw new DomainValidationException("recipientId", $"The volunteer is not paired with this person on {day:yyyy-MM-dd}; visits are recorded for one's own pairings.");
    }

    /// <summary>The visit and its ledger entry; <paramref name="hundredthsAlreadyThatDay"/> keeps the day within 24 h.</summary>
    public static (CareVisit Visit, HourLedgerEntry Entry) Record(Volunteer volunteer, CareRecipient recipient, CarePairing pairing, DateOnly visitedOn,
        string summary, int hundredths, int hundredthsAlreadyThatDay, string? recordedBy, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        var entry = HourLedgerEntry.CreditCareVisit(volunteer, id, recipient.DivisionCode, hundredths, visitedOn, hundredthsAlreadyThatDay, now);
        var visit = new CareVisit
        {
            Id = id,
            VolunteerId = volunteer.Id,
            RecipientId = recipient.Id,
            PairingId = pairing.Id,
            DivisionCode = recipient.DivisionCode,
            VisitedOn = visitedOn,
            Summary = summary.Trim(),
            Hundredths = hundredths,
            LedgerEntryId = entry.Id,
            RecordedAt = now,
            RecordedBy = recordedBy,
        };
        return (visit, entry);
    }

    public CareVisitRecorded ToRecordedEvent(CareRecipientCategory category, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), now, DivisionCode, Id, VolunteerId, RecipientId, category, VisitedOn, Hours, LedgerEntryId);
}
