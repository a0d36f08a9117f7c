using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using PracticeMesh.Gateway.Http;
using PracticeMesh.ServiceDefaults.Http;
using Yarp.ReverseProxy;

namespace PracticeMesh.Gateway.Cells;

/// <summary>
/// A read of one record by something that names no township (<see cref="CellsOptions.FoundInOneCell"/>: Open311's
/// follow token, a random Guid on purpose): every cell is asked at once and the one holding it answers. A cell that
/// cannot answer makes a miss 503 with <c>Retry-After</c>, since the record may be that cell's; a cell that has it
/// answers whatever the others do.
/// </summary>
public sealed class FindInCells(IOptions<GatewayOptions> options, IProxyStateLookup proxy, CountyReads cells, ILogger<FindInCells> logger)
{
    private readonly record struct CellAnswer(string Cell, HttpResponseMessage? Response);

    public bool Finds(HttpContext context, ServiceCells service) =>
        HttpMethods.IsGet(context.Request.Method) && service.Cells.Count > 1
        && options.Value.Cells.FoundInOneCell.TryGetValue(service.Service, out var paths)
        && paths.Any(p => context.Request.Path.Value?.StartsWith(p, StringComparison.OrdinalIgnoreCase) == true);

    public async Task AnswerAsync(HttpContext context, ServiceCells service)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(options.Value.Cells.CountyReadTimeout);
        var pathAndQuery = context.Request.Path.Value + context.Request.QueryString.Value;
        var answers = await Task.WhenAll(service.Cells.Select(async cell =>
        {
            if (!proxy.TryGetCluster(cell, out var cluster) || cluster.Model.HttpClient is not { } client)
            {
                return new CellAnswer(cell, null);
            }
            try
            {
                return new CellAnswer(cell, await cells.SendAsync(context, cluster, client, pathAndQuery, timeout.Token));
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                logger.LogWarning("{Path}: cell {Cell} could not be asked ({Reason}).", context.Request.Path, cell, ex.Message);
                return new CellAnswer(cell, null);
            }
        }));
        try
        {
            var found = answers.FirstOrDefault(a => a.Response?.StatusCode == HttpStatusCode.OK);
            var down = answers.Where(a => a.Response is null || (int)a.Response.StatusCode >= 500).Select(a => a.Cell).ToList();
            if (found.Response is null && down.Count > 0)
            {
                context.Response.Headers.RetryAfter = ForwarderErrorMiddleware.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "A township cell is unavailable right now.",
                    $"Cells {string.Join(", ", down)} of the {service.Service} service could not be asked, and the record may be theirs.");
                return;
            }
            // The cell that has it; else every cell's answer is a miss, and the primary's stands for all.
            var answer = found.Response ?? answers.First(a => a.Cell == service.Primary).Response!;
            context.Response.StatusCode = (int)answer.StatusCode;
            context.Response.ContentType = answer.Content.Headers.ContentType?.ToString();
            await answer.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
        finally
        {
            foreach (var answer in answers)
            {
                answer.Response?.Dispose();
            }
        }
    }
}
