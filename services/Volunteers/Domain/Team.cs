using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Volunteers.Domain;

/// <summary>
/// A volunteer service team (志愿服务队): a township 支队, a village 大队, a named team under either, or a sub-team
/// (分队) of a team. It lives at its home station; the tiers nest by place and by parent.
/// </summary>
public sealed class Team
{
    private Team() { }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public TeamTier Tier { get; private set; }
    public TeamType Type { get; private set; }
    public Guid? ParentTeamId { get; private set; }
    /// <summary>The home station's division code; for a unit station, its place's code.</summary>
    public DivisionCode DivisionCode { get; private set; }
    /// <summary>The home station's code when it is a unit station (school, enterprise, agency, mobile: 321324104201-S01); null for a place's own station.</summary>
    public string? UnitStationCode { get; private set; }

    /// <summary>The code of the station the team belongs to, as the stations registry names it.</summary>
    public string HomeStationCode => UnitStationCode ?? DivisionCode.Value;
    public Guid? LeaderVolunteerId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public static Team Create(string? name, TeamTier? tier, TeamType? type, Team? parent, string? homeStationCode, Volunteer? leader, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 100)
        {
            errors["name"] = ["A name of 1 to 100 characters is required."];
        }
        if (tier is not { } t || !Enum.IsDefined(t))
        {
            errors["tier"] = ["Tier is required: Township, Village, Team or SubTeam."];
        }
        if (type is { } ty && !Enum.IsDefined(ty))
        {
            errors["type"] = ["Unknown team type."];
        }
        if (!StationCode.TryParse(homeStationCode, out var station, out var codeError))
        {
            errors["homeStationCode"] = [codeError];
        }
        else if (tier == TeamTier.Township && (station.IsUnit || station.Place.Tier != DivisionTier.Township))
        {
            errors["homeStationCode"] = ["A township 支队 belongs to a township institute (9 digits)."];
        }
        else if (tier == TeamTier.Village && (station.IsUnit || station.Place.Tier != DivisionTier.Village))
        {
            errors["homeStationCode"] = ["A village 大队 belongs to a village station (12 digits)."];
        }
        else if (tier is TeamTier.Team or TeamTier.SubTeam && !station.IsUnit && station.Place.Tier == DivisionTier.County)
        {
            errors["homeStationCode"] = ["A team belongs to a township institute, a village station or a unit station (321324104201-S01)."];
        }
        // A unit station's place decides scope and nesting, as a place's own station does.
        var home = station.Place;
        TeamTier[] allowedParents = tier switch
        {
            TeamTier.Township => [],
            TeamTier.Village => [TeamTier.Township],
            TeamTier.Team => [TeamTier.Township, TeamTier.Village],
            TeamTier.SubTeam => [TeamTier.Team],
            _ => [],
        };
        if (tier == TeamTier.SubTeam && parent is null)
        {
            errors["parentTeamId"] = ["A sub-team (分队) belongs to a team."];
        }
        else if (parent is not null && tier is not null && (!allowedParents.Contains(parent.Tier)
            || (errors.Count == 0 && !home.IsWithin(parent.DivisionCode))))
        {
            errors["parentTeamId"] = [$"A {tier} team cannot sit under a {parent.Tier} team at {parent.DivisionCode}."];
        }
        if (leader is not null && (leader.Status != VolunteerStatus.Approved || (errors.Count == 0 && !leader.DivisionCode.IsWithin(home.County))))
        {
            errors["leaderVolunteerId"] = ["The leader is an approved volunteer of the county."];
        }
        HourLedgerEntry.ThrowIfAny(errors);
        return new Team
        {
            Id = Guid.CreateVersion7(now),
            Name = trimmed,
            Tier = tier!.Value,
            Type = type ?? TeamType.General,
            ParentTeamId = parent?.Id,
            DivisionCode = home,
            UnitStationCode = station.IsUnit ? station.Value : null,
            LeaderVolunteerId = leader?.Id,
            CreatedAt = now,
        };
    }

    public TeamCreated ToCreatedEvent(DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), now, DivisionCode, Id, Name, Tier, Type, ParentTeamId, HomeStationCode, LeaderVolunteerId);
}

/// <summary>A volunteer's time in a team: joined, and left when <see cref="LeftAt"/> is set. Rows are kept as history.</summary>
public sealed class TeamMembership
{
    private TeamMembership() { }

    public Guid Id { get; private set; }
    public Guid TeamId { get; private set; }
    public Guid VolunteerId { get; private set; }
    public DivisionCode DivisionCode { get; private set; }
    public DateTimeOffset JoinedAt { get; private set; }
    public DateTimeOffset? LeftAt { get; private set; }

    public static (TeamMembership, TeamMemberJoined) Join(Team team, Volunteer volunteer, DateTimeOffset now)
    {
        if (volunteer.Status != VolunteerStatus.Approved)
        {
            throw new ConflictException($"Only an approved volunteer can join a team; this one is {volunteer.Status.ToString().ToLowerInvariant()}.");
        }
        var membership = new TeamMembership
        {
            Id = Guid.CreateVersion7(now),
            TeamId = team.Id,
            VolunteerId = volunteer.Id,
            DivisionCode = team.DivisionCode,
            JoinedAt = now,
        };
        return (membership, new TeamMemberJoined(Guid.CreateVersion7(now), now, team.DivisionCode, team.Id, volunteer.Id));
    }

    public TeamMemberLeft Leave(DateTimeOffset now)
    {
        if (LeftAt is not null)
        {
            throw new ConflictException("The volunteer already left this team.");
        }
        LeftAt = now;
        return new TeamMemberLeft(Guid.CreateVersion7(now), now, DivisionCode, TeamId, VolunteerId);
    }
}
