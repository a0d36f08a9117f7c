using PracticeMesh.Contracts.Events.V1;

namespace PracticeMesh.Contracts.Events.V2;

/// <summary>
/// The tier above checked one item of a station's checklist against its evidence. The checklist is county
/// configuration (六有 by default, or a variant such as the village plan's eight items), so the item is named by its
/// key and Chinese label rather than by <see cref="V1.SixHavesItem"/>, which knows the six items only; V1's event is
/// still published beside this one while a county uses the six-item standard.
/// </summary>
public sealed record SixHavesVerified(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    Guid StationId,
    string StationCode,
    /// <summary>The item's key (Site, Team… or the county's own).</summary>
    string Item,
    /// <summary>The item's Chinese label (有场所, 阵地…).</summary>
    string ItemLabel,
    SixHavesVerdict Verdict,
    string? VerifiedBy,
    /// <summary>The verifier's division scope: a division code or, for a city-wide caller, a shorter prefix.</summary>
    string VerifierDivision,
    int PassedItems,
    /// <summary>How many items the county's checklist has: compliant when all of them passed.</summary>
    int RequiredItems,
    bool Compliant) : IIntegrationEvent;
