using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Stations.Domain;

/// <summary>
/// One item of a station's checklist (六有 by default, or the county's variant, <see cref="SixHavesChecklist"/>): the
/// evidence the station shows and the check by the tier above. New evidence clears an earlier verdict, since that
/// verdict was about other evidence.
/// </summary>
public sealed class SixHavesRecord
{
    public const int MaxAttachments = 20;

    private SixHavesRecord() { }

    public Guid Id { get; private set; }
    public Guid StationId { get; private set; }
    public string StationCode { get; private set; } = "";
    public DivisionCode DivisionCode { get; private set; }
    /// <summary>The checklist item's key (<see cref="ChecklistItem.Key"/>).</summary>
    public string Item { get; private set; } = "";
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

    public static SixHavesRecord Start(Station station, ChecklistItem item, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        StationId = station.Id,
        StationCode = station.Code,
        DivisionCode = station.DivisionCode,
        Item = item.Key,
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
}

/// <summary>One item of a checklist: its key (in paths and records) and its Chinese label.</summary>
public sealed record ChecklistItem(string Key, string Label);

/// <summary>
/// The checklist a county's stations are held to (county configuration, <see cref="SixHavesOptions"/>): by default
/// the seed's six haves (六有), or the village plan's eight items, or the county's own list. Evidence, checks,
/// compliance and the report all go by the configured items.
/// </summary>
public sealed class SixHavesChecklist
{
    public const int MaxKeyLength = 20;

    /// <summary>六有 (seed). The keys are the names of <see cref="SixHavesItem"/>, so the first published event keeps its meaning.</summary>
    public static readonly SixHavesChecklist SixItems = new(
    [
        new("Site", "有场所"), new("Team", "有队伍"), new("Rules", "有制度"),
        new("Funding", "有保障"), new("Results", "有成效"), new("Specialty", "有特色"),
    ]);

    /// <summary>The village plan's eight-item standard (阵地/机构/队伍/平台/制度/方案/活动/成效).</summary>
    public static readonly SixHavesChecklist VillagePlanEightItems = new(
    [
        new("Position", "阵地"), new("Organisation", "机构"), new("Team", "队伍"), new("Platform", "平台"),
        new("Rules", "制度"), new("Plan", "方案"), new("Activities", "活动"), new("Results", "成效"),
    ]);

    private SixHavesChecklist(IReadOnlyList<ChecklistItem> items) => Items = items;

    public IReadOnlyList<ChecklistItem> Items { get; }

    /// <summary>True for the seed's six items, the only checklist the first version of the verification event can name.</summary>
    public bool IsSixItemStandard => Items.Select(i => i.Key).SequenceEqual(SixItems.Items.Select(i => i.Key));

    public static SixHavesChecklist From(SixHavesOptions options) =>
        TryCreate(options, out var checklist, out var error) ? checklist : throw new InvalidOperationException(error);

    public static bool TryCreate(SixHavesOptions options, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SixHavesChecklist? checklist, out string error)
    {
        checklist = null;
        if (options.Items is not { Length: > 0 } items)
        {
            checklist = options.Standard switch
            {
                SixHavesStandard.SixItems => SixItems,
                SixHavesStandard.VillagePlanEightItems => VillagePlanEightItems,
                _ => null,
            };
            error = checklist is null ? $"Stations:SixHaves:Standard is SixItems or VillagePlanEightItems (has {options.Standard})." : "";
            return checklist is not null;
        }
        var list = new List<ChecklistItem>();
        foreach (var (item, index) in items.Select((item, index) => (item, index)))
        {
            var key = item.Key?.Trim() ?? "";
            var label = item.Label?.Trim() ?? "";
            if (key.Length is 0 or > MaxKeyLength || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') || char.IsAsciiDigit(key[0]))
            {
                error = $"Stations:SixHaves:Items:{index}:Key is 1 to {MaxKeyLength} ASCII letters, digits or '-', starting with a letter (has '{item.Key}').";
                return false;
            }
            if (label.Length is 0 or > 20)
            {
                error = $"Stations:SixHaves:Items:{index}:Label is 1 to 20 characters (has '{item.Label}').";
                return false;
            }
            if (list.Any(i => string.Equals(i.Key, key, StringComparison.OrdinalIgnoreCase) || i.Label == label))
            {
                error = $"Stations:SixHaves:Items:{index} repeats the key or label of an earlier item ('{key}', '{label}').";
                return false;
            }
            list.Add(new ChecklistItem(key, label));
        }
        checklist = new SixHavesChecklist(list);
        error = "";
        return true;
    }

    /// <summary>Finds an item from a path segment, by key (any case) or by its Chinese label; an unknown one is a 400 on "item".</summary>
    public ChecklistItem Find(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        return Items.FirstOrDefault(i => string.Equals(i.Key, trimmed, StringComparison.OrdinalIgnoreCase) || i.Label == trimmed)
            ?? throw new DomainValidationException("item",
                $"Unknown checklist item '{text}'; the items are {string.Join(", ", Items.Select(i => $"{i.Key} ({i.Label})"))}.");
    }

    /// <summary>A station's standing: compliant when every configured item passed the check of the tier above.</summary>
    public SixHavesCompliance Evaluate(IEnumerable<SixHavesRecord> records)
    {
        // Records of items the county no longer lists stay stored but count for nothing.
        var current = records.Where(r => Items.Any(i => i.Key == r.Item)).ToList();
        var passed = current.Count(r => r.Verdict == SixHavesVerdict.Passed);
        return new SixHavesCompliance(passed, current.Count(r => r.EvidenceAt is not null), Items.Count, passed == Items.Count);
    }
}

/// <summary>A station's standing on its checklist: compliant when all <see cref="RequiredItems"/> passed.</summary>
public sealed record SixHavesCompliance(int PassedItems, int EvidencedItems, int RequiredItems, bool Compliant);
