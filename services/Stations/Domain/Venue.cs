using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Stations.Domain;

/// <summary>The five platforms (五大平台) a station opens up (打通).</summary>
public enum PracticePlatform
{
    /// <summary>理论宣讲 theory lectures.</summary>
    TheoryLectures,
    /// <summary>教育服务 education.</summary>
    Education,
    /// <summary>文化服务 culture.</summary>
    Culture,
    /// <summary>科技与科普 science popularisation.</summary>
    Science,
    /// <summary>健康促进与体育 health and sport.</summary>
    HealthAndSport,
}

/// <summary>A venue a station uses for one platform: a party room, a rural library (农家书屋), a fitness square…</summary>
public sealed class Venue
{
    private Venue() { }

    public Guid Id { get; private set; }
    public Guid StationId { get; private set; }
    public string StationCode { get; private set; } = "";
    public DivisionCode DivisionCode { get; private set; }
    public PracticePlatform Platform { get; private set; }
    public string Name { get; private set; } = "";
    public string? Address { get; private set; }
    public int? Capacity { get; private set; }
    /// <summary>Free text as posted at the door ("周二至周日 8:30-17:30").</summary>
    public string? OpeningHours { get; private set; }
    public double? Latitude { get; private set; }
    public double? Longitude { get; private set; }
    public DateTimeOffset AddedAt { get; private set; }

    public static Venue Add(Station station, PracticePlatform platform, string? name, string? address, int? capacity,
        string? openingHours, double? latitude, double? longitude, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Enum.IsDefined(platform))
        {
            errors["platform"] = [$"Unknown platform {platform}."];
        }
        var trimmedName = name?.Trim() ?? "";
        if (trimmedName.Length is 0 or > 100)
        {
            errors["name"] = ["A name of 1 to 100 characters is required."];
        }
        var trimmedAddress = Optional(address, 200, "address", errors);
        var trimmedHours = Optional(openingHours, 100, "openingHours", errors);
        if (capacity is < 1 or > 100_000)
        {
            errors["capacity"] = ["A capacity is between 1 and 100000 people."];
        }
        Location.Validate(latitude, longitude, errors);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        station.EnsureActive();
        return new Venue
        {
            Id = Guid.CreateVersion7(now),
            StationId = station.Id,
            StationCode = station.Code,
            DivisionCode = station.DivisionCode,
            Platform = platform,
            Name = trimmedName,
            Address = trimmedAddress,
            Capacity = capacity,
            OpeningHours = trimmedHours,
            Latitude = latitude,
            Longitude = longitude,
            AddedAt = now,
        };
    }

    private static string? Optional(string? text, int max, string field, Dictionary<string, string[]> errors)
    {
        var trimmed = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (trimmed is not null && trimmed.Length > max)
        {
            errors[field] = [$"At most {max} characters."];
        }
        return trimmed;
    }
}
