using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Volunteers.Domain;

public enum CorrectionRequestStatus { Pending, Accepted, Rejected }

/// <summary>
/// A volunteer's request to correct their ledger: hours missing from an entry (or taken back from it), or a
/// day served that no activity recorded. An admin accepts it, which appends the entry, or rejects it with a reason.
/// </summary>
public sealed class HourCorrectionRequest
{
    private HourCorrectionRequest() { }

    public Guid Id { get; private set; }
    public Guid VolunteerId { get; private set; }
    public DivisionCode DivisionCode { get; private set; }
    /// <summary>The entry to correct; without one, the request is for a manual credit on <see cref="ServedOn"/>.</summary>
    public Guid? EntryId { get; private set; }
    public DateOnly? ServedOn { get; private set; }
    public int Hundredths { get; private set; }
    public string Reason { get; private set; } = "";
    public CorrectionRequestStatus Status { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public string? RequestedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecidedBy { get; private set; }
    public string? DecisionReason { get; private set; }
    public Guid? ResultEntryId { get; private set; }

    public decimal Hours => new ServiceTime(Hundredths).Hours;

    public static HourCorrectionRequest Create(Volunteer volunteer, Guid? entryId, DateOnly? servedOn, decimal hours, string? reason, string? requestedBy, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var hundredths = ServiceTime.FromHours(hours).Hundredths;
        if (hundredths == 0 || Math.Abs(hundredths) > HourLedgerEntry.MaxHundredthsPerDay || (entryId is null && hundredths < 0))
        {
            errors["hours"] = [entryId is null
                ? "A request for uncredited time asks for more than 0 and at most 24 hours."
                : "A correction adds or takes back between 0.01 and 24 hours."];
        }
        if (entryId is null)
        {
            HourLedgerEntry.ValidateDay(servedOn, now, errors);
        }
        HourLedgerEntry.ValidateReason(reason, errors);
        HourLedgerEntry.ThrowIfAny(errors);
        if (volunteer.Status != VolunteerStatus.Approved)
        {
            throw new ConflictException("Only an approved volunteer can request a correction.");
        }
        return new HourCorrectionRequest
        {
            Id = Guid.CreateVersion7(now),
            VolunteerId = volunteer.Id,
            DivisionCode = volunteer.DivisionCode,
            EntryId = entryId,
            ServedOn = entryId is null ? servedOn : null,
            Hundredths = hundredths,
            Reason = reason!.Trim(),
            Status = CorrectionRequestStatus.Pending,
            RequestedAt = now,
            RequestedBy = requestedBy,
        };
    }

    public void Accept(HourLedgerEntry result, Approver approver, DateTimeOffset now)
    {
        EnsurePending();
        Status = CorrectionRequestStatus.Accepted;
        ResultEntryId = result.Id;
        DecidedAt = now;
        DecidedBy = approver.Name;
    }

    public void Reject(string? reason, Approver approver, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        HourLedgerEntry.ValidateReason(reason, errors);
        HourLedgerEntry.ThrowIfAny(errors);
        EnsurePending();
        Status = CorrectionRequestStatus.Rejected;
        DecisionReason = reason!.Trim();
        DecidedAt = now;
        DecidedBy = approver.Name;
    }

    public void EnsurePending()
    {
        if (Status != CorrectionRequestStatus.Pending)
        {
            throw new ConflictException($"The request was already {Status.ToString().ToLowerInvariant()}.");
        }
    }
}
