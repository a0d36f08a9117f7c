using Microsoft.EntityFrameworkCore;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Facts;
using PracticeMesh.Assessment.Measures;
using PracticeMesh.Assessment.Periods;
using PracticeMesh.Assessment.Schemes;
using PracticeMesh.ServiceDefaults;
using M = PracticeMesh.Assessment.Measures.Measures;

namespace PracticeMesh.Assessment.Scoring;

/// <summary>One team of a site in a period: its activities, its members at the period's end and how many of them took part.</summary>
public sealed record TeamFigures(Guid TeamId, string Name, long Activities, int Members, int Participants);

/// <summary>
/// What one site (实践站, or the institute's own site) holds for a period, read in a few set-based queries: its monthly
/// cells, its six-haves and staffing standing at the period's end, its teams, and the days and hours of the volunteers
/// whose per-head hours it is assessed on (by group: cadres, team members, candidates, league applicants).
/// </summary>
public sealed class SiteFigures(StationFact site)
{
    public StationFact Site { get; } = site;
    public Dictionary<(string Measure, string Month), long> Cells { get; } = [];
    public SixHavesFact? SixHaves { get; set; }
    public StaffingFact? Staffing { get; set; }
    public List<TeamFigures> Teams { get; } = [];
    /// <summary>Per head-count group (<see cref="IndicatorEvaluator.HourGroups"/> and team members): each volunteer who belonged in the period.</summary>
    public Dictionary<string, Dictionary<Guid, HeadTime>> People { get; } = [];

    public long Cell(string measure, string month) => Cells.GetValueOrDefault((measure, month));
}

/// <summary>One hour ledger credit (<see cref="HoursFact"/>): when it was credited and how much, in hundredths.</summary>
public readonly record struct Credit(DateTimeOffset At, long Hundredths);

/// <summary>
/// One person in a per-head group over a period, counted by the one per-head rule (<see cref="Membership"/>): their spells
/// in the group clipped to the period, their hours credited over the whole period (the cells) and, when they did not
/// belong throughout, each of the period's credits, so that only those credited while a member count.
/// </summary>
public sealed record HeadTime(Guid VolunteerId, string? Name, IReadOnlyList<MembershipSpell> Spells, long PeriodHundredths, IReadOnlyList<Credit> Credits)
{
    /// <summary>The same person over the spells of both (two teams of a site, or of an institute's sites): one head, overlaps counted once.</summary>
    public HeadTime With(IReadOnlyList<MembershipSpell> more, Period period) => this with { Spells = Membership.Within([.. Spells, .. more], period.Start, period.End) };

    /// <summary>The share of a head in the period, unrounded.</summary>
    public decimal Share(Period period) => Membership.Share(Spells, period.Start, period.End);

    /// <summary>The hours credited while a member: all the period's for someone who belonged throughout.</summary>
    public long Hundredths(Period period) =>
        Share(period) == 1 ? PeriodHundredths : Credits.Where(c => Membership.WhileMember(Spells, c.At)).Sum(c => c.Hundredths);
}

/// <summary>An indicator's value for a subject and period, with how it was computed and the facts behind it; null when nothing can be measured.</summary>
public sealed record IndicatorFigure(string Code, decimal? Value, string Basis, IReadOnlyList<FactLine> Facts);

/// <summary>
/// Computes every catalogue indicator (<see cref="IndicatorCatalog"/>) from the cells summed over the period's months and
/// from the state histories read by time (at the period's end; over it for the per-head hours' heads and their hours),
/// never from anything else, so a rebuild of the cells gives the same values. Loading is a fixed handful of set-based queries for any number of sites (a township's stations, a
/// county's), never one per station. A station's value is computed over one site; an institute's over every site under
/// its township with the same formulas: counts per site averaged, ratios and per-head hours over the pooled figures,
/// yes/no indicators as the share of sites meeting them.
/// </summary>
public sealed class IndicatorEvaluator(AssessmentDbContext db)
{
    /// <summary>The head-count groups of the per-head yearly hours indicators, and the volunteer categories each takes.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> HourGroups = new Dictionary<string, string[]>
    {
        [IndicatorCatalog.CadreHours] = ["Cadre"],
        [IndicatorCatalog.CandidateHours] = ["PartyApplicant", "PromotionCandidate"],
        [IndicatorCatalog.LeagueApplicantHours] = ["LeagueApplicant"],
    };

