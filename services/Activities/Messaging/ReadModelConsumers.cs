using PracticeMesh.Activities.Data;
using PracticeMesh.Activities.Domain;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.Activities.Messaging;

/// <summary>Keeps the stations activities can be held at.</summary>
public sealed class TrackStationRegistered(ActivitiesDbContext db, TimeProvider time)
    : IdempotentConsumer<StationRegistered, ActivitiesDbContext>(db, time)
{
    protected override async Task HandleAsync(StationRegistered message, CancellationToken cancellationToken)
    {
        var station = await Db.Stations.FindAsync([message.StationCode], cancellationToken);
        if (station is null)
        {
            Db.Stations.Add(new KnownStation { Code = message.StationCode, DivisionCode = message.DivisionCode, Name = message.Name });
        }
        else
        {
            station.Name = message.Name;
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

/// <summary>Keeps a station's location, the centre of location check-ins at its venue.</summary>
public sealed class TrackStationUpdated(ActivitiesDbContext db, TimeProvider time)
    : IdempotentConsumer<StationUpdated, ActivitiesDbContext>(db, time)
{
    protected override async Task HandleAsync(StationUpdated message, CancellationToken cancellationToken)
    {
        var station = await Db.Stations.FindAsync([message.StationCode], cancellationToken);
        if (station is null)
        {
            station = new KnownStation { Code = message.StationCode, DivisionCode = message.DivisionCode };
            Db.Stations.Add(station);
        }
        (station.Name, station.Latitude, station.Longitude) = (message.Name, message.Latitude, message.Longitude);
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
            Db.Teams.Add(new KnownTeam { Id = message.TeamId, DivisionCode = message.DivisionCode, Name = message.Name, HomeStationCode = message.HomeStationCode });
        }
    }
}

/// <summary>Keeps team membership, the denominator of the 70 % participation rule.</summary>
public sealed class TrackTeamMemberJoined(ActivitiesDbContext db, TimeProvider time)
    : IdempotentConsumer<TeamMemberJoined, ActivitiesDbContext>(db, time)
{
    protected override async Task HandleAsync(TeamMemberJoined message, CancellationToken cancellationToken)
    {
        if (await Db.TeamMembers.FindAsync([message.TeamId, message.VolunteerId], cancellationToken) is null)
        {
            Db.TeamMembers.Add(new TeamMember { TeamId = message.TeamId, VolunteerId = message.VolunteerId });
        }
    }
}

public sealed class TrackTeamMemberLeft(ActivitiesDbContext db, TimeProvider time)
    : IdempotentConsumer<TeamMemberLeft, ActivitiesDbContext>(db, time)
{
    protected override async Task HandleAsync(TeamMemberLeft message, CancellationToken cancellationToken)
    {
        if (await Db.TeamMembers.FindAsync([message.TeamId, message.VolunteerId], cancellationToken) is { } member)
        {
            Db.TeamMembers.Remove(member);
        }
    }
}
