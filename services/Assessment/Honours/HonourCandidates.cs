using Microsoft.EntityFrameworkCore;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Facts;
using PracticeMesh.Assessment.Measures;
using PracticeMesh.Assessment.Periods;
using PracticeMesh.Assessment.Schemes;
using M = PracticeMesh.Assessment.Measures.Measures;

namespace PracticeMesh.Assessment.Honours;

/// <summary>A volunteer who meets the year's criteria, with the figures that qualified them.</summary>
public sealed record VolunteerCandidate(Guid VolunteerId, string Name, string HomeStationCode, decimal Hours, int Activities, decimal? AverageRating);

/// <summary>
/// A team that meets the year's criteria: activities held, members at the year's end and how many of them took part in
/// the team's activities during the year (participation = participants ÷ members), and residents' average rating.
/// </summary>
public sealed record TeamCandidate(Guid TeamId, string Name, string HomeStationCode, int Activities, int Members, int Participants,
    decimal Participation, decimal? AverageRating);

public sealed record HonourCandidatesResponse(string County, int Year, SchemeRef Scheme, HonourCriteria Criteria,
    IReadOnlyList<VolunteerCandidate> Volunteers, IReadOnlyList<TeamCandidate> Teams);

/// <summary>
/// The outstanding volunteers and teams (评优) a county may confirm for a year, computed from the facts alone with the
/// scheme's <see cref="HonourCriteria"/>: the list changes as facts arrive until the county confirms it.
/// </summary>
public sealed class HonourCandidates(AssessmentDbContext db, ISchemes schemes)
{
    public async Task<HonourCandidatesResponse> ForYearAsync(string county, int year, CancellationToken cancellationToken)
    {
        var scheme = await schemes.ForYearAsync(county, year, cancellationToken);
        var criteria = scheme.Document.Honours;
        var period = Period.ForYear(year);
        var volunteers = await VolunteersAsync(county, period, criteria.Volunteers, cancellationToken);
        var teams = await TeamsAsync(county, period, criteria.Teams, cancellationToken);
        return new HonourCandidatesResponse(county, year, scheme.Ref, criteria, volunteers, teams);
    }

    private async Task<List<VolunteerCandidate>> VolunteersAsync(string county, Period year, VolunteerHonourCriteria criteria, CancellationToken cancellationToken)
    {
        var months = year.Months.ToList();
        var sums = await db.MeasureCells.AsNoTracking()
            .Where(c => c.Kind == SubjectKind.Volunteer && months.Contains(c.Month) && (c.Measure == M.VolunteerHours || c.Measure == M.VolunteerActivities))
            .GroupBy(c => new { c.Subject, c.Measure })
            .Select(g => new { g.Key.Subject, g.Key.Measure, Value = g.Sum(c => c.Value) })
            .ToListAsync(cancellationToken);
        var figures = sums.GroupBy(s => s.Subject).ToDictionary(
            g => Guid.Parse(g.Key),
            g => (Hours: g.Where(s => s.Measure == M.VolunteerHours).Sum(s => s.Value), Activities: g.Where(s => s.Measure == M.VolunteerActivities).Sum(s => s.Value)));
        var minHundredths = (long)Math.Ceiling(criteria.MinHours * 100);
        var ids = figures.Where(f => f.Value.Hours >= minHundredths && f.Value.Activities >= criteria.MinActivities).Select(f => f.Key).ToList();
        if (ids.Count == 0)
        {
            return [];
        }
        var people = await db.VolunteerFacts.AsNoTracking()
            .Where(v => ids.Contains(v.VolunteerId) && ((string)v.DivisionCode).StartsWith(county))
            .ToListAsync(cancellationToken);
        ids = [.. people.Select(p => p.VolunteerId)];

        var excluded = new HashSet<Guid>();
        if (criteria.ExcludeSuspended)
        {
            var (start, end) = (year.Start, year.End);
            var statuses = await db.VolunteerStatusFacts.AsNoTracking().Where(f => ids.Contains(f.VolunteerId) && f.OccurredAt < end).ToListAsync(cancellationToken);
            foreach (var history in statuses.GroupBy(f => f.VolunteerId))
            {
                // Suspended at any time in the year: already suspended when it began, or suspended during it.
                var standingAtStart = history.Where(f => f.OccurredAt < start).MaxBy(f => f.OccurredAt);
                if (standingAtStart?.Suspended == true || history.Any(f => f.OccurredAt >= start && f.Suspended))
                {
                    excluded.Add(history.Key);
                }
            }
        }
        if (criteria.ExcludeCorrected)
        {
            excluded.UnionWith(await db.ParticipationFacts.AsNoTracking()
                .Where(p => ids.Contains(p.VolunteerId) && months.Contains(p.Month) && p.CorrectedDown)
                .Select(p => p.VolunteerId).Distinct().ToListAsync(cancellationToken));
        }
        var ratings = await AverageRatingsAsync(ids, months, cancellationToken);
        return [.. people
            .Where(p => !excluded.Contains(p.VolunteerId))
            .Select(p => new VolunteerCandidate(p.VolunteerId, p.Name, p.HomeStationCode, figures[p.VolunteerId].Hours / 100m,
                (int)figures[p.VolunteerId].Activities, ratings.TryGetValue(p.VolunteerId, out var rating) ? rating : null))
            // With a minimum rating, a volunteer whose activities nobody rated has not shown it.
            .Where(c => criteria.MinAverageRating is not { } min || c.AverageRating >= min)
            .OrderByDescending(c => c.Hours).ThenByDescending(c => c.Activities).ThenBy(c => c.VolunteerId)];
    }