    private static readonly string[] CategoryTokens = [.. HourGroups.Values.SelectMany(c => c).Select(VolunteerFact.CategoryToken)];

    /// <summary>Reads what <paramref name="sites"/> hold for <paramref name="period"/>.</summary>
    public async Task<IReadOnlyList<SiteFigures>> LoadAsync(IReadOnlyList<StationFact> sites, Period period, CancellationToken cancellationToken)
    {
        var figures = sites.ToDictionary(s => s.StationCode, s => new SiteFigures(s), StringComparer.Ordinal);
        if (figures.Count == 0)
        {
            return [];
        }
        List<string> codes = [.. figures.Keys];
        List<string> months = [.. period.Months];
        var end = period.End;

        var cells = await db.MeasureCells.AsNoTracking()
            .Where(c => c.Kind == SubjectKind.Station && months.Contains(c.Month) && codes.Contains(c.Subject))
            .Select(c => new { c.Subject, c.Month, c.Measure, c.Value })
            .ToListAsync(cancellationToken);
        foreach (var cell in cells)
        {
            figures[cell.Subject].Cells[(cell.Measure, cell.Month)] = cell.Value;
        }

        // State histories are short (a verdict a few times a year): the latest before the end is picked here.
        foreach (var fact in await db.SixHavesFacts.AsNoTracking().Where(f => codes.Contains(f.StationCode) && f.OccurredAt < end).ToListAsync(cancellationToken))
        {
            var site = figures[fact.StationCode];
            if (site.SixHaves is null || Later(fact.OccurredAt, fact.EventId, site.SixHaves.OccurredAt, site.SixHaves.EventId))
            {
                site.SixHaves = fact;
            }
        }
        foreach (var fact in await db.StaffingFacts.AsNoTracking().Where(f => codes.Contains(f.StationCode) && f.OccurredAt < end).ToListAsync(cancellationToken))
        {
            var site = figures[fact.StationCode];
            if (site.Staffing is null || Later(fact.OccurredAt, fact.EventId, site.Staffing.OccurredAt, site.Staffing.EventId))
            {
                site.Staffing = fact;
            }
        }

        var teams = await db.TeamFacts.AsNoTracking().Where(t => codes.Contains(t.HomeStationCode) && t.CreatedAt < end)
            .Select(t => new { t.TeamId, t.Name, t.HomeStationCode }).ToListAsync(cancellationToken);
        List<Guid> teamIds = [.. teams.Select(t => t.TeamId)];
        List<string> teamKeys = [.. teamIds.Select(id => id.ToString())];
        var teamActivities = (await db.MeasureCells.AsNoTracking()
                .Where(c => c.Kind == SubjectKind.Team && c.Measure == M.TeamActivities && months.Contains(c.Month) && teamKeys.Contains(c.Subject))
                .GroupBy(c => c.Subject).Select(g => new { g.Key, Sum = g.Sum(c => c.Value) })
                .ToListAsync(cancellationToken))
            .ToDictionary(x => Guid.Parse(x.Key), x => x.Sum);
        var membershipRows = await db.TeamMembershipFacts.AsNoTracking().Where(f => teamIds.Contains(f.TeamId) && f.OccurredAt < end)
            .Select(f => new { f.TeamId, f.VolunteerId, f.OccurredAt, f.EventId, f.Joined }).ToListAsync(cancellationToken);
        var pairs = membershipRows.GroupBy(f => (f.TeamId, f.VolunteerId)).ToList();
        // Members at the end: the latest join or leave of each pair (ties broken by event id, the same way every time).
        var members = pairs
            .Select(g => g.OrderByDescending(f => f.OccurredAt).ThenByDescending(f => f.EventId).First())
            .Where(f => f.Joined)
            .GroupBy(f => f.TeamId).ToDictionary(g => g.Key, g => g.Select(f => f.VolunteerId).ToHashSet());
        // The spells each pair belonged in the period, read from the same history in time order, whatever order it was heard in.
        var tenures = pairs
            .Select(g => (g.Key.TeamId, g.Key.VolunteerId,
                Spells: Membership.Within(Membership.FromHistory(g, f => f.OccurredAt, f => f.Joined, f => f.EventId), period.Start, end)))
            .Where(t => t.Spells.Count > 0)
            .GroupBy(t => t.TeamId).ToDictionary(g => g.Key, g => g.ToDictionary(t => t.VolunteerId, t => t.Spells));
        var participants = (await db.ParticipationFacts.AsNoTracking()
                .Where(p => p.TeamId != null && teamIds.Contains(p.TeamId.Value) && months.Contains(p.Month)
                            && (p.CompletionHundredths ?? 0) + p.CorrectionHundredths > 0)
                .Select(p => new { TeamId = p.TeamId!.Value, p.VolunteerId }).Distinct().ToListAsync(cancellationToken))
            .GroupBy(p => p.TeamId).ToDictionary(g => g.Key, g => g.Select(p => p.VolunteerId).ToHashSet());

        // The assessed categories' volunteers homed here, and the team members (for their names) in the same query.
        var (cadre, party, promotion, league) = (CategoryTokens[0], CategoryTokens[1], CategoryTokens[2], CategoryTokens[3]);
        List<Guid> memberIds = [.. tenures.Values.SelectMany(t => t.Keys).Distinct()];
        var known = await db.VolunteerFacts.AsNoTracking()
            .Where(v => (codes.Contains(v.HomeStationCode) && v.ApprovedAt < end
                         && (v.CategoryList.Contains(cadre) || v.CategoryList.Contains(party) || v.CategoryList.Contains(promotion) || v.CategoryList.Contains(league)))
                        || memberIds.Contains(v.VolunteerId))
            .Select(v => new { v.VolunteerId, v.Name, v.HomeStationCode, v.CategoryList, v.ApprovedAt }).ToListAsync(cancellationToken);
        var names = known.ToDictionary(v => v.VolunteerId, v => v.Name);
        var volunteers = known.Where(v => figures.ContainsKey(v.HomeStationCode) && v.ApprovedAt < end
                                          && CategoryTokens.Any(t => v.CategoryList.Contains(t, StringComparison.Ordinal))).ToList();
        // A cadre, candidate or applicant belongs from the China day of their approval (their categories are fixed then,
        // and no leaving is published); a suspension does not take them out: leaving them out would flatter the group.
        var approvedSpells = volunteers.ToDictionary(v => v.VolunteerId,
            v => Membership.Within([MembershipSpell.FromChinaDayOf(v.ApprovedAt)], period.Start, end));

        List<string> people = [.. approvedSpells.Where(v => v.Value.Count > 0).Select(v => v.Key).Concat(memberIds).Distinct().Select(id => id.ToString())];
        var hours = (await db.MeasureCells.AsNoTracking()
                .Where(c => c.Kind == SubjectKind.Volunteer && c.Measure == M.VolunteerHours && months.Contains(c.Month) && people.Contains(c.Subject))
                .GroupBy(c => c.Subject).Select(g => new { g.Key, Sum = g.Sum(c => c.Value) })
                .ToListAsync(cancellationToken))
            .ToDictionary(x => Guid.Parse(x.Key), x => x.Sum);
        // Someone who belonged for part of the period counts only the hours credited while a member: their credits are
        // read individually (one query for all of them, run even when there are none, so the count never varies).
        List<Guid> partTime = [.. tenures.Values.SelectMany(t => t).Concat(approvedSpells)
            .Where(p => p.Value.Count > 0 && Membership.Share(p.Value, period.Start, end) < 1).Select(p => p.Key).Distinct()];
        var credits = (await db.HoursFacts.AsNoTracking().Where(f => partTime.Contains(f.VolunteerId) && months.Contains(f.Month))
                .Select(f => new { f.VolunteerId, f.CreditedAt, f.Hundredths }).ToListAsync(cancellationToken))
            .ToLookup(f => f.VolunteerId, f => new Credit(f.CreditedAt, f.Hundredths));
        HeadTime Head(Guid volunteer, string? name, IReadOnlyList<MembershipSpell> spells) =>
            new(volunteer, name, spells, hours.GetValueOrDefault(volunteer), [.. credits[volunteer]]);

        foreach (var team in teams)
        {
            var site = figures[team.HomeStationCode];
            var teamMembers = members.GetValueOrDefault(team.TeamId) ?? [];
            var tookPart = participants.GetValueOrDefault(team.TeamId) ?? [];
            site.Teams.Add(new TeamFigures(team.TeamId, team.Name, teamActivities.GetValueOrDefault(team.TeamId), teamMembers.Count,
                teamMembers.Count(tookPart.Contains)));
            foreach (var (member, spans) in tenures.GetValueOrDefault(team.TeamId) ?? [])
            {
                Count(site, IndicatorCatalog.TeamMemberHours, Head(member, names.GetValueOrDefault(member), spans), period);
            }
        }
        foreach (var volunteer in volunteers)
        {
            var spans = approvedSpells[volunteer.VolunteerId];
            if (spans.Count == 0)
            {
                continue;
            }
            var site = figures[volunteer.HomeStationCode];
            foreach (var (code, categories) in HourGroups)
            {
                if (categories.Any(c => volunteer.CategoryList.Contains(VolunteerFact.CategoryToken(c), StringComparison.Ordinal)))
                {
                    Count(site, code, Head(volunteer.VolunteerId, volunteer.Name, spans), period);
                }
            }
        }
        return [.. sites.Select(s => figures[s.StationCode])];
    }

