using PracticeMesh.Contracts;

namespace PracticeMesh.Activities.Domain;

/// <summary>A station this service has heard of (from StationRegistered): activities are held only at known stations.</summary>
public sealed class KnownStation
{
    public string Code { get; set; } = "";
    public DivisionCode DivisionCode { get; set; }
    public string Name { get; set; } = "";
}

/// <summary>An approved volunteer (from VolunteerApproved): only they may sign up.</summary>
public sealed class KnownVolunteer
{
    public Guid Id { get; set; }
    public DivisionCode DivisionCode { get; set; }
    public string DisplayName { get; set; } = "";
}
