using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Cases;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.TimeLimits;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Grid.Open311;

/// <summary>Open311 settings (<c>Grid:Open311:*</c>): what the discovery document tells partners.</summary>
public sealed class Open311Options
{
    /// <summary>Who runs the endpoint, for people who write the partner systems.</summary>
    public string Contact { get; set; } = "县新时代文明实践中心 网格化管理办公室";
    /// <summary>How a partner gets an API key.</summary>
    public string KeyService { get; set; } = "A county admin issues an API key per partner client (POST /api/v1/grid/open311/keys).";
    /// <summary>
    /// The public address of <c>/open311/v2</c> (<c>https://practicemesh.example.gov.cn/open311/v2</c>). Unset, it
    /// is taken from the request (the gateway's forwarded scheme and host where it sends them).
    /// </summary>
    public string? PublicUrl { get; set; }
}

/// <summary>The handlers' shared dependencies.</summary>
public sealed record Open311Services(GridDbContext Db, TimeProvider Time, AcceptedDates Dates);

/// <summary>
/// Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) on cases and categories: services are the active case
/// categories, service requests are cases. Reads are public, as the spec has them, and show nothing of who reported;
/// posting a request needs a partner's API key. Every answer is JSON or XML by the path's extension, errors included
/// (<see cref="Open311ErrorWriter"/>).
/// </summary>
public static class Open311Api
{
    /// <summary>When this API's shape last changed (the discovery document's changeset).</summary>
    public static readonly DateTimeOffset Changeset = new(2026, 11, 30, 0, 0, 0, ChinaTime.Offset);

    public const string Specification = "http://wiki.open311.org/GeoReport_v2";

    /// <summary>The default and the longest span of a request search, and the most requests one search answers.</summary>
    public static readonly TimeSpan SearchWindow = TimeSpan.FromDays(90);
    public const int MaxResults = 1000;

    public static IEndpointRouteBuilder MapOpen311Api(this IEndpointRouteBuilder endpoints)
    {
        var open311 = endpoints.MapGroup(Open311ErrorWriter.PathPrefix).WithTags("Open311").AllowAnonymous();
        open311.MapGet("/discovery.{format}", Discovery).WithName("Open311Discovery").WithSummary("Open311 discovery: the endpoint, its formats and where to get a key");
        open311.MapGet("/services.{format}", ListServices).WithName("Open311Services").WithSummary("Open311 services: the case categories a request may name");
        open311.MapGet("/services/{serviceCode}.{format}", ServiceDefinitionAsync).WithName("Open311ServiceDefinition")
            .WithSummary("Open311 service definition (no extra attributes: every category has metadata false)");
        // One endpoint for both methods: routing does not tell a GET from a POST on the same pattern with a complex
        // segment (requests.{format}) and answers the GET 404.
        open311.MapMethods("/requests.{format}", [HttpMethods.Get, HttpMethods.Post], RequestsAsync).WithName("Open311Requests").DisableAntiforgery()
            .WithSummary("Open311 service requests. GET: by ids, or within at most 90 days (default the last 90), at most 1,000, newest first. "
                + "POST: report a case (form fields api_key, service_code, lat and long or address_id, description, …)");
        open311.MapGet("/requests/{serviceRequestId}.{format}", GetRequestAsync).WithName("Open311Request").WithSummary("Open311: one service request by its number");
        open311.MapGet("/tokens/{token}.{format}", GetTokenAsync).WithName("Open311Token").WithSummary("Open311: the service request a token follows");
        return endpoints;
    }

    public static IResult Discovery(string format, HttpContext http, Open311Options options)
    {
        var output = FormatOrThrow(format);
        return Open311Output.Document(output, "discovery", new JsonObject
        {
            ["changeset"] = Open311Output.W3C(Changeset),
            ["contact"] = options.Contact,
            ["key_service"] = options.KeyService,
            ["endpoints"] = new JsonArray(new JsonObject
            {
                ["specification"] = Specification,
                ["url"] = options.PublicUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : PublicUrlOf(http.Request),
                ["changeset"] = Open311Output.W3C(Changeset),
                ["type"] = "production",
                ["formats"] = new JsonArray("text/xml", "application/json"),
            }),
        });
    }

    public static async Task<IResult> ListServices(string format, GridDbContext db, CancellationToken cancellationToken)
    {
        var output = FormatOrThrow(format);
        var categories = await db.CaseCategories.AsNoTracking().Where(c => c.Active).OrderBy(c => c.Code).ToListAsync(cancellationToken);
        return Open311Output.List(output, "services", "service", categories.Select(ToService));
    }

