using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Stations.Domain;

/// <summary>
/// One of a station's six haves (六有): the evidence the station shows and the check by the tier above. New evidence
/// clears an earlier verdict, since that verdict was about other evidence.
/// </summary>
public sealed class SixHavesRecord
{
    public const int MaxAttachments = 20;

    private SixHavesRecord() { }

    public Guid Id { get; private set; }
    public Guid StationId { get; private set; }
    public string StationCode { get; private set; } = "";
    public DivisionCode DivisionCode { get; private set; }
    public SixHavesItem Item { get; private set; }
    public string? EvidenceText { get; private set; }
    /// <summary>References to stored files or pages (photos, rule documents, ledgers), not the files themselves.</summary>
    public List<string> Attachments { get; private set; } = [];
    public DateTimeOffset? EvidenceAt { get; private set; }
    public SixHavesVerdict? Verdict { get; private set; }
    public string? Remark { get; private set; }
    public string? VerifiedBy { get; private set; }
    public string? VerifierName { get; private set; }
    public string? VerifierDivision { get; private set; }
    public DateTimeOffset? VerifiedAt { get; private set; }

    public static SixHavesRecord Start(Station station, SixHavesItem item, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        StationId = station.Id,
        StationCode = station.Code,
        DivisionCode = station.DivisionCode,
        Item = item,
    };

    public void SubmitEvidence(string? text, IReadOnlyList<string>? attachments, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length is 0 or > 2000)
        {
            errors["text"] = ["Evidence text of 1 to 2000 characters is required."];
        }
        var references = (attachments ?? []).Select(a => a?.Trim() ?? "").ToList();
        if (references.Count > MaxAttachments)
        {
            errors["attachments"] = [$"At most {MaxAttachments} attachment references."];
        }
        else if (references.Any(a => a.Length is 0 or > 500))
        {
            errors["attachments"] = ["An attachment reference has 1 to 500 characters."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        EvidenceText = trimmed;
        Attachments = references;
        EvidenceAt = now;
        Verdict = null;
        Remark = null;
        VerifiedBy = null;
        VerifierName = null;
        VerifierDivision = null;
        VerifiedAt = null;
    }

    /// <summary>
    /// The tier above checks the evidence: the verifier's division must lie above the station (a proper prefix of its
    /// code), so a station never passes itself. A failed check says why.
    /// </summary>
    public void Verify(SixHavesVerdict verdict, string? remark, string verifierScope, string? subject, string? name, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Enum.IsDefined(verdict))
        {
            errors["verdict"] = [$"Unknown verdict {verdict}."];
        }
        var trimmed = string.IsNullOrWhiteSpace(remark) ? null : remark.Trim();
        if (trimmed is { Length: > 1000 })
        {
            errors["remark"] = ["A remark has at most 1000 characters."];
        }
        else if (verdict == SixHavesVerdict.Failed && trimmed is null)
        {
            errors["remark"] = ["A failed check says why in the remark."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        if (!StationCode.StartsWith(verifierScope, StringComparison.Ordinal) || StationCode == verifierScope)
        {
            throw new ForbiddenException($"Only a tier above {StationCode} verifies its six haves; your division is {verifierScope}.");
        }
        if (EvidenceAt is null)
        {
            throw new ConflictException($"{StationCode} has shown no evidence for {Item} yet.");
        }
        Verdict = verdict;
        Remark = trimmed;
        VerifiedBy = subject;
        VerifierName = name;
        VerifierDivision = verifierScope;
        VerifiedAt = now;
    }

    /// <summary>Parses an item from a path segment; an unknown item is a 400 on "item".</summary>
    public static SixHavesItem ParseItem(string? text) =>
        !string.IsNullOrWhiteSpace(text) && !char.IsAsciiDigit(text[0]) && Enum.TryParse<SixHavesItem>(text, ignoreCase: true, out var item)
            ? item
            : throw new DomainValidationException("item", $"Unknown six-haves item '{text}'; the items are {string.Join(", ", Enum.GetNames<SixHavesItem>())}.");
}

/// <summary>A station's standing on the six haves: compliant when all six passed the check of the tier above.</summary>
public sealed record SixHavesCompliance(int PassedItems, int EvidencedItems, bool Compliant)
{
    public static readonly int ItemCount = Enum.GetValues<SixHavesItem>().Length;

    public static SixHavesCompliance Of(IEnumerable<SixHavesRecord> records)
    {
        var list = records.ToList();
        var passed = list.Count(r => r.Verdict == SixHavesVerdict.Passed);
        return new SixHavesCompliance(passed, list.Count(r => r.EvidenceAt is not null), passed == ItemCount);
    }
}
