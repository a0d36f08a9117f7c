using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Periods;
using PracticeMesh.Assessment.Schemes;
using PracticeMesh.Assessment.Scoring;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Assessment.Publishing;

public sealed record PublishPeriodRequest(string? County);

/// <summary>Whether a county's period is published, and if so when, by whom and with which scheme version.</summary>
public sealed record PeriodStatusResponse(string County, string Period, bool Published, DateTimeOffset? PublishedAt, string? PublishedBy,
    SchemeRef? Scheme, int? Stations, int? Institutes)
{
    public static PeriodStatusResponse From(PublishedPeriod p) => new(p.County, p.Period, true, p.PublishedAt, p.PublishedBy, p.Scheme, p.Stations, p.Institutes);
}

/// <summary>A frozen place in a published ranking, beside the live total now: <see cref="Differs"/> when later facts moved it.</summary>
public sealed record FrozenRankItem(int Rank, string Subject, string? Name, string RankedWithin, decimal Total, int Stars, string? StarName,
    decimal? LiveTotal, decimal? Difference, bool Differs);

public sealed record FrozenRankingResponse(string Period, AssessmentTier Tier, string Under, SchemeRef Scheme, DateTimeOffset PublishedAt,
    IReadOnlyList<FrozenRankItem> Items);

/// <summary>How one indicator moved since publishing (live − published).</summary>
public sealed record IndicatorDifference(string Code, string Name, decimal? PublishedValue, decimal? LiveValue, decimal? Value,
    decimal PublishedPoints, decimal LivePoints, decimal Points);

public sealed record ScoreDifference(decimal Total, IReadOnlyList<IndicatorDifference> Indicators);

/// <summary>One subject's published score, its live score now, and the difference between them.</summary>
public sealed record SubjectDifferenceResponse(SubjectScore Published, SubjectScore? Live, ScoreDifference Difference, bool Differs);

