using PracticeMesh.ServiceDefaults.Http;
using Yarp.ReverseProxy;

namespace PracticeMesh.Gateway.Cells;

/// <summary>The cell a request was sent to, and why (for the answer when that cell is down, and for logs).</summary>
public sealed record CellRoute(string Service, string Cell, string? Township, string Source);

/// <summary>
/// Sends a request for a cell service (a route whose cluster the table lists: activities, grid) to the cell serving its
/// township (<see cref="TownshipLocator"/>): a township the table gives to no cell is 404, a request that names no
/// township (a county code, an id made before cells) goes to the service's primary cell. A configured county-wide read
/// is answered here across every cell (<see cref="CountyReads"/>). Runs in YARP's proxy pipeline ahead of the
/// retries and the 503 of <see cref="Http.ForwarderErrorMiddleware"/>, which then work on the chosen cell's replicas.
/// </summary>
public sealed class CellRoutingMiddleware(RequestDelegate next, CellTableSource tables, TownshipLocator locator, CountyReads countyReads,
    PointLocator points, FindInCells finder, IProxyStateLookup proxy, ILogger<CellRoutingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var feature = context.GetReverseProxyFeature();
        // The route names its service's own cluster; the table says which of the service's cells gets this request.
        var service = feature.Route.Config.ClusterId;
        if (service is null || tables.Current.For(service) is not { } cells)
        {
            await next(context);
            return;
        }

        LocatedDivision located;
        switch (countyReads.Plan(context, cells))
        {
            case CountyReadPlan.AcrossCells across:
                await countyReads.AnswerAsync(context, cells, across);
                return;
            case CountyReadPlan.InTownship(var township):
                located = new(township, "list scope");
                break;
            default:
                located = await locator.LocateAsync(context);
                break;
        }
        if (located.Division is null && finder.Finds(context, cells))
        {
            await finder.AnswerAsync(context, cells);
            return;
        }
        if (located.Division is null && points.Places(context, cells))
        {
            var point = await points.LocateAsync(context, cells);
            if (point.Township is { } township)
            {
                located = new(township, $"point, by cell {point.Cell}");
            }
            else if (point.Down.Count > 0)
            {
                // The point may lie in a cell that cannot say: the primary would refuse it as inside no grid.
                logger.LogWarning("{Method} {Path}: cells {Cells} could not place the point; answered 503.", context.Request.Method, context.Request.Path,
                    string.Join(", ", point.Down));
                context.Response.Headers.RetryAfter = Http.ForwarderErrorMiddleware.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "A township cell is unavailable right now.",
                    $"Cells {string.Join(", ", point.Down)} of the {service} service could not say whether their grids hold the point. "
                    + "Retry later, or name the village (address_id).");
                return;
            }
        }

        string cell;
        if (located.Township is { } code)
        {
            if (cells.CellOf(code) is not { } serving)
            {
                logger.LogWarning("{Method} {Path}: no {Service} cell serves township {Township} (from {Source}).",
                    context.Request.Method, context.Request.Path, service, code.Value, located.Source);
                await Problems.WriteAsync(context, StatusCodes.Status404NotFound, "No cell serves this township.",
                    $"No cell serves township {code.Value}: the {service} service's routing table gives it to none.");
                return;
            }
            cell = serving;
        }
        else
        {
            cell = cells.Primary;
        }
        context.Features.Set(new CellRoute(service, cell, located.Township?.Value, located.Source));

        if (cell != feature.Cluster?.Config.ClusterId)
        {
            if (!proxy.TryGetCluster(cell, out var cluster))
            {
                // The table was checked against the clusters when loaded; the proxy's configuration changed since.
                logger.LogError("Cell {Cell} of {Service} is no configured cluster any more; answered 503.", cell, service);
                context.Response.Headers.RetryAfter = Http.ForwarderErrorMiddleware.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "The service is unavailable right now.",
                    $"Cell {cell} of the {service} service is not configured.");
                return;
            }
            context.ReassignProxyRequest(cluster);
        }
        await next(context);
    }
}
