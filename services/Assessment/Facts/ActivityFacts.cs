using PracticeMesh.Assessment.Measures;
using PracticeMesh.Assessment.Periods;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using M = PracticeMesh.Assessment.Measures.Measures;

namespace PracticeMesh.Assessment.Facts;

/// <summary>
/// What assessment knows of one activity, merged from <c>ActivityPublished</c>, <c>ActivityCompleted</c> and
/// <c>ActivityCompletionCorrected</c> in whatever order they come. It counts toward the two a month only once both
/// the announcement (not late) and the completion (attended by someone) are known.
/// </summary>
public sealed class ActivityFact : IContributingFact
{
    private ActivityFact() { }

    public Guid ActivityId { get; private set; }
    public string StationCode { get; private set; } = "";
    public DivisionCode DivisionCode { get; private set; }
    public Guid? TeamId { get; private set; }
    public ActivityCategory Category { get; private set; }
    public DateTimeOffset StartsAt { get; private set; }
    /// <summary>"yyyy-MM" of <see cref="StartsAt"/> in China time: the month the activity counts in.</summary>
    public string Month { get; private set; } = "";
    /// <summary>When the announcement was heard of; null until <c>ActivityPublished</c> arrives.</summary>
    public DateTimeOffset? PublishedAt { get; private set; }
    /// <summary>Announced fewer than the county's days ahead; null until the announcement arrives.</summary>
    public bool? LateAnnouncement { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    /// <summary>Everyone who attended, as the latest of the completion and its corrections (by occurrence) says.</summary>
    public int AttendeeCount { get; private set; }
    /// <summary>When <see cref="AttendeeCount"/> was stated: a correction older than the count it would replace does not replace it.</summary>
    public DateTimeOffset? AttendeeCountAt { get; private set; }
    public int Version { get; private set; }

    public bool Completed => CompletedAt is not null;

    /// <summary>Counts toward the two concentrated activities a month (seed): announced in advance and attended by someone.</summary>
    public bool Concentrated => Completed && LateAnnouncement == false && AttendeeCount > 0;

    public static ActivityFact Start(Guid activityId, string stationCode, DivisionCode division, Guid? teamId, ActivityCategory category, DateTimeOffset startsAt) =>
        new()
        {
            ActivityId = activityId, StationCode = stationCode, DivisionCode = division, TeamId = teamId, Category = category,
            StartsAt = startsAt, Month = Period.MonthOf(startsAt),
        };

    /// <summary>
    /// The announcement: the first one decides whether residents heard in advance, so an earlier announcement arriving
    /// after a later one (a re-announcement) still wins, whatever the order.
    /// </summary>
    public void Announced(DateTimeOffset at, bool late)
    {
        if (PublishedAt is null || at < PublishedAt)
        {
            PublishedAt = at;
            LateAnnouncement = late;
        }
        Version++;
    }

    public void Complete(DateTimeOffset at, int attendees)
    {
        CompletedAt = at;
        StateAttendees(at, attendees);
    }

    /// <summary>A correction restates the attendance; the latest statement wins whatever order they arrive in.</summary>
    public void StateAttendees(DateTimeOffset at, int attendees)
    {
        if (AttendeeCountAt is null || at >= AttendeeCountAt)
        {
            AttendeeCount = attendees;
            AttendeeCountAt = at;
        }
        Version++;
    }

    public IEnumerable<CellContribution> Contributions()
    {
        if (!Completed)
        {
            yield break;
        }
        yield return new(new(SubjectKind.Station, StationCode, Month, M.ActivitiesCompleted), 1);
        if (Concentrated)
        {
            yield return new(new(SubjectKind.Station, StationCode, Month, M.ActivitiesConcentrated), 1);
        }
        if (TeamId is { } team)
        {
            yield return new(new(SubjectKind.Team, team.ToString(), Month, M.TeamActivities), 1);
        }
    }
}

/// <summary>
/// One volunteer's part in one activity: the completion's credit plus the sum of every correction's delta, so the
/// result is the same in any order (a correction that arrives first simply adds its delta before the credit).
/// </summary>
public sealed class ParticipationFact : IContributingFact
{
    private ParticipationFact() { }

