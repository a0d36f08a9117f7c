using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Gateway.Cells;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Gateway.Tests;

/// <summary>
/// A ConfigMap-style mount for the routing table, as Kubernetes lays one out: <c>cells.json</c> is a symlink to
/// <c>..data/cells.json</c>, <c>..data</c> a symlink to a timestamped directory, and an update writes a new directory
/// and swaps <c>..data</c> in one rename.
/// </summary>
public sealed class CellTableMount : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("practicemesh-test-cells-").FullName;
    private int version;

    public CellTableMount(string json)
    {
        File.CreateSymbolicLink(FilePath, Path.Combine("..data", "cells.json"));
        Write(json);
    }

    public string FilePath => Path.Combine(root, "cells.json");

    /// <summary>Replaces the table as the kubelet does: a new directory, then an atomic swap of the <c>..data</c> link.</summary>
    public void Write(string json)
    {
        var directory = $"..{DateTime.UtcNow:yyyy_MM_dd_HH_mm_ss}.{++version}";
        Directory.CreateDirectory(Path.Combine(root, directory));
        File.WriteAllText(Path.Combine(root, directory, "cells.json"), json);
        var staged = Path.Combine(root, "..data_tmp");
        File.CreateSymbolicLink(staged, directory);
        if (rename(staged, Path.Combine(root, "..data")) != 0)
        {
            throw new IOException($"rename failed: {Marshal.GetLastPInvokeError()}");
        }
    }

    // rename(2) replaces the old link in one step, as the kubelet's swap does; File.Move would refuse a directory link.
    [DllImport("libc", SetLastError = true)]
    private static extern int rename(string oldPath, string newPath);

    public void Dispose() => Directory.Delete(root, recursive: true);
}

/// <summary>
/// The real gateway with two cells of activities and grid, each an echo backend that says which cell it is:
/// the primary cells (clusters <c>activities</c>, <c>grid</c>) serve townships 321324100 and 321324101, cells
/// <c>activities-b</c> and <c>grid-b</c> serve 321324104 and 321324105; 321324106 is in no cell.
/// </summary>
public sealed class CellsGateway : IAsyncDisposable
{
    public const string TwoCells = """
        {"services": {
          "activities": {"primary": "activities", "cells": {"activities": ["321324100", "321324101"], "activities-b": ["321324104", "321324105"]}},
          "grid": {"primary": "grid", "cells": {"grid": ["321324100", "321324101"], "grid-b": ["321324104", "321324105"]}}}}
        """;

    public static readonly string[] Cells = ["activities", "activities-b", "grid", "grid-b"];

    private CellsGateway(Dictionary<string, EchoBackend> backends, EchoBackend others, CellTableMount mount, WebApplicationFactory<GatewayMarker> factory)
    {
        Backends = backends;
        Others = others;
        Mount = mount;
        Factory = factory;
    }

    public IReadOnlyDictionary<string, EchoBackend> Backends { get; }

    /// <summary>Stations, volunteers, assessment and identity.</summary>
    public EchoBackend Others { get; }

    public CellTableMount Mount { get; }
    public WebApplicationFactory<GatewayMarker> Factory { get; }

    public CellTableSource Table => Factory.Services.GetRequiredService<CellTableSource>();

    /// <param name="table">The routing table at start.</param>
    /// <param name="answer">How a cell answers a request itself (a list), given its cell name; else it echoes.</param>
    /// <param name="cells">The cells that run (a cluster is configured for every one of <see cref="Cells"/>).</param>
    /// <param name="settingsToo">More gateway settings.</param>
    public static async Task<CellsGateway> StartAsync(string table = TwoCells,
        Func<string, HttpContext, EchoedRequest, Task<bool>>? answer = null, IEnumerable<string>? cells = null,
        IReadOnlyDictionary<string, string?>? settingsToo = null)
    {
        var backends = new Dictionary<string, EchoBackend>();
        foreach (var cell in cells ?? Cells)
        {
            backends[cell] = await EchoBackend.StartAsync(cell: cell,
                answer: answer is null ? null : (context, echoed) => answer(cell, context, echoed));
        }
        var others = await EchoBackend.StartAsync(cell: "others");
        var mount = new CellTableMount(table);
        var settings = GatewayHost.Settings(others.Address);
        foreach (var cell in Cells)
        {
            // A cell that does not run is a destination that refuses connections.
            settings[$"ReverseProxy:Clusters:{cell}:Destinations:primary:Address"] =
                backends.TryGetValue(cell, out var backend) ? backend.Address.ToString() : "http://127.0.0.1:1/";
        }
        settings["Gateway:Cells:File"] = mount.FilePath;
        settings["Gateway:Cells:PollInterval"] = "00:00:00.100";
        foreach (var (key, value) in settingsToo ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return new CellsGateway(backends, others, mount, GatewayHost.Create(settings));
    }

    public HttpClient Client(string? token = null) => Factory.CreateClient().WithToken(token ?? GatewayHost.PersonToken());

    /// <summary>Sends <paramref name="request"/> and says which cell answered (200 or 201 expected).</summary>
    public static async Task<EchoedRequest> EchoAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<EchoedRequest>(text, PracticeMesh.TestSupport.HttpAssertions.Json)!;
    }

    public static async Task<string?> CellOfAsync(HttpClient client, string path) =>
        (await EchoAsync(client, new HttpRequestMessage(HttpMethod.Get, path))).Cell;

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        foreach (var backend in Backends.Values)
        {
            await backend.DisposeAsync();
        }
        await Others.DisposeAsync();
        Mount.Dispose();
    }
}
