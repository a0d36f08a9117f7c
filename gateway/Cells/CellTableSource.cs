using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace PracticeMesh.Gateway.Cells;

/// <summary>What became of the last look at the routing table file.</summary>
public sealed record CellTableStatus(string? File, bool Loaded, IReadOnlyList<string> Problems);

/// <summary>
/// Holds the routing table in force and reloads it from <see cref="CellsOptions.File"/> without a restart: read at
/// start, then every <see cref="CellsOptions.PollInterval"/>; a changed file (or a changed set of clusters) is checked
/// whole and replaces the table only when it passes. A refused table is logged as an error naming every problem, and
/// the table before it (or none: one cluster per service, as without cells) keeps routing.
/// </summary>
/// <remarks>
/// Polling rather than a file watcher: Kubernetes updates a ConfigMap mount by pointing a <c>..data</c> symlink at a
/// new directory, which inotify on the file's path does not report; reading a few hundred bytes every few seconds is
/// cheaper than getting that wrong.
/// </remarks>
public sealed class CellTableSource(IOptions<GatewayOptions> options, IEnumerable<IProxyConfigProvider> proxyConfig, ILogger<CellTableSource> logger)
    : BackgroundService
{
    private volatile CellTable current = CellTable.Empty;
    private string? lastSeen;

    /// <summary>The table routing requests now (empty: every service to its one cluster).</summary>
    public CellTable Current => current;

    public CellTableStatus Status { get; private set; } = new(null, false, []);

    private CellsOptions Settings => options.Value.Cells;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the first request: a gateway that starts with cells routes its first request by them.
        Refresh();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(Settings.File))
        {
            return;
        }
        using var timer = new PeriodicTimer(Settings.PollInterval > TimeSpan.Zero ? Settings.PollInterval : TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    Refresh();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The timer must outlive one bad read.
                    logger.LogError(ex, "Reading the township cell table {File} failed; the table in force stays.", Settings.File);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads the file and loads it when it changed and passes the checks.</summary>
    public void Refresh()
    {
        var file = Settings.File;
        if (string.IsNullOrWhiteSpace(file))
        {
            return;
        }
        var clusters = proxyConfig.SelectMany(provider => provider.GetConfig().Clusters).Select(cluster => cluster.ClusterId)
            .ToHashSet(StringComparer.Ordinal);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Refuse(file, $"missing:{ex.GetType().Name}", [$"the file cannot be read ({ex.Message})"]);
            return;
        }
        // Looked at again only when the file or the clusters it is checked against changed.
        var seen = Convert.ToHexString(SHA256.HashData(bytes)) + "|" + string.Join(",", clusters.Order(StringComparer.Ordinal));
        if (seen == lastSeen)
        {
            return;
        }
        var table = CellTable.Parse(System.Text.Encoding.UTF8.GetString(bytes), clusters, out var problems);
        if (table is null)
        {
            Refuse(file, seen, problems);
            return;
        }
        lastSeen = seen;
        current = table;
        Status = new CellTableStatus(file, true, []);
        logger.LogInformation("Township cell table {File} loaded: {Cells}", file,
            string.Join("; ", table.Services.Values.Select(s =>
                $"{s.Service}: primary {s.Primary}, {string.Join(", ", s.Cells.Select(c => $"{c} ({s.Townships.Count(t => t.Value == c)} townships)"))}")));
    }

    private void Refuse(string file, string seen, IReadOnlyList<string> problems)
    {
        if (seen == lastSeen)
        {
            return;
        }
        // Logged once per version of the file, not at every poll.
        lastSeen = seen;
        Status = new CellTableStatus(file, false, problems);
        logger.LogError("Township cell table {File} refused, the table in force stays ({Kept}): {Problems}", file,
            current.Services.Count == 0 ? "none: every service to its one cluster" : "the last one loaded", string.Join(" ", problems));
    }
}
