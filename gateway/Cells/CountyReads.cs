using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PracticeMesh.Contracts;
using PracticeMesh.Gateway.Http;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace PracticeMesh.Gateway.Cells;

/// <summary>How a configured list read is to be answered.</summary>
public abstract record CountyReadPlan
{
    /// <summary>Its scope is the county (or wider): every cell is asked and their answers merged.</summary>
    public sealed record AcrossCells(CountyReadSettings Read, int Page, int PageSize) : CountyReadPlan;

    /// <summary>Its scope lies in one township: that township's cell answers alone.</summary>
    public sealed record InTownship(DivisionCode Township) : CountyReadPlan;
}

/// <summary>
/// County-wide reads across cells (<see cref="CellsOptions.CountyReads"/>): a list whose scope is the whole county (a
/// 6-digit <c>under</c>, or none from a county admin or a partner) asks every cell of its service at once, with the
/// caller's own headers (token, correlation id, trace), and merges their answers in the service's own order and
/// paging. A county list missing a cell is never passed off as whole: a cell that is down makes the answer 503 with
/// <c>Retry-After</c>, naming the cell.
/// </summary>
public sealed class CountyReads(IOptions<GatewayOptions> options, IProxyStateLookup proxy, ILogger<CountyReads> logger)
{
    /// <summary>Headers not passed on to the cells: the connection's own, the body's, and the trace (the client sets its own).</summary>
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Authorization", "Proxy-Connection",
        "Content-Length", "Content-Type", "Expect", "Accept-Encoding", "traceparent", "tracestate", "Request-Id", "baggage",
    };

    private CellsOptions Settings => options.Value.Cells;

    /// <summary>How to answer <paramref name="context"/>, or null when it is no configured county read (or its paging is one the service refuses).</summary>
    public CountyReadPlan? Plan(HttpContext context, ServiceCells cells)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) || Settings.CountyReads.Count == 0)
        {
            return null;
        }
        var path = (request.Path.Value ?? "").TrimEnd('/');
        var read = Settings.CountyReads.Values.FirstOrDefault(r => r.Service == cells.Service
            && string.Equals(r.Path.TrimEnd('/'), path, StringComparison.OrdinalIgnoreCase));
        if (read is null)
        {
            return null;
        }
        // Numbers that all name one township (Open311's service_request_id) are that township's, as any read by number.
        foreach (var name in Settings.NumberParameters)
        {
            if (request.Query.TryGetValue(name, out var numbers) && TownshipLocator.NumbersTownship(numbers.ToString()) is { } numbered)
            {
                return new CountyReadPlan.InTownship(numbered);
            }
        }
        var requested = request.Query[read.ScopeParameter].ToString().Trim();
        var own = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirst(PracticeMeshClaims.Division)?.Value : null;
        if (read.Public && requested.Length == 0 && own is null)
        {
            // Anyone's read of the whole county.
            own = "";
        }
        if (requested.Length > 0 && !requested.All(char.IsAsciiDigit))
        {
            // The service says what is wrong with it.
            return null;
        }
        // As the services narrow a list (Caller.ListPrefix): the longer of the two when one lies within the other.
        var scope = (requested.Length == 0 ? null : requested, own) switch
        {
            (null, var mine) => mine,
            (var asked, null) => asked,
            (var asked, var mine) when mine.StartsWith(asked, StringComparison.Ordinal) => mine,
            (var asked, var mine) when asked.StartsWith(mine, StringComparison.Ordinal) => asked,
            // Nothing the caller may see: any cell answers the empty list.
            _ => null,
        };
        if (scope is null)
        {
            return null;
        }
        if (scope.Length >= 9)
        {
            return DivisionCode.TryParse(scope[..9], out var township) ? new CountyReadPlan.InTownship(township) : null;
        }
        if (cells.Cells.Count < 2)
        {
            return null;
        }
        if (!read.IsPaged)
        {
            return new CountyReadPlan.AcrossCells(read, 1, 0);
        }
        var page = Number(request.Query[read.PageParameter!].ToString(), 1);
        var size = Number(request.Query[read.PageSizeParameter!].ToString(), read.DefaultPageSize);
        // Paging the service refuses goes to one cell, whose 400 names the parameter.
        return page is >= 1 && size is >= 1 && size <= read.MaxPageSize ? new CountyReadPlan.AcrossCells(read, page.Value, size.Value) : null;
    }

    private static int? Number(string text, int fallback) =>
        text.Length == 0 ? fallback : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Asks every cell and answers with the merged list, or with why it cannot be whole.</summary>
    public async Task AnswerAsync(HttpContext context, ServiceCells cells, CountyReadPlan.AcrossCells plan)
    {
        var read = plan.Read;
        var depth = read.IsPaged ? (long)plan.Page * plan.PageSize : 0;
        if (depth > read.MaxDepth)
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "The page is too deep for a county-wide list.",
                $"A county-wide list gathers at most {read.MaxDepth} items from each township cell; page × pageSize is {depth}. " +
                $"Narrow it to a township ({read.ScopeParameter}=<9-digit code>) or filter it further.");
            return;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(Settings.CountyReadTimeout);
        var answers = await Task.WhenAll(cells.Cells.Select(cell => AskCellAsync(context, cell, plan, (int)depth, timeout.Token)));
        try
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }
            var down = answers.Where(a => a.Failure == CellFailure.Down).Select(a => a.Cell).ToList();
            if (down.Count > 0)
            {
                logger.LogWarning("County-wide {Path}: cells {Cells} unavailable; answered 503.", context.Request.Path, string.Join(", ", down));
                context.Response.Headers.RetryAfter = ForwarderErrorMiddleware.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "A township cell is unavailable right now.",
                    $"The county-wide list needs every cell of the {cells.Service} service; {string.Join(", ", down)} could not be reached " +
                    $"and a list without it would be incomplete. Retry after {ForwarderErrorMiddleware.RetryAfterSeconds} s, or ask for one township.");
                return;
            }
            if (answers.FirstOrDefault(a => a.Failure == CellFailure.Slow) is { } slow)
            {
                await Problems.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "A township cell did not answer in time.",
                    $"Cell {slow.Cell} of the {cells.Service} service did not answer the county-wide list within {Settings.CountyReadTimeout.TotalSeconds:0} s.");
                return;
            }
            if (answers.FirstOrDefault(a => a.Refusal is not null) is { Refusal: { } refusal })
            {
                // What one cell refuses (a bad parameter, a missing scope) every cell refuses: its answer stands for all.
                context.Response.StatusCode = (int)refusal.Status;
                context.Response.ContentType = refusal.ContentType;
                await context.Response.Body.WriteAsync(refusal.Body, context.RequestAborted);
                return;
            }
            await WriteMergedAsync(context, read, plan, answers);
        }
        finally
        {
            foreach (var answer in answers)
            {
                answer.Dispose();
            }
        }
    }

    private enum CellFailure
    {
        None,
        Down,
        Slow,
    }

    private sealed record Refused(HttpStatusCode Status, string? ContentType, byte[] Body);

    /// <summary>One cell's part: its items in its order, its first page (the answer's other properties) and its total.</summary>
    private sealed class CellAnswer(string cell) : IDisposable
    {
        public string Cell { get; } = cell;
        public CellFailure Failure { get; set; }
        public Refused? Refusal { get; set; }
        public List<JsonDocument> Documents { get; } = [];
        public List<JsonElement> Items { get; } = [];
        public long Total { get; set; }

        public JsonElement? First => Documents.Count > 0 ? Documents[0].RootElement : null;

        public void Dispose()
        {
            foreach (var document in Documents)
            {
                document.Dispose();
            }
        }
    }

    private async Task<CellAnswer> AskCellAsync(HttpContext context, string cell, CountyReadPlan.AcrossCells plan, int depth, CancellationToken cancellationToken)
    {
        var answer = new CellAnswer(cell);
        if (!proxy.TryGetCluster(cell, out var cluster) || cluster.Model.HttpClient is not { } client)
        {
            answer.Failure = CellFailure.Down;
            return answer;
        }
        try
        {
            await GatherAsync(context, answer, cluster, client, plan.Read, depth, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            answer.Failure = context.RequestAborted.IsCancellationRequested ? CellFailure.Down : CellFailure.Slow;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The cell went away in the middle of its answer.
            logger.LogWarning("County-wide {Path}: cell {Cell} stopped while answering ({Reason}).", context.Request.Path, cell, ex.Message);
            answer.Failure = CellFailure.Down;
        }
        return answer;
    }

    private async Task GatherAsync(HttpContext context, CellAnswer answer, ClusterState cluster, HttpMessageInvoker client, CountyReadSettings read,
        int depth, CancellationToken cancellationToken)
    {
        var cell = answer.Cell;
        // The first page(s) of each cell down to the depth asked: the merged page lies within them.
        var pageSize = read.IsPaged ? Math.Min(depth, read.MaxPageSize) : 0;
        var pages = read.IsPaged ? (depth + pageSize - 1) / pageSize : 1;
        for (var page = 1; page <= pages; page++)
        {
            // The caller's query as it came; a paged read with this cell's page in it.
            var query = context.Request.QueryString;
            if (read.IsPaged)
            {
                var paged = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>(context.Request.Query, StringComparer.OrdinalIgnoreCase)
                {
                    [read.PageParameter!] = page.ToString(CultureInfo.InvariantCulture),
                    [read.PageSizeParameter!] = pageSize.ToString(CultureInfo.InvariantCulture),
                };
                query = QueryString.Create(paged);
            }
            var pathAndQuery = context.Request.Path.Value + query.Value;
            using var response = await SendAsync(context, cluster, client, pathAndQuery, cancellationToken);
            if (response is null)
            {
                answer.Failure = cancellationToken.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested ? CellFailure.Slow : CellFailure.Down;
                return;
            }
            if ((int)response.StatusCode >= 500)
            {
                logger.LogWarning("County-wide {Path}: cell {Cell} answered {Status}.", context.Request.Path, cell, (int)response.StatusCode);
                answer.Failure = CellFailure.Down;
                return;
            }
            if (response.StatusCode != HttpStatusCode.OK)
            {
                answer.Refusal = new Refused(response.StatusCode, response.Content.Headers.ContentType?.ToString(),
                    await response.Content.ReadAsByteArrayAsync(cancellationToken));
                return;
            }
            JsonDocument document;
            try
            {
                document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), default, cancellationToken);
            }
            catch (JsonException)
            {
                logger.LogWarning("County-wide {Path}: cell {Cell} answered something that is not JSON.", context.Request.Path, cell);
                answer.Failure = CellFailure.Down;
                return;
            }
            answer.Documents.Add(document);
            var root = document.RootElement;
            var items = string.IsNullOrEmpty(read.Items) ? root
                : root.ValueKind == JsonValueKind.Object && root.TryGetProperty(read.Items, out var found) ? found : default;
            if (items.ValueKind != JsonValueKind.Array)
            {
                logger.LogWarning("County-wide {Path}: cell {Cell} answered no list of items.", context.Request.Path, cell);
                answer.Failure = CellFailure.Down;
                return;
            }
            var count = 0;
            foreach (var item in items.EnumerateArray())
            {
                answer.Items.Add(item);
                count++;
            }
            if (page == 1 && read.Total is { } total && root.ValueKind == JsonValueKind.Object && root.TryGetProperty(total, out var t)
                && t.TryGetInt64(out var totalValue))
            {
                answer.Total = totalValue;
            }
            if (!read.IsPaged || count < pageSize || (read.Total is not null && answer.Items.Count >= answer.Total))
            {
                break;
            }
        }
    }

    /// <summary>The answer of one live destination of the cell (another is tried when one cannot be reached), or null.</summary>
    /// <summary>
    /// A GET of <paramref name="pathAndQuery"/> to one of the cell's destinations up, with the caller's headers; null
    /// when none answered (or time ran out).
    /// </summary>
    internal async Task<HttpResponseMessage?> SendAsync(HttpContext context, ClusterState cluster, HttpMessageInvoker client, string pathAndQuery,
        CancellationToken cancellationToken)
    {
        var destinations = cluster.DestinationsState.AvailableDestinations;
        var start = destinations.Count > 0 ? Random.Shared.Next(destinations.Count) : 0;
        for (var i = 0; i < Math.Min(destinations.Count, ForwarderErrorMiddleware.MaxRetries + 1); i++)
        {
            var destination = destinations[(start + i) % destinations.Count];
            using var message = new HttpRequestMessage(HttpMethod.Get, destination.Model.Config.Address.TrimEnd('/') + pathAndQuery)
            {
                Version = HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            };
            foreach (var (name, values) in context.Request.Headers)
            {
                if (!NotForwarded.Contains(name))
                {
                    message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
            }
            message.Headers.TryAddWithoutValidation("X-Forwarded-Host", context.Request.Host.Value);
            message.Headers.TryAddWithoutValidation("X-Forwarded-Proto", context.Request.Scheme);
            if (context.Connection.RemoteIpAddress is { } remote)
            {
                message.Headers.TryAddWithoutValidation("X-Forwarded-For", remote.ToString());
            }
            try
            {
                return await client.SendAsync(message, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                logger.LogWarning("County-wide {Path}: {Destination} of cell {Cell} failed ({Reason}).", context.Request.Path,
                    destination.DestinationId, cluster.ClusterId, ex.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
        return null;
    }

    private static async Task WriteMergedAsync(HttpContext context, CountyReadSettings read, CountyReadPlan.AcrossCells plan, CellAnswer[] answers)
    {
        var order = read.OrderBy.Select(SortKey.Parse).ToList();
        IEnumerable<JsonElement> merged = answers.SelectMany(a => a.Items).Order(Comparer<JsonElement>.Create((x, y) => SortKey.Compare(order, x, y)));
        merged = read.IsPaged
            ? merged.Skip((plan.Page - 1) * plan.PageSize).Take(plan.PageSize)
            : read.Limit is { } limit ? merged.Take(limit) : merged;

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        if (string.IsNullOrEmpty(read.Items))
        {
            WriteArray(writer, merged);
        }
        else
        {
            // The first cell's answer with the merged items, the summed total and the page asked for.
            writer.WriteStartObject();
            foreach (var property in answers[0].First!.Value.EnumerateObject())
            {
                if (property.NameEquals(read.Items))
                {
                    writer.WritePropertyName(property.Name);
                    WriteArray(writer, merged);
                }
                else if (read.Total is not null && property.NameEquals(read.Total))
                {
                    writer.WriteNumber(property.Name, answers.Sum(a => a.Total));
                }
                else if (read.IsPaged && string.Equals(property.Name, read.PageParameter, StringComparison.OrdinalIgnoreCase))
                {
                    writer.WriteNumber(property.Name, plan.Page);
                }
                else if (read.IsPaged && string.Equals(property.Name, read.PageSizeParameter, StringComparison.OrdinalIgnoreCase))
                {
                    writer.WriteNumber(property.Name, plan.PageSize);
                }
                else
                {
                    property.WriteTo(writer);
                }
            }
            writer.WriteEndObject();
        }
        await writer.FlushAsync(context.RequestAborted);
    }

    private static void WriteArray(Utf8JsonWriter writer, IEnumerable<JsonElement> items)
    {
        writer.WriteStartArray();
        foreach (var item in items)
        {
            item.WriteTo(writer);
        }
        writer.WriteEndArray();
    }

    /// <summary>One key of a service's order: a property of each item, ascending or descending.</summary>
    private sealed record SortKey(string Property, bool Descending)
    {
        public static SortKey Parse(string text)
        {
            var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return new SortKey(parts[0], parts.Length > 1 && parts[1].Equals("desc", StringComparison.OrdinalIgnoreCase));
        }

        public static int Compare(List<SortKey> keys, JsonElement x, JsonElement y)
        {
            foreach (var key in keys)
            {
                var compared = CompareValues(Value(x, key.Property), Value(y, key.Property));
                if (compared != 0)
                {
                    return key.Descending ? -compared : compared;
                }
            }
            return 0;
        }

        private static JsonElement? Value(JsonElement item, string property) =>
            item.ValueKind == JsonValueKind.Object && item.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        /// <summary>Missing and null first; timestamps as instants (cells may write other offsets); numbers as numbers; else ordinal.</summary>
        private static int CompareValues(JsonElement? x, JsonElement? y)
        {
            if (x is not { } a || y is not { } b)
            {
                return (x is null ? 0 : 1) - (y is null ? 0 : 1);
            }
            if (a.ValueKind == JsonValueKind.Number && b.ValueKind == JsonValueKind.Number)
            {
                return a.GetDecimal().CompareTo(b.GetDecimal());
            }
            if (a.ValueKind == JsonValueKind.String && b.ValueKind == JsonValueKind.String)
            {
                var (s, t) = (a.GetString()!, b.GetString()!);
                return Timestamp(s) is { } u && Timestamp(t) is { } v ? u.CompareTo(v) : string.CompareOrdinal(s, t);
            }
            return string.CompareOrdinal(a.GetRawText(), b.GetRawText());
        }

        private static DateTimeOffset? Timestamp(string text) =>
            text.Length >= 19 && text[4] == '-' && text[7] == '-' && text[10] == 'T'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : null;
    }
}
