using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Stations.Data;
using PracticeMesh.Stations.Domain;

namespace PracticeMesh.Stations.Api;

/// <param name="Code">A division code (321324, 321324104, 321324104201) or a unit station code (321324104201-S01).</param>
/// <param name="ParentCode">Optional; when given it must be the site the code sits under.</param>
public sealed record RegisterStationRequest(string? Code, string? Name, StationKind Kind, string? ParentCode = null);

/// <summary>The editable fields; a field left out is cleared (PUT replaces them all).</summary>
public sealed record UpdateStationRequest(string? Name, string? Address, double? Latitude, double? Longitude);

public sealed record CloseStationRequest(string? Reason);

public sealed record StationResponse(
    Guid Id, string Code, string DivisionCode, DivisionTier Tier, string Name, StationKind Kind, string? ParentCode, StationStatus Status,
    string? Address, double? Latitude, double? Longitude, DateTimeOffset RegisteredAt, DateTimeOffset? UpdatedAt, DateTimeOffset? ClosedAt, string? ClosedReason)
{
    public static StationResponse From(Station s) => new(s.Id, s.Code, s.DivisionCode.Value, s.Tier, s.Name, s.Kind, s.ParentCode, s.Status,
        s.Address, s.Latitude, s.Longitude, s.RegisteredAt, s.UpdatedAt, s.ClosedAt, s.ClosedReason);
}

/// <summary>A site and everything under it, as one nested tree.</summary>
public sealed record StationNode(string Code, string Name, StationKind Kind, StationStatus Status, List<StationNode> Children);

public static class StationsApi
{
    public const int MaxPageSize = 200;
    public const string NextCursorHeader = "X-Next-Cursor";
    /// <summary>A county has a few hundred sites; a platform serving several counties stays well under this.</summary>
    public const int MaxDirectorySize = 10_000;

    public static IEndpointRouteBuilder MapStationsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/stations").WithTags("Stations")
            .RequireAuthorization()
            .AuditAdminWrites<RouteGroupBuilder, StationsDbContext>("stations");
        api.MapPost("/", RegisterAsync).WithName("RegisterStation")
            .WithSummary("Register a centre, institute or station under its parent")
            .WithDescription("Example: {\"code\":\"321324104201\",\"name\":\"大楼社区新时代文明实践站\",\"kind\":\"Community\"}; a school station in that community: {\"code\":\"321324104201-S01\",\"name\":\"青阳中学实践站\",\"kind\":\"School\"}.")
            .RequireAuthorization(ApiScopes.StationsWrite);
        api.MapGet("/{code}", GetAsync).WithName("GetStation").WithSummary("One site by its code")
            .RequireAuthorization(ApiScopes.StationsRead);
        api.MapPut("/{code}", UpdateAsync).WithName("UpdateStation")
            .WithSummary("Change a site's name, address and location (the code, kind and place never change)")
            .WithDescription("Example: {\"name\":\"大楼社区实践站\",\"address\":\"青阳镇大楼街1号\",\"latitude\":33.46,\"longitude\":118.22}.")
            .RequireAuthorization(ApiScopes.StationsWrite);
        api.MapPost("/{code}/close", CloseAsync).WithName("CloseStation")
            .WithSummary("Close a site with a reason; it keeps its history, and a site with open sites under it cannot close")
            .WithDescription("Example: {\"reason\":\"合并入王集村实践站\"}.")
            .RequireAuthorization(ApiScopes.StationsWrite);
        api.MapGet("/{code}/children", ChildrenAsync).WithName("GetStationChildren").WithSummary("The sites directly under a site (cached)")
            .RequireAuthorization(ApiScopes.StationsRead);
        api.MapGet("/{code}/subtree", SubtreeAsync).WithName("GetStationSubtree").WithSummary("A site and every site under it as a nested tree (cached)")
            .RequireAuthorization(ApiScopes.StationsRead);
        api.MapGet("/{code}/path", PathAsync).WithName("GetStationPath")
            .WithSummary("The sites from the county centre down to this one, as far as the caller reaches")
            .RequireAuthorization(ApiScopes.StationsRead);
        api.MapGet("/", ListAsync).WithName("ListStations")
            .WithSummary("Sites under a prefix, filtered by tier, kind, status and name, a page at a time")
            .WithDescription($"Example: ?under=321324104&tier=Village&kind=Community&status=Active&q=社区&limit=50. Ordered by code; when more remain, the {NextCursorHeader} header (and a Link rel=next) holds the cursor for the next page. limit is 1-{MaxPageSize} (default {MaxPageSize}).")
            .RequireAuthorization(ApiScopes.StationsRead);

