using System.Text.Json;
using PracticeMesh.Contracts;

namespace PracticeMesh.Gateway.Cells;

/// <summary>
/// Which township cell serves each township, per cell service, as the file <c>Gateway:Cells:File</c> gives it:
/// <code>
/// {"services": {
///   "activities": {"primary": "activities",
///                  "cells": {"activities": ["321324100", "321324101"], "activities-b": ["321324104", "321324105"]}},
///   "grid": {"primary": "grid", "cells": {"grid": ["321324100", "321324101"], "grid-b": ["321324104", "321324105"]}}}}
/// </code>
/// A cell is a YARP cluster of the gateway; the service's own cluster (<c>activities</c>) and its extra cells
/// (<c>activities-b</c>). The primary cell answers what names no township: county-level codes and ids made before
/// cells. A service the table leaves out routes everything to its one cluster.
/// </summary>
public sealed class CellTable
{
    private CellTable(IReadOnlyDictionary<string, ServiceCells> services) => Services = services;

    public static readonly CellTable Empty = new(new Dictionary<string, ServiceCells>());

    /// <summary>Keyed by service, which is also the cluster id its routes name.</summary>
    public IReadOnlyDictionary<string, ServiceCells> Services { get; }

    public ServiceCells? For(string service) => Services.GetValueOrDefault(service);

    /// <summary>
    /// Reads and checks a table against the gateway's clusters. Null, with every problem found, when the table is
    /// unusable: not JSON of the shape above, a township that is not a 9-digit township code, a township in two cells
    /// of one service, a cell or primary that is no configured cluster, a missing primary.
    /// </summary>
    public static CellTable? Parse(string json, IReadOnlySet<string> clusters, out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        problems = found;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            found.Add($"not valid JSON: {ex.Message}");
            return null;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("services", out var servicesElement) || servicesElement.ValueKind != JsonValueKind.Object)
            {
                found.Add("the table has no \"services\" object.");
                return null;
            }
            var services = new Dictionary<string, ServiceCells>(StringComparer.Ordinal);
            foreach (var service in servicesElement.EnumerateObject())
            {
                if (ReadService(service.Name, service.Value, clusters, found) is { } cells)
                {
                    services[service.Name] = cells;
                }
            }
            return found.Count == 0 ? new CellTable(services) : null;
        }
    }

    private static ServiceCells? ReadService(string service, JsonElement element, IReadOnlySet<string> clusters, List<string> problems)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"service {service}: not an object with \"primary\" and \"cells\".");
            return null;
        }
        var before = problems.Count;
        string? primary = null;
        var townships = new Dictionary<string, string>(StringComparer.Ordinal);
        var cellNames = new List<string>();
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name)
            {
                case "primary" when property.Value.ValueKind == JsonValueKind.String:
                    primary = property.Value.GetString();
                    break;
                case "cells" when property.Value.ValueKind == JsonValueKind.Object:
                    foreach (var cell in property.Value.EnumerateObject())
                    {
                        CheckCell(service, cell.Name, clusters, problems);
                        cellNames.Add(cell.Name);
                        if (cell.Value.ValueKind != JsonValueKind.Array)
                        {
                            problems.Add($"service {service}, cell {cell.Name}: its townships are not a list.");
                            continue;
                        }
                        foreach (var entry in cell.Value.EnumerateArray())
                        {
                            var text = entry.ValueKind == JsonValueKind.String ? entry.GetString() : entry.GetRawText();
                            if (!DivisionCode.TryParse(text, out var code) || code.Tier != DivisionTier.Township || text!.Trim() != text)
                            {
                                problems.Add($"service {service}, cell {cell.Name}: '{text}' is not a 9-digit township code.");
                                continue;
                            }
                            if (townships.TryGetValue(code.Value, out var other) && other != cell.Name)
                            {
                                // The ids of one township live in one database: two cells would each hold half of them.
                                problems.Add($"service {service}: township {code.Value} is in two cells, {other} and {cell.Name}.");
                                continue;
                            }
                            townships[code.Value] = cell.Name;
                        }
                    }
                    break;
                default:
                    // A misspelt key ("primay", "cell") would otherwise change routing silently.
                    problems.Add($"service {service}: unexpected \"{property.Name}\" (a service has \"primary\", a cluster name, and \"cells\", an object of township lists).");
                    break;
            }
        }
        if (string.IsNullOrWhiteSpace(primary))
        {
            problems.Add($"service {service}: no primary cell (\"primary\": the cluster answering county-level requests and ids that name no township).");
        }
        else
        {
            CheckCell(service, primary, clusters, problems);
        }
        return problems.Count == before
            ? new ServiceCells(service, primary!, [.. cellNames.Append(primary!).Distinct(StringComparer.Ordinal)], townships)
            : null;
    }

    private static void CheckCell(string service, string cell, IReadOnlySet<string> clusters, List<string> problems)
    {
        if (!clusters.Contains(cell))
        {
            problems.Add($"service {service}: cell {cell} is not a configured cluster (ReverseProxy:Clusters:{cell}).");
        }
        else if (cell != service && !cell.StartsWith(service + "-", StringComparison.Ordinal))
        {
            // Another service's cluster would get requests it has no endpoint for.
            problems.Add($"service {service}: cell {cell} is not one of its clusters ({service} or {service}-<cell>).");
        }
    }
}

/// <summary>The cells of one service and the township each serves.</summary>
public sealed class ServiceCells(string service, string primary, IReadOnlyList<string> cells, IReadOnlyDictionary<string, string> townships)
{
    public string Service { get; } = service;

    /// <summary>The cluster answering county-level requests and ids that name no township.</summary>
    public string Primary { get; } = primary;

    /// <summary>Every cell of the service, the primary included, in the table's order.</summary>
    public IReadOnlyList<string> Cells { get; } = cells;

    /// <summary>Township code → cell.</summary>
    public IReadOnlyDictionary<string, string> Townships { get; } = townships;

    /// <summary>The cell serving <paramref name="township"/>, or null when the table gives it to none.</summary>
    public string? CellOf(DivisionCode township) => Townships.GetValueOrDefault(township.Township.Value);
}
