namespace PracticeMesh.Contracts.Events.V1;

/// <summary>
/// A period's assessment results were published (公布): from now on they are frozen, and later facts show as a
/// difference against them. <see cref="DivisionCode"/> is the county; <see cref="SchemeYear"/> and
/// <see cref="SchemeVersion"/> name the scheme that produced them (version 0 = the default shipped with the service).
/// </summary>
[PublishedForPartners("Published results for the county's reporting systems and the stations' notice boards; the assessment service serves them itself.")]
public sealed record AssessmentPublished(
    Guid EventId,
    DateTimeOffset OccurredAt,
    DivisionCode DivisionCode,
    string Period,
    int SchemeYear,
    int SchemeVersion,
    int Stations,
    int Institutes,
    string? PublishedBy) : IIntegrationEvent;