        api.MapGet("/directory", DirectoryAsync).WithName("GetStationDirectory")
            .WithSummary("The open centre, institutes and village stations under a division, by name (public)")
            .WithDescription("Example: ?under=321324 (without under, every county). What the public pages offer residents to pick a place by name; unit stations and closed sites are left out.")
            .AllowAnonymous();

        api.MapStaffApi();
        api.MapSixHavesApi();
        api.MapPlatformsApi();
        api.MapPairingsApi();
        api.MapImportExportApi();
        return endpoints;
    }

    public static async Task<Created<StationResponse>> RegisterAsync(
        RegisterStationRequest request, StationsDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Station? parent = null;
        if (StationCode.TryParse(request.Code, out var code, out _))
        {
            caller.EnsureMayCreateIn(code.Place);
            var parentCode = Station.ParentCodeOf(code);
            if (!string.IsNullOrWhiteSpace(request.ParentCode) && request.ParentCode.Trim() != parentCode)
            {
                throw new DomainValidationException("parentCode",
                    parentCode is null ? "A county centre has no parent." : $"'{request.ParentCode}' is not the parent of '{code}'; its parent is {parentCode}.");
            }
            if (parentCode is not null)
            {
                parent = await db.Stations.AsNoTracking().SingleOrDefaultAsync(s => s.Code == parentCode, cancellationToken);
            }
        }
        var station = Station.Register(request.Code, request.Name, request.Kind, parent, now);
        if (await db.Stations.AnyAsync(s => s.Code == station.Code, cancellationToken))
        {
            throw new ConflictException($"A site with code {station.Code} is already registered.");
        }
        db.Stations.Add(station);
        db.AddEvent(station.ToRegisteredEvent(now), now);
        await SaveTreeChangeAsync(db, station, now, $"A site with code {station.Code} is already registered.", cancellationToken);
        return TypedResults.Created($"/api/v1/stations/{station.Code}", StationResponse.From(station));
    }

    public static async Task<Ok<StationResponse>> GetAsync(string code, StationsDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var station = await FindAsync(code, db, caller, cancellationToken, tracked: false);
        return TypedResults.Ok(StationResponse.From(station));
    }

    public static async Task<Ok<StationResponse>> UpdateAsync(
        string code, UpdateStationRequest request, StationsDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var station = await FindAsync(code, db, caller, cancellationToken);
        station.Update(request.Name, request.Address, request.Latitude, request.Longitude, now);
        db.AddEvent(station.ToUpdatedEvent(now), now);
        await SaveTreeChangeAsync(db, station, now, null, cancellationToken);
        return TypedResults.Ok(StationResponse.From(station));
    }

    public static async Task<Ok<StationResponse>> CloseAsync(
        string code, CloseStationRequest request, StationsDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var station = await FindAsync(code, db, caller, cancellationToken);
        var openChildren = await db.Stations.CountAsync(s => s.ParentCode == station.Code && s.Status == StationStatus.Active, cancellationToken);
        station.Close(request.Reason, openChildren, now);
        db.AddEvent(station.ToClosedEvent(now), now);
        await SaveTreeChangeAsync(db, station, now, null, cancellationToken);
        return TypedResults.Ok(StationResponse.From(station));
    }

    public static async Task<Ok<List<StationResponse>>> ChildrenAsync(
        string code, StationsDbContext db, Caller caller, StationTreeCache tree, CancellationToken cancellationToken)
    {
        var station = await FindAsync(code, db, caller, cancellationToken, tracked: false);
        // Everything under a covered site is covered too (its code starts with the site's), so the entry is caller-independent.
        var children = await tree.GetOrLoadAsync(db, station.Code, "children", async ct =>
        {
            var rows = await db.Stations.AsNoTracking().Where(s => s.ParentCode == station.Code).OrderBy(s => s.Code).ToListAsync(ct);
            return rows.Select(StationResponse.From).ToList();
        }, cancellationToken);
        return TypedResults.Ok(children);
    }

    /// <summary>
    /// The public directory: the open sites of the division tiers (county, township, village) under <paramref name="under"/>,
    /// by code, with their names only, so a resident who is not signed in picks a place by name.
    /// </summary>
    public static async Task<Ok<List<DirectoryEntry>>> DirectoryAsync(string? under, StationsDbContext db, CancellationToken cancellationToken)
    {
        var prefix = under?.Trim() ?? "";
        if (prefix.Length > 0 && (prefix.Length is not (6 or 9 or 12) || !prefix.All(char.IsAsciiDigit)))
        {
            throw new DomainValidationException("under", "A 6-, 9- or 12-digit division code, or none for every county.");
        }
        var rows = await db.Stations.AsNoTracking()
            .Where(s => s.Code.StartsWith(prefix) && !s.Code.Contains('-') && s.Status == StationStatus.Active)
            .OrderBy(s => s.Code).Take(MaxDirectorySize)
            .Select(s => new DirectoryEntry(s.Code, s.Name, s.Kind, s.ParentCode))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.OrderBy(r => r.Code, StringComparer.Ordinal).ToList());
    }

    public static async Task<Ok<StationNode>> SubtreeAsync(
        string code, StationsDbContext db, Caller caller, StationTreeCache tree, CancellationToken cancellationToken)
    {
        var station = await FindAsync(code, db, caller, cancellationToken, tracked: false);
        var node = await tree.GetOrLoadAsync(db, station.Code, "subtree", async ct =>
        {
            // A unit station's code extends its place's code, so one prefix query finds the whole subtree.
            var rows = await db.Stations.AsNoTracking().Where(s => s.Code.StartsWith(station.Code))
                .Select(s => new { s.Code, s.Name, s.Kind, s.Status, s.ParentCode }).ToListAsync(ct);
            var byParent = rows.Where(r => r.ParentCode is not null).ToLookup(r => r.ParentCode!);
            StationNode Build(string nodeCode, string name, StationKind kind, StationStatus status) =>
                new(nodeCode, name, kind, status, byParent[nodeCode].OrderBy(c => c.Code, StringComparer.Ordinal)
                    .Select(c => Build(c.Code, c.Name, c.Kind, c.Status)).ToList());
            return Build(station.Code, station.Name, station.Kind, station.Status);
        }, cancellationToken);
        return TypedResults.Ok(node);
    }

    public static async Task<Ok<List<StationResponse>>> PathAsync(string code, StationsDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var station = await FindAsync(code, db, caller, cancellationToken, tracked: false);
        var ancestors = new List<string>();
        for (var parent = station.ParentCode; parent is not null; parent = StationCode.TryParse(parent, out var p, out _) ? Station.ParentCodeOf(p) : null)
        {
            ancestors.Add(parent);
        }
        var rows = await db.Stations.AsNoTracking().Where(s => ancestors.Contains(s.Code)).ToListAsync(cancellationToken);
        // Sites above the caller's scope are outside it like any other: the path starts where the caller's reach does.
        var path = rows.Where(s => caller.Covers(s.DivisionCode)).OrderBy(s => s.Code.Length).Append(station).Select(StationResponse.From).ToList();
        return TypedResults.Ok(path);
    }

    public static async Task<Ok<List<StationResponse>>> ListAsync(
        string? under, string? tier, string? kind, string? status, string? q, int? limit, string? cursor,
        HttpContext http, StationsDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var tierFilter = ParseEnum<DivisionTier>(tier, "tier", errors);
        var kindFilter = ParseEnum<StationKind>(kind, "kind", errors);
        var statusFilter = ParseEnum<StationStatus>(status, "status", errors);
        var search = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (search is { Length: > 50 })
        {
            errors["q"] = ["A name search has at most 50 characters."];
        }
        var pageSize = limit ?? MaxPageSize;
        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["limit"] = [$"A page holds 1 to {MaxPageSize} sites."];
        }
        var after = PageCursor.Decode(cursor, errors);
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        if (caller.ListPrefix(under) is not { } prefix)
        {
            return TypedResults.Ok(new List<StationResponse>());
        }
        var query = db.Stations.AsNoTracking().Where(s => s.Code.StartsWith(prefix));
        if (tierFilter is { } t)
        {
            query = query.Where(s => s.Tier == t);
        }
        if (kindFilter is { } k)
        {
            query = query.Where(s => s.Kind == k);
        }
        if (statusFilter is { } st)
        {
            query = query.Where(s => s.Status == st);
        }
        if (search is not null)
        {
            query = query.Where(s => s.Name.Contains(search));
        }
        if (after is not null)
        {
            query = query.Where(s => string.Compare(s.Code, after) > 0);
        }
        var page = await query.OrderBy(s => s.Code).Take(pageSize + 1).ToListAsync(cancellationToken);
        if (page.Count > pageSize)
        {
            page.RemoveAt(pageSize);
            var next = PageCursor.Encode(page[^1].Code);
            http.Response.Headers[NextCursorHeader] = next;
            var link = QueryString.Create(http.Request.Query.Where(p => p.Key != "cursor")
                .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
                .Append(new KeyValuePair<string, string?>("cursor", next)));
            http.Response.Headers.Link = $"<{http.Request.PathBase}{http.Request.Path}{link}>; rel=\"next\"";
        }
        return TypedResults.Ok(page.Select(StationResponse.From).ToList());
    }

    /// <summary>
    /// Finds a site the caller reaches; a malformed code is 400, one outside the caller's scope is 404 like an unknown one.
    /// </summary>
    internal static async Task<Station> FindAsync(string code, StationsDbContext db, Caller caller, CancellationToken cancellationToken, bool tracked = true)
    {
        if (!StationCode.TryParse(code, out var parsed, out var error))
        {
            throw new DomainValidationException("code", error);
        }
        var what = $"site with code {parsed} is registered";
        caller.EnsureCovers(parsed.Place, what);
        var value = parsed.Value;
        var query = tracked ? db.Stations : db.Stations.AsNoTracking();
        return await query.SingleOrDefaultAsync(s => s.Code == value, cancellationToken)
            ?? throw new NotFoundException($"No {what}.");
    }

    /// <summary>Saves a change to the tree with a new version of its county, which retires every cached read of the county.</summary>
    private static async Task SaveTreeChangeAsync(StationsDbContext db, Station station, DateTimeOffset now, string? conflict, CancellationToken cancellationToken)
    {
        var county = station.DivisionCode.County.Value;
        await StationTreeCache.BumpAsync(db, county, now, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new ConflictException(conflict ?? $"{station.Code} was changed by another request; try again.");
        }
    }

    internal static T? ParseEnum<T>(string? text, string field, Dictionary<string, string[]> errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        // Names only: a number would slip through Enum.TryParse as an undefined value.
        if (!char.IsAsciiDigit(text[0]) && Enum.TryParse<T>(text, ignoreCase: true, out var value))
        {
            return value;
        }
        errors[field] = [$"Unknown {field} '{text}'; one of {string.Join(", ", Enum.GetNames<T>())}."];
        return null;
    }
}

/// <summary>An opaque page cursor: the last code of the page before, so a page never skips or repeats a site.</summary>
public static class PageCursor
{
    private const string Prefix = "c1:";

    public static string Encode(string lastCode) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + lastCode));

    public static string? Decode(string? cursor, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith(Prefix, StringComparison.Ordinal) && StationCode.TryParse(text[Prefix.Length..], out var code, out _))
            {
                return code.Value;
            }
        }
        catch (FormatException)
        {
        }
        errors["cursor"] = ["The cursor is not one this API gave out."];
        return null;
    }
}

/// <summary>A site in the public directory: its code, name, kind and the site above it.</summary>
public sealed record DirectoryEntry(string Code, string Name, StationKind Kind, string? ParentCode);
