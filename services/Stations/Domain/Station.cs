using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Stations.Domain;

public enum StationStatus { Active, Closed }

/// <summary>A practice site in the registry, keyed by its code (<see cref="StationCode"/>).</summary>
public sealed class Station
{
    private Station() { }

    public Guid Id { get; private set; }
    /// <summary>The code that names the site: its division code, or for a unit station place code + kind + serial.</summary>
    public string Code { get; private set; } = "";
    /// <summary>The place the site is in; for a unit station its place's code, not its own.</summary>
    public DivisionCode DivisionCode { get; private set; }
    /// <summary>The tier of <see cref="DivisionCode"/>: filters and the staffing rule use it.</summary>
    public DivisionTier Tier { get; private set; }
    public string Name { get; private set; } = "";
    public StationKind Kind { get; private set; }
    public string? ParentCode { get; private set; }
    public StationStatus Status { get; private set; }
    public string? Address { get; private set; }
    public double? Latitude { get; private set; }
    public double? Longitude { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }
    public DateTimeOffset? UpdatedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public string? ClosedReason { get; private set; }

    public bool IsUnit => StationCode.IsUnitKind(Kind);

    /// <summary>
    /// Registers a site. The kind must fit the code, and every site but the county centre sits under its parent: the
    /// site of the tier above (the code's own ancestor), or for a unit station the site of its place.
    /// </summary>
    public static Station Register(string? code, string? name, StationKind kind, Station? parent, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (!StationCode.TryParse(code, out var parsed, out var codeError))
        {
            errors["code"] = [codeError];
        }
        var trimmedName = ValidName(name, errors);
        if (!Enum.IsDefined(kind))
        {
            // JSON binds enum numbers too; an undefined one would be stored as a site of no kind.
            errors["kind"] = [$"Unknown site kind {kind}."];
        }
        if (errors.Count == 0)
        {
            if (StationCode.IsUnitKind(kind))
            {
                if (parsed.UnitKind != kind)
                {
                    errors["kind"] = [$"A {kind} station has a code like {parsed.Place}-{StationCode.Letter(kind)}01 (its place, kind letter, serial); '{parsed}' is not one."];
                }
            }
            else if (parsed.IsUnit)
            {
                errors["kind"] = [$"'{parsed}' is a {parsed.UnitKind} station code, not a {kind} code."];
            }
            else if (ExpectedTier(kind) != parsed.Place.Tier)
            {
                errors["kind"] = [$"A {kind} site has a {(int)ExpectedTier(kind)}-digit code; '{parsed}' is a {parsed.Place.Tier} code."];
            }
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        var expectedParent = ParentCodeOf(parsed);
        if (expectedParent is { } parentCode)
        {
            if (parent is null)
            {
                throw new DomainValidationException("parentCode", $"The site above ({parentCode}) must be registered first.");
            }
            if (parent.Code != parentCode)
            {
                throw new DomainValidationException("parentCode", $"'{parent.Code}' is not the parent of '{parsed}'; its parent is {parentCode}.");
            }
            if (parent.Status == StationStatus.Closed)
            {
                throw new ConflictException($"The parent site {parent.Code} is closed.");
            }
        }
        else if (parent is not null)
        {
            throw new DomainValidationException("parentCode", "A county centre has no parent.");
        }
        return new Station
        {
            Id = Guid.CreateVersion7(now),
            Code = parsed.Value,
            DivisionCode = parsed.Place,
            Tier = parsed.Place.Tier,
            Name = trimmedName,
            Kind = kind,
            ParentCode = expectedParent,
            Status = StationStatus.Active,
            RegisteredAt = now,
        };
    }

    /// <summary>The code of the site a site sits under: the tier above, or a unit station's place.</summary>
    public static string? ParentCodeOf(StationCode code) => code.IsUnit ? code.Place.Value : code.Place.Parent?.Value;

    /// <summary>Changes what may change; the code, kind and place never do (they are the key others hold).</summary>
    public void Update(string? name, string? address, double? latitude, double? longitude, DateTimeOffset now)
    {
        EnsureActive();
        Describe(name, address, latitude, longitude);
        UpdatedAt = now;
    }

    /// <summary>True when <see cref="Update"/> with these values would change nothing (an import row seen before).</summary>
    public bool Matches(string? name, string? address, double? latitude, double? longitude) =>
        Name == (name?.Trim() ?? "") && Address == (string.IsNullOrWhiteSpace(address) ? null : address.Trim())
        && Latitude == latitude && Longitude == longitude;

    /// <summary>Sets the descriptive fields of a site being registered or updated, validated.</summary>
    internal void Describe(string? name, string? address, double? latitude, double? longitude)
    {
        var errors = new Dictionary<string, string[]>();
        var trimmedName = ValidName(name, errors);
        var trimmedAddress = string.IsNullOrWhiteSpace(address) ? null : address.Trim();
        if (trimmedAddress is { Length: > 200 })
        {
            errors["address"] = ["An address has at most 200 characters."];
        }
        Location.Validate(latitude, longitude, errors);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        Name = trimmedName;
        Address = trimmedAddress;
        Latitude = latitude;
        Longitude = longitude;
    }

    /// <summary>Closes the site. A site is never deleted: activities, hours and assessments refer to it.</summary>
    public void Close(string? reason, int activeChildren, DateTimeOffset now)
    {
        var trimmed = reason?.Trim() ?? "";
        if (trimmed.Length is 0 or > 500)
        {
            throw new DomainValidationException("reason", "A reason of 1 to 500 characters is required.");
        }
        EnsureActive();
        if (activeChildren > 0)
        {
            throw new ConflictException($"{Code} still has {activeChildren} open site(s) under it; close them first.");
        }
        Status = StationStatus.Closed;
        ClosedReason = trimmed;
        ClosedAt = now;
        UpdatedAt = now;
    }

    /// <summary>A closed site keeps its records but takes no new ones.</summary>
    public void EnsureActive()
    {
        if (Status == StationStatus.Closed)
        {
            throw new ConflictException($"The site {Code} is closed.");
        }
    }

    public StationRegistered ToRegisteredEvent(DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), now, DivisionCode, Id, Code, Name, Kind, ParentCode);

