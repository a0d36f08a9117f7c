using Microsoft.AspNetCore.Http.HttpResults;
using PracticeMesh.Assessment.Periods;
using PracticeMesh.Assessment.Schemes;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Assessment.Scoring;

/// <summary>A place in a ranking as a list shows it; the full explanation is at the subject's score.</summary>
public sealed record RankingItem(int Rank, string Subject, string? Name, decimal Total, int Stars, string? StarName);

/// <summary>A ranking of one tier for a period, under a division prefix, with the scheme version that produced it.</summary>
public sealed record RankingResponse(string Period, AssessmentTier Tier, string Under, SchemeRef Scheme, IReadOnlyList<RankingItem> Items);

/// <summary>Scores, rankings and their explanations, computed live (published, frozen results are elsewhere).</summary>
public static class ScoresApi
{
    public static RouteGroupBuilder MapScoresApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/assessment").WithTags("Assessment")
            .RequireAuthorization(ApiScopes.AssessmentRead);
        api.MapGet("/rankings", RankingsAsync).WithName("GetRankings")
            .WithSummary("Stations ranked within their township, or institutes within the county, for a month, quarter or year");
        api.MapGet("/stations/{code}/scores/{period}", StationScoreAsync).WithName("GetStationScore")
            .WithSummary("A station's score for a period, every indicator explained: the facts, the rule and the points");
        api.MapGet("/institutes/{township}/scores/{period}", InstituteScoreAsync).WithName("GetInstituteScore")
            .WithSummary("An institute's score for a period, over every site of its township, every indicator explained");
        return api;
    }

    public static async Task<Ok<RankingResponse>> RankingsAsync(string? period, string? tier, string? under, IScoreCalculator calculator, ISchemes schemes,
        Caller caller, AcceptedDates dates, CancellationToken cancellationToken)
    {
        var when = ParsePeriod(period, dates);
        var level = ParseTier(tier);
        // The narrower of the asked prefix and the caller's scope; none in common is outside their division.
        var prefix = caller.ListPrefix(under) ?? throw new ForbiddenException($"Division {under} is outside your division scope ({caller.DivisionScope}).");
        if (level == AssessmentTier.Station && prefix.Length < 9)
        {
            throw new DomainValidationException("under", "Stations rank within their township: name a township (9 digits) or a place under it.");
        }
        if (prefix.Length < 6)
        {
            throw new DomainValidationException("under", "Institutes rank within their county: name a county (6 digits) or a place under it.");
        }
        var scheme = await schemes.ForYearAsync(prefix[..6], when.Year, cancellationToken);
        var ranked = await calculator.RankAsync(level, when, prefix, cancellationToken);
        return TypedResults.Ok(new RankingResponse(when.ToString(), level, prefix, scheme.Ref,
            [.. ranked.Select(r => new RankingItem(r.Rank, r.Score.Subject, r.Score.Name, r.Score.Total, r.Score.Stars, r.Score.StarName))]));
    }

    public static async Task<Ok<SubjectScore>> StationScoreAsync(string code, string period, IScoreCalculator calculator, Caller caller, AcceptedDates dates,
        CancellationToken cancellationToken)
    {
        if (!StationCode.TryParse(code, out var station, out var error))
        {
            throw new DomainValidationException("code", error);
        }
        var when = ParsePeriod(period, dates);
        caller.EnsureCovers(station.Place, $"station {station}");
        return TypedResults.Ok(await calculator.ScoreAsync(AssessmentTier.Station, station.Value, when, cancellationToken)
            ?? throw new NotFoundException($"No station {station} scored in {when}."));
    }

    public static async Task<Ok<SubjectScore>> InstituteScoreAsync(string township, string period, IScoreCalculator calculator, Caller caller, AcceptedDates dates,
        CancellationToken cancellationToken)
    {
        if (!DivisionCode.TryParse(township, out var code, out var error) || code.Tier != DivisionTier.Township)
        {
            throw new DomainValidationException("township", error is { Length: > 0 } ? error : "An institute is named by its township's 9-digit code.");
        }
        var when = ParsePeriod(period, dates);
        caller.EnsureCovers(code, $"institute {code}");
        return TypedResults.Ok(await calculator.ScoreAsync(AssessmentTier.Institute, code.Value, when, cancellationToken)
            ?? throw new NotFoundException($"No institute {code} with a site scored in {when}."));
    }

    private static Period ParsePeriod(string? text, AcceptedDates dates)
    {
        var period = Period.Parse(text);
        dates.EnsureYear("period", period.Year);
        return period;
    }

    private static AssessmentTier ParseTier(string? text) =>
        text is null ? AssessmentTier.Station
            : !text.All(char.IsAsciiDigit) && Enum.TryParse<AssessmentTier>(text, ignoreCase: true, out var tier) && Enum.IsDefined(tier) ? tier
            : throw new DomainValidationException("tier", "A tier is Station or Institute.");
}
