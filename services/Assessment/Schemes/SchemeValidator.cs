using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Http;

namespace PracticeMesh.Assessment.Schemes;

/// <summary>
/// The rules a scheme must keep before it is stored, each broken one named by its field as the document spells it
/// ("indicators[2].target"), all of them at once so the author fixes the document in one go.
/// </summary>
public static class SchemeValidator
{
    /// <summary>Longest name, reason or code in a scheme.</summary>
    public const int MaxText = 200;

    private const int MaxBands = 20;
    private const int MaxDeductions = 50;

    /// <summary>Every broken rule (empty when the scheme may be stored) of a scheme for <paramref name="year"/>.</summary>
    public static Dictionary<string, string[]> Validate(SchemeDocument? scheme, int year)
    {
        var errors = new Errors();
        if (scheme is null)
        {
            errors.Add("body", "A scheme document is required.");
            return errors.All;
        }
        if (scheme.Year != year)
        {
            errors.Add("year", $"The document is for {scheme.Year}, but it is stored as the scheme of {year}.");
        }
        Text(errors, "name", scheme.Name, required: true);
        var rules = Indicators(errors, scheme.Indicators);
        Deductions(errors, scheme.Deductions, rules);
        StarBands(errors, scheme.StarBands);
        Honours(errors, scheme.Honours);
        return errors.All;
    }

    /// <summary>400 naming every broken rule; nothing is written.</summary>
    public static void Ensure(SchemeDocument? scheme, int year)
    {
        if (Validate(scheme, year) is { Count: > 0 } errors)
        {
            throw new DomainValidationException(errors);
        }
    }

    /// <summary>Checks each indicator; returns the well-formed ones by code, for the deductions to name.</summary>
    private static Dictionary<string, (IndicatorRule Rule, IndicatorDefinition Definition)> Indicators(Errors errors, IReadOnlyList<IndicatorRule?>? indicators)
    {
        var known = new Dictionary<string, (IndicatorRule, IndicatorDefinition)>(StringComparer.Ordinal);
        if (indicators is not { Count: > 0 })
        {
            errors.Add("indicators", "A scheme scores at least one indicator.");
            return known;
        }
        var weights = new Dictionary<AssessmentTier, decimal>();
        for (var i = 0; i < indicators.Count; i++)
        {
            var field = $"indicators[{i}]";
            if (indicators[i] is not { } rule)
            {
                errors.Add(field, "An indicator is an object.");
                continue;
            }
            var definition = IndicatorCatalog.Find(rule.Code);
            if (definition is null)
            {
                errors.Add($"{field}.code", $"'{rule.Code}' is no indicator; the indicators are {string.Join(", ", IndicatorCatalog.All.Select(d => d.Code))} (GET /api/v1/assessment/indicators).");
            }
            else if (!known.TryAdd(definition.Code, (rule, definition)))
            {
                errors.Add($"{field}.code", $"'{rule.Code}' is scored twice; an indicator appears once, its tiers listing every tier it scores.");
            }
            Text(errors, $"{field}.name", rule.Name, required: false);
            if (rule.Tiers is not { Count: > 0 })
            {
                errors.Add($"{field}.tiers", "An indicator scores at least one tier (Station, Institute).");
            }
            else if (rule.Tiers.Any(t => !Enum.IsDefined(t)) || rule.Tiers.Distinct().Count() != rule.Tiers.Count)
            {
                errors.Add($"{field}.tiers", "The tiers are Station and Institute, each listed once.");
            }
            if (rule.Weight <= 0 || rule.Weight > 100)
            {
                errors.Add($"{field}.weight", "A weight is more than 0 and at most 100 points.");
            }
            else if (rule.Tiers is { } tiers)
            {
                foreach (var tier in tiers.Distinct().Where(Enum.IsDefined))
                {
                    weights[tier] = weights.GetValueOrDefault(tier) + rule.Weight;
                }
            }
            if (definition is not null && TargetProblem(definition.Unit, rule.Target) is { } problem)
            {
                errors.Add($"{field}.target", problem);
            }
            Method(errors, field, rule);
        }
        // A broken weight is named where it is; the sums are checked only when every weight could be counted.
        if (!errors.Has(k => k.StartsWith("indicators[", StringComparison.Ordinal) && (k.EndsWith(".weight", StringComparison.Ordinal) || k.EndsWith(".tiers", StringComparison.Ordinal))))
        {
            var sums = Enum.GetValues<AssessmentTier>().Where(t => weights.GetValueOrDefault(t) != 100)
                .Select(t => $"the {t} tier's weights add up to {weights.GetValueOrDefault(t)}").ToList();
            if (sums.Count > 0)
            {
                errors.Add("indicators", $"Each tier's indicators weigh 100 points in all, but {string.Join(" and ", sums)}.");
            }
        }
        return known;
    }

