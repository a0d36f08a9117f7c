using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PracticeMesh.Contracts;
using Yarp.ReverseProxy;

namespace PracticeMesh.Gateway.Cells;

/// <summary>What the cells said of a post's point: the township whose grids hold it, or why none can be named.</summary>
public readonly record struct PointAnswer(DivisionCode? Township, string? Cell, IReadOnlyList<string> Down);

/// <summary>
/// Places a form post that names only a point (<see cref="CellsOptions.PointPosts"/>: an Open311 request with
/// <c>lat</c> and <c>long</c>): every cell of the service is asked at once which of its townships' grids hold the
/// point, and the first township named is the post's. Grids live in their township's cell, so only the cells together
/// can say; a lookup table of boundaries in the gateway would be a second copy of every grid to keep in step.
/// </summary>
public sealed class PointLocator(IOptions<GatewayOptions> options, IProxyStateLookup proxy, CountyReads cells, ILogger<PointLocator> logger)
{
    private PointPostSettings Settings => options.Value.Cells.PointPosts;

    /// <summary>True for a post this locator places, given the service it is for.</summary>
    public bool Places(HttpContext context, ServiceCells service) =>
        HttpMethods.IsPost(context.Request.Method) && service.Service == Settings.Service && service.Cells.Count > 1
        && Settings.Paths.Any(p => string.Equals(p, context.Request.Path.Value, StringComparison.OrdinalIgnoreCase));

    /// <summary>The township holding the post's point; none when it has no point, or no cell's grids hold it.</summary>
    public async Task<PointAnswer> LocateAsync(HttpContext context, ServiceCells service)
    {
        var form = await TownshipLocator.ReadFormAsync(context.Request, context.RequestAborted);
        if (!(form.TryGetValue(Settings.Latitude, out var latText) && double.TryParse(latText.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            && form.TryGetValue(Settings.Longitude, out var lonText) && double.TryParse(lonText.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
            && lat is >= -90 and <= 90 && lon is >= -180 and <= 180))
        {
            // The service says what is wrong with the point, or places the post by its other fields.
            return new(null, null, []);
        }
        var query = $"{Settings.LocatePath}?lat={lat.ToString("R", CultureInfo.InvariantCulture)}&lon={lon.ToString("R", CultureInfo.InvariantCulture)}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(options.Value.Cells.CountyReadTimeout);
        var answers = await Task.WhenAll(service.Cells.Select(cell => AskAsync(context, cell, query, timeout.Token)));
        if (answers.FirstOrDefault(a => a.Township is not null) is { Township: not null } found)
        {
            return new(found.Township, found.Cell, []);
        }
        return new(null, null, [.. answers.Where(a => a.Down).Select(a => a.Cell)]);
    }

    private readonly record struct CellSays(string Cell, DivisionCode? Township, bool Down);

    private async Task<CellSays> AskAsync(HttpContext context, string cell, string query, CancellationToken cancellationToken)
    {
        if (!proxy.TryGetCluster(cell, out var cluster) || cluster.Model.HttpClient is not { } client)
        {
            return new(cell, null, Down: true);
        }
        try
        {
            using var response = await cells.SendAsync(context, cluster, client, query, cancellationToken);
            if (response is null || (int)response.StatusCode >= 500)
            {
                return new(cell, null, Down: true);
            }
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new(cell, null, Down: false);
            }
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), default, cancellationToken);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("township", out var township)
                && DivisionCode.TryParse(township.GetString(), out var code) && code.Tier == DivisionTier.Township
                ? new(cell, code, Down: false)
                : new(cell, null, Down: true);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or OperationCanceledException)
        {
            logger.LogWarning("{Path}: cell {Cell} could not say where the point lies ({Reason}).", context.Request.Path, cell, ex.Message);
            return new(cell, null, Down: true);
        }
    }
}
