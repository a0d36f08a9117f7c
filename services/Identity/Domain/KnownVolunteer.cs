using PracticeMesh.Contracts;

namespace PracticeMesh.Identity.Domain;

/// <summary>
/// A volunteer record as identity knows it, from VolunteerApproved, VolunteerSuspended and VolunteerReinstated: enough
/// to link a login to it (its division, whether it was approved) and to leave <c>volunteer_id</c> out of the tokens
/// while it is suspended. Each fact is kept with when it happened, so events in any order end as the history did; a
/// suspension heard before its approval starts the row.
/// </summary>
public sealed class KnownVolunteer
{
    private KnownVolunteer() { }

    public KnownVolunteer(Guid id, DivisionCode division)
    {
        Id = id;
        DivisionCode = division.Value;
    }

    public Guid Id { get; private set; }
    public string DivisionCode { get; private set; } = "";
    /// <summary>The name the approval gave (empty until it is heard of).</summary>
    public string DisplayName { get; private set; } = "";
    /// <summary>When the approval was heard of happened; null until then (the row started from a suspension).</summary>
    public DateTimeOffset? ApprovedAt { get; private set; }
    /// <summary>When the latest suspension heard of happened.</summary>
    public DateTimeOffset? SuspendedAt { get; private set; }
    /// <summary>When the latest reinstatement heard of happened.</summary>
    public DateTimeOffset? ReinstatedAt { get; private set; }
    /// <summary>Bumped by every change: consumers of different events about the same row cannot save over each other.</summary>
    public int Version { get; private set; }

    public DivisionCode Division => Contracts.DivisionCode.Parse(DivisionCode);

    public bool IsApproved => ApprovedAt is not null;

    /// <summary>Suspended unless reinstated since, judged by when each happened rather than by which event came last.</summary>
    public bool IsSuspended => SuspendedAt is { } suspended && (ReinstatedAt is not { } reinstated || reinstated < suspended);

    public void Approved(DateTimeOffset at, DivisionCode division, string displayName)
    {
        if (ApprovedAt is null || at > ApprovedAt)
        {
            ApprovedAt = at;
            DivisionCode = division.Value;
            DisplayName = displayName;
            Version++;
        }
    }

    public void Suspended(DateTimeOffset at)
    {
        if (SuspendedAt is null || at > SuspendedAt)
        {
            SuspendedAt = at;
            Version++;
        }
    }

    public void Reinstated(DateTimeOffset at)
    {
        if (ReinstatedAt is null || at > ReinstatedAt)
        {
            ReinstatedAt = at;
            Version++;
        }
    }
}
