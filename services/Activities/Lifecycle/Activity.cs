using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Activities.Shared;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Activities.Lifecycle;

/// <summary>
/// Stored states. <see cref="Ongoing"/> is never stored: a published activity is reported ongoing from its start,
/// so check-ins (the hot path) never write the activity row and never contend on it.
/// </summary>
public enum ActivityStatus { Draft, Published, Ongoing, Completed, Cancelled }

/// <summary>The five platforms (五大平台) a station's venues belong to.</summary>
public enum PracticePlatform { TheoryLectures, Education, Culture, Science, HealthAndSport }

/// <summary>Festival and key-day tags (我们的节日 and the key days of the seed).</summary>
public enum FestivalTag
{
    /// <summary>我们的节日, the traditional festivals as a series.</summary>
    OurFestivals,
    /// <summary>学雷锋日, 3/5.</summary>
    LeiFengDay,
    /// <summary>植树节, 3/12.</summary>
    TreePlantingDay,
    /// <summary>重阳节 seniors' day, 9/9.</summary>
    SeniorsDay,
    /// <summary>端午</summary>
    DragonBoat,
    /// <summary>中秋</summary>
    MidAutumn,
    /// <summary>春节</summary>
    SpringFestival,
}

public enum SignUpStatus { Confirmed, Waitlisted }

/// <summary>How an arrival or departure was verified.</summary>
public enum AttendanceMethod { QrToken, Location, Manual }

/// <summary>What an organiser describes when planning an activity.</summary>
public sealed record ActivityDetails(
    string? Title,
    ActivityCategory Category,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    int Capacity,
    Guid? TeamId = null,
    PracticePlatform? Platform = null,
    string? Venue = null,
    string? Lecturer = null,
    string? Audience = null,
    string? Content = null,
    FestivalTag? FestivalTag = null,
    bool IsMobile = false,
    string? Place = null,
    double? Latitude = null,
    double? Longitude = null,
    Guid? LecturerId = null);

/// <summary>One volunteer's corrected presence; both times null means they were not there after all.</summary>
public sealed record PresenceCorrection(Guid VolunteerId, DateTimeOffset? CheckedInAt, DateTimeOffset? CheckedOutAt);

