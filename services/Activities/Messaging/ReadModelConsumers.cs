using PracticeMesh.Activities.Data;
using PracticeMesh.Activities.Shared;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.Activities.Messaging;

/// <summary>
/// Keeps the stations activities can be held at. Events about a station arrive in any order: whichever comes first makes
/// the row, and a name or location is replaced only by a newer statement of it.
/// </summary>
public sealed class TrackStationRegistered(ActivitiesDbContext db, TimeProvider time)
    : IdempotentConsumer<StationRegistered, ActivitiesDbContext>(db, time)
{
    protected override async Task HandleAsync(StationRegistered message, CancellationToken cancellationToken)
    {
        var station = await Db.Stations.FindAsync([message.StationCode], cancellationToken);
        if (station is null)
        {
            station = new KnownStation { Code = message.StationCode, DivisionCode = message.DivisionCode };
            Db.Stations.Add(station);
        }
        if (station.DescribedAt is null || message.OccurredAt > station.DescribedAt)
        {
            (station.Name, station.DescribedAt) = (message.Name, message.OccurredAt);
            station.Version++;
        }
    }
}

/// <summary>Keeps a station's name and location, the centre of location check-ins at its venue.</summary>
public sealed class TrackStationUpdated(ActivitiesDbContext db, TimeProvider time)
    : IdempotentConsumer<StationUpdated, ActivitiesDbContext>(db, time)
{
    protected override async Task HandleAsync(StationUpdated message, CancellationToken cancellationToken)
    {
        var station = await Db.Stations.FindAsync([message.StationCode], cancellationToken);
        if (station is null)
        {
            // Before its registration: the update says all the registration would, so the row starts here.
            station = new KnownStation { Code = message.StationCode, DivisionCode = message.DivisionCode };
            Db.Stations.Add(station);
        }
        // At the same instant as the registration, the update is the later word.
        if (station.DescribedAt is null || message.OccurredAt >= station.DescribedAt)
        {
            (station.Name, station.Latitude, station.Longitude, station.DescribedAt) = (message.Name, message.Latitude, message.Longitude, message.OccurredAt);
            station.Version++;
        }
    }
}

/// <summary>
/// A closed station takes no new activities. A closure that arrives before the station's registration starts the row
/// closed (the registration then fills in its name), so a station is never open here after it closed.
/// </summary>
public sealed class TrackStationClosed(ActivitiesDbContext db, TimeProvider time)
    : IdempotentConsumer<StationClosed, ActivitiesDbContext>(db, time)
{
    protected override async Task HandleAsync(StationClosed message, CancellationToken cancellationToken)
    {
        var station = await Db.Stations.FindAsync([message.StationCode], cancellationToken);
        if (station is null)
        {
            station = new KnownStation { Code = message.StationCode, DivisionCode = message.DivisionCode };
            Db.Stations.Add(station);
        }
        if (station.ClosedAt is null)
        {
            station.ClosedAt = message.OccurredAt;
            station.Version++;
        }
    }
}

/// <summary>Keeps the volunteers who may sign up.</summary>
public sealed class TrackVolunteerApproved(ActivitiesDbContext db, TimeProvider time)
    : IdempotentConsumer<VolunteerApproved, ActivitiesDbContext>(db, time)
{
    protected override async Task HandleAsync(VolunteerApproved message, CancellationToken cancellationToken)
    {
        if (await Db.Volunteers.FindAsync([message.VolunteerId], cancellationToken) is null)
        {
            Db.Volunteers.Add(new KnownVolunteer { Id = message.VolunteerId, DivisionCode = message.DivisionCode, DisplayName = message.DisplayName });
        }
    }
}

