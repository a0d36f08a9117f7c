using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Activities.Domain;

public enum ActivityStatus { Draft, Published, Completed, Cancelled }

/// <summary>
/// A practice activity (活动) at a station. Draft → published → completed (or cancelled). Volunteers sign up
/// while it is published, check in and out during it, and completion credits the time they were there.
/// </summary>
public sealed class Activity
{
    /// <summary>How early before the start a check-in counts (volunteers arrive to set up).</summary>
    public static readonly TimeSpan CheckInLeadTime = TimeSpan.FromMinutes(30);
    /// <summary>Device clocks drift: a timestamp this far ahead of the server is still accepted.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private readonly List<SignUp> _signUps = [];

    private Activity() { }

    public Guid Id { get; private set; }
    public string StationCode { get; private set; } = "";
    public DivisionCode DivisionCode { get; private set; }
    public string Title { get; private set; } = "";
    public ActivityCategory Category { get; private set; }
    public DateTimeOffset StartsAt { get; private set; }
    public DateTimeOffset EndsAt { get; private set; }
    public int Capacity { get; private set; }
    public Guid? TeamId { get; private set; }
    public ActivityStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? PublishedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public IReadOnlyList<SignUp> SignUps => _signUps;

    public static Activity Create(KnownStation station, string? title, ActivityCategory category, DateTimeOffset startsAt, DateTimeOffset endsAt, int capacity, Guid? teamId, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var trimmed = title?.Trim() ?? "";
        if (trimmed.Length is 0 or > 200)
        {
            errors["title"] = ["A title of 1 to 200 characters is required."];
        }
        if (endsAt <= startsAt)
        {
            errors["endsAt"] = ["An activity ends after it starts."];
        }
        else if (endsAt - startsAt > TimeSpan.FromHours(24))
        {
            errors["endsAt"] = ["An activity lasts at most 24 hours."];
        }
        if (capacity is < 1 or > 10_000)
        {
            errors["capacity"] = ["Capacity is between 1 and 10000 volunteers."];
        }
        if (!Enum.IsDefined(category))
        {
            errors["category"] = ["Unknown category."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        return new Activity
        {
            Id = Guid.CreateVersion7(now),
            StationCode = station.Code,
            DivisionCode = station.DivisionCode,
            Title = trimmed,
            Category = category,
            StartsAt = startsAt,
            EndsAt = endsAt,
            Capacity = capacity,
            TeamId = teamId,
            Status = ActivityStatus.Draft,
            CreatedAt = now,
        };
    }

    public ActivityPublished Publish(DateTimeOffset now)
    {
        if (Status != ActivityStatus.Draft)
        {
            throw new ConflictException($"Only a draft can be published; this activity is {Describe(Status)}.");
        }
        Status = ActivityStatus.Published;
        PublishedAt = now;
        return new ActivityPublished(Guid.CreateVersion7(now), now, DivisionCode, Id, StationCode, Title, Category, StartsAt, EndsAt, Capacity);
    }

    public SignUp SignUp(KnownVolunteer volunteer, DateTimeOffset now)
    {
        if (Status != ActivityStatus.Published)
        {
            throw new ConflictException($"Sign-up is open only while an activity is published; this one is {Describe(Status)}.");
        }
        if (_signUps.Any(s => s.VolunteerId == volunteer.Id))
        {
            throw new ConflictException("The volunteer has already signed up for this activity.");
        }
        if (_signUps.Count >= Capacity)
        {
            throw new ConflictException($"All {Capacity} places are taken.");
        }
        var signUp = new SignUp(Id, volunteer.Id, now);
        _signUps.Add(signUp);
        return signUp;
    }

    /// <summary>Records arrival at <paramref name="at"/> (the device's time; a batch uploaded later keeps each item's own time).</summary>
    public void CheckIn(Guid volunteerId, DateTimeOffset at, DateTimeOffset now)
    {
        // The activity's state first: a draft has no sign-ups, and "not signed up" would hide the real reason.
        EnsureUnderWayAt(at, now);
        var signUp = FindSignUp(volunteerId);
        if (signUp.CheckedInAt is not null)
        {
            throw new ConflictException("The volunteer has already checked in.");
        }
        signUp.CheckedInAt = at;
    }

    public void CheckOut(Guid volunteerId, DateTimeOffset at, DateTimeOffset now)
    {
        if (Status != ActivityStatus.Published)
        {
            throw new ConflictException($"Check-out is possible only while an activity is under way; this one is {Describe(Status)}.");
        }
        var signUp = FindSignUp(volunteerId);
        if (signUp.CheckedInAt is not { } checkedIn)
        {
            throw new ConflictException("The volunteer has not checked in, so cannot check out.");
        }
        if (signUp.CheckedOutAt is not null)
        {
            throw new ConflictException("The volunteer has already checked out.");
        }
        if (at > now + ClockSkew)
        {
            throw new DomainValidationException("at", "A check-out cannot be in the future.");
        }
        if (at < checkedIn)
        {
            throw new DomainValidationException("at", "A check-out cannot come before the check-in.");
        }
        signUp.CheckedOutAt = at;
    }

    /// <summary>Completes the activity: who was there and for how long, clipped to the activity's own time.</summary>
    public ActivityCompleted Complete(DateTimeOffset now)
    {
        if (Status == ActivityStatus.Completed)
        {
            throw new ConflictException("The activity is already completed.");
        }
        if (Status != ActivityStatus.Published)
        {
            throw new ConflictException($"Only a published activity can be completed; this one is {Describe(Status)}.");
        }
        if (now < StartsAt)
        {
            throw new ConflictException("An activity cannot be completed before it starts.");
        }
        Status = ActivityStatus.Completed;
        CompletedAt = now;
        var participants = _signUps
            .Where(s => s.CheckedInAt is not null && s.CheckedOutAt is not null)
            .Select(s => new ActivityParticipant(s.VolunteerId, CreditedHours(s.CheckedInAt!.Value, s.CheckedOutAt!.Value)))
            .ToList();
        return new ActivityCompleted(Guid.CreateVersion7(now), now, DivisionCode, Id, StationCode, TeamId, Category,
            StartsAt, EndsAt, participants, participants.Count);
    }

    /// <summary>Hours = time checked in, clipped to the activity's time, to two decimals.</summary>
    public decimal CreditedHours(DateTimeOffset checkedIn, DateTimeOffset checkedOut)
    {
        var from = checkedIn > StartsAt ? checkedIn : StartsAt;
        var to = checkedOut < EndsAt ? checkedOut : EndsAt;
        if (to <= from)
        {
            return 0m;
        }
        return Math.Round((decimal)(to - from).TotalMinutes / 60m, 2, MidpointRounding.AwayFromZero);
    }

    private void EnsureUnderWayAt(DateTimeOffset at, DateTimeOffset now)
    {
        if (Status != ActivityStatus.Published)
        {
            throw new ConflictException($"Check-in is possible only while an activity is under way; this one is {Describe(Status)}.");
        }
        if (at > now + ClockSkew)
        {
            throw new DomainValidationException("at", "A check-in cannot be in the future.");
        }
        if (at < StartsAt - CheckInLeadTime || at > EndsAt)
        {
            throw new ConflictException($"The activity is not under way at {at:u}; it runs {StartsAt:u} to {EndsAt:u}.");
        }
    }

    private SignUp FindSignUp(Guid volunteerId) =>
        _signUps.SingleOrDefault(s => s.VolunteerId == volunteerId)
            ?? throw new NotFoundException($"Volunteer {volunteerId} has not signed up for this activity.");

    private static string Describe(ActivityStatus status) => status.ToString().ToLowerInvariant();
}

/// <summary>A volunteer's place in an activity, with their verified arrival and departure.</summary>
public sealed class SignUp
{
    private SignUp() { }

    internal SignUp(Guid activityId, Guid volunteerId, DateTimeOffset at)
    {
        ActivityId = activityId;
        VolunteerId = volunteerId;
        SignedUpAt = at;
    }

    public Guid ActivityId { get; private set; }
    public Guid VolunteerId { get; private set; }
    public DateTimeOffset SignedUpAt { get; private set; }
    public DateTimeOffset? CheckedInAt { get; internal set; }
    public DateTimeOffset? CheckedOutAt { get; internal set; }
}
