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

/// <summary>
/// Whether a site has the staff to designate: <see cref="Met"/> when it has at least the minimum, and
/// <see cref="AboveUsualRange"/> (information only) when it has more than the usual range.
/// </summary>
public sealed record StaffingStatus(int StaffCount, int? RequiredMin, int? RequiredMax, bool Met, bool AboveUsualRange, string? HeadName, string? DeputyName);

/// <summary>
/// The staffing rule (seed: "配备2-3名专兼职工作人员" for an institute, "1-2名" for a station) read as a minimum to
/// designate, not a cap: every staff member a site has is recorded, a site below the minimum is flagged, and one
/// above the usual range is shown as such for information. The numbers are county configuration
/// (<see cref="StaffingOptions"/>). Head and deputy lead and are not counted as staff; the county centre has no rule.
/// </summary>
public sealed class StaffingRule(StaffingOptions options)
{
    public StaffingRange? RangeFor(StationKind kind) => kind switch
    {
        StationKind.CountyCentre => null,
        StationKind.Institute => options.Institute,
        _ => options.Station,
    };

    public StaffingStatus Evaluate(Station station, IReadOnlyCollection<StaffMember> members)
    {
        var count = members.Count(m => m.IsStaff);
        var range = RangeFor(station.Kind);
        var head = members.FirstOrDefault(m => m.Role == StaffRole.Head)?.Name;
        var deputy = members.FirstOrDefault(m => m.Role == StaffRole.Deputy)?.Name;
        var met = range is null || count >= range.Minimum;
        var above = range is not null && count > range.UsualMaximum;
        return new StaffingStatus(count, range?.Minimum, range?.UsualMaximum, met, above, head, deputy);
    }

    /// <summary>
    /// Adds a person. A site has one head and one deputy; staff are never refused for their number (fewer than the
    /// minimum shows as unmet because staff join one at a time, more than usual shows as information).
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
        return StaffMember.Create(station, trimmed, role, trimmedPost, now);
    }

    public static StaffingChanged ToEvent(Station station, StaffingStatus status, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), now, station.DivisionCode, station.Id, station.Code, status.HeadName, status.DeputyName,
            status.StaffCount, status.RequiredMin, status.RequiredMax, status.Met, status.AboveUsualRange);
}