/// <summary>
/// Publishing (公布) under <c>/api/v1/assessment/periods</c>: a county freezes a finished period's results once; they are
/// then read as published, beside the live figures and the difference later facts made.
/// </summary>
public static class PublishingApi
{
    public static RouteGroupBuilder MapPublishingApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/assessment/periods").WithTags("Assessment publishing")
            .RequireAuthorization(ApiScopes.AssessmentRead)
            .AuditAdminWrites<RouteGroupBuilder, AssessmentDbContext>("assessment");
        api.MapPost("/{period}/publish", PublishAsync).WithName("PublishAssessmentPeriod")
            .WithSummary("Publish a finished period's results for a county: frozen from then on (once only)")
            .WithRequestExample("""{"county":"321324"}""")
            .RequireAuthorization(ApiScopes.AssessmentWrite);
        api.MapDelete("/{period}", RefuseDeleteAsync).WithName("DeletePublishedPeriod")
            .WithSummary("Published results are frozen: withdrawing them is refused (409)")
            .RequireAuthorization(ApiScopes.AssessmentWrite);
        api.MapGet("/{period}", StatusAsync).WithName("GetAssessmentPeriodStatus")
            .WithSummary("Whether the county's period is published: when, by whom, with which scheme version");
        api.MapGet("/{period}/results", ResultsAsync).WithName("ListPublishedResults")
            .WithSummary("The frozen ranking of a tier under a division, each with its live total and the difference");
        api.MapGet("/{period}/results/{tier}/{subject}", SubjectResultAsync).WithName("GetPublishedResult")
            .WithSummary("One station's or institute's published score, its live score and the difference per indicator");
        return api;
    }

    public static async Task<Created<PeriodStatusResponse>> PublishAsync(string period, PublishPeriodRequest? request, Publisher publisher, [FromServices] IScoreCalculator scores, Caller caller,
        CancellationToken cancellationToken)
    {
        var parsed = Period.Parse(period);
        var county = County(request?.County, "county");
        caller.EnsureMayCreateIn(county);
        var published = await publisher.PublishAsync(scores, county.Value, parsed, caller.Name ?? caller.Subject ?? caller.ClientId, cancellationToken);
        return TypedResults.Created($"/api/v1/assessment/periods/{published.Period}?county={county}", PeriodStatusResponse.From(published));
    }

    public static async Task<NoContent> RefuseDeleteAsync(string period, string? county, Publisher publisher, Caller caller, CancellationToken cancellationToken)
    {
        var parsed = Period.Parse(period);
        var code = County(county, "county");
        caller.EnsureCovers(code, $"period {parsed} of county {code}");
        await publisher.RefuseChangeAsync(code.Value, parsed, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<PeriodStatusResponse>> StatusAsync(string period, string? county, AssessmentDbContext db, Caller caller,
        CancellationToken cancellationToken)
    {
        var key = Period.Parse(period).ToString();
        var code = County(county, "county");
        EnsureReads(caller, code);
        var published = await db.PublishedPeriods.AsNoTracking().FirstOrDefaultAsync(p => p.County == code.Value && p.Period == key, cancellationToken);
        return TypedResults.Ok(published is null ? new PeriodStatusResponse(code.Value, key, false, null, null, null, null, null) : PeriodStatusResponse.From(published));
    }

    public static async Task<Ok<FrozenRankingResponse>> ResultsAsync(string period, string? tier, string? under, AssessmentDbContext db, [FromServices] IScoreCalculator scores,
        Caller caller, CancellationToken cancellationToken)
    {
        var parsed = Period.Parse(period);
        var key = parsed.ToString();
        var level = Tier(tier ?? nameof(AssessmentTier.Station));
        var prefix = caller.ListPrefix(under) ?? throw new NotFoundException($"No published results under {under}.");
        if (prefix.Length < 6)
        {
            throw new DomainValidationException("under", "Published results are a county's: give a county, township or village code (6, 9 or 12 digits).");
        }
        var county = prefix[..6];
        var published = await db.PublishedPeriods.AsNoTracking().FirstOrDefaultAsync(p => p.County == county && p.Period == key, cancellationToken)
            ?? throw new NotFoundException($"Period {key} of county {county} has not been published.");
        var rows = await db.PublishedResults.AsNoTracking()
            .Where(r => r.County == county && r.Period == key && r.Tier == level && r.Subject.StartsWith(prefix))
            .ToListAsync(cancellationToken);
        var live = (await scores.RankAsync(level, parsed, prefix, cancellationToken)).ToDictionary(r => r.Score.Subject, r => r.Score.Total, StringComparer.Ordinal);
        var items = rows.OrderBy(r => r.RankedWithin, StringComparer.Ordinal).ThenBy(r => r.Rank).ThenBy(r => r.Subject, StringComparer.Ordinal)
            .Select(r =>
            {
                decimal? now = live.TryGetValue(r.Subject, out var total) ? total : null;
                var difference = now - r.Total;
                return new FrozenRankItem(r.Rank, r.Subject, r.Name, r.RankedWithin, r.Total, r.Stars, r.StarName, now, difference, difference is not 0m);
            }).ToList();
        return TypedResults.Ok(new FrozenRankingResponse(key, level, prefix, published.Scheme, published.PublishedAt, items));
    }

    public static async Task<Ok<SubjectDifferenceResponse>> SubjectResultAsync(string period, string tier, string subject, AssessmentDbContext db,
        [FromServices] IScoreCalculator scores, Caller caller, CancellationToken cancellationToken)
    {
        var parsed = Period.Parse(period);
        var key = parsed.ToString();
        var level = Tier(tier);
        caller.EnsureCovers(PlaceOf(level, subject), $"{level} {subject}");
        var county = subject[..6];
        var row = await db.PublishedResults.AsNoTracking()
            .FirstOrDefaultAsync(r => r.County == county && r.Period == key && r.Tier == level && r.Subject == subject, cancellationToken)
            ?? throw new NotFoundException($"No published result of {level} {subject} for {key}.");
        var frozen = JsonSerializer.Deserialize<SubjectScore>(row.ScoreJson, DefaultScheme.Json)
            ?? throw new InvalidOperationException($"The published result of {subject} for {key} is empty.");
        var live = await scores.ScoreAsync(level, subject, parsed, cancellationToken);
        var difference = Difference(frozen, live);
        return TypedResults.Ok(new SubjectDifferenceResponse(frozen, live, difference, difference.Total != 0 || difference.Indicators.Any(i => i.Points != 0 || i.Value is not (null or 0))));
    }

    /// <summary>Live − published, in total and per indicator (an indicator only one side has counts the other side as nothing).</summary>
    internal static ScoreDifference Difference(SubjectScore published, SubjectScore? live)
    {
        var liveIndicators = live?.Indicators.ToDictionary(i => i.Code, StringComparer.Ordinal) ?? [];
        var codes = published.Indicators.Select(i => i.Code).Concat(liveIndicators.Keys).Distinct(StringComparer.Ordinal);
        var before = published.Indicators.ToDictionary(i => i.Code, StringComparer.Ordinal);
        var indicators = codes.Select(code =>
        {
            var (was, now) = (before.GetValueOrDefault(code), liveIndicators.GetValueOrDefault(code));
            decimal? value = was?.Value is null && now?.Value is null ? null : (now?.Value ?? 0) - (was?.Value ?? 0);
            return new IndicatorDifference(code, (was ?? now)!.Name, was?.Value, now?.Value, value, was?.Points ?? 0, now?.Points ?? 0,
                (now?.Points ?? 0) - (was?.Points ?? 0));
        }).ToList();
        return new ScoreDifference((live?.Total ?? 0) - published.Total, indicators);
    }

    /// <summary>A county code (6 digits), or a 400 naming <paramref name="field"/>.</summary>
    internal static DivisionCode County(string? text, string field) =>
        DivisionCode.TryParse(text, out var code) && code.Tier == DivisionTier.County ? code
            : throw new DomainValidationException(field, "A county is its 6-digit division code, e.g. 321324.");

    internal static AssessmentTier Tier(string text) =>
        Enum.TryParse<AssessmentTier>(text, ignoreCase: true, out var tier) && Enum.IsDefined(tier) && !text.Any(char.IsAsciiDigit) ? tier
            : throw new DomainValidationException("tier", "A tier is Station or Institute.");

    /// <summary>The division a subject lies in: a station's place, an institute's township; anything else is unknown (404).</summary>
    private static DivisionCode PlaceOf(AssessmentTier tier, string subject)
    {
        if (tier == AssessmentTier.Station && StationCode.TryParse(subject, null, out var station))
        {
            return station.Place;
        }
        if (tier == AssessmentTier.Institute && DivisionCode.TryParse(subject, out var township) && township.Tier == DivisionTier.Township)
        {
            return township;
        }
        throw new NotFoundException($"No {tier} {subject}.");
    }

    /// <summary>
    /// A county's period status is read by whoever reaches the county or a part of it (a township admin sees whether
    /// their county's month is published); nobody outside it.
    /// </summary>
    internal static void EnsureReads(Caller caller, DivisionCode county)
    {
        if (!caller.Covers(county) && !caller.DivisionScope.StartsWith(county.Value, StringComparison.Ordinal))
        {
            throw new NotFoundException($"No county {county}.");
        }
    }
}
