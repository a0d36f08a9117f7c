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
