using PracticeMesh.Contracts;

namespace PracticeMesh.Activities.Domain;

/// <summary>A station this service has heard of (from StationRegistered): activities are held only at known stations.</summary>
public sealed class KnownStation
{
    public string Code { get; set; } = "";
    public DivisionCode DivisionCode { get; set; }
    public string Name { get; set; } = "";
    /// <summary>From StationUpdated: where a location check-in is measured from when the activity names no place of its own.</summary>
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
}

/// <summary>An approved volunteer (from VolunteerApproved): only they may sign up.</summary>
public sealed class KnownVolunteer
{
    public Guid Id { get; set; }
    public DivisionCode DivisionCode { get; set; }
    public string DisplayName { get; set; } = "";
}

/// <summary>A volunteer service team (志愿服务队), from TeamCreated.</summary>
public sealed class KnownTeam
{
    public Guid Id { get; set; }
    public DivisionCode DivisionCode { get; set; }
    public string Name { get; set; } = "";
    public string HomeStationCode { get; set; } = "";
}

/// <summary>Team membership (TeamMemberJoined / TeamMemberLeft): the denominator of a team's participation rate.</summary>
public sealed class TeamMember
{
    public Guid TeamId { get; set; }
    public Guid VolunteerId { get; set; }
}
