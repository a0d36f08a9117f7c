using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Volunteers.Data;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Api;

public sealed record CreateTeamRequest(string? Name, TeamTier? Tier, TeamType? Type, string? HomeStationCode, Guid? ParentTeamId = null, Guid? LeaderVolunteerId = null);

public sealed record JoinTeamRequest(Guid? VolunteerId);

public sealed record TeamResponse(Guid Id, string Name, TeamTier Tier, TeamType Type, string HomeStationCode, Guid? ParentTeamId, Guid? LeaderVolunteerId,
    DateTimeOffset CreatedAt, int Members)
{
    public static TeamResponse From(Team t, int members) => new(t.Id, t.Name, t.Tier, t.Type, t.HomeStationCode, t.ParentTeamId, t.LeaderVolunteerId, t.CreatedAt, members);
}

public sealed record MembershipResponse(Guid TeamId, Guid VolunteerId, string Name, DateTimeOffset JoinedAt, DateTimeOffset? LeftAt);

/// <summary>Teams (志愿服务队): 支队, 大队, teams and 分队; members join and leave, and the history is kept.</summary>
public static class TeamsApi
{
    public static void MapTeamsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/teams", CreateAsync).WithName("CreateTeam")
            .WithSummary("Set up a team at its home station")
            .WithDescription("Example: {\"name\":\"青阳镇新时代文明实践志愿服务支队\",\"tier\":\"Township\",\"type\":\"General\",\"homeStationCode\":\"321324104\"}; a sub-team: {\"name\":\"普法宣传分队\",\"tier\":\"SubTeam\",\"type\":\"LegalAwareness\",\"homeStationCode\":\"321324104201\",\"parentTeamId\":\"...\"}.")
            .RequireAuthorization(ApiScopes.VolunteersWrite);
        api.MapGet("/teams", ListAsync).WithName("ListTeams").WithSummary("Teams under a division prefix")
            .RequireAuthorization(ApiScopes.VolunteersRead);
        api.MapGet("/teams/{teamId:guid}", GetAsync).WithName("GetTeam").RequireAuthorization(ApiScopes.VolunteersRead);
        api.MapGet("/teams/{teamId:guid}/members", MembersAsync).WithName("GetTeamMembers")
            .WithSummary("Current members; ?history=true adds those who left").RequireAuthorization(ApiScopes.VolunteersRead);
        api.MapPost("/teams/{teamId:guid}/members", JoinAsync).WithRequestExample("""{"volunteerId":"0196f0a4-5c1e-7b3a-9d2e-4f5a6b7c8d9e"}""").WithName("JoinTeam")
            .WithDescription("Example: {\"volunteerId\":\"...\"}. A volunteer joins only themselves, a team of their own village or township; an admin or team leader adds a volunteer their division covers, and that is audited.")
            .RequireAuthorization(VolunteerPolicies.TeamMembership);
        api.MapPost("/teams/{teamId:guid}/members/{volunteerId:guid}/leave", LeaveAsync).WithName("LeaveTeam")
            .WithDescription("A volunteer leaves only for themselves (another id is 404); an admin or team leader for a volunteer their division covers, audited.")
            .RequireAuthorization(VolunteerPolicies.TeamMembership);
    }

    public static async Task<Created<TeamResponse>> CreateAsync(CreateTeamRequest request, VolunteersDbContext db, Caller caller, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Any station the registry takes, unit and mobile stations too; its place decides scope.
        var parsed = StationCode.TryParse(request.HomeStationCode, out var station);
        var home = station.Place;
        if (parsed)
        {
            caller.EnsureMayCreateIn(home);
        }
        Team? parent = null;
        if (request.ParentTeamId is { } parentId)
        {
            parent = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Id == parentId, cancellationToken);
            if (parent is null || !caller.Covers(parent.DivisionCode) && !(parsed && home.IsWithin(parent.DivisionCode)))
            {
                throw new DomainValidationException("parentTeamId", "No such team.");
            }
        }
        Volunteer? leader = null;
        if (request.LeaderVolunteerId is { } leaderId)
        {
            leader = await db.Volunteers.AsNoTracking().SingleOrDefaultAsync(v => v.Id == leaderId, cancellationToken);
            if (leader is null || !caller.Covers(leader.DivisionCode))
            {
                throw new DomainValidationException("leaderVolunteerId", "No such volunteer.");
            }
        }
        var team = Team.Create(request.Name, request.Tier, request.Type, parent, request.HomeStationCode, leader, now);
        db.Teams.Add(team);
        db.AddEvent(team.ToCreatedEvent(now), now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/volunteers/teams/{team.Id}", TeamResponse.From(team, 0));
    }

    public static async Task<Ok<List<TeamResponse>>> ListAsync(string? under, TeamTier? tier, VolunteersDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        if (caller.ListPrefix(under) is not { } prefix)
        {
            return TypedResults.Ok(new List<TeamResponse>());
        }
        var query = db.Teams.AsNoTracking().Where(t => ((string)t.DivisionCode).StartsWith(prefix));
        if (tier is { } t)
        {
            query = query.Where(team => team.Tier == t);
        }
        var teams = await query.OrderBy(team => team.DivisionCode).ThenBy(team => team.Name).Take(1000)
            .Select(team => new { Team = team, Members = db.TeamMemberships.Count(m => m.TeamId == team.Id && m.LeftAt == null) })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(teams.Select(x => TeamResponse.From(x.Team, x.Members)).ToList());
    }

    public static async Task<Ok<TeamResponse>> GetAsync(Guid teamId, VolunteersDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var team = await FindAsync(teamId, db, caller, cancellationToken);
        var members = await db.TeamMemberships.CountAsync(m => m.TeamId == teamId && m.LeftAt == null, cancellationToken);
        return TypedResults.Ok(TeamResponse.From(team, members));
    }

    public static async Task<Ok<List<MembershipResponse>>> MembersAsync(Guid teamId, bool? history, VolunteersDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var team = await FindAsync(teamId, db, caller, cancellationToken);
        var query = db.TeamMemberships.AsNoTracking().Where(m => m.TeamId == team.Id);
        if (history != true)
        {
            query = query.Where(m => m.LeftAt == null);
        }
        var rows = await query.OrderBy(m => m.JoinedAt)
            .Join(db.Volunteers, m => m.VolunteerId, v => v.Id, (m, v) => new MembershipResponse(m.TeamId, m.VolunteerId, v.Name, m.JoinedAt, m.LeftAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows);
    }

    public static async Task<Created<MembershipResponse>> JoinAsync(Guid teamId, JoinTeamRequest request, HttpContext http, VolunteersDbContext db, Caller caller,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (request.VolunteerId is not { } volunteerId)
        {
            throw new DomainValidationException("volunteerId", "The volunteer is required.");
        }
        // Acting for another volunteer: an unknown team is 404 before anything is said about the volunteer named.
        var team = !caller.ActsOnlyForSelf && caller.VolunteerId != volunteerId ? await FindAsync(teamId, db, caller, cancellationToken) : null;
        var (volunteer, onBehalf) = await MemberAsync(volunteerId, db, caller, cancellationToken);
        // A volunteer joining by themselves reaches the teams of their own village and township (their token's
        // division may be narrower than a township 支队's); anyone else, the teams their division covers.
        team ??= await FindAsync(teamId, db, caller, cancellationToken, onBehalf == OnBehalf.Self ? volunteer.DivisionCode : null);
        if (!volunteer.DivisionCode.IsWithin(team.DivisionCode.County))
        {
            throw new DomainValidationException("volunteerId", "A team takes volunteers of its own county.");
        }
        if (await db.TeamMemberships.AnyAsync(m => m.TeamId == team.Id && m.VolunteerId == volunteerId && m.LeftAt == null, cancellationToken))
        {
            throw new ConflictException("The volunteer is already a member of this team.");
        }
        var (membership, joined) = TeamMembership.Join(team, volunteer, now);
        db.TeamMemberships.Add(membership);
        db.AddEvent(joined, now);
        if (onBehalf == OnBehalf.Other)
        {
            AuditTrail.RecordOnBehalf(http, db, "volunteers", volunteer.Id, now);
        }
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/volunteers/teams/{team.Id}/members",
            new MembershipResponse(team.Id, volunteer.Id, volunteer.Name, membership.JoinedAt, null));
    }

    public static async Task<Ok<MembershipResponse>> LeaveAsync(Guid teamId, Guid volunteerId, HttpContext http, VolunteersDbContext db, Caller caller,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        OnBehalf onBehalf;
        if (caller.ActsOnlyForSelf || caller.VolunteerId == volunteerId)
        {
            // Someone leaving for themselves: their own id first, so another person's id answers as unknown before
            // anything about the team is revealed; they leave any team they are in, wherever it sits.
            (_, onBehalf) = await VolunteersApi.FindActingForAsync(volunteerId, db, caller, cancellationToken);
        }
        else
        {
            onBehalf = OnBehalf.Other;
        }
        var team = onBehalf == OnBehalf.Self
            ? await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Id == teamId, cancellationToken) ?? throw new NotFoundException($"No team {teamId}.")
            : await FindAsync(teamId, db, caller, cancellationToken);
        var membership = await db.TeamMemberships.SingleOrDefaultAsync(m => m.TeamId == team.Id && m.VolunteerId == volunteerId && m.LeftAt == null, cancellationToken)
            ?? throw new NotFoundException("The volunteer is not a member of this team.");
        var volunteer = await db.Volunteers.AsNoTracking().SingleAsync(v => v.Id == volunteerId, cancellationToken);
        db.AddEvent(membership.Leave(now), now);
        if (onBehalf == OnBehalf.Other)
        {
            AuditTrail.RecordOnBehalf(http, db, "volunteers", volunteerId, now);
        }
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new MembershipResponse(team.Id, volunteerId, volunteer.Name, membership.JoinedAt, membership.LeftAt));
    }

    /// <param name="home">A volunteer acting for themselves: their home station, whose village and township teams they also reach.</param>
    private static async Task<Team> FindAsync(Guid teamId, VolunteersDbContext db, Caller caller, CancellationToken cancellationToken, DivisionCode? home = null)
    {
        var team = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Id == teamId, cancellationToken);
        if (team is null || !(caller.Covers(team.DivisionCode) || home is { } h && h.IsWithin(team.DivisionCode)))
        {
            throw new NotFoundException($"No team {teamId}.");
        }
        return team;
    }

    /// <summary>
    /// The volunteer named in a join request. Someone who acts only for themselves gets 404 for any id but their own;
    /// for an admin or team leader an unknown or uncovered volunteer is a bad field, as before.
    /// </summary>
    private static async Task<(Volunteer, OnBehalf)> MemberAsync(Guid volunteerId, VolunteersDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        try
        {
            return await VolunteersApi.FindActingForAsync(volunteerId, db, caller, cancellationToken);
        }
        catch (NotFoundException) when (!caller.ActsOnlyForSelf)
        {
            throw new DomainValidationException("volunteerId", "No such volunteer.");
        }
    }
}
