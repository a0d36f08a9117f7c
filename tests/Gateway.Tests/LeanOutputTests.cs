using System.Text.Json;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Gateway.Tests;

/// <summary>
/// The gateway owns no database, no bus and no files: its build output carries only the web basics of ServiceDefaults,
/// none of what the services' databases, outbox and bus, or their CSV and XLSX files need.
/// </summary>
public class LeanOutputTests
{
    private static readonly string[] DataAndBus = ["Microsoft.EntityFrameworkCore", "Microsoft.Data.Sqlite", "SQLitePCLRaw", "Npgsql", "MassTransit"];
    private static readonly string[] Spreadsheets = ["CsvHelper", "MiniExcel"];

    [Fact]
    public void The_gateways_build_output_depends_on_no_database_bus_or_spreadsheet_library()
    {
        var gateway = Dependencies(Path.Combine(ServiceProcess.RepositoryRoot, "gateway", "bin", ServiceProcess.BuildConfiguration, "net10.0", "PracticeMesh.Gateway.deps.json"));
        // These tests' own output does carry them (TestSupport hosts modules): the same reading finds them where they are.
        var tests = Dependencies(Path.Combine(AppContext.BaseDirectory, "PracticeMesh.Gateway.Tests.deps.json"));
        Assert.Contains("Yarp.ReverseProxy", gateway);
        Assert.Contains("PracticeMesh.ServiceDefaults", gateway);
        Assert.DoesNotContain("PracticeMesh.ServiceDefaults.Data", gateway);
        Assert.DoesNotContain("PracticeMesh.ServiceDefaults.Tabular", gateway);
        foreach (var library in DataAndBus)
        {
            Assert.Contains(tests, name => name.StartsWith(library, StringComparison.OrdinalIgnoreCase));
        }
        foreach (var library in DataAndBus.Concat(Spreadsheets))
        {
            Assert.DoesNotContain(gateway, name => name.StartsWith(library, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>
    /// The libraries (packages and projects) a deps.json lists: what the host loads and what publishing it (its image)
    /// copies.
    /// </summary>
    private static HashSet<string> Dependencies(string path)
    {
        Assert.True(File.Exists(path), $"{path} is not built; build the solution first.");
        using var deps = JsonDocument.Parse(File.ReadAllText(path));
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var library in deps.RootElement.GetProperty("libraries").EnumerateObject())
        {
            names.Add(library.Name.Split('/')[0]);
        }
        // The assemblies each library brings, too: a package may carry an assembly under another name.
        foreach (var target in deps.RootElement.GetProperty("targets").EnumerateObject())
        {
            foreach (var library in target.Value.EnumerateObject())
            {
                if (library.Value.TryGetProperty("runtime", out var runtime))
                {
                    foreach (var file in runtime.EnumerateObject())
                    {
                        names.Add(Path.GetFileNameWithoutExtension(file.Name));
                    }
                }
            }
        }
        return names;
    }
}
