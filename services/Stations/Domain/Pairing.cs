using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Stations.Domain;

/// <summary>
/// 结对共建: a county unit (the forestry bureau, a bank branch…) paired with a station for a period, running a joint
/// plan of activities with it.
/// </summary>
public sealed class Pairing
{
    private Pairing() { }

    public Guid Id { get; private set; }
    public Guid StationId { get; private set; }
    public string StationCode { get; private set; } = "";
    public DivisionCode DivisionCode { get; private set; }
    public string PartnerUnit { get; private set; } = "";
    public DateOnly StartsOn { get; private set; }
    public DateOnly EndsOn { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public List<PairingPlanItem> PlanItems { get; private set; } = [];

    /// <summary>
    /// Pairs a unit with a station. Only stations pair (not the centre or an institute), a period runs at most
    /// <paramref name="maxYears"/> years (a county default, <see cref="StationsOptions.PairingMaxYears"/>), and the
    /// same unit cannot hold two overlapping pairings with one station.
    /// </summary>
    public static Pairing Create(Station station, IReadOnlyCollection<Pairing> existing, string? partnerUnit, DateOnly? startsOn, DateOnly? endsOn,
        int maxYears, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var unit = partnerUnit?.Trim() ?? "";
        if (unit.Length is 0 or > 100)
        {
            errors["partnerUnit"] = ["The name of the paired unit, 1 to 100 characters, is required."];
        }
        if (startsOn is null)
        {
            errors["startsOn"] = ["A start date is required."];
        }
        if (endsOn is null)
        {
            errors["endsOn"] = ["An end date is required."];
        }
        else if (startsOn is { } s && (endsOn < s || endsOn > s.AddYears(maxYears)))
        {
            errors["endsOn"] = [$"The period ends on or after its start and lasts at most {maxYears} year(s)."];
        }
        if (station.Kind is StationKind.CountyCentre or StationKind.Institute)
        {
            errors["code"] = ["A county unit pairs with a station, not with the centre or an institute."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        station.EnsureActive();
        if (existing.Any(p => string.Equals(p.PartnerUnit, unit, StringComparison.Ordinal) && p.StartsOn <= endsOn && startsOn <= p.EndsOn))
        {
            throw new ConflictException($"{unit} is already paired with {station.Code} for an overlapping period.");
        }
        return new Pairing
        {
            Id = Guid.CreateVersion7(now),
            StationId = station.Id,
            StationCode = station.Code,
            DivisionCode = station.DivisionCode,
            PartnerUnit = unit,
            StartsOn = startsOn!.Value,
            EndsOn = endsOn!.Value,
            CreatedAt = now,
        };
    }

    /// <summary>Adds an item of the joint plan; it falls within the pairing's period.</summary>
    public PairingPlanItem AddPlanItem(DateOnly? date, string? title, string? content, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (date is null)
        {
            errors["date"] = ["A date is required."];
        }
        else if (date < StartsOn || date > EndsOn)
        {
            errors["date"] = [$"The date lies within the pairing's period ({StartsOn:yyyy-MM-dd} to {EndsOn:yyyy-MM-dd})."];
        }
        var trimmedTitle = title?.Trim() ?? "";
        if (trimmedTitle.Length is 0 or > 100)
        {
            errors["title"] = ["A title of 1 to 100 characters is required."];
        }
        var trimmedContent = string.IsNullOrWhiteSpace(content) ? null : content.Trim();
        if (trimmedContent is { Length: > 1000 })
        {
            errors["content"] = ["At most 1000 characters."];
        }
        if (PlanItems.Count >= 100)
        {
            errors["date"] = ["A joint plan has at most 100 items."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        var item = new PairingPlanItem(Guid.CreateVersion7(now), Id, date!.Value, trimmedTitle, trimmedContent);
        PlanItems.Add(item);
        return item;
    }
}

/// <summary>One item of a pairing's joint plan (共建计划): what they do together, and when.</summary>
public sealed class PairingPlanItem(Guid id, Guid pairingId, DateOnly date, string title, string? content)
{
    public Guid Id { get; private set; } = id;
    public Guid PairingId { get; private set; } = pairingId;
    public DateOnly Date { get; private set; } = date;
    public string Title { get; private set; } = title;
    public string? Content { get; private set; } = content;
}
