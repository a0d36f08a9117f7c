using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Stations.Domain;

/// <summary>A person's place at a site.</summary>
public enum StaffRole
{
    /// <summary>站长 / 所长: at a village the party secretary, at an institute the township party secretary.</summary>
    Head,
    /// <summary>副站长: at a village the committee director.</summary>
    Deputy,
    /// <summary>专职 full-time staff.</summary>
    FullTime,
    /// <summary>兼职 part-time staff.</summary>
    PartTime,
}

/// <summary>A leader or staff member of a site.</summary>
public sealed class StaffMember
{
    private StaffMember() { }

    public Guid Id { get; private set; }
    public Guid StationId { get; private set; }
    public string StationCode { get; private set; } = "";
    public string Name { get; private set; } = "";
    public StaffRole Role { get; private set; }
    /// <summary>The post the person holds elsewhere (党支部书记, 村委会主任…), for the roster.</summary>
    public string? Post { get; private set; }
    public DateTimeOffset AddedAt { get; private set; }

    public bool IsStaff => Role is StaffRole.FullTime or StaffRole.PartTime;

    internal static StaffMember Create(Station station, string name, StaffRole role, string? post, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        StationId = station.Id,
        StationCode = station.Code,
        Name = name,
        Role = role,
        Post = post,
        AddedAt = now,
    };
}

/// <summary>Whether a site has the staff the seed requires.</summary>
public sealed record StaffingStatus(int StaffCount, int? RequiredMin, int? RequiredMax, bool Met, string? HeadName, string? DeputyName);

/// <summary>
/// The staffing rule (seed): an institute has 2–3 full- or part-time staff, a station 1–2. Head and deputy lead and
/// are not counted as staff. The county centre has no rule.
/// </summary>
public static class StaffingRule
{
    public static (int Min, int Max)? RangeFor(StationKind kind) => kind switch
    {
        StationKind.CountyCentre => null,
        StationKind.Institute => (2, 3),
        _ => (1, 2),
    };

    public static StaffingStatus Evaluate(Station station, IReadOnlyCollection<StaffMember> members)
    {
        var count = members.Count(m => m.IsStaff);
        var range = RangeFor(station.Kind);
        var head = members.FirstOrDefault(m => m.Role == StaffRole.Head)?.Name;
        var deputy = members.FirstOrDefault(m => m.Role == StaffRole.Deputy)?.Name;
        var met = range is not { } r || (count >= r.Min && count <= r.Max);
        return new StaffingStatus(count, range?.Min, range?.Max, met, head, deputy);
    }

    /// <summary>
    /// Adds a person. A site has one head and one deputy, and never more staff than the rule allows; fewer is allowed
    /// (the rule then shows as unmet) because staff join one at a time.
    /// </summary>
    public static StaffMember Add(Station station, IReadOnlyCollection<StaffMember> current, string? name, StaffRole role, string? post, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 50)
        {
            errors["name"] = ["A name of 1 to 50 characters is required."];
        }
        if (!Enum.IsDefined(role))
        {
            errors["role"] = [$"Unknown role {role}."];
        }
        var trimmedPost = string.IsNullOrWhiteSpace(post) ? null : post.Trim();
        if (trimmedPost is { Length: > 50 })
        {
            errors["post"] = ["A post has at most 50 characters."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        station.EnsureActive();
        if (role is StaffRole.Head or StaffRole.Deputy && current.Any(m => m.Role == role))
        {
            throw new ConflictException($"{station.Code} already has a {role.ToString().ToLowerInvariant()}; remove them first.");
        }
        if (role is StaffRole.FullTime or StaffRole.PartTime && RangeFor(station.Kind) is { } range
            && current.Count(m => m.IsStaff) >= range.Max)
        {
            throw new ConflictException($"A {station.Kind} site has at most {range.Max} full- or part-time staff; {station.Code} has {range.Max} already.");
        }
        return StaffMember.Create(station, trimmed, role, trimmedPost, now);
    }

    public static StaffingChanged ToEvent(Station station, StaffingStatus status, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), now, station.DivisionCode, station.Id, station.Code, status.HeadName, status.DeputyName,
            status.StaffCount, status.RequiredMin, status.RequiredMax, status.Met);
}