/// <summary>
/// A practice activity (活动) at a station. Draft → published (→ ongoing from its start) → completed, or cancelled
/// with a reason. Volunteers sign up while places remain and may wait for one; they check in and out during it, and
/// completion credits the time they were there.
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
    public PracticePlatform? Platform { get; private set; }
    public string? Venue { get; private set; }
    public string? Lecturer { get; private set; }
    /// <summary>The lecturer (宣讲员) from the division's pool, when one is named; <see cref="Lecturer"/> then holds their name.</summary>
    public Guid? LecturerId { get; private set; }
    /// <summary>The repeating activity (series) this is an occurrence of, if any.</summary>
    public Guid? SeriesId { get; private set; }
    public string? Audience { get; private set; }
    public string? Content { get; private set; }
    public FestivalTag? FestivalTag { get; private set; }
    /// <summary>流动: held at a place that is not one of the station's venues.</summary>
    public bool IsMobile { get; private set; }
    public string? Place { get; private set; }
    public double? Latitude { get; private set; }
    public double? Longitude { get; private set; }
    public ActivityStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? PublishedAt { get; private set; }
    public bool LateAnnouncement { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public int ResidentAttendeeCount { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    public string? CancelReason { get; private set; }
    /// <summary>Bumped by every change of the activity or its places: the concurrency token that keeps capacity.</summary>
    public int Version { get; private set; }
    /// <summary>The next sign-up's place in the queue, so the waitlist moves up in order of arrival.</summary>
    public int NextPosition { get; private set; }
    public IReadOnlyList<SignUp> SignUps => _signUps;

    public int ConfirmedCount => _signUps.Count(s => s.Status == SignUpStatus.Confirmed);

    public static Activity Create(KnownStation station, string? title, ActivityCategory category, DateTimeOffset startsAt, DateTimeOffset endsAt, int capacity, Guid? teamId, DateTimeOffset now) =>
        Create(station, new ActivityDetails(title, category, startsAt, endsAt, capacity, teamId), now);

    public static Activity Create(KnownStation station, ActivityDetails d, DateTimeOffset now)
    {
        var trimmed = Validate(d);
        EnsureOpen(station);
        return new Activity
        {
            Id = TownshipGuid.New(station.DivisionCode, now),
            StationCode = station.Code,
            DivisionCode = station.DivisionCode,
            Title = trimmed,
            Category = d.Category,
            StartsAt = d.StartsAt,
            EndsAt = d.EndsAt,
            Capacity = d.Capacity,
            TeamId = d.TeamId,
            Platform = d.Platform,
            Venue = Clean(d.Venue),
            Lecturer = Clean(d.Lecturer),
            Audience = Clean(d.Audience),
            Content = Clean(d.Content),
            FestivalTag = d.FestivalTag,
            IsMobile = d.IsMobile,
            Place = Clean(d.Place),
            Latitude = d.Latitude,
            Longitude = d.Longitude,
            LecturerId = d.LecturerId,
            Status = ActivityStatus.Draft,
            CreatedAt = now,
        };
    }

    /// <summary>Checks what an organiser describes; returns the trimmed title.</summary>
    internal static string Validate(ActivityDetails d)
    {
        var errors = new Dictionary<string, string[]>();
        var trimmed = d.Title?.Trim() ?? "";
        if (trimmed.Length is 0 or > 200)
        {
            errors["title"] = ["A title of 1 to 200 characters is required."];
        }
        if (d.EndsAt <= d.StartsAt)
        {
            errors["endsAt"] = ["An activity ends after it starts."];
        }
        else if (d.EndsAt - d.StartsAt > TimeSpan.FromHours(24))
        {
            errors["endsAt"] = ["An activity lasts at most 24 hours."];
        }
        if (d.Capacity is < 1 or > 10_000)
        {
            errors["capacity"] = ["Capacity is between 1 and 10000 volunteers."];
        }
        if (!Enum.IsDefined(d.Category))
        {
            errors["category"] = ["Unknown category."];
        }
        if (d.Platform is { } platform && !Enum.IsDefined(platform))
        {
            errors["platform"] = ["Unknown platform."];
        }
        if (d.FestivalTag is { } tag && !Enum.IsDefined(tag))
        {
            errors["festivalTag"] = ["Unknown festival tag."];
        }
        CheckText(errors, "venue", d.Venue, 200);
        CheckText(errors, "lecturer", d.Lecturer, 100);
        CheckText(errors, "audience", d.Audience, 200);
        CheckText(errors, "content", d.Content, 2000);
        CheckText(errors, "place", d.Place, 200);
        if (d.IsMobile && string.IsNullOrWhiteSpace(d.Place))
        {
            errors["place"] = ["A mobile (流动) activity names the place where it is held."];
        }
        if (d.Latitude is not null != d.Longitude is not null)
        {
            errors["latitude"] = ["Give both latitude and longitude, or neither."];
        }
        else if (d.Latitude is < -90 or > 90 || d.Longitude is < -180 or > 180)
        {
            errors["latitude"] = ["Latitude is -90..90 and longitude -180..180."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        return trimmed;
    }

    /// <summary>The status as the public sees it: a published activity is ongoing from its start.</summary>
    public ActivityStatus StatusAt(DateTimeOffset now) =>
        Status == ActivityStatus.Published && now >= StartsAt ? ActivityStatus.Ongoing : Status;

    /// <param name="station">The activity's station as this service knows it: a closed station announces nothing new.</param>
    public ActivityPublished Publish(DateTimeOffset now, int announceDaysAhead = 3, KnownStation? station = null)
    {
        if (Status != ActivityStatus.Draft)
        {
            throw new ConflictException($"Only a draft can be published; this activity is {Describe(Status)}.");
        }
        if (station is not null)
        {
            EnsureOpen(station);
        }
        Status = ActivityStatus.Published;
        PublishedAt = now;
        // Records of activities already held are published after the fact too; they are flagged, not refused.
        LateAnnouncement = StartsAt - now < TimeSpan.FromDays(announceDaysAhead);
        Version++;
        return new ActivityPublished(Guid.CreateVersion7(now), now, DivisionCode, Id, StationCode, Title, Category, StartsAt, EndsAt, Capacity,
            TeamId, Platform?.ToString(), Venue ?? Place, Lecturer, Audience, FestivalTag?.ToString(), IsMobile, LateAnnouncement);
    }

    public ActivityCancelled Cancel(string? reason, DateTimeOffset now)
    {
        var trimmed = reason?.Trim() ?? "";
        if (trimmed.Length is 0 or > 500)
        {
            throw new DomainValidationException("reason", "A reason of 1 to 500 characters is required.");
        }
        if (Status is ActivityStatus.Completed or ActivityStatus.Cancelled)
        {
            throw new ConflictException($"A {Describe(Status)} activity cannot be cancelled.");
        }
        Status = ActivityStatus.Cancelled;
        CancelledAt = now;
        CancelReason = trimmed;
        Version++;
        // A check-in or check-out racing the cancellation must lose: it writes only its sign-up, so that is what conflicts.
        TouchSignUps();
        return new ActivityCancelled(Guid.CreateVersion7(now), now, DivisionCode, Id, StationCode, trimmed, _signUps.Select(s => s.VolunteerId).ToList());
    }

    /// <summary>Makes this activity an occurrence of a series (only as it is created).</summary>
    internal void JoinSeries(Guid seriesId) => SeriesId = seriesId;

    /// <summary>
    /// Not yet held: a draft or a published activity that has not started. Only such an activity follows a change of
    /// its series; what was held (or is under way) stays as it was.
    /// </summary>
    public bool IsUpcoming(DateTimeOffset now) => Status is ActivityStatus.Draft or ActivityStatus.Published && now < StartsAt;

    /// <summary>
    /// Changes an upcoming activity's time, place, title, capacity and the rest of its description. Capacity never drops
    /// below the places already taken (those volunteers were promised one).
    /// </summary>
    public void Revise(ActivityDetails d, DateTimeOffset now)
    {
        var trimmed = Validate(d);
        if (!IsUpcoming(now))
        {
            throw new ConflictException($"Only an activity not yet started can be changed; this one is {Describe(StatusAt(now))}.");
        }
        if (d.Capacity < ConfirmedCount)
        {
            throw new ConflictException($"{ConfirmedCount} places are taken on {StartsAt:yyyy-MM-dd}; capacity cannot drop below that.");
        }
        Title = trimmed;
        Category = d.Category;
        StartsAt = d.StartsAt;
        EndsAt = d.EndsAt;
        Capacity = d.Capacity;
        TeamId = d.TeamId;
        Platform = d.Platform;
        Venue = Clean(d.Venue);
        Lecturer = Clean(d.Lecturer);
        LecturerId = d.LecturerId;
        Audience = Clean(d.Audience);
        Content = Clean(d.Content);
        FestivalTag = d.FestivalTag;
        IsMobile = d.IsMobile;
        Place = Clean(d.Place);
        Latitude = d.Latitude;
        Longitude = d.Longitude;
        Version++;
        // A raised capacity gives waiting volunteers their places, in order of arrival.
        foreach (var waiting in _signUps.Where(x => x.Status == SignUpStatus.Waitlisted).OrderBy(x => x.Position).Take(Capacity - ConfirmedCount).ToList())
        {
            waiting.MoveUp(now);
        }
    }

    /// <summary>True when the two activities' times overlap (touching end to start does not).</summary>
    public bool Overlaps(DateTimeOffset startsAt, DateTimeOffset endsAt) => StartsAt < endsAt && startsAt < EndsAt;

    /// <summary>
    /// Takes a place while one remains; when full, joins the waitlist only if <paramref name="joinWaitlist"/>, and is
    /// refused otherwise (so a caller never lands on a waitlist by surprise).
    /// </summary>
    public SignUp SignUp(KnownVolunteer volunteer, DateTimeOffset now, bool joinWaitlist = false)
    {
        if (Status != ActivityStatus.Published)
        {
            throw new ConflictException($"Sign-up is open only while an activity is published; this one is {Describe(Status)}.");
        }
        if (now >= EndsAt)
        {
            throw new ConflictException("The activity is over; sign-up is closed.");
        }
        if (volunteer.IsSuspended)
        {
            throw new ConflictException($"Volunteer {volunteer.Id} is suspended and may not sign up until reinstated.");
        }
        if (_signUps.Any(s => s.VolunteerId == volunteer.Id))
        {
            throw new ConflictException("The volunteer has already signed up for this activity.");
        }
        var full = ConfirmedCount >= Capacity;
        if (full && !joinWaitlist)
        {
            throw new ConflictException($"All {Capacity} places are taken; sign up with joinWaitlist to wait for one.");
        }
        var signUp = new SignUp(Id, volunteer.Id, now, NextPosition++, full ? SignUpStatus.Waitlisted : SignUpStatus.Confirmed);
        _signUps.Add(signUp);
        Version++;
        return signUp;
    }

    /// <summary>Withdraws a sign-up before the start; a freed place goes to the longest-waiting volunteer.</summary>
    /// <param name="asNotSignedUp">
    /// The caller may not act for this volunteer: after the activity's own checks, answered exactly as for a volunteer
    /// who never signed up.
    /// </param>
    /// <returns>The volunteer who moved up from the waitlist, if any.</returns>
    public SignUp? Withdraw(Guid volunteerId, DateTimeOffset now, bool asNotSignedUp = false)
    {
        if (Status != ActivityStatus.Published)
        {
            throw new ConflictException($"Sign-ups change only while an activity is published; this one is {Describe(Status)}.");
        }
        if (now >= StartsAt)
        {
            throw new ConflictException("The activity has started; a sign-up can no longer be withdrawn.");
        }
        var signUp = asNotSignedUp ? throw NotSignedUp(volunteerId) : FindSignUp(volunteerId);
        _signUps.Remove(signUp);
        Version++;
        if (signUp.Status != SignUpStatus.Confirmed)
        {
            return null;
        }
        var next = _signUps.Where(s => s.Status == SignUpStatus.Waitlisted).OrderBy(s => s.Position).FirstOrDefault();
        next?.MoveUp(now);
        return next;
    }

    /// <summary>Records arrival at <paramref name="at"/> (the device's time; a batch uploaded later keeps each item's own time).</summary>
    public void CheckIn(Guid volunteerId, DateTimeOffset at, DateTimeOffset now, AttendanceMethod method = AttendanceMethod.Manual, string? note = null)
    {
        // The activity's state first: a draft has no sign-ups, and "not signed up" would hide the real reason.
        EnsureUnderWayAt(at, now);
        var signUp = FindConfirmed(volunteerId);
        if (signUp.CheckedInAt is not null)
        {
            throw new ConflictException("The volunteer has already checked in.");
        }
        signUp.CheckedInAt = at;
        signUp.Version++;
        signUp.CheckInMethod = method;
        signUp.AttendanceNote = Clean(note) ?? signUp.AttendanceNote;
    }

    public void CheckOut(Guid volunteerId, DateTimeOffset at, DateTimeOffset now, AttendanceMethod method = AttendanceMethod.Manual, string? note = null)
    {
        if (Status != ActivityStatus.Published)
        {
            throw new ConflictException($"Check-out is possible only while an activity is under way; this one is {Describe(Status)}.");
        }
        var signUp = FindConfirmed(volunteerId);
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
        signUp.Version++;
        signUp.CheckOutMethod = method;
        signUp.AttendanceNote = Clean(note) ?? signUp.AttendanceNote;
    }

    /// <summary>
    /// Completes the activity: who was there and for how long, clipped to the activity's own time and capped. A
    /// volunteer suspended at completion keeps their recorded presence but is credited nothing: the hour ledger
    /// refuses them, and assessment counts only the participants this event lists, so both follow this one decision.
    /// </summary>
    /// <param name="suspended">The signed-up volunteers who are suspended now (<see cref="KnownVolunteer.IsSuspended"/>).</param>
    public ActivityCompleted Complete(DateTimeOffset now, decimal maxHours = decimal.MaxValue, int residentAttendees = 0, IReadOnlySet<Guid>? suspended = null)
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
        if (residentAttendees is < 0 or > 100_000)
        {
            throw new DomainValidationException("residentAttendees", "Resident attendees are between 0 and 100000.");
        }
        Status = ActivityStatus.Completed;
        CompletedAt = now;
        ResidentAttendeeCount = residentAttendees;
        Version++;
        foreach (var signUp in _signUps)
        {
            signUp.CreditedHours = signUp is { CheckedInAt: { } checkedIn, CheckedOutAt: { } checkedOut } && suspended?.Contains(signUp.VolunteerId) != true
                ? CreditedHours(checkedIn, checkedOut, maxHours)
                : null;
        }
        // Every sign-up is part of what completion decided, credited or not: a check-out saved at the same moment
        // conflicts with it instead of landing on a completed activity with no hours credited for it.
        TouchSignUps();
        var participants = Participants();
        return new ActivityCompleted(Guid.CreateVersion7(now), now, DivisionCode, Id, StationCode, TeamId, Category,
            StartsAt, EndsAt, participants, participants.Count + ResidentAttendeeCount, ResidentAttendeeCount, FestivalTag?.ToString());
    }

    /// <summary>
    /// Corrects who was there after completion. Never a silent change: the result is a compensating event with each
    /// volunteer's hour delta.
    /// </summary>
    /// <param name="suspended">Volunteers suspended now: a correction may take their hours back but not give them any.</param>
    public ActivityCompletionCorrected Correct(IReadOnlyList<PresenceCorrection> corrections, string? reason, DateTimeOffset now, decimal maxHours = decimal.MaxValue,
        IReadOnlySet<Guid>? suspended = null)
    {
        var trimmed = reason?.Trim() ?? "";
        if (trimmed.Length is 0 or > 500)
        {
            throw new DomainValidationException("reason", "A reason of 1 to 500 characters is required.");
        }
        if (corrections.Count == 0 || corrections.Select(c => c.VolunteerId).Distinct().Count() != corrections.Count)
        {
            throw new DomainValidationException("corrections", "Name each volunteer to correct once.");
        }
        if (Status != ActivityStatus.Completed)
        {
            throw new ConflictException($"Only a completed activity is corrected; this one is {Describe(Status)}.");
        }
        var deltas = new List<ActivityHoursDelta>();
        foreach (var c in corrections)
        {
            if (c.CheckedInAt is not null != c.CheckedOutAt is not null)
            {
                throw new DomainValidationException("corrections", "Give both times of a presence, or neither to remove it.");
            }
            if (c.CheckedOutAt < c.CheckedInAt)
            {
                throw new DomainValidationException("corrections", "A check-out cannot come before the check-in.");
            }
            var signUp = FindConfirmed(c.VolunteerId);
            var previous = signUp.CreditedHours ?? 0m;
            var corrected = c is { CheckedInAt: { } i, CheckedOutAt: { } o } ? CreditedHours(i, o, maxHours) : 0m;
            if (corrected > previous && suspended?.Contains(c.VolunteerId) == true)
            {
                throw new ConflictException($"Volunteer {c.VolunteerId} is suspended; hours can be taken back from them but not given until reinstated.");
            }
            if (corrected != previous)
            {
                deltas.Add(new ActivityHoursDelta(c.VolunteerId, previous, corrected, corrected - previous));
            }
            signUp.CheckedInAt = c.CheckedInAt;
            signUp.CheckedOutAt = c.CheckedOutAt;
            signUp.CheckInMethod = signUp.CheckOutMethod = c.CheckedInAt is null ? null : AttendanceMethod.Manual;
            signUp.AttendanceNote = trimmed;
            signUp.CreditedHours = c.CheckedInAt is null ? null : corrected;
            signUp.Version++;
        }
        if (deltas.Count == 0)
        {
            throw new ConflictException("The correction changes nobody's hours.");
        }
        Version++;
        return new ActivityCompletionCorrected(Guid.CreateVersion7(now), now, DivisionCode, Id, StationCode, TeamId, Category, StartsAt, EndsAt,
            trimmed, deltas, Participants().Count + ResidentAttendeeCount);
    }

    /// <summary>Hours = time checked in, clipped to the activity's time, capped, by the one rule of <see cref="ServiceTime"/>.</summary>
    public decimal CreditedHours(DateTimeOffset checkedIn, DateTimeOffset checkedOut, decimal maxHours = decimal.MaxValue)
    {
        var from = checkedIn > StartsAt ? checkedIn : StartsAt;
        var to = checkedOut < EndsAt ? checkedOut : EndsAt;
        if (to <= from)
        {
            return 0m;
        }
        return Math.Min(maxHours, ServiceTime.FromPresence(to - from).Hours);
    }

    /// <summary>
    /// Bumps every sign-up's version. Attendance writes only its own sign-up (never the activity row, so check-ins do not
    /// contend with each other); a write that decides about the whole activity must therefore touch each sign-up to
    /// conflict with them.
    /// </summary>
    private void TouchSignUps()
    {
        foreach (var signUp in _signUps)
        {
            signUp.Version++;
        }
    }

    private static void EnsureOpen(KnownStation station)
    {
        if (station.IsClosed)
        {
            throw new ConflictException($"Station {station.Code} is closed and takes no new activities.");
        }
    }

    private List<ActivityParticipant> Participants() =>
        _signUps.Where(s => s.CreditedHours is not null).Select(s => new ActivityParticipant(s.VolunteerId, s.CreditedHours!.Value)).ToList();

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

    private SignUp FindSignUp(Guid volunteerId) => _signUps.SingleOrDefault(s => s.VolunteerId == volunteerId) ?? throw NotSignedUp(volunteerId);

    private static NotFoundException NotSignedUp(Guid volunteerId) => new($"Volunteer {volunteerId} has not signed up for this activity.");

    private SignUp FindConfirmed(Guid volunteerId)
    {
        var signUp = FindSignUp(volunteerId);
        return signUp.Status == SignUpStatus.Confirmed
            ? signUp
            : throw new ConflictException($"Volunteer {volunteerId} is still on the waitlist.");
    }

    private static void CheckText(Dictionary<string, string[]> errors, string field, string? value, int max)
    {
        if (value is not null && value.Trim().Length > max)
        {
            errors[field] = [$"At most {max} characters."];
        }
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    internal static string Describe(ActivityStatus status) => status.ToString().ToLowerInvariant();
}

/// <summary>A volunteer's place (or place in the queue) in an activity, with their verified arrival and departure.</summary>
public sealed class SignUp
{
    private SignUp() { }

    internal SignUp(Guid activityId, Guid volunteerId, DateTimeOffset at, int position, SignUpStatus status)
    {
        ActivityId = activityId;
        VolunteerId = volunteerId;
        SignedUpAt = at;
        Position = position;
        Status = status;
    }

    public Guid ActivityId { get; private set; }
    public Guid VolunteerId { get; private set; }
    public DateTimeOffset SignedUpAt { get; private set; }
    public int Position { get; private set; }
    public SignUpStatus Status { get; private set; }
    /// <summary>When a waitlisted volunteer got a place.</summary>
    public DateTimeOffset? ConfirmedAt { get; private set; }
    public DateTimeOffset? CheckedInAt { get; internal set; }
    public DateTimeOffset? CheckedOutAt { get; internal set; }
    public AttendanceMethod? CheckInMethod { get; internal set; }
    public AttendanceMethod? CheckOutMethod { get; internal set; }
    /// <summary>Why a station admin recorded the presence by hand, or why it was corrected.</summary>
    public string? AttendanceNote { get; internal set; }
    /// <summary>Set at completion (and by corrections): what the volunteer was credited.</summary>
    public decimal? CreditedHours { get; internal set; }
    /// <summary>Two uploads recording the same volunteer at once: the second save fails rather than overwriting.</summary>
    public int Version { get; internal set; }

    internal void MoveUp(DateTimeOffset now)
    {
        Status = SignUpStatus.Confirmed;
        ConfirmedAt = now;
        Version++;
    }
}