    public StationUpdated ToUpdatedEvent(DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), now, DivisionCode, Id, Code, Name, Address, Latitude, Longitude);

    public StationClosed ToClosedEvent(DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), now, DivisionCode, Id, Code, ClosedReason ?? "");

    private static string ValidName(string? name, Dictionary<string, string[]> errors)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 100)
        {
            errors["name"] = ["A name of 1 to 100 characters is required."];
        }
        return trimmed;
    }

    private static DivisionTier ExpectedTier(StationKind kind) => kind switch
    {
        StationKind.CountyCentre => DivisionTier.County,
        StationKind.Institute => DivisionTier.Township,
        _ => DivisionTier.Village,
    };
}

/// <summary>A point on the map. Every site is in China, so a point outside its bounding box is a typo (often swapped).</summary>
public static class Location
{
    public static void Validate(double? latitude, double? longitude, Dictionary<string, string[]> errors)
    {
        if (latitude is null != longitude is null)
        {
            errors[latitude is null ? "latitude" : "longitude"] = ["Give both latitude and longitude, or neither."];
            return;
        }
        if (latitude is { } lat && (double.IsNaN(lat) || lat is < 3.5 or > 54))
        {
            errors["latitude"] = ["A latitude in China lies between 3.5 and 54 degrees north."];
        }
        if (longitude is { } lon && (double.IsNaN(lon) || lon is < 73 or > 136))
        {
            errors["longitude"] = ["A longitude in China lies between 73 and 136 degrees east."];
        }
    }
}