    private static bool Later(DateTimeOffset at, Guid id, DateTimeOffset thanAt, Guid thanId) => at > thanAt || (at == thanAt && id.CompareTo(thanId) > 0);

    /// <summary>Counts a person in a site's group; one in two of its teams is one head over the spells of either.</summary>
    private static void Count(SiteFigures site, string code, HeadTime head, Period period)
    {
        if (!site.People.TryGetValue(code, out var group))
        {
            site.People[code] = group = [];
        }
        group[head.VolunteerId] = group.TryGetValue(head.VolunteerId, out var counted) ? counted.With(head.Spells, period) : head;
    }

    /// <summary>Every catalogue indicator over <paramref name="sites"/> (one site: a station; several: an institute).</summary>
    public static IReadOnlyDictionary<string, IndicatorFigure> Evaluate(IReadOnlyList<SiteFigures> sites, Period period)
    {
        var months = period.Months;
        var one = sites.Count == 1;
        var figures = new Dictionary<string, IndicatorFigure>(StringComparer.Ordinal)
        {
            [IndicatorCatalog.SixHaves] = YesNo(IndicatorCatalog.SixHaves, sites, one, s => s.SixHaves?.Compliant == true, s => s.SixHaves is { } f
                ? new FactLine($"{Label(s)}六有 {f.PassedItems}/{f.RequiredItems} 项{(f.Compliant ? "达标" : "未达标")}（{ShowDay(f.OccurredAt)} 核查）", f.Compliant ? 1 : 0, Source: "sixHaves")
                : new FactLine($"{Label(s)}期末前无六有核查结论", 0, Source: "sixHaves")),
            [IndicatorCatalog.StaffingMet] = YesNo(IndicatorCatalog.StaffingMet, sites, one, s => s.Staffing?.Met == true, s => s.Staffing is { } f
                ? new FactLine($"{Label(s)}专兼职人员 {f.StaffCount} 人{(f.RequiredMin is { } min ? $"，最低 {min} 人" : "")}，{(f.Met ? "达标" : "未达标")}（{ShowDay(f.OccurredAt)}）", f.Met ? 1 : 0, Source: "staffing")
                : new FactLine($"{Label(s)}期末前无人员配备记录", 0, Source: "staffing")),
            [IndicatorCatalog.ConcentratedActivities] = PerSite(IndicatorCatalog.ConcentratedActivities, sites, months, M.ActivitiesConcentrated, "集中实践活动", 1m, "次"),
            [IndicatorCatalog.ServiceHours] = PerSite(IndicatorCatalog.ServiceHours, sites, months, M.ActivityHours, "志愿服务时长（小时）", 100m, "小时"),
            [IndicatorCatalog.CareVisits] = PerSite(IndicatorCatalog.CareVisits, sites, months, M.CareVisits, "走访", 1m, "次"),
            [IndicatorCatalog.AverageRating] = Ratio(IndicatorCatalog.AverageRating, sites, months, M.RatingsSum, "评分合计", M.RatingsCount, "评价次数", asShare: false),
            [IndicatorCatalog.OrdersOnTime] = Ratio(IndicatorCatalog.OrdersOnTime, sites, months, M.OrdersOnTime, "按时办结点单", M.OrdersCompleted, "办结点单", asShare: true),
            [IndicatorCatalog.CasesClosedOnTime] = Ratio(IndicatorCatalog.CasesClosedOnTime, sites, months, M.CasesClosedOnTime, "按时办结网格事件", M.CasesClosed, "办结网格事件", asShare: true),
            [IndicatorCatalog.TeamActivities] = TeamActivities(sites),
            [IndicatorCatalog.TeamParticipation] = TeamParticipation(sites),
        };
        foreach (var code in HourGroups.Keys.Append(IndicatorCatalog.TeamMemberHours))
        {
            figures[code] = PerHead(code, sites, period);
        }
        return figures;
    }

