using System.Text.Json;
using Microsoft.Extensions.Options;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Gateway.Cells;

/// <summary>Where a request's division came from, and the division (a township, or a county code), or none.</summary>
public readonly record struct LocatedDivision(DivisionCode? Division, string Source)
{
    public static readonly LocatedDivision Nowhere = new(null, "nothing");

    /// <summary>The township the request belongs to; null for a county-level request or one that names no division.</summary>
    public DivisionCode? Township => Division is { Tier: not DivisionTier.County } code ? code.Township : null;
}

/// <summary>
/// Finds the division a request to a cell service is about, the first of: a division, station or grid code in the
/// path; one in a query parameter of <see cref="CellsOptions.CodeParameters"/>; one in a top-level property of a JSON
/// body or a field of a URL-encoded form of that name; an id in the path that names its township
/// (<see cref="TownshipGuid"/>); a case number in the path or in a query parameter of
/// <see cref="CellsOptions.NumberParameters"/> (<see cref="CaseNumber"/>); an id in a query parameter or body property
/// of <see cref="CellsOptions.IdParameters"/>; the caller's own division scope.
/// </summary>
public sealed class TownshipLocator(IOptions<GatewayOptions> options)
{
    private CellsOptions Settings => options.Value.Cells;

    public async ValueTask<LocatedDivision> LocateAsync(HttpContext context)
    {
        var request = context.Request;
        var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var segment in segments)
        {
            if (ParseCode(Uri.UnescapeDataString(segment)) is { } code)
            {
                return new(code, "path");
            }
        }
        foreach (var name in Settings.CodeParameters)
        {
            if (request.Query.TryGetValue(name, out var values) && ParseCode(values.ToString()) is { } code)
            {
                return new(code, $"query {name}");
            }
        }
        var body = await ReadBodyAsync(request, context.RequestAborted);
        if (body.Code is { } bodyCode)
        {
            return bodyCode;
        }
        foreach (var segment in segments)
        {
            if (Guid.TryParseExact(segment, "D", out var id) && TownshipGuid.TownshipOf(id) is { } township)
            {
                return new(township, "id in path");
            }
        }
        foreach (var segment in segments)
        {
            // A grid case number, Open311's service_request_id: requests/20261130-321324104-K7Q2M.json.
            var number = Uri.UnescapeDataString(segment);
            if (CaseNumber.TownshipOf(number.Split('.')[0]) is { } township)
            {
                return new(township, "case number in path");
            }
        }
        foreach (var name in Settings.NumberParameters)
        {
            if (request.Query.TryGetValue(name, out var values) && NumbersTownship(values.ToString()) is { } township)
            {
                return new(township, $"query {name}");
            }
        }
        foreach (var name in Settings.IdParameters)
        {
            if (request.Query.TryGetValue(name, out var values) && Guid.TryParse(values.ToString(), out var id)
                && TownshipGuid.TownshipOf(id) is { } township)
            {
                return new(township, $"query {name}");
            }
        }
        if (body.Id is { } bodyId)
        {
            return bodyId;
        }
        // A township or station admin, a volunteer or a resident who names no place means their own.
        return CallerDivision(context.User) is { } own ? new(own, "caller's division") : LocatedDivision.Nowhere;
    }

    /// <summary>The township every number of a comma list names; null when one names none or they name several (the primary answers).</summary>
    internal static DivisionCode? NumbersTownship(string list)
    {
        DivisionCode? found = null;
        foreach (var number in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (CaseNumber.TownshipOf(number) is not { } township || (found is { } other && other != township))
            {
                return null;
            }
            found = township;
        }
        return found;
    }

    /// <summary>The caller's division scope when it is a whole division code; null for none or a bare prefix (a city's "3213").</summary>
    public static DivisionCode? CallerDivision(System.Security.Claims.ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && DivisionCode.TryParse(user.FindFirst(PracticeMeshClaims.Division)?.Value, out var code) ? code : null;

    /// <summary>
    /// The division a code names: a division code (6, 9 or 12 digits), a station code (<c>321324104201-S01</c>) or a grid
    /// code (<c>321324104201-02-1</c>), the last two by the division code they start with; an extension
    /// (<c>321324104.ics</c>) is ignored. Null for anything else (a year, a month, a name, a bare prefix).
    /// </summary>
    public static DivisionCode? ParseCode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }
        var rest = text.AsSpan(digits);
        var ends = rest.IsEmpty || rest[0] == '.';
        var continues = !rest.IsEmpty && rest[0] == '-';
        var shaped = digits switch
        {
            6 => ends,
            9 or 12 => ends || continues,
            _ => false,
        };
        return shaped && DivisionCode.TryParse(text[..digits], out var code) ? code : null;
    }

    private readonly record struct BodyFields(LocatedDivision? Code, LocatedDivision? Id);

    /// <summary>
    /// The first code and the first id at the top level of a JSON body, read once from a buffer that is rewound for
    /// forwarding. The size limit ahead of this step has already refused a body over the gateway's limit.
    /// </summary>
    private async ValueTask<BodyFields> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!(HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method))
            || request.ContentLength == 0)
        {
            return default;
        }
        if (IsUrlEncodedForm(request.ContentType))
        {
            return new(await ReadFormCodeAsync(request, cancellationToken), null);
        }
        if (!IsJson(request.ContentType))
        {
            return default;
        }
        request.EnableBuffering();
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (JsonException)
        {
            // Not for the gateway to judge: the service answers 400 naming what is wrong.
            return default;
        }
        finally
        {
            request.Body.Position = 0;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return default;
            }
            LocatedDivision? code = null;
            foreach (var name in Settings.CodeParameters)
            {
                if (Property(document.RootElement, name) is { } value && ParseCode(value) is { } division)
                {
                    code = new(division, $"body {name}");
                    break;
                }
            }
            LocatedDivision? id = null;
            foreach (var name in Settings.IdParameters)
            {
                if (Property(document.RootElement, name) is { } value && Guid.TryParse(value, out var guid) && TownshipGuid.TownshipOf(guid) is { } township)
                {
                    id = new(township, $"body {name}");
                    break;
                }
            }
            return new(code, id);
        }
    }

    /// <summary>A property's string value (the first of a list of strings), matched as the services' JSON binding does, ignoring case.</summary>
    private static string? Property(JsonElement body, string name)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (!string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            return property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Array => property.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()).FirstOrDefault(),
                _ => null,
            };
        }
        return null;
    }

    /// <summary>
    /// The first code among the fields of a URL-encoded form (an Open311 request's <c>address_id</c>, <c>jurisdiction_id</c>),
    /// read from a buffer that is rewound for forwarding.
    /// </summary>
    private async ValueTask<LocatedDivision?> ReadFormCodeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var fields = await ReadFormAsync(request, cancellationToken);
        foreach (var name in Settings.CodeParameters)
        {
            if (fields.TryGetValue(name, out var values) && ParseCode(values.ToString()) is { } division)
            {
                return new(division, $"form {name}");
            }
        }
        return null;
    }

    /// <summary>The fields of a URL-encoded form body (empty for any other body), read from a buffer rewound for forwarding.</summary>
    internal static async ValueTask<Dictionary<string, Microsoft.Extensions.Primitives.StringValues>> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsUrlEncodedForm(request.ContentType) || request.ContentLength == 0)
        {
            return [];
        }
        request.EnableBuffering();
        string text;
        try
        {
            using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            text = await reader.ReadToEndAsync(cancellationToken);
        }
        finally
        {
            request.Body.Position = 0;
        }
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(text);
    }

    private static bool IsUrlEncodedForm(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    private static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.Split(';')[0].Trim().EndsWith("+json", StringComparison.OrdinalIgnoreCase));
}