    public static async Task<IResult> ServiceDefinitionAsync(string serviceCode, string format, GridDbContext db, CancellationToken cancellationToken)
    {
        var output = FormatOrThrow(format);
        var category = await db.CaseCategories.AsNoTracking().SingleOrDefaultAsync(c => c.Code == serviceCode && c.Active, cancellationToken)
            ?? throw new NotFoundException($"No service {serviceCode}.");
        return Open311Output.Document(output, "service_definition", new JsonObject
        {
            ["service_code"] = category.Code,
            ["attributes"] = new JsonArray(),
        });
    }

    public static Task<IResult> RequestsAsync(
        string format,
        [FromQuery(Name = "service_request_id")] string? serviceRequestIds,
        [FromQuery(Name = "service_code")] string? serviceCodes,
        [FromQuery(Name = "start_date")] string? startDate,
        [FromQuery(Name = "end_date")] string? endDate,
        [FromQuery] string? status,
        HttpContext http,
        [AsParameters] Open311Services services,
        CaseIntake intake,
        CancellationToken cancellationToken) =>
        HttpMethods.IsPost(http.Request.Method)
            ? PostRequestAsync(format, http, services, intake, cancellationToken)
            : ListRequestsAsync(format, serviceRequestIds, serviceCodes, startDate, endDate, status, services, cancellationToken);