    private static string Label(SiteFigures site) => $"{site.Site.Name}（{site.Site.StationCode}）";

    private static string ShowDay(DateTimeOffset at) => ChinaDay(at).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static DateOnly ChinaDay(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(ChinaTime.Offset).DateTime);

    /// <summary>
    /// Spells as China days, with the time where one starts or ends within a day: "2026-10-01 至 2026-12-31",
    /// "2026-02-01 10:00 至 2026-03-20 10:00".
    /// </summary>
    private static string ShowSpells(IReadOnlyList<MembershipSpell> spells) =>
        string.Join("、", spells.Select(s => $"{ShowInstant(s.From, lastDay: false)} 至 {ShowInstant(s.Until!.Value, lastDay: true)}"));

    private static string ShowInstant(DateTimeOffset at, bool lastDay)
    {
        var local = at.ToOffset(ChinaTime.Offset);
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        if (local.TimeOfDay != TimeSpan.Zero)
        {
            return local.ToString("yyyy-MM-dd HH:mm", culture);
        }
        // A spell ending at midnight ends with the day before it.
        return (lastDay ? local.AddDays(-1) : local).ToString("yyyy-MM-dd", culture);
    }

    private static IndicatorFigure YesNo(string code, IReadOnlyList<SiteFigures> sites, bool one, Func<SiteFigures, bool> met, Func<SiteFigures, FactLine> fact)
    {
        var count = sites.Count(met);
        var value = ScoreMath.Value((decimal)count / sites.Count);
        var basis = one ? (count == 1 ? "达标 = 1" : "未达标 = 0") : $"{count} ÷ {sites.Count} 个站点达标 = {ScoreMath.Show(value)}";
        return new(code, value, basis, [.. sites.Select(fact)]);
    }