    public Guid ActivityId { get; private set; }
    public Guid VolunteerId { get; private set; }
    public string StationCode { get; private set; } = "";
    public Guid? TeamId { get; private set; }
    public string Month { get; private set; } = "";
    /// <summary>Hundredths of an hour the completion credited; null when the completion has not named this volunteer (yet).</summary>
    public long? CompletionHundredths { get; private set; }
    /// <summary>Hundredths of an hour the corrections added (negative when they took time away).</summary>
    public long CorrectionHundredths { get; private set; }
    /// <summary>A correction took time away from this volunteer (a reason to leave them off the outstanding list, 评优).</summary>
    public bool CorrectedDown { get; private set; }
    public int Version { get; private set; }

    public long Hundredths => (CompletionHundredths ?? 0) + CorrectionHundredths;

    /// <summary>Took part: credited time above zero after every correction.</summary>
    public bool TookPart => Hundredths > 0;

    public static ParticipationFact Start(Guid activityId, Guid volunteerId, string stationCode, Guid? teamId, DateTimeOffset startsAt) =>
        new() { ActivityId = activityId, VolunteerId = volunteerId, StationCode = stationCode, TeamId = teamId, Month = Period.MonthOf(startsAt) };

    public void Credit(ServiceTime credited)
    {
        CompletionHundredths = credited.Hundredths;
        Version++;
    }

    public void Correct(ServiceTime delta)
    {
        CorrectionHundredths += delta.Hundredths;
        CorrectedDown |= delta.Hundredths < 0;
        Version++;
    }

    public IEnumerable<CellContribution> Contributions()
    {
        if (!TookPart)
        {
            yield break;
        }
        yield return new(new(SubjectKind.Station, StationCode, Month, M.ActivityParticipants), 1);
        yield return new(new(SubjectKind.Station, StationCode, Month, M.ActivityHours), Hundredths);
        yield return new(new(SubjectKind.Volunteer, VolunteerId.ToString(), Month, M.VolunteerActivities), 1);
        if (TeamId is { } team)
        {
            yield return new(new(SubjectKind.Team, team.ToString(), Month, M.TeamHours), Hundredths);
        }
    }
}

/// <summary>Where a residents' rating (评单) was given.</summary>
public enum RatingSource { Activity, Order }

/// <summary>A resident's rating of a station's activity or order, 1 to 5 (one per event).</summary>
public sealed class RatingFact : IContributingFact
{
    private RatingFact() { }

    public Guid EventId { get; private set; }
    public RatingSource Source { get; private set; }
    /// <summary>The activity's or the order's id.</summary>
    public Guid SourceId { get; private set; }
    public string StationCode { get; private set; } = "";
    public Guid? TeamId { get; private set; }
    public int Score { get; private set; }
    public DateTimeOffset RatedAt { get; private set; }
    public string Month { get; private set; } = "";

    public static RatingFact From(Guid eventId, RatingSource source, Guid sourceId, string stationCode, Guid? teamId, int score, DateTimeOffset at) =>
        new() { EventId = eventId, Source = source, SourceId = sourceId, StationCode = stationCode, TeamId = teamId, Score = score, RatedAt = at, Month = Period.MonthOf(at) };

    public IEnumerable<CellContribution> Contributions()
    {
        yield return new(new(SubjectKind.Station, StationCode, Month, M.RatingsCount), 1);
        yield return new(new(SubjectKind.Station, StationCode, Month, M.RatingsSum), Score);
    }
}

/// <summary>A completed order (点单): done by its due time or not.</summary>
public sealed class OrderFact : IContributingFact
{
    private OrderFact() { }

    public Guid OrderId { get; private set; }
    public string StationCode { get; private set; } = "";
    public Guid? TeamId { get; private set; }
    public Guid? VolunteerId { get; private set; }
    public DateTimeOffset CompletedAt { get; private set; }
    public string Month { get; private set; } = "";
    public bool Overdue { get; private set; }

    public static OrderFact From(Guid orderId, string stationCode, Guid? teamId, Guid? volunteerId, DateTimeOffset completedAt, bool overdue) =>
        new() { OrderId = orderId, StationCode = stationCode, TeamId = teamId, VolunteerId = volunteerId, CompletedAt = completedAt, Month = Period.MonthOf(completedAt), Overdue = overdue };

    public IEnumerable<CellContribution> Contributions()
    {
        yield return new(new(SubjectKind.Station, StationCode, Month, M.OrdersCompleted), 1);
        if (!Overdue)
        {
            yield return new(new(SubjectKind.Station, StationCode, Month, M.OrdersOnTime), 1);
        }
    }
}
