namespace PracticeMesh.ServiceDefaults.Security;

/// <summary>The roles a token can carry (claim <c>role</c>).</summary>
public static class PracticeMeshRoles
{
    public const string CountyAdmin = "county_admin";
    public const string TownshipAdmin = "township_admin";
    public const string StationAdmin = "station_admin";
    public const string TeamLeader = "team_leader";
    public const string Volunteer = "volunteer";
    public const string GridWorker = "grid_worker";
    public const string Resident = "resident";
    /// <summary>A partner system (client credentials); what it may do comes from its client's scopes.</summary>
    public const string Partner = "partner";

    public static readonly IReadOnlyList<string> All = [CountyAdmin, TownshipAdmin, StationAdmin, TeamLeader, Volunteer, GridWorker, Resident, Partner];

    /// <summary>Roles whose writes are audited.</summary>
    public static readonly IReadOnlySet<string> Admins = new HashSet<string> { CountyAdmin, TownshipAdmin, StationAdmin };

    /// <summary>
    /// Roles that act only for themselves: a volunteer, a resident or a grid worker signs up, checks in, rates and asks
    /// only as the person they are. Admins, team leaders and partner systems may act for others within their scope.
    /// </summary>
    public static readonly IReadOnlySet<string> SelfOnly = new HashSet<string> { Volunteer, GridWorker, Resident };
}

/// <summary>
/// API scopes: what a token may do, per API area. People get the scopes of their role; a partner client gets the
/// scopes it was registered with. Where a record is, is the division scope's business (<see cref="Caller"/>).
/// </summary>
public static class ApiScopes
{
    public const string StationsRead = "stations.read";
    public const string StationsWrite = "stations.write";
    public const string VolunteersRead = "volunteers.read";
    /// <summary>Register, review (approve or reject) volunteers.</summary>
    public const string VolunteersWrite = "volunteers.write";
    public const string ActivitiesRead = "activities.read";
    /// <summary>Create, publish and complete activities.</summary>
    public const string ActivitiesWrite = "activities.write";
    /// <summary>Sign up, check in and check out.</summary>
    public const string ActivitiesAttend = "activities.attend";
    public const string GridRead = "grid.read";
    public const string GridWrite = "grid.write";
    /// <summary>Report grid cases.</summary>
    public const string GridReport = "grid.report";
    public const string AssessmentRead = "assessment.read";
    /// <summary>Store scoring schemes, publish a period's results, confirm the outstanding volunteers and teams, rebuild figures (the county decides; scope alone is not enough).</summary>
    public const string AssessmentWrite = "assessment.write";
    public const string AuditRead = "audit.read";

    public static readonly IReadOnlyList<string> All =
    [
        StationsRead, StationsWrite, VolunteersRead, VolunteersWrite, ActivitiesRead, ActivitiesWrite, ActivitiesAttend,
        GridRead, GridWrite, GridReport, AssessmentRead, AssessmentWrite, AuditRead,
    ];

    /// <summary>The scopes each role of a person carries.</summary>
    public static IReadOnlyList<string> ForRole(string role) => role switch
    {
        PracticeMeshRoles.CountyAdmin => All,
        PracticeMeshRoles.TownshipAdmin or PracticeMeshRoles.StationAdmin => [.. All.Where(s => s != AuditRead)],
        PracticeMeshRoles.TeamLeader => [StationsRead, VolunteersRead, ActivitiesRead, ActivitiesWrite, ActivitiesAttend],
        PracticeMeshRoles.Volunteer => [StationsRead, ActivitiesRead, ActivitiesAttend],
        PracticeMeshRoles.GridWorker => [StationsRead, GridRead, GridReport],
        PracticeMeshRoles.Resident => [StationsRead, ActivitiesRead, GridReport],
        _ => [],
    };
}

/// <summary>Claim names in PracticeMesh access tokens (JWT, RFC 9068 names where one exists).</summary>
public static class PracticeMeshClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    /// <summary>The division scope: a division code prefix; the caller reaches only records whose code starts with it.</summary>
    public const string Division = "division";
    /// <summary>Space-separated API scopes.</summary>
    public const string Scope = "scope";
    public const string ClientId = "client_id";
    /// <summary>
    /// The volunteer record (志愿者) this person is, set by the identity service when the person's volunteer
    /// registration is approved or an admin who covers both links the account. Absent for people who are no volunteer
    /// (or whose volunteer record is suspended) and for partner systems.
    /// </summary>
    public const string VolunteerId = "volunteer_id";
    /// <summary>A partner's requests per minute, so the gateway can limit each client without a lookup.</summary>
    public const string RateLimit = "rate_limit";
    public const string Audience = "practicemesh";
}