    private static IndicatorFigure PerSite(string code, IReadOnlyList<SiteFigures> sites, IReadOnlyList<string> months, string measure, string label, decimal unit, string unitName)
    {
        var facts = new List<FactLine>();
        long total = 0;
        foreach (var month in months)
        {
            var sum = sites.Sum(s => s.Cell(measure, month));
            total += sum;
            facts.Add(new FactLine($"{month} {label}", sum / unit, month, measure));
        }
        var amount = total / unit;
        var value = ScoreMath.Value(amount / sites.Count);
        var basis = sites.Count == 1
            ? $"{string.Join(" + ", facts.Select(f => ScoreMath.Show(f.Value)))} = {ScoreMath.Show(amount)} {unitName}"
            : $"{ScoreMath.Show(amount)} {unitName} ÷ {sites.Count} 个站点 = {ScoreMath.Show(value)}";
        return new(code, value, basis, facts);
    }

    private static IndicatorFigure Ratio(string code, IReadOnlyList<SiteFigures> sites, IReadOnlyList<string> months, string numerator, string numeratorLabel,
        string denominator, string denominatorLabel, bool asShare)
    {
        var facts = new List<FactLine>();
        long top = 0, bottom = 0;
        foreach (var month in months)
        {
            var (n, d) = (sites.Sum(s => s.Cell(numerator, month)), sites.Sum(s => s.Cell(denominator, month)));
            (top, bottom) = (top + n, bottom + d);
            if (n != 0 || d != 0)
            {
                facts.Add(new FactLine($"{month} {denominatorLabel}", d, month, denominator));
                facts.Add(new FactLine($"{month} {numeratorLabel}", n, month, numerator));
            }
        }
        if (bottom == 0)
        {
            return new(code, null, $"期内无{denominatorLabel}", facts);
        }
        var value = ScoreMath.Value((decimal)top / bottom);
        var shown = asShare ? ScoreMath.Percent(value) : ScoreMath.Show(value);
        return new(code, value, $"{top} ÷ {bottom} = {shown}", facts);
    }

