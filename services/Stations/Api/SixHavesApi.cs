using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Stations.Data;
using PracticeMesh.Stations.Domain;

namespace PracticeMesh.Stations.Api;

public sealed record SubmitEvidenceRequest(string? Text, List<string>? Attachments);

public sealed record VerifySixHavesRequest(SixHavesVerdict Verdict, string? Remark);

public sealed record VerificationResponse(SixHavesVerdict Verdict, string? Remark, string? VerifiedBy, string? VerifierName, string? VerifierDivision, DateTimeOffset VerifiedAt);

/// <summary>One checklist item: its key (Site, Team…), its Chinese label (有场所…), the evidence and the check.</summary>
public sealed record SixHavesItemResponse(string Item, string Label, string? EvidenceText, List<string> Attachments, DateTimeOffset? EvidenceAt,
    VerificationResponse? Verification)
{
    public static SixHavesItemResponse From(ChecklistItem item, SixHavesRecord? r) => r is null
        ? new(item.Key, item.Label, null, [], null, null)
        : new(item.Key, item.Label, r.EvidenceText, r.Attachments, r.EvidenceAt,
            r is { Verdict: { } verdict, VerifiedAt: { } at } ? new VerificationResponse(verdict, r.Remark, r.VerifiedBy, r.VerifierName, r.VerifierDivision, at) : null);
}

public sealed record SixHavesChecklistResponse(string StationCode, int PassedItems, int EvidencedItems, int RequiredItems, bool Compliant,
    List<SixHavesItemResponse> Items);

public sealed record SixHavesStationSummary(string StationCode, string Name, StationKind Kind, int PassedItems, int EvidencedItems, int RequiredItems,
    bool Compliant);

public sealed record SixHavesReport(int Sites, int Compliant, List<SixHavesStationSummary> Stations);

