using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Care;

public enum CarePairingStatus { Upcoming, Active, Lapsed, Ended }

/// <summary>
/// One volunteer paired with one care recipient (一对一结对帮扶) from <see cref="StartsOn"/> to <see cref="EndsOn"/>,
/// both China days and inclusive. A pairing asked for without an end runs as long as the county allows
/// (<see cref="CareOptions.MaxPairingYears"/>), so every pairing has a last day fixed when it is made and a later
/// change of the setting moves no pairing already made.
/// </summary>
public sealed class CarePairing
{
    private CarePairing() { }

    public Guid Id { get; private set; }
    public Guid VolunteerId { get; private set; }
    public Guid RecipientId { get; private set; }
    /// <summary>The volunteer's home station, whose area holds the recipient.</summary>
    public DivisionCode DivisionCode { get; private set; }
    public DateOnly StartsOn { get; private set; }
    /// <summary>The last day; before <see cref="StartsOn"/> only when the pairing was ended before it began.</summary>
    public DateOnly EndsOn { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>Set when an admin ended the pairing, or when a new pairing of the same two replaced one that had lapsed.</summary>
    public DateTimeOffset? EndedAt { get; private set; }
    public string? EndReason { get; private set; }

    /// <summary>True when a recipient registered at <paramref name="recipientStation"/> lies in the area of the volunteer's home station.</summary>
    public static bool InStationArea(DivisionCode volunteerStation, DivisionCode recipientStation) => recipientStation.IsWithin(volunteerStation);

    /// <summary>
    /// Pairs <paramref name="volunteer"/> with <paramref name="recipient"/>. <paramref name="pairingsOfTheTwo"/> are every
    /// earlier pairing of the same two: a new one may not overlap any of them.
    /// </summary>
    public static CarePairing Pair(Volunteer volunteer, CareRecipient recipient, DateOnly? startsOn, DateOnly? endsOn, int maxYears,
        IEnumerable<CarePairing> pairingsOfTheTwo, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (startsOn is not { } start)
        {
            errors["startsOn"] = ["The first day of the pairing is required (yyyy-MM-dd)."];
            start = default;
        }
        var longest = start == default ? default : LastDayAllowed(start, maxYears);
        if (startsOn is not null && endsOn is { } end && (end < start || end > longest))
        {
            errors["endsOn"] = [$"A pairing ends on or after its first day and lasts at most {maxYears} years (here by {longest:yyyy-MM-dd})."];
        }
        if (!InStationArea(volunteer.DivisionCode, recipient.DivisionCode))
        {
            errors["recipientId"] = ["The volunteer and the person served belong to different stations; pair people of the same station."];
        }
        HourLedgerEntry.ThrowIfAny(errors);
        if (volunteer.Status != VolunteerStatus.Approved)
        {
            throw new ConflictException($"Only an approved volunteer is paired; this one is {volunteer.Status.ToString().ToLowerInvariant()}.");
        }
        recipient.EnsureActive();
        var last = endsOn ?? longest;
        var earlier = pairingsOfTheTwo.ToList();
        // At most one open pairing of the same two (a unique index): one that runs out before this one begins is
        // closed by it; one that overlaps, or one still to come, must be ended by hand first.
        if (earlier.FirstOrDefault(p => p.StartsOn <= last && p.EndsOn >= start || p.EndedAt is null && p.EndsOn >= start) is { } overlapping)
        {
            throw new ConflictException($"These two are already paired from {overlapping.StartsOn:yyyy-MM-dd} to {overlapping.EndsOn:yyyy-MM-dd}; end that pairing first.");
        }
        foreach (var lapsed in earlier.Where(p => p.EndedAt is null))
        {
            lapsed.CloseLapsed(now);
        }
        return new CarePairing
        {
            Id = Guid.CreateVersion7(now),
            VolunteerId = volunteer.Id,
            RecipientId = recipient.Id,
            DivisionCode = volunteer.DivisionCode,
            StartsOn = start,
            EndsOn = last,
            CreatedAt = now,
        };
    }

    /// <summary>The last day a pairing starting on <paramref name="start"/> may run.</summary>
    public static DateOnly LastDayAllowed(DateOnly start, int maxYears) => start.AddYears(maxYears).AddDays(-1);

    /// <summary>
    /// Ends the pairing after <paramref name="lastDay"/> (default: today, or before the first day for one not begun).
    /// A visit already recorded keeps its pairing: the last day is not before the latest visit.
    /// </summary>
    public void End(DateOnly? lastDay, string? reason, DateOnly? latestVisit, DateTimeOffset now)
    {
        var today = ChinaTime.Today(now);
        var day = lastDay ?? (today < StartsOn ? StartsOn.AddDays(-1) : today);
        var errors = new Dictionary<string, string[]>();
        if (day < StartsOn.AddDays(-1) || day > EndsOn)
        {
            errors["endsOn"] = [$"The last day lies between {StartsOn.AddDays(-1):yyyy-MM-dd} (never begun) and {EndsOn:yyyy-MM-dd}."];
        }
        else if (latestVisit is { } visited && day < visited)
        {
            errors["endsOn"] = [$"A visit is recorded on {visited:yyyy-MM-dd}; the pairing cannot end before it."];
        }
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > 500)
        {
            errors["reason"] = ["A reason of 1 to 500 characters is required."];
        }
        HourLedgerEntry.ThrowIfAny(errors);
        if (EndedAt is not null)
        {
            throw new ConflictException("This pairing has ended already.");
        }
        EndsOn = day;
        EndedAt = now;
        EndReason = reason!.Trim();
    }

    /// <summary>Closes a pairing that runs out before a new pairing of the same two begins, so the new one may open.</summary>
    private void CloseLapsed(DateTimeOffset now)
    {
        EndedAt = now;
        EndReason = "Lapsed; replaced by a new pairing.";
    }

    /// <summary>Whether the pairing holds on <paramref name="day"/>.</summary>
    public bool Covers(DateOnly day) => StartsOn <= day && day <= EndsOn;

    public CarePairingStatus StatusOn(DateOnly today) =>
        EndedAt is not null && EndsOn < today ? CarePairingStatus.Ended
        : today < StartsOn ? CarePairingStatus.Upcoming
        : today <= EndsOn ? CarePairingStatus.Active
        : CarePairingStatus.Lapsed;
}
