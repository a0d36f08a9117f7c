using System.Text.RegularExpressions;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Grid.TimeLimits;

/// <summary>Whether a time limit counts working hours or working days.</summary>
public enum LimitUnit { WorkingHours, WorkingDays }

/// <summary>A time limit on the county's working calendar: 4 working hours, 3 working days.</summary>
public sealed record WorkingTime(int Amount, LimitUnit Unit)
{
    /// <summary>The longest limit a county may set: a month of working days, or as many working hours.</summary>
    public const int MaxDays = 60, MaxHours = 720;

    /// <summary>The same limit <paramref name="times"/> over (the working time an escalation waits again).</summary>
    public WorkingTime Times(int times) => this with { Amount = Amount * times };

    /// <summary>Why the limit cannot be set, or null.</summary>
    public string? Problem => Amount <= 0
        ? "The amount is a whole number above 0."
        : Unit == LimitUnit.WorkingHours && Amount > MaxHours ? $"At most {MaxHours} working hours."
        : Unit == LimitUnit.WorkingDays && Amount > MaxDays ? $"At most {MaxDays} working days."
        : null;
}

/// <summary>
/// A kind of problem (事件类别) residents and grid workers report, with its time limits for acceptance, handling and
/// verification. Data, not code: the county edits the list; a default set is shipped. A minor category
/// (<see cref="StaysInGrid"/>) is handled in its grid and never escalates.
/// </summary>
public sealed partial class CaseCategory
{
    private CaseCategory() { }

    public CaseCategory(string code, string name, WorkingTime acceptWithin, WorkingTime handleWithin, WorkingTime verifyWithin, bool staysInGrid)
    {
        Code = code;
        Name = name;
        AcceptWithin = acceptWithin;
        HandleWithin = handleWithin;
        VerifyWithin = verifyWithin;
        StaysInGrid = staysInGrid;
    }

    /// <summary>Stable code, Open311's service_code ("sanitation", "road-damage").</summary>
    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string? Description { get; private set; }
    public WorkingTime AcceptWithin { get; private set; } = new(1, LimitUnit.WorkingDays);
    public WorkingTime HandleWithin { get; private set; } = new(3, LimitUnit.WorkingDays);
    public WorkingTime VerifyWithin { get; private set; } = new(1, LimitUnit.WorkingDays);
    public bool StaysInGrid { get; private set; }
    public bool Active { get; private set; } = true;
    public int Version { get; private set; }

    public const int MaxCode = 40, MaxName = 50, MaxDescription = 500;

    /// <summary>The limit of a stage of a case.</summary>
    public WorkingTime LimitFor(CaseStage stage) => stage switch
    {
        CaseStage.Acceptance => AcceptWithin,
        CaseStage.Handling => HandleWithin,
        _ => VerifyWithin,
    };

    /// <summary>A category the county adds (<c>PUT /categories/{code}</c> for a new code).</summary>
    public static CaseCategory Create(string code, string? name, string? description, WorkingTime? acceptWithin, WorkingTime? handleWithin,
        WorkingTime? verifyWithin, bool staysInGrid, bool active)
    {
        if (!ValidCode().IsMatch(code) || code.Length > MaxCode)
        {
            throw new DomainValidationException("code", $"A code of lower-case letters, digits and single hyphens, at most {MaxCode} characters (\"road-damage\").");
        }
        var category = new CaseCategory { Code = code };
        category.Change(name, description, acceptWithin, handleWithin, verifyWithin, staysInGrid, active);
        category.Version = 1;
        return category;
    }

    /// <summary>The county changes the category: every field at once; the version moves so concurrent edits conflict.</summary>
    public void Update(string? name, string? description, WorkingTime? acceptWithin, WorkingTime? handleWithin, WorkingTime? verifyWithin,
        bool staysInGrid, bool active)
    {
        Change(name, description, acceptWithin, handleWithin, verifyWithin, staysInGrid, active);
        Version++;
    }

    /// <summary>A category as another grid cell holds it (<see cref="CountySettings"/>), its version included.</summary>
    public static CaseCategory Mirrored(PracticeMesh.Contracts.Events.V1.CaseCategorySetting setting)
    {
        var category = new CaseCategory { Code = setting.Code };
        category.Mirror(setting);
        return category;
    }

    /// <summary>Takes the county's latest settings of this category, which another cell took and checked.</summary>
    public void Mirror(PracticeMesh.Contracts.Events.V1.CaseCategorySetting setting)
    {
        Name = setting.Name;
        Description = setting.Description;
        AcceptWithin = CountySettings.Limit(setting.AcceptWithin);
        HandleWithin = CountySettings.Limit(setting.HandleWithin);
        VerifyWithin = CountySettings.Limit(setting.VerifyWithin);
        StaysInGrid = setting.StaysInGrid;
        Active = setting.Active;
        Version = setting.Version;
    }

    /// <summary>No longer offered for new cases (the county's list has it no more); cases that name it keep it.</summary>
    public void Deactivate()
    {
        if (Active)
        {
            Active = false;
            Version++;
        }
    }

    private void Change(string? name, string? description, WorkingTime? acceptWithin, WorkingTime? handleWithin, WorkingTime? verifyWithin,
        bool staysInGrid, bool active)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxName)
        {
            errors["name"] = [$"A name of 1 to {MaxName} characters is required."];
        }
        if (description is { Length: > MaxDescription })
        {
            errors["description"] = [$"A description is at most {MaxDescription} characters."];
        }
        foreach (var (field, limit) in new[] { ("acceptWithin", acceptWithin), ("handleWithin", handleWithin), ("verifyWithin", verifyWithin) })
        {
            if ((limit is null ? "A limit {amount, unit} is required." : limit.Problem) is { } problem)
            {
                errors[field] = [problem];
            }
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        Name = name!.Trim();
        Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        AcceptWithin = acceptWithin!;
        HandleWithin = handleWithin!;
        VerifyWithin = verifyWithin!;
        StaysInGrid = staysInGrid;
        Active = active;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ValidCode();
}
