using PracticeMesh.Contracts;

namespace PracticeMesh.Activities.Shared;

/// <summary>A station this service has heard of (from StationRegistered): activities are held only at known stations.</summary>
public sealed class KnownStation
{
    public string Code { get; set; } = "";
    public DivisionCode DivisionCode { get; set; }
    public string Name { get; set; } = "";
    /// <summary>From StationUpdated: where a location check-in is measured from when the activity names no place of its own.</summary>
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    /// <summary>
    /// When the name and location were last stated (StationRegistered or StationUpdated): events arrive in any order,
    /// and an older statement never overwrites a newer one.
    /// </summary>
    public DateTimeOffset? DescribedAt { get; set; }
    /// <summary>From StationClosed: a closed station keeps its history but takes no new activities.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    public bool IsClosed => ClosedAt is not null;
    /// <summary>Bumped by every change: consumers of different events about the same row cannot save over each other.</summary>
    public int Version { get; set; }
}

/// <summary>
/// An approved volunteer (from VolunteerApproved): only they may sign up, and not while suspended (VolunteerSuspended
/// until VolunteerReinstated).
/// </summary>
public sealed class KnownVolunteer
{
    public Guid Id { get; set; }
    public DivisionCode DivisionCode { get; set; }
    public string DisplayName { get; set; } = "";
    /// <summary>When the latest suspension heard of happened.</summary>
    public DateTimeOffset? SuspendedAt { get; set; }
    /// <summary>When the latest reinstatement heard of happened.</summary>
    public DateTimeOffset? ReinstatedAt { get; set; }
    /// <summary>Bumped by every change: consumers of different events about the same row cannot save over each other.</summary>
    public int Version { get; set; }

    /// <summary>
    /// Suspended unless reinstated since: judged by when each happened, not by which event arrived last, so a
    /// reinstatement delivered before its suspension still counts.
    /// </summary>
    public bool IsSuspended => SuspendedAt is { } suspended && (ReinstatedAt is not { } reinstated || reinstated < suspended);
}

/// <summary>A volunteer service team (志愿服务队), from TeamCreated.</summary>
public sealed class KnownTeam
{
    public Guid Id { get; set; }
    public DivisionCode DivisionCode { get; set; }
    public string Name { get; set; } = "";
    public string HomeStationCode { get; set; } = "";
    /// <summary>The team's leader (队长), who answers for the orders dispatched to the team with its members.</summary>
    public Guid? LeaderVolunteerId { get; set; }
    /// <summary>The team this one is a sub-team (分队) of, from TeamCreated.</summary>
    public Guid? ParentTeamId { get; set; }
}

/// <summary>
/// Team membership (TeamMemberJoined / TeamMemberLeft): the denominator of a team's participation rate. The row stays
/// when a volunteer leaves, with the times of the latest join and leave, so a departure delivered before its join (or a
/// re-join before the departure) comes out as it happened.
/// </summary>
public sealed class TeamMember
{
    public Guid TeamId { get; set; }
    public Guid VolunteerId { get; set; }
    public DateTimeOffset? JoinedAt { get; private set; }
    public DateTimeOffset? LeftAt { get; private set; }
    /// <summary>A member now: joined, and not left since. Stored so queries filter on a column.</summary>
    public bool IsMember { get; private set; }
    /// <summary>Bumped by every change: consumers of different events about the same row cannot save over each other.</summary>
    public int Version { get; private set; }

    public void Joined(DateTimeOffset at)
    {
        if (JoinedAt is null || at > JoinedAt)
        {
            JoinedAt = at;
        }
        Recompute();
    }

    public void Left(DateTimeOffset at)
    {
        if (LeftAt is null || at > LeftAt)
        {
            LeftAt = at;
        }
        Recompute();
    }

    private void Recompute()
    {
        IsMember = JoinedAt is { } joined && (LeftAt is not { } left || left < joined);
        Version++;
    }
}
