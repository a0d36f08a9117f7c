using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Stations.Domain;

public enum StationStatus { Active, Closed }

/// <summary>A practice site in the registry, keyed by its division code.</summary>
public sealed class Station
{
    private Station() { }

    public Guid Id { get; private set; }
    /// <summary>The code that names the site; for a county, township or village site this is its division code.</summary>
    public string Code { get; private set; } = "";
    public DivisionCode DivisionCode { get; private set; }
    public string Name { get; private set; } = "";
    public StationKind Kind { get; private set; }
    public string? ParentCode { get; private set; }
    public StationStatus Status { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }

    /// <summary>
    /// Registers a site. The kind must fit the code's tier, and every site but the county centre sits under its
    /// parent, which must be the site of the tier above (the code's own ancestor).
    /// </summary>
    public static Station Register(string? code, string? name, StationKind kind, Station? parent, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (!DivisionCode.TryParse(code, out var division, out var codeError))
        {
            errors["code"] = [codeError];
        }
        var trimmedName = name?.Trim() ?? "";
        if (trimmedName.Length is 0 or > 100)
        {
            errors["name"] = ["A name of 1 to 100 characters is required."];
        }
        if (!Enum.IsDefined(kind))
        {
            // JSON binds enum numbers too; an undefined one would be stored as a site of no kind.
            errors["kind"] = [$"Unknown site kind {kind}."];
        }
        if (errors.Count == 0)
        {
            var expectedTier = ExpectedTier(kind);
            if (expectedTier != division.Tier)
            {
                errors["kind"] = [$"A {kind} site has a {(int)expectedTier}-digit code; '{division}' is a {division.Tier} code."];
            }
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        if (division.Parent is { } parentCode)
        {
            if (parent is null)
            {
                throw new DomainValidationException("parentCode", $"The site of the tier above ({parentCode}) must be registered first.");
            }
            if (parent.Code != parentCode.Value)
            {
                throw new DomainValidationException("parentCode", $"'{parent.Code}' is not the ancestor of '{division}'; its parent is {parentCode}.");
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
            Code = division.Value,
            DivisionCode = division,
            Name = trimmedName,
            Kind = kind,
            ParentCode = division.Parent?.Value,
            Status = StationStatus.Active,
            RegisteredAt = now,
        };
    }

    public StationRegistered ToRegisteredEvent(DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), now, DivisionCode, Id, Code, Name, Kind, ParentCode);

    private static DivisionTier ExpectedTier(StationKind kind) => kind switch
    {
        StationKind.CountyCentre => DivisionTier.County,
        StationKind.Institute => DivisionTier.Township,
        _ => DivisionTier.Village,
    };
}