    public static async Task<IResult> PostRequestAsync(string format, HttpContext http, Open311Services services, CaseIntake intake,
        CancellationToken cancellationToken)
    {
        var output = FormatOrThrow(format);
        if (!http.Request.HasFormContentType)
        {
            throw new DomainValidationException("body", "Send the request's fields as application/x-www-form-urlencoded.");
        }
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException unreadable)
        {
            // A NUL in a field, too many fields, a field too long: the form reader refuses it before any handler could.
            throw new DomainValidationException("body", $"The form cannot be read: {unreadable.Message}");
        }
        foreach (var (name, values) in form)
        {
            if (!StorableText.IsStorable(name) || values.Any(v => !StorableText.IsStorable(v)))
            {
                throw new DomainValidationException(StorableText.IsStorable(name) ? name : "body", StorableText.Problem);
            }
        }
        var key = await ApiKeyAsync(services.Db, Field(form, "api_key"), cancellationToken);
        var input = ReadRequest(form);
        var reporter = new CaseReporter(CaseSource.Partner, Subject: null, key.Name, PracticeMeshRoles.Partner, key.ClientId);
        CaseReport report;
        try
        {
            report = await intake.ReportAsync(input, reporter, key.Division.Value, cancellationToken);
        }
        catch (DomainValidationException invalid)
        {
            // The intake names its own fields; a partner knows the spec's.
            throw new DomainValidationException(invalid.Errors.ToDictionary(e => SpecName(e.Key), e => e.Value));
        }
        var reported = report.Case;
        var agency = (await AgenciesAsync(services.Db, [reported], cancellationToken))[reported.Id];
        var notice = $"Reported to {agency}; to be accepted by {Open311Output.W3C(reported.DueAt)}."
            + (report.PossibleDuplicates.Count > 0
                ? $" Possibly the same problem as {string.Join(", ", report.PossibleDuplicates.Select(d => d.Number))}."
                : "");
        return Open311Output.List(output, "service_requests", "request", [new JsonObject
        {
            ["service_request_id"] = reported.Number,
            ["service_notice"] = notice,
            ["account_id"] = Field(form, "account_id"),
            ["token"] = reported.FollowToken.ToString(),
        }]);
    }

    public static async Task<IResult> ListRequestsAsync(string format, string? serviceRequestIds, string? serviceCodes, string? startDate, string? endDate,
        string? status, Open311Services services, CancellationToken cancellationToken)
    {
        var output = FormatOrThrow(format);
        var cases = services.Db.Cases.AsNoTracking();
        var ids = Split(serviceRequestIds);
        if (ids.Count > 0)
        {
            // The spec: given ids, the other filters are ignored.
            if (ids.Count > MaxResults)
            {
                throw new DomainValidationException("service_request_id", $"At most {MaxResults} ids.");
            }
            cases = cases.Where(c => ids.Contains(c.Number));
        }
        else
        {
            var (from, to) = Window(startDate, endDate, services);
            cases = cases.Where(c => c.ReportedAt >= from && c.ReportedAt <= to);
            var codes = Split(serviceCodes);
            if (codes.Count > 0)
            {
                cases = cases.Where(c => codes.Contains(c.CategoryCode));
            }
            var statuses = Split(status);
            if (statuses.FirstOrDefault(s => s is not ("open" or "closed")) is { } unknown)
            {
                throw new DomainValidationException("status", $"Status is open or closed, not '{unknown}'.");
            }
            if (statuses.Contains("open") && !statuses.Contains("closed"))
            {
                cases = cases.Open();
            }
            else if (statuses.Contains("closed") && !statuses.Contains("open"))
            {
                cases = cases.Where(c => c.Status == CaseStatus.Closed || c.Status == CaseStatus.Rejected || c.Status == CaseStatus.Merged);
            }
        }
        var found = await cases.OrderByDescending(c => c.ReportedAt).ThenByDescending(c => c.Id).Take(MaxResults).ToListAsync(cancellationToken);
        return Open311Output.List(output, "service_requests", "request", await ToRequestsAsync(services.Db, found, cancellationToken));
    }

    public static async Task<IResult> GetRequestAsync(string serviceRequestId, string format, GridDbContext db, CancellationToken cancellationToken)
    {
        var output = FormatOrThrow(format);
        var found = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Number == serviceRequestId, cancellationToken)
            ?? throw new NotFoundException($"No service request {serviceRequestId}.");
        return Open311Output.List(output, "service_requests", "request", await ToRequestsAsync(db, [found], cancellationToken));
    }

    public static async Task<IResult> GetTokenAsync(string token, string format, GridDbContext db, CancellationToken cancellationToken)
    {
        var output = FormatOrThrow(format);
        var number = Guid.TryParse(token, out var followToken)
            ? await db.Cases.AsNoTracking().Where(c => c.FollowToken == followToken).Select(c => c.Number).SingleOrDefaultAsync(cancellationToken)
            : null;
        if (number is null)
        {
            throw new NotFoundException($"No service request for token {token}.");
        }
        return Open311Output.List(output, "service_requests", "request", [new JsonObject
        {
            ["service_request_id"] = number,
            ["token"] = followToken.ToString(),
        }]);
    }

    /// <summary>Open means anything not yet closed, rejected or merged into another case.</summary>
    public static bool IsOpen(CaseStatus status) => status is not (CaseStatus.Closed or CaseStatus.Rejected or CaseStatus.Merged);

    private static JsonObject ToService(CaseCategory category) => new()
    {
        ["service_code"] = category.Code,
        ["service_name"] = category.Name,
        ["description"] = category.Description ?? category.Name,
        ["metadata"] = false,
        ["type"] = "realtime",
        ["keywords"] = $"{category.Name}, {category.Code}",
        // How the county handles it: a minor matter stays in its grid; any other goes up a tier when overdue.
        ["group"] = category.StaysInGrid ? "网格内处置" : "逾期逐级上报",
    };

    /// <summary>
    /// The spec's fields of each case. Nothing about the reporter (no person id, partner or contact) and nothing about
    /// the handler: the list is public.
    /// </summary>
    private static async Task<List<JsonObject>> ToRequestsAsync(GridDbContext db, IReadOnlyList<GridCase> cases, CancellationToken cancellationToken)
    {
        if (cases.Count == 0)
        {
            return [];
        }
        var names = await db.CaseCategories.AsNoTracking().ToDictionaryAsync(c => c.Code, c => c.Name, cancellationToken);
        var agencies = await AgenciesAsync(db, cases, cancellationToken);
        var notes = await StatusNotesAsync(db, cases, cancellationToken);
        return [.. cases.Select(c => new JsonObject
        {
            ["service_request_id"] = c.Number,
            ["status"] = IsOpen(c.Status) ? "open" : "closed",
            ["status_notes"] = notes.GetValueOrDefault(c.Id),
            ["service_name"] = names.GetValueOrDefault(c.CategoryCode, c.CategoryCode),
            ["service_code"] = c.CategoryCode,
            ["description"] = c.Description,
            ["agency_responsible"] = agencies[c.Id],
            ["service_notice"] = null,
            ["requested_datetime"] = Open311Output.W3C(c.ReportedAt),
            ["updated_datetime"] = Open311Output.W3C(c.UpdatedAt),
            ["expected_datetime"] = IsOpen(c.Status) ? Open311Output.W3C(c.DueAt) : null,
            ["address"] = c.Address,
            ["address_id"] = c.DivisionCode.Value,
            ["zipcode"] = null,
            ["lat"] = c.Latitude,
            ["long"] = c.Longitude,
            ["media_url"] = c.Media.FirstOrDefault(),
        })];
    }

    /// <summary>
    /// Who has the case: the tier it was escalated to, else its village; by name where the stations registry gave
    /// one ("王集村新时代文明实践站 (321324104202)"), by code otherwise.
    /// </summary>
    private static async Task<Dictionary<Guid, string>> AgenciesAsync(GridDbContext db, IReadOnlyList<GridCase> cases, CancellationToken cancellationToken)
    {
        var codes = cases.Select(c => c.EscalatedTo ?? c.DivisionCode).Distinct().ToList();
        var villages = codes.Where(c => c.Tier == DivisionTier.Village).ToList();
        var known = villages.Count == 0
            ? []
            : await db.Villages.AsNoTracking().Where(v => villages.Contains(v.Code)).ToDictionaryAsync(v => v.Code, v => v.Name, cancellationToken);
        return cases.ToDictionary(c => c.Id, c =>
        {
            var code = c.EscalatedTo ?? c.DivisionCode;
            return known.TryGetValue(code, out var name) ? $"{name} ({code})" : code.Value;
        });
    }

    /// <summary>The resolution once handled; the reason of a rejection; the surviving case of a merged duplicate.</summary>
    private static async Task<Dictionary<Guid, string?>> StatusNotesAsync(GridDbContext db, IReadOnlyList<GridCase> cases, CancellationToken cancellationToken)
    {
        var notes = cases.ToDictionary(c => c.Id, c => c.Resolution);
        var rejected = cases.Where(c => c.Status == CaseStatus.Rejected && c.Resolution is null).Select(c => c.Id).ToList();
        if (rejected.Count > 0)
        {
            var reasons = await db.CaseSteps.AsNoTracking().Where(s => rejected.Contains(s.CaseId) && s.Action == CaseAction.Rejected)
                .Select(s => new { s.CaseId, s.Sequence, s.Remark }).ToListAsync(cancellationToken);
            foreach (var reason in reasons.GroupBy(r => r.CaseId))
            {
                notes[reason.Key] = reason.MaxBy(r => r.Sequence)!.Remark;
            }
        }
        var merged = cases.Where(c => c.Status == CaseStatus.Merged && c.MergedInto is not null).ToList();
        if (merged.Count > 0)
        {
            var survivorIds = merged.Select(c => c.MergedInto!.Value).Distinct().ToList();
            var survivors = await db.Cases.AsNoTracking().Where(c => survivorIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Number, cancellationToken);
            foreach (var duplicate in merged)
            {
                notes[duplicate.Id] = survivors.TryGetValue(duplicate.MergedInto!.Value, out var number)
                    ? $"The same problem as {number}, followed there." : notes[duplicate.Id];
            }
        }
        return notes;
    }

    /// <summary>
    /// The partner's key, or 403 as the spec answers a bad key: missing, not one of ours, not matching, or revoked.
    /// The id part only finds the row (it is no secret); the whole key's hash is compared in constant time.
    /// </summary>
    private static async Task<Open311ApiKey> ApiKeyAsync(GridDbContext db, string? presented, CancellationToken cancellationToken)
    {
        const string Refused = "Invalid api_key received -- can't proceed with create_request.";
        if (string.IsNullOrEmpty(presented) || !Open311ApiKey.TryReadId(presented, out var id))
        {
            throw new ForbiddenException(Refused);
        }
        var key = await db.Set<Open311ApiKey>().AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null || !key.Matches(presented) || !key.Active)
        {
            throw new ForbiddenException(key is { Active: false } ? "The api_key was revoked -- can't proceed with create_request." : Refused);
        }
        return key;
    }

    /// <summary>
    /// The request's fields as a case. This county places a case by lat and long, or by address_id, a 12-digit village
    /// code; an address_string alone is not enough. Contact fields (email, names, phone, device and account ids) are
    /// not kept: the partner answers its reporter, who follows the case by its token.
    /// </summary>
    private static NewCase ReadRequest(IFormCollection form)
    {
        var errors = new Dictionary<string, string[]>();
        var serviceCode = Field(form, "service_code");
        if (serviceCode is null)
        {
            errors["service_code"] = ["A service_code is required (see services)."];
        }
        var latitude = Number(form, "lat", errors);
        var longitude = Number(form, "long", errors);
        var addressId = Field(form, "address_id");
        if (errors.ContainsKey("lat") || errors.ContainsKey("long"))
        {
            // Already named: a number that is none.
        }
        else if (latitude is null != longitude is null)
        {
            errors[latitude is null ? "lat" : "long"] = ["A location needs both lat and long."];
        }
        else if (latitude is null && addressId is null)
        {
            errors["location"] = ["A location is required: lat and long (WGS 84), or address_id (a 12-digit village code)."];
        }
        if (addressId is not null && (!DivisionCode.TryParse(addressId, out var village) || village.Tier != DivisionTier.Village))
        {
            errors["address_id"] = ["An address_id is a 12-digit village or community code."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        var media = Field(form, "media_url");
        return new NewCase(serviceCode, Field(form, "description"), Field(form, "address_string"), latitude, longitude,
            GridCode: null, VillageCode: addressId, media is null ? null : [media]);
    }

    private static string? Field(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values.ToString().Trim() is { Length: > 0 } value ? value : null;

    private static double? Number(IFormCollection form, string name, Dictionary<string, string[]> errors)
    {
        if (Field(form, name) is not { } text)
        {
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }
        errors[name] = [$"{name} is a decimal number of degrees (WGS 84)."];
        return null;
    }

    /// <summary>The intake's field names as the spec calls them.</summary>
    private static string SpecName(string field) => field switch
    {
        "category" => "service_code",
        "latitude" => "lat",
        "longitude" => "long",
        "address" => "address_string",
        "villageCode" => "address_id",
        "media" => "media_url",
        _ => field,
    };

    /// <summary>The span searched: the given dates, else the last 90 days; at most 90 days long.</summary>
    private static (DateTimeOffset From, DateTimeOffset To) Window(string? startDate, string? endDate, Open311Services services)
    {
        var start = W3CDate("start_date", startDate, services.Dates);
        var end = W3CDate("end_date", endDate, services.Dates);
        var to = end ?? (start is { } s && s + SearchWindow < services.Time.GetUtcNow() ? s + SearchWindow : services.Time.GetUtcNow());
        var from = start ?? to - SearchWindow;
        if (from > to)
        {
            throw new DomainValidationException("start_date", "start_date is after end_date.");
        }
        if (to - from > SearchWindow)
        {
            throw new DomainValidationException("end_date", $"start_date and end_date span at most {SearchWindow.TotalDays:0} days.");
        }
        // In UTC: SQLite keeps instants as ticks of their own offset, so a +08:00 bound would compare eight hours late.
        return (from.ToUniversalTime(), to.ToUniversalTime());
    }

    /// <summary>A W3C date and time (2026-03-04T09:00:00+08:00, …Z); a date alone is that day's start in China time.</summary>
    private static DateTimeOffset? W3CDate(string field, string? text, AcceptedDates dates)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        text = text.Trim();
        if (text.Length > 19 && text[^6] == ' ')
        {
            // "+08:00" sent unencoded in a query string arrives as " 08:00".
            text = string.Concat(text.AsSpan(0, text.Length - 6), "+", text.AsSpan(text.Length - 5));
        }
        if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            // Checked before it becomes an instant: China time at the calendar's ends would overflow.
            dates.Ensure(field, day);
            return ChinaTime.Day(day).Start;
        }
        // A W3C date and time always carries its offset (Z or ±hh:mm); one without is ambiguous.
        if (text.Length > 19 && (text.EndsWith('Z') || text[^6] is '+' or '-')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            dates.Ensure(field, at);
            return at;
        }
        throw new DomainValidationException(field, "A W3C date and time with its offset, e.g. 2026-03-04T09:00:00+08:00, or a date 2026-03-04.");
    }

    private static List<string> Split(string? list) =>
        list is null ? [] : [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    private static Open311Format FormatOrThrow(string format) =>
        Open311Output.TryParseFormat(format, out var output)
            ? output
            : throw new NotFoundException($"No format '{format}': ask for .json or .xml.");

    /// <summary>This endpoint's public address: the scheme and host the gateway forwarded, else the request's own.</summary>
    private static string PublicUrlOf(HttpRequest request)
    {
        var scheme = request.Headers["X-Forwarded-Proto"].ToString() is { Length: > 0 } proto && proto.Split(',')[0].Trim() is "http" or "https"
            ? proto.Split(',')[0].Trim() : request.Scheme;
        var host = request.Headers["X-Forwarded-Host"].ToString() is { Length: > 0 } forwarded && HostString.FromUriComponent(forwarded.Split(',')[0].Trim()) is { HasValue: true } h
            ? h : request.Host;
        return $"{scheme}://{host.ToUriComponent()}{request.PathBase}{Open311ErrorWriter.PathPrefix}";
    }
}