/// <summary>
/// A suspended volunteer may not sign up, and is not credited at completion, until reinstated. Only an approved
/// volunteer can be suspended, so a suspension of a volunteer not heard of here is early, not irrelevant: it waits
/// (retried, then the error queue) for the approval rather than being dropped, which would let them sign up.
/// </summary>
public sealed class TrackVolunteerSuspended(ActivitiesDbContext db, TimeProvider time)
    : IdempotentConsumer<VolunteerSuspended, ActivitiesDbContext>(db, time)
{
    protected override async Task HandleAsync(VolunteerSuspended message, CancellationToken cancellationToken)
    {
        var volunteer = await Db.Volunteers.FindAsync([message.VolunteerId], cancellationToken)
            ?? throw new PrematureEventException($"Volunteer {message.VolunteerId} is suspended but their approval has not arrived yet.");
        if (volunteer.SuspendedAt is null || message.OccurredAt > volunteer.SuspendedAt)
        {
            volunteer.SuspendedAt = message.OccurredAt;
            volunteer.Version++;
        }
    }
}

/// <summary>A reinstated volunteer may sign up again; like a suspension, it waits for the approval it follows.</summary>
public sealed class TrackVolunteerReinstated(ActivitiesDbContext db, TimeProvider time)
    : IdempotentConsumer<VolunteerReinstated, ActivitiesDbContext>(db, time)
{
    protected override async Task HandleAsync(VolunteerReinstated message, CancellationToken cancellationToken)
    {
        var volunteer = await Db.Volunteers.FindAsync([message.VolunteerId], cancellationToken)
            ?? throw new PrematureEventException($"Volunteer {message.VolunteerId} is reinstated but their approval has not arrived yet.");
        if (volunteer.ReinstatedAt is null || message.OccurredAt > volunteer.ReinstatedAt)
        {
            volunteer.ReinstatedAt = message.OccurredAt;
            volunteer.Version++;
        }
    }
}

/// <summary>Keeps the teams that organise activities and take orders.</summary>
public sealed class TrackTeamCreated(ActivitiesDbContext db, TimeProvider time)
    : IdempotentConsumer<TeamCreated, ActivitiesDbContext>(db, time)
{
    protected override async Task HandleAsync(TeamCreated message, CancellationToken cancellationToken)
    {
        if (await Db.Teams.FindAsync([message.TeamId], cancellationToken) is null)
        {
            Db.Teams.Add(new KnownTeam
            {
                Id = message.TeamId, DivisionCode = message.DivisionCode, Name = message.Name, HomeStationCode = message.HomeStationCode,
                LeaderVolunteerId = message.LeaderVolunteerId, ParentTeamId = message.ParentTeamId,
            });
        }
    }
}

/// <summary>
/// Keeps team membership, the denominator of the 70 % participation rule. A membership needs no team row (a join may
/// arrive before the team's creation), so joins and departures are kept as they come, each with its time.
/// </summary>
public sealed class TrackTeamMemberJoined(ActivitiesDbContext db, TimeProvider time)
    : IdempotentConsumer<TeamMemberJoined, ActivitiesDbContext>(db, time)
{
    protected override async Task HandleAsync(TeamMemberJoined message, CancellationToken cancellationToken) =>
        (await TeamMemberAsync(Db, message.TeamId, message.VolunteerId, cancellationToken)).Joined(message.OccurredAt);

    internal static async Task<TeamMember> TeamMemberAsync(ActivitiesDbContext db, Guid teamId, Guid volunteerId, CancellationToken cancellationToken)
    {
        if (await db.TeamMembers.FindAsync([teamId, volunteerId], cancellationToken) is { } member)
        {
            return member;
        }
        member = new TeamMember { TeamId = teamId, VolunteerId = volunteerId };
        db.TeamMembers.Add(member);
        return member;
    }
}

/// <summary>
/// A departure is kept even when its join has not arrived yet: dropping it would leave the volunteer a member for good
/// once the join came.
/// </summary>
public sealed class TrackTeamMemberLeft(ActivitiesDbContext db, TimeProvider time)
    : IdempotentConsumer<TeamMemberLeft, ActivitiesDbContext>(db, time)
{
    protected override async Task HandleAsync(TeamMemberLeft message, CancellationToken cancellationToken) =>
        (await TrackTeamMemberJoined.TeamMemberAsync(Db, message.TeamId, message.VolunteerId, cancellationToken)).Left(message.OccurredAt);
}