    /// <summary>What is wrong with a target in <paramref name="unit"/>, or null.</summary>
    private static string? TargetProblem(TargetKind unit, decimal target) => unit switch
    {
        TargetKind.Ratio when target is <= 0 or > 1 => "This indicator is a share: its target is more than 0 and at most 1 (0.7 for 70 %).",
        TargetKind.Boolean when target != 1 => "This indicator is met or not: its target is 1.",
        TargetKind.Score when target is < 1 or > 5 => "This indicator is an average rating: its target is from 1 to 5.",
        TargetKind.CountPerMonth or TargetKind.CountPerYear or TargetKind.HoursPerHeadPerYear or TargetKind.HoursPerMonth when target <= 0 =>
            $"This indicator is {Describe(unit)}: its target is more than 0.",
        _ => null,
    };

    private static string Describe(TargetKind unit) => unit switch
    {
        TargetKind.CountPerMonth => "a count per month",
        TargetKind.CountPerYear => "a count per year",
        TargetKind.HoursPerHeadPerYear => "hours per head in a year",
        _ => "hours per month",
    };

    private static void Method(Errors errors, string field, IndicatorRule rule)
    {
        switch (rule.Method)
        {
            case ScoringMethod.Linear:
                if (rule.Bands is { Count: > 0 })
                {
                    errors.Add($"{field}.bands", "A linear indicator takes no bands (they belong to the Threshold method).");
                }
                NoCapping(errors, field, rule, "linear");
                break;
            case ScoringMethod.Threshold:
                if (rule.Bands is not { Count: > 0 } bands)
                {
                    errors.Add($"{field}.bands", "A threshold indicator lists its bands: reaching atLeast × target earns points.");
                }
                else if (bands.Count > MaxBands)
                {
                    errors.Add($"{field}.bands", $"At most {MaxBands} bands.");
                }
                else
                {
                    for (var j = 0; j < bands.Count; j++)
                    {
                        if (bands[j] is not { } band)
                        {
                            errors.Add($"{field}.bands[{j}]", "A band is an object.");
                            continue;
                        }
                        if (band.AtLeast <= 0)
                        {
                            errors.Add($"{field}.bands[{j}].atLeast", "A band starts at a share of the target above 0 (1 = the target itself).");
                        }
                        else if (bands.Take(j).Any(b => b?.AtLeast == band.AtLeast))
                        {
                            errors.Add($"{field}.bands[{j}].atLeast", "Two bands start at the same share of the target.");
                        }
                        if (band.Points < 0 || band.Points > rule.Weight)
                        {
                            errors.Add($"{field}.bands[{j}].points", $"A band earns from 0 to the indicator's weight ({rule.Weight}) points.");
                        }
                    }
                }
                NoCapping(errors, field, rule, "threshold");
                break;
            case ScoringMethod.Capped:
                if (rule.PointsPerUnit is not > 0)
                {
                    errors.Add($"{field}.pointsPerUnit", "A capped indicator earns more than 0 points for each unit of its value.");
                }
                if (rule.Cap is not { } cap || cap <= 0 || cap > rule.Weight)
                {
                    errors.Add($"{field}.cap", $"A capped indicator's cap is more than 0 and at most its weight ({rule.Weight}).");
                }
                if (rule.Bands is { Count: > 0 })
                {
                    errors.Add($"{field}.bands", "A capped indicator takes no bands (they belong to the Threshold method).");
                }
                break;
            default:
                errors.Add($"{field}.method", "The methods are Linear, Threshold and Capped.");
                break;
        }
    }

    private static void NoCapping(Errors errors, string field, IndicatorRule rule, string method)
    {
        if (rule.PointsPerUnit is not null)
        {
            errors.Add($"{field}.pointsPerUnit", $"A {method} indicator takes no pointsPerUnit (it belongs to the Capped method).");
        }
        if (rule.Cap is not null)
        {
            errors.Add($"{field}.cap", $"A {method} indicator takes no cap (it belongs to the Capped method).");
        }
    }

