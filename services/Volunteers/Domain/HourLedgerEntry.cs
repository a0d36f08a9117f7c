using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Volunteers.Domain;

public enum LedgerEntryKind { ActivityCredit, ManualCredit, Correction, CareVisit }

/// <summary>
/// One line of a volunteer's hour ledger. The ledger is append-only: corrections are new entries, never edits.
/// Time is kept in whole hundredths of an hour (<see cref="ServiceTime"/>), the unit hours are shown in, so sums are
/// exact on every database and a total is the sum of the entries shown.
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
    /// <summary>Negative only on a correction that takes time back.</summary>
    public int Hundredths { get; private set; }
    public DateTimeOffset ServedOn { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
    /// <summary>Why a manual credit or correction was made.</summary>
    public string? Reason { get; private set; }
    /// <summary>The admin who approved a manual credit or correction (name, else subject).</summary>
    public string? ApprovedBy { get; private set; }
    public string? ApprovedBySubject { get; private set; }
    /// <summary>The entry a correction adjusts.</summary>
    public Guid? CorrectsEntryId { get; private set; }
    /// <summary>The volunteer's correction request this entry answers, if any.</summary>
    public Guid? CorrectionRequestId { get; private set; }
    /// <summary>The care visit (走访) credited; at most one entry per visit (a unique index).</summary>
    public Guid? CareVisitId { get; private set; }

    /// <summary>Hours over a day are not service time.</summary>
    public const int MaxHundredthsPerActivity = 24 * 100;
    public const int MaxHundredthsPerDay = 24 * 100;

    public static HourLedgerEntry CreditActivity(Guid volunteerId, Guid activityId, DivisionCode stationDivision, decimal hours, DateTimeOffset servedOn, DateTimeOffset now)
    {
        var hundredths = ServiceTime.FromHours(hours).Hundredths;
        if (hundredths is < 0 or > MaxHundredthsPerActivity)
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
            Hundredths = hundredths,
            ServedOn = servedOn,
            RecordedAt = now,
        };
    }

    /// <summary>
    /// The hours of a care visit (<c>Care.CareVisit</c>), checked like a manual credit against the day's 24 h:
    /// <paramref name="hundredthsAlreadyThatDay"/> is what the ledger already holds for the volunteer on that China day.
    /// </summary>
    public static HourLedgerEntry CreditCareVisit(Volunteer volunteer, Guid visitId, DivisionCode recipientStation, int hundredths, DateOnly visitedOn,
        int hundredthsAlreadyThatDay, DateTimeOffset now)
    {
        if (hundredthsAlreadyThatDay + hundredths > MaxHundredthsPerDay)
        {
            throw new DomainValidationException("hours",
                $"The ledger already holds {new ServiceTime(hundredthsAlreadyThatDay).Hours:0.##} h on that day; no day holds more than 24 h.");
        }
        EnsureCreditable(volunteer);
        return new HourLedgerEntry
        {
            Id = Guid.CreateVersion7(now),
            VolunteerId = volunteer.Id,
            DivisionCode = recipientStation,
            Kind = LedgerEntryKind.CareVisit,
            Hundredths = hundredths,
            ServedOn = ChinaTime.Day(visitedOn).Start,
            RecordedAt = now,
            CareVisitId = visitId,
        };
    }

    /// <summary>
    /// Hours credited by hand, approved by an admin. <paramref name="hundredthsAlreadyThatDay"/> is what the ledger
    /// already holds for the volunteer on that (China) day: no day holds more than 24 h.
    /// </summary>
    public static HourLedgerEntry CreditManually(Volunteer volunteer, decimal hours, DateOnly? servedOn, string? reason, Approver approver,
        int hundredthsAlreadyThatDay, Guid? requestId, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var hundredths = ServiceTime.FromHours(hours).Hundredths;
        if (hundredths <= 0 || hundredths > MaxHundredthsPerDay)
        {
            errors["hours"] = ["A manual credit is more than 0 and at most 24 hours."];
        }
        else if (hundredthsAlreadyThatDay + hundredths > MaxHundredthsPerDay)
        {
            errors["hours"] = [$"The ledger already holds {new ServiceTime(hundredthsAlreadyThatDay).Hours:0.##} h on that day; no day holds more than 24 h."];
        }
        ValidateDay(servedOn, now, errors);
        ValidateReason(reason, errors);
        ThrowIfAny(errors);
        EnsureCreditable(volunteer);
        return new HourLedgerEntry
        {
            Id = Guid.CreateVersion7(now),
            VolunteerId = volunteer.Id,
            DivisionCode = volunteer.DivisionCode,
            Kind = LedgerEntryKind.ManualCredit,
            Hundredths = hundredths,
            ServedOn = ChinaTime.Day(servedOn!.Value).Start,
            RecordedAt = now,
            Reason = reason!.Trim(),
            ApprovedBy = approver.Name,
            ApprovedBySubject = approver.Subject,
            CorrectionRequestId = requestId,
        };
    }

    /// <summary>
    /// A signed adjustment of <paramref name="corrected"/>, approved by an admin. The corrected entry's net time
    /// (with its earlier corrections, <paramref name="netHundredthsOfCorrected"/>) stays within 0-24 h, and its day within 24 h.
    /// </summary>
    public static HourLedgerEntry Correct(Volunteer volunteer, HourLedgerEntry corrected, int netHundredthsOfCorrected, int hundredthsAlreadyThatDay,
        decimal hours, string? reason, Approver approver, Guid? requestId, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var hundredths = ServiceTime.FromHours(hours).Hundredths;
        if (corrected.Kind == LedgerEntryKind.Correction)
        {
            errors["entryId"] = ["Correct the original entry, not a correction."];
        }
        if (hundredths == 0 || Math.Abs(hundredths) > MaxHundredthsPerDay)
        {
            errors["hours"] = ["A correction adds or takes back between 0.01 and 24 hours."];
        }
        else if (netHundredthsOfCorrected + hundredths < 0)
        {
            errors["hours"] = [$"The entry holds {new ServiceTime(netHundredthsOfCorrected).Hours:0.##} h; a correction cannot take back more."];
        }
        else if (netHundredthsOfCorrected + hundredths > MaxHundredthsPerActivity || hundredthsAlreadyThatDay + hundredths > MaxHundredthsPerDay)
        {
            errors["hours"] = ["No entry and no day holds more than 24 h."];
        }
        ValidateReason(reason, errors);
        ThrowIfAny(errors);
        if (volunteer.Status is not (VolunteerStatus.Approved or VolunteerStatus.Suspended) || hundredths > 0)
        {
            // Taking time back is allowed from a suspended volunteer; adding time is not.
            EnsureCreditable(volunteer);
        }
        return new HourLedgerEntry
        {
            Id = Guid.CreateVersion7(now),
            VolunteerId = volunteer.Id,
            ActivityId = null,
            DivisionCode = corrected.DivisionCode,
            Kind = LedgerEntryKind.Correction,
            Hundredths = hundredths,
            ServedOn = corrected.ServedOn,
            RecordedAt = now,
            Reason = reason!.Trim(),
            ApprovedBy = approver.Name,
            ApprovedBySubject = approver.Subject,
            CorrectsEntryId = corrected.Id,
            CorrectionRequestId = requestId,
        };
    }

    public static void EnsureCreditable(Volunteer volunteer)
    {
        if (volunteer.Status != VolunteerStatus.Approved)
        {
            throw new ConflictException($"Hours are credited only to approved volunteers; this one is {volunteer.Status.ToString().ToLowerInvariant()}.");
        }
    }

    internal static void ValidateDay(DateOnly? servedOn, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        if (servedOn is not { } day)
        {
            errors["servedOn"] = ["The day served is required (yyyy-MM-dd)."];
        }
        else if (day > ChinaTime.Today(now) || day.Year < 2000)
        {
            errors["servedOn"] = ["The day served cannot be in the future."];
        }
    }

    internal static void ValidateReason(string? reason, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > 500)
        {
            errors["reason"] = ["A reason of 1 to 500 characters is required."];
        }
    }

    internal static void ThrowIfAny(Dictionary<string, string[]> errors)
    {
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
    }

    public ServiceTime Time => new(Hundredths);
    public decimal Hours => Time.Hours;
}

/// <summary>Who approved a manual entry: an admin acting in person.</summary>
public sealed record Approver(string Subject, string Name);
