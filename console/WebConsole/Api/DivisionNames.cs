using System.Text.RegularExpressions;

namespace PracticeMesh.WebConsole.Api;

/// <summary>
/// Division names for codes (青阳镇 for 321324104), read once per session from the stations under the person's own
/// division: a station's name less its kind (泗洪县新时代文明实践中心 → 泗洪县). A code without a station shows as itself.
/// </summary>
public sealed partial class DivisionNames(ConsoleApi api)
{
    private Dictionary<string, string>? _names;

    public sealed record StationNode(string Code, string Name, string Kind, string Status, List<StationNode> Children);

    /// <summary>Loads the names under <paramref name="scope"/> (the person's division); later calls are free.</summary>
    public async Task LoadAsync(string scope, CancellationToken cancellationToken = default)
    {
        if (_names is not null)
        {
            return;
        }
        var names = new Dictionary<string, string>();
        try
        {
            var tree = await api.GetAsync<StationNode>($"/api/v1/stations/{scope}/subtree", cancellationToken);
            Add(tree, names);
        }
        catch (ApiProblemException)
        {
            // No station at the scope itself (or no right to the tree): codes show as codes.
        }
        _names = names;
    }

    public string NameOf(string? code) =>
        code is null ? "" : _names is not null && _names.TryGetValue(code, out var name) ? name : code;

    /// <summary>The name and, in brackets, the code: what lists show where both matter.</summary>
    public string Describe(string? code) => code is null ? "" : NameOf(code) == code ? code : $"{NameOf(code)}（{code}）";

    private static void Add(StationNode node, Dictionary<string, string> names)
    {
        names[node.Code] = ShortName(node.Name);
        foreach (var child in node.Children)
        {
            Add(child, names);
        }
    }

    /// <summary>The division's own name within a station's name.</summary>
    internal static string ShortName(string stationName)
    {
        var match = KindSuffix().Match(stationName);
        return match.Success && match.Index > 0 ? stationName[..match.Index] : stationName;
    }

    [GeneratedRegex("新时代文明实践(中心|所|站)$")]
    private static partial Regex KindSuffix();
}