    private static void Deductions(Errors errors, IReadOnlyList<DeductionRule?>? deductions,
        Dictionary<string, (IndicatorRule Rule, IndicatorDefinition Definition)> indicators)
    {
        if (deductions is null)
        {
            return;
        }
        if (deductions.Count > MaxDeductions)
        {
            errors.Add("deductions", $"At most {MaxDeductions} deductions.");
            return;
        }
        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var k = 0; k < deductions.Count; k++)
        {
            var field = $"deductions[{k}]";
            if (deductions[k] is not { } deduction)
            {
                errors.Add(field, "A deduction is an object.");
                continue;
            }
            if (Text(errors, $"{field}.code", deduction.Code, required: true) && !codes.Add(deduction.Code))
            {
                errors.Add($"{field}.code", $"Two deductions are called '{deduction.Code}'.");
            }
            Text(errors, $"{field}.reason", deduction.Reason, required: true);
            if (deduction.Points <= 0 || deduction.Points > 100)
            {
                errors.Add($"{field}.points", "A deduction takes off more than 0 and at most 100 points.");
            }
            if (!indicators.TryGetValue(deduction.Indicator ?? "", out var indicator))
            {
                errors.Add($"{field}.indicator", $"'{deduction.Indicator}' is not an indicator of this scheme; a deduction applies to one the scheme scores.");
                continue;
            }
            if (TargetProblem(indicator.Definition.Unit, deduction.Below) is { } problem)
            {
                errors.Add($"{field}.below", problem.Replace("its target", "the value it is below", StringComparison.Ordinal));
            }
            if (deduction.Tiers is { } tiers && (tiers.Count == 0 || tiers.Any(t => !indicator.Rule.Tiers.Contains(t))))
            {
                errors.Add($"{field}.tiers", $"A deduction applies to tiers its indicator scores ({string.Join(", ", indicator.Rule.Tiers)}); leave tiers out for all of them.");
            }
        }
    }

    private static void StarBands(Errors errors, IReadOnlyList<StarBand?>? bands)
    {
        if (bands is not { Count: > 0 })
        {
            errors.Add("starBands", "A scheme names its star bands (e.g. 5 stars from 90 points: 五星级实践站).");
            return;
        }
        var seen = new List<(int Index, StarBand Band)>();
        for (var b = 0; b < bands.Count; b++)
        {
            var field = $"starBands[{b}]";
            if (bands[b] is not { } band)
            {
                errors.Add(field, "A star band is an object.");
                continue;
            }
            var fine = true;
            if (band.Stars is < 1 or > 5)
            {
                errors.Add($"{field}.stars", "From 1 to 5 stars.");
                fine = false;
            }
            else if (seen.Any(s => s.Band.Stars == band.Stars))
            {
                errors.Add($"{field}.stars", $"{band.Stars} stars are given twice.");
                fine = false;
            }
            if (band.MinScore <= 0 || band.MinScore > 100)
            {
                errors.Add($"{field}.minScore", "A star band starts above 0 and at most at 100 points.");
                fine = false;
            }
            Text(errors, $"{field}.name", band.Name, required: true);
            if (fine)
            {
                seen.Add((b, band));
            }
        }
        // More stars need more points: walk the bands from fewest stars up.
        var ordered = seen.OrderBy(s => s.Band.Stars).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Band.MinScore <= ordered[i - 1].Band.MinScore)
            {
                errors.Add($"starBands[{ordered[i].Index}].minScore",
                    $"{ordered[i].Band.Stars} stars need more points than {ordered[i - 1].Band.Stars} ({ordered[i - 1].Band.MinScore}).");
            }
        }
    }

    private static void Honours(Errors errors, HonourCriteria? honours)
    {
        if (honours is null)
        {
            errors.Add("honours", "A scheme states who may be put forward as an outstanding volunteer or team.");
            return;
        }
        if (honours.Volunteers is not { } volunteers)
        {
            errors.Add("honours.volunteers", "The criteria for outstanding volunteers are required.");
        }
        else
        {
            if (volunteers.MinHours < 0)
            {
                errors.Add("honours.volunteers.minHours", "At least 0 hours.");
            }
            if (volunteers.MinActivities < 0)
            {
                errors.Add("honours.volunteers.minActivities", "At least 0 activities.");
            }
            Rating(errors, "honours.volunteers.minAverageRating", volunteers.MinAverageRating);
        }
        if (honours.Teams is not { } teams)
        {
            errors.Add("honours.teams", "The criteria for outstanding teams are required.");
        }
        else
        {
            if (teams.MinActivities < 0)
            {
                errors.Add("honours.teams.minActivities", "At least 0 activities.");
            }
            if (teams.MinParticipation is < 0 or > 1)
            {
                errors.Add("honours.teams.minParticipation", "A share from 0 to 1 (0.7 for 70 %).");
            }
            Rating(errors, "honours.teams.minAverageRating", teams.MinAverageRating);
        }
    }

    private static void Rating(Errors errors, string field, decimal? rating)
    {
        if (rating is < 1 or > 5)
        {
            errors.Add(field, "An average rating from 1 to 5, or null for none.");
        }
    }

    /// <summary>True when the text is present (if required), short enough and storable.</summary>
    private static bool Text(Errors errors, string field, string? text, bool required)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add(field, "Required.");
                return false;
            }
            return true;
        }
        if (text.Length > MaxText)
        {
            errors.Add(field, $"At most {MaxText} characters.");
            return false;
        }
        if (!StorableText.IsStorable(text))
        {
            errors.Add(field, StorableText.Problem);
            return false;
        }
        return true;
    }

    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

        public void Add(string field, string message)
        {
            if (!_errors.TryGetValue(field, out var messages))
            {
                _errors[field] = messages = [];
            }
            messages.Add(message);
        }

        public bool Has(Func<string, bool> field) => _errors.Keys.Any(field);

        public Dictionary<string, string[]> All => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }
}