    private static IndicatorFigure TeamActivities(IReadOnlyList<SiteFigures> sites)
    {
        var teams = sites.SelectMany(s => s.Teams).ToList();
        var facts = teams.Select(t => new FactLine($"{t.Name} 活动次数", t.Activities, Source: M.TeamActivities)).ToList();
        if (teams.Count == 0)
        {
            return new(IndicatorCatalog.TeamActivities, null, "期末无志愿服务队", facts);
        }
        var total = teams.Sum(t => t.Activities);
        var value = ScoreMath.Value((decimal)total / teams.Count);
        return new(IndicatorCatalog.TeamActivities, value, $"{total} 次 ÷ {teams.Count} 支队伍 = {ScoreMath.Show(value)}", facts);
    }

    private static IndicatorFigure TeamParticipation(IReadOnlyList<SiteFigures> sites)
    {
        var teams = sites.SelectMany(s => s.Teams).ToList();
        var facts = teams.Select(t => new FactLine($"{t.Name} 参与 {t.Participants} / 成员 {t.Members}",
            t.Members == 0 ? 0 : ScoreMath.Value((decimal)t.Participants / t.Members), Source: "teamMembership")).ToList();
        // A team without members has no rate to count; with none left the indicator does not apply.
        var rated = teams.Where(t => t.Members > 0).ToList();
        if (rated.Count == 0)
        {
            return new(IndicatorCatalog.TeamParticipation, null, teams.Count == 0 ? "期末无志愿服务队" : "期末志愿服务队均无成员", facts);
        }
        var value = ScoreMath.Value(rated.Sum(t => (decimal)t.Participants / t.Members) / rated.Count);
        var basis = rated.Count == 1
            ? $"{rated[0].Participants} ÷ {rated[0].Members} = {ScoreMath.Percent(value)}"
            : $"{rated.Count} 支队伍参与率的平均 = {ScoreMath.Percent(value)}";
        return new(IndicatorCatalog.TeamParticipation, value, basis, facts);
    }

    private static IndicatorFigure PerHead(string code, IReadOnlyList<SiteFigures> sites, Period period)
    {
        // A volunteer in teams of two sites is one head over the spells of either, with one set of hours.
        var people = new Dictionary<Guid, HeadTime>();
        foreach (var site in sites)
        {
            if (site.People.TryGetValue(code, out var group))
            {
                foreach (var (volunteer, head) in group)
                {
                    people[volunteer] = people.TryGetValue(volunteer, out var counted) ? counted.With(head.Spells, period) : head;
                }
            }
        }
        // Summed in id order, so the same people give the same figure to the last digit however they were read.
        var shares = people.Values.OrderBy(p => p.VolunteerId).Select(p => (Head: p, Share: p.Share(period))).ToList();
        var heads = ScoreMath.Value(shares.Sum(s => s.Share));
        var hours = people.Values.Sum(p => p.Hundredths(period)) / 100m;
        var source = code == IndicatorCatalog.TeamMemberHours ? "teamMembership" : "volunteers";
        var whole = shares.Count(s => s.Share == 1);
        var periodDays = ScoreMath.Show((decimal)(period.End - period.Start).TotalDays);
        List<FactLine> facts = [new("人数（按期内在册天数折算）", heads, Source: source)];
        if (whole > 0)
        {
            facts.Add(new($"全期在册 {whole} 人，各计 1 人", whole, Source: source));
        }
        facts.AddRange(shares.Where(s => s.Share < 1).OrderBy(s => s.Head.Spells[0].From).ThenBy(s => s.Head.VolunteerId).Select(s =>
            new FactLine($"{s.Head.Name ?? $"志愿者 {s.Head.VolunteerId.ToString()[..8]}"} 在册 {ShowSpells(s.Head.Spells)}："
                         + $"{ScoreMath.Show(Math.Round(Membership.Days(s.Head.Spells, period.Start, period.End), 2))} ÷ {periodDays} 天 = {ScoreMath.Show(ScoreMath.Value(s.Share))} 人",
                ScoreMath.Value(s.Share), Source: source)));
        facts.Add(new("服务时长合计（小时）", hours, Source: M.VolunteerHours));
        if (heads == 0)
        {
            return new(code, null, "期内无此类志愿者在册", facts);
        }
        var value = ScoreMath.Value(hours / heads);
        return new(code, value, $"{ScoreMath.Show(hours)} 小时 ÷ {ScoreMath.Show(heads)} 人 = {ScoreMath.Show(value)}", facts);
    }
}