/// <summary>
/// The six haves (六有), or the checklist the county configured instead (<see cref="SixHavesChecklist"/>): evidence per
/// item, the check by the tier above, compliance per station and township.
/// </summary>
public static class SixHavesApi
{
    public static RouteGroupBuilder MapSixHavesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{code}/six-haves", ChecklistAsync).WithName("GetSixHaves")
            .WithSummary("A site's six-haves checklist (by default 有场所, 有队伍, 有制度, 有保障, 有成效, 有特色; the county may configure another) with evidence, checks and compliance")
            .RequireAuthorization(ApiScopes.StationsRead);
        api.MapPut("/{code}/six-haves/{item}", SubmitEvidenceAsync).WithName("SubmitSixHavesEvidence")
            .WithSummary("Show evidence for one item (text and attachment references); new evidence clears an earlier check")
            .WithDescription("An item is named by its key or its Chinese label; the default items: Site, Team, Rules, Funding, Results, Specialty. Example: {\"text\":\"党群服务中心二楼活动室120平方米\",\"attachments\":[\"files/2026/site-photo-1.jpg\"]}.")
            .RequireAuthorization(ApiScopes.StationsWrite);
        api.MapPost("/{code}/six-haves/{item}/verification", VerifyAsync).WithName("VerifySixHaves")
            .WithSummary("The tier above checks one item's evidence: Passed, or Failed with a remark")
            .WithDescription("The caller's division must lie above the site (a township for its stations, the county for its institutes). Example: {\"verdict\":\"Failed\",\"remark\":\"缺少活动台账\"}.")
            .RequireAuthorization(ApiScopes.StationsWrite);
        api.MapGet("/six-haves", ReportAsync).WithName("GetSixHavesReport")
            .WithSummary("Six-haves compliance of every institute and station under a prefix (e.g. a township)")
            .WithDescription("Example: ?under=321324104&compliant=false.")
            .RequireAuthorization(ApiScopes.StationsRead);
        return api;
    }

    public static async Task<Ok<SixHavesChecklistResponse>> ChecklistAsync(string code, StationsDbContext db, Caller caller, SixHavesChecklist checklist, CancellationToken cancellationToken)
    {
        var station = await StationsApi.FindAsync(code, db, caller, cancellationToken, tracked: false);
        var records = await db.SixHaves.AsNoTracking().Where(r => r.StationCode == station.Code).ToListAsync(cancellationToken);
        return TypedResults.Ok(Checklist(checklist, station.Code, records));
    }

    public static async Task<Ok<SixHavesItemResponse>> SubmitEvidenceAsync(
        string code, string item, SubmitEvidenceRequest request, StationsDbContext db, Caller caller, SixHavesChecklist checklist, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var parsed = checklist.Find(item);
        var station = await StationsApi.FindAsync(code, db, caller, cancellationToken);
        station.EnsureActive();
        var record = await db.SixHaves.SingleOrDefaultAsync(r => r.StationCode == station.Code && r.Item == parsed.Key, cancellationToken);
        if (record is null)
        {
            record = SixHavesRecord.Start(station, parsed, now);
            db.SixHaves.Add(record);
        }
        record.SubmitEvidence(request.Text, request.Attachments, now);
        await SaveAsync(db, station, cancellationToken);
        return TypedResults.Ok(SixHavesItemResponse.From(parsed, record));
    }

    public static async Task<Ok<SixHavesItemResponse>> VerifyAsync(
        string code, string item, VerifySixHavesRequest request, StationsDbContext db, Caller caller, SixHavesChecklist checklist, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var parsed = checklist.Find(item);
        var station = await StationsApi.FindAsync(code, db, caller, cancellationToken);
        station.EnsureActive();
        var records = await db.SixHaves.Where(r => r.StationCode == station.Code).ToListAsync(cancellationToken);
        var record = records.SingleOrDefault(r => r.Item == parsed.Key)
            ?? throw new ConflictException($"{station.Code} has shown no evidence for {parsed.Key} ({parsed.Label}) yet.");
        record.Verify(request.Verdict, request.Remark, caller.DivisionScope, caller.Subject, caller.Name, now);
        var compliance = checklist.Evaluate(records);
        db.AddEvent(new Contracts.Events.V2.SixHavesVerified(Guid.CreateVersion7(now), now, station.DivisionCode, station.Id, station.Code, parsed.Key,
            parsed.Label, request.Verdict, caller.Subject, caller.DivisionScope, compliance.PassedItems, compliance.RequiredItems, compliance.Compliant), now);
        if (checklist.IsSixItemStandard)
        {
            // Partners that read the first version keep receiving it while the county's checklist is the one it can name.
            db.AddEvent(new SixHavesVerified(Guid.CreateVersion7(now), now, station.DivisionCode, station.Id, station.Code, Enum.Parse<SixHavesItem>(parsed.Key),
                request.Verdict, caller.Subject, caller.DivisionScope, compliance.PassedItems, compliance.Compliant), now);
        }
        await SaveAsync(db, station, cancellationToken);
        return TypedResults.Ok(SixHavesItemResponse.From(parsed, record));
    }

    public static async Task<Ok<SixHavesReport>> ReportAsync(string? under, bool? compliant, StationsDbContext db, Caller caller, SixHavesChecklist checklist,
        CancellationToken cancellationToken)
    {
        if (caller.ListPrefix(under) is not { } prefix)
        {
            return TypedResults.Ok(new SixHavesReport(0, 0, []));
        }
        var stations = await db.Stations.AsNoTracking()
            .Where(s => s.Code.StartsWith(prefix) && s.Status == StationStatus.Active && s.Kind != StationKind.CountyCentre)
            .OrderBy(s => s.Code).ToListAsync(cancellationToken);
        var records = (await db.SixHaves.AsNoTracking().Where(r => r.StationCode.StartsWith(prefix)).ToListAsync(cancellationToken))
            .ToLookup(r => r.StationCode);
        var rows = stations.Select(s =>
        {
            var c = checklist.Evaluate(records[s.Code]);
            return new SixHavesStationSummary(s.Code, s.Name, s.Kind, c.PassedItems, c.EvidencedItems, c.RequiredItems, c.Compliant);
        }).ToList();
        return TypedResults.Ok(new SixHavesReport(rows.Count, rows.Count(r => r.Compliant),
            compliant is { } wanted ? rows.Where(r => r.Compliant == wanted).ToList() : rows));
    }

    private static SixHavesChecklistResponse Checklist(SixHavesChecklist checklist, string stationCode, List<SixHavesRecord> records)
    {
        var compliance = checklist.Evaluate(records);
        return new SixHavesChecklistResponse(stationCode, compliance.PassedItems, compliance.EvidencedItems, compliance.RequiredItems, compliance.Compliant,
            checklist.Items.Select(i => SixHavesItemResponse.From(i, records.SingleOrDefault(r => r.Item == i.Key))).ToList());
    }

    private static async Task SaveAsync(StationsDbContext db, Station station, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new ConflictException($"The six haves of {station.Code} were changed by another request; try again.");
        }
    }
}
