namespace PracticeMesh.Volunteers.Domain;

/// <summary>Settings under <c>Volunteers</c>.</summary>
public sealed class VolunteersOptions
{
    /// <summary>Base64 of 32 random bytes; protects ID numbers and phones at rest. Required outside development.</summary>
    public string? DataKey { get; set; }

    /// <summary>Without a <see cref="DataKey"/>, use a fixed public key: for the standalone demo and tests only.</summary>
    public bool UseDevelopmentKey { get; set; }

    /// <summary>Yearly required hours per obligation key (a <see cref="VolunteerCategory"/> name or <c>TeamMember</c>), for every year.</summary>
    public Dictionary<string, decimal>? Obligations { get; set; }

    /// <summary>Per-year overrides: <c>Volunteers:ObligationsByYear:2027:Cadre = 24</c>.</summary>
    public Dictionary<string, Dictionary<string, decimal>>? ObligationsByYear { get; set; }

    /// <summary>Cumulative hours for one to five stars (ascending).</summary>
    public decimal[]? StarThresholds { get; set; }
}