    /// <summary>Each volunteer's average of the residents' ratings of the activities they took part in during the year.</summary>
    private async Task<Dictionary<Guid, decimal>> AverageRatingsAsync(List<Guid> ids, List<string> months, CancellationToken cancellationToken)
    {
        var rows = await (
                from p in db.ParticipationFacts.AsNoTracking()
                where ids.Contains(p.VolunteerId) && months.Contains(p.Month) && (p.CompletionHundredths ?? 0) + p.CorrectionHundredths > 0
                join r in db.RatingFacts.AsNoTracking() on p.ActivityId equals r.SourceId
                where r.Source == RatingSource.Activity
                select new { p.VolunteerId, r.Score })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.VolunteerId).ToDictionary(g => g.Key, g => Math.Round((decimal)g.Average(r => r.Score), 2));
    }

    private async Task<List<TeamCandidate>> TeamsAsync(string county, Period year, TeamHonourCriteria criteria, CancellationToken cancellationToken)
    {
        var months = year.Months.ToList();
        var teams = await db.TeamFacts.AsNoTracking().Where(t => ((string)t.DivisionCode).StartsWith(county)).ToListAsync(cancellationToken);
        var teamIds = teams.Select(t => t.TeamId.ToString()).ToList();
        var activities = (await db.MeasureCells.AsNoTracking()
                .Where(c => c.Kind == SubjectKind.Team && c.Measure == M.TeamActivities && months.Contains(c.Month) && teamIds.Contains(c.Subject))
                .GroupBy(c => c.Subject).Select(g => new { g.Key, Value = g.Sum(c => c.Value) })
                .ToListAsync(cancellationToken))
            .ToDictionary(a => Guid.Parse(a.Key), a => a.Value);
        var qualified = teams.Where(t => activities.GetValueOrDefault(t.TeamId) >= criteria.MinActivities).ToList();
        if (qualified.Count == 0)
        {
            return [];
        }
        var ids = qualified.Select(t => t.TeamId).ToList();
        var end = year.End;
        var memberships = await db.TeamMembershipFacts.AsNoTracking().Where(m => ids.Contains(m.TeamId) && m.OccurredAt < end).ToListAsync(cancellationToken);
        // Members at the year's end: the latest join or leave of each pair before it says.
        var members = memberships.GroupBy(m => (m.TeamId, m.VolunteerId))
            .Where(g => g.MaxBy(m => m.OccurredAt)!.Joined)
            .GroupBy(g => g.Key.TeamId, g => g.Key.VolunteerId)
            .ToDictionary(g => g.Key, g => g.ToHashSet());
        var tookPart = (await db.ParticipationFacts.AsNoTracking()
                .Where(p => p.TeamId != null && ids.Contains(p.TeamId.Value) && months.Contains(p.Month) && (p.CompletionHundredths ?? 0) + p.CorrectionHundredths > 0)
                .Select(p => new { TeamId = p.TeamId!.Value, p.VolunteerId }).Distinct().ToListAsync(cancellationToken))
            .GroupBy(p => p.TeamId).ToDictionary(g => g.Key, g => g.Select(p => p.VolunteerId).ToHashSet());
        var ratings = (await db.RatingFacts.AsNoTracking()
                .Where(r => r.TeamId != null && ids.Contains(r.TeamId.Value) && months.Contains(r.Month))
                .Select(r => new { TeamId = r.TeamId!.Value, r.Score }).ToListAsync(cancellationToken))
            .GroupBy(r => r.TeamId).ToDictionary(g => g.Key, g => Math.Round((decimal)g.Average(r => r.Score), 2));

        return [.. qualified.Select(t =>
            {
                var team = members.GetValueOrDefault(t.TeamId) ?? [];
                var participants = team.Count(v => tookPart.GetValueOrDefault(t.TeamId)?.Contains(v) == true);
                var participation = team.Count == 0 ? 0m : Math.Round((decimal)participants / team.Count, 4);
                return new TeamCandidate(t.TeamId, t.Name, t.HomeStationCode, (int)activities[t.TeamId], team.Count, participants, participation,
                    ratings.TryGetValue(t.TeamId, out var rating) ? rating : null);
            })
            .Where(c => c.Participation >= criteria.MinParticipation && (criteria.MinAverageRating is not { } min || c.AverageRating >= min))
            .OrderByDescending(c => c.Activities).ThenByDescending(c => c.Participation).ThenBy(c => c.TeamId)];
    }
}
