using System.Text.RegularExpressions;
using System.Xml.Linq;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Deployment.Tests;

/// <summary>
/// The configuration keys a host's code reads, found in its source and the source of the projects it references
/// (services/ServiceDefaults and its parts): <c>configuration["A:B"]</c> and <c>GetValue("A:B")</c>,
/// <c>GetConnectionString("x")</c> and the databases named to <c>AddServiceDatabase</c>, and the sections bound to an
/// options class (<c>GetSection("X").Get&lt;T&gt;()</c>, <c>AddOptions&lt;T&gt;().BindConfiguration("X")</c> or
/// <c>.Bind(...GetSection("X"))</c>, and a class's own <c>const string Section = "X"</c>), whose settable properties
/// (nested classes, arrays and dictionaries included) are the keys under the section. A section handed whole to a
/// library (YARP's <c>ReverseProxy</c>) counts as read under any key. Names given by a constant are resolved.
/// </summary>
public sealed partial class ConfigurationReaders
{
    /// <summary>Read by the ASP.NET Core host itself, not by the project's code.</summary>
    private static readonly string[] HostKeys = ["ASPNETCORE_ENVIRONMENT", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_FORWARDEDHEADERS_ENABLED"];

    private readonly HashSet<string> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Section, string? Type)> _sections = [];
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);

    public string Project { get; }

    private ConfigurationReaders(string project) => Project = project;

    /// <summary>The keys of <paramref name="projectFile"/> (relative to the repository root) and of what it references.</summary>
    public static ConfigurationReaders Of(string projectFile)
    {
        var readers = new ConfigurationReaders(projectFile);
        var sources = ProjectsOf(Path.Combine(ServiceProcess.RepositoryRoot, projectFile))
            .SelectMany(project => Directory.EnumerateFiles(Path.GetDirectoryName(project)!, "*.cs", SearchOption.AllDirectories)
                .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !file.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            .Select(file => (File: file, Text: File.ReadAllText(file)))
            .ToList();
        readers.Read(sources);
        return readers;
    }

    /// <summary>Whether the code reads <paramref name="environmentVariable"/> (a__b__c is the key a:b:c).</summary>
    public bool Reads(string environmentVariable)
    {
        if (HostKeys.Contains(environmentVariable, StringComparer.Ordinal))
        {
            return true;
        }
        var key = environmentVariable.Replace("__", ":", StringComparison.Ordinal);
        if (_exact.Contains(key))
        {
            return true;
        }
        var segments = key.Split(':');
        foreach (var (section, type) in _sections)
        {
            var sectionSegments = section.Split(':');
            if (segments.Length <= sectionSegments.Length
                || !segments.Take(sectionSegments.Length).SequenceEqual(sectionSegments, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }
            if (type is null || Binds(type, segments[sectionSegments.Length..]))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether binding <paramref name="type"/> sets something for the rest of a key.</summary>
    private bool Binds(string type, ReadOnlySpan<string> rest)
    {
        type = type.Trim().TrimEnd('?');
        if (rest.Length == 0)
        {
            // The key ends here: only a scalar takes a value (a class, array or dictionary takes keys below it).
            return !type.EndsWith("[]", StringComparison.Ordinal) && !Generic().IsMatch(type) && !_types.ContainsKey(Simple(type));
        }
        if (type.EndsWith("[]", StringComparison.Ordinal))
        {
            return int.TryParse(rest[0], out _) && Binds(type[..^2], rest[1..]);
        }
        if (Generic().Match(type) is { Success: true } generic)
        {
            var arguments = generic.Groups["arguments"].Value.Split(',');
            return generic.Groups["name"].Value switch
            {
                "List" or "IList" or "IReadOnlyList" or "ICollection" or "IReadOnlyCollection" or "IEnumerable" or "HashSet" or "ISet" =>
                    int.TryParse(rest[0], out _) && Binds(arguments[0], rest[1..]),
                "Dictionary" or "IDictionary" or "IReadOnlyDictionary" => Binds(arguments[^1], rest[1..]),
                _ => false,
            };
        }
        if (!_types.TryGetValue(Simple(type), out var body))
        {
            // A scalar (string, int, TimeSpan, an enum...): nothing below it.
            return false;
        }
        foreach (Match property in Property().Matches(body))
        {
            if (string.Equals(property.Groups["name"].Value, rest[0], StringComparison.OrdinalIgnoreCase))
            {
                return Binds(property.Groups["type"].Value, rest[1..]);
            }
        }
        return false;
    }

    private static string Simple(string type) => type.Split('.')[^1].Trim();

    private void Read(List<(string File, string Text)> sources)
    {
        var constants = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var fileConstants = new Dictionary<(string File, string Name), string>();
        foreach (var (file, text) in sources)
        {
            foreach (Match type in TypeDeclaration().Matches(text))
            {
                var body = BodyAt(text, type.Index + type.Length);
                _types.TryAdd(type.Groups["name"].Value, body);
                foreach (Match constant in Constant().Matches(body))
                {
                    Add(constants, $"{type.Groups["name"].Value}.{constant.Groups["name"].Value}", constant.Groups["value"].Value);
                    var prefix = body[..constant.Index];
                    if (constant.Groups["name"].Value == "Section" && prefix.Count(c => c == '{') == prefix.Count(c => c == '}'))
                    {
                        // The class's own section constant (not a nested class's): the class binds to it.
                        _sections.Add((constant.Groups["value"].Value, type.Groups["name"].Value));
                    }
                }
            }
            foreach (Match constant in Constant().Matches(text))
            {
                Add(constants, constant.Groups["name"].Value, constant.Groups["value"].Value);
                fileConstants[(file, constant.Groups["name"].Value)] = constant.Groups["value"].Value;
            }
        }

        foreach (var (file, text) in sources)
        {
            string? Resolve(string expression)
            {
                expression = expression.Trim();
                if (expression.StartsWith('"'))
                {
                    return expression.Trim('"');
                }
                if (fileConstants.TryGetValue((file, expression), out var local))
                {
                    return local;
                }
                return constants.TryGetValue(expression, out var values) && values.Distinct().Count() == 1 ? values[0] : null;
            }

            foreach (Match read in Indexer().Matches(text).Concat(GetValue().Matches(text)))
            {
                if (Resolve(read.Groups["key"].Value) is { } key)
                {
                    _exact.Add(key);
                }
            }
            foreach (Match read in ConnectionString().Matches(text))
            {
                if (Resolve(read.Groups["key"].Value) is { } name)
                {
                    _exact.Add($"ConnectionStrings:{name}");
                }
            }
            foreach (Match bound in TypedSection().Matches(text))
            {
                if (Resolve(bound.Groups["key"].Value) is { } section)
                {
                    _sections.Add((section, bound.Groups["type"].Value));
                }
            }
            // A section kept in a variable: bound to a class through it, or narrowed further.
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match assigned in SectionVariable().Matches(text))
            {
                if (Resolve(assigned.Groups["key"].Value) is { } section)
                {
                    variables[assigned.Groups["variable"].Value] = section;
                    foreach (Match bound in Regex.Matches(text, @"AddOptions<(?<type>[\w.]+)>\(\)\s*\.Bind\(\s*" + assigned.Groups["variable"].Value + @"\s*\)"))
                    {
                        _sections.Add((section, bound.Groups["type"].Value));
                    }
                }
            }
            foreach (Match section in Section().Matches(text))
            {
                var rest = text[(section.Index + section.Length)..];
                var receiver = section.Groups["receiver"].Value;
                // Bound to a class by the patterns above, kept in a variable (above), or handed whole to a library.
                if (TypedTail().IsMatch(rest) || BoundBefore(text, section.Index) || AssignedBefore().IsMatch(text[..section.Index])
                    || Resolve(section.Groups["key"].Value) is not { } name)
                {
                    continue;
                }
                _sections.Add((variables.TryGetValue(receiver, out var parent) ? $"{parent}:{name}" : name, null));
            }
        }
    }

    /// <summary>Whether the GetSection at <paramref name="index"/> is inside an AddOptions&lt;T&gt;().Bind(...) call.</summary>
    private static bool BoundBefore(string text, int index)
    {
        var statement = text.LastIndexOf(';', index);
        return text[(statement + 1)..index].Contains("AddOptions<", StringComparison.Ordinal);
    }

    private static void Add(Dictionary<string, List<string>> map, string key, string value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }
        list.Add(value);
    }

    /// <summary>The text of the braces that open after <paramref name="start"/> (a class's body).</summary>
    private static string BodyAt(string text, int start)
    {
        var open = text.IndexOf('{', start);
        var semicolon = text.IndexOf(';', start);
        if (open < 0 || (semicolon >= 0 && semicolon < open))
        {
            return "";
        }
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            depth += text[i] switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0)
            {
                return text[(open + 1)..i];
            }
        }
        return text[(open + 1)..];
    }

    /// <summary>The project file and every project it references, transitively.</summary>
    internal static IEnumerable<string> ProjectsOf(string projectFile)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(projectFile)]);
        while (pending.TryPop(out var project))
        {
            if (!seen.Add(project))
            {
                continue;
            }
            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar);
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, include)));
            }
        }
        return seen;
    }

    private const string Key = @"(?<key>""[^""]*""|[A-Za-z_][\w.]*)";

    [GeneratedRegex(@"\b(?:class|record|struct)\s+(?<name>[A-Za-z_]\w*)")]
    private static partial Regex TypeDeclaration();

    // A constant, or a property that only returns a literal (IServiceModule.Name => "stations").
    [GeneratedRegex(@"(?:const\s+string\s+(?<name>\w+)\s*=|string\s+(?<name>\w+)\s*=>)\s*""(?<value>[^""]*)""")]
    private static partial Regex Constant();

    [GeneratedRegex(@"public\s+(?:required\s+)?(?:virtual\s+)?(?<type>[\w.]+(?:<[\w.,\s<>\[\]?]+>)?(?:\[\])?\??)\s+(?<name>\w+)\s*\{\s*get;\s*(?:set|init);")]
    private static partial Regex Property();

    [GeneratedRegex(@"^(?<name>\w+)<(?<arguments>.+)>$")]
    private static partial Regex Generic();

    [GeneratedRegex(@"[Cc]onfiguration\s*\[\s*" + Key + @"\s*\]")]
    private static partial Regex Indexer();

    [GeneratedRegex(@"\.GetValue(?:<[^>(]+>)?\(\s*" + Key + @"\s*[,)]")]
    private static partial Regex GetValue();

    [GeneratedRegex(@"(?:GetConnectionString|AddServiceDatabase<\w+>)\(\s*" + Key + @"\s*[,)]")]
    private static partial Regex ConnectionString();

    [GeneratedRegex(@"GetSection\(\s*" + Key + @"\s*\)\s*\.Get<(?<type>[\w.\[\]]+)>|AddOptions<(?<type>[\w.]+)>\(\)\s*\.BindConfiguration\(\s*" + Key + @"|AddOptions<(?<type>[\w.]+)>\(\)\s*\.Bind\([^;]*?GetSection\(\s*" + Key + @"\s*\)")]
    private static partial Regex TypedSection();

    [GeneratedRegex(@"(?<receiver>\w+)\.GetSection\(\s*" + Key + @"\s*\)")]
    private static partial Regex Section();

    [GeneratedRegex(@"var\s+(?<variable>\w+)\s*=\s*[\w.]*GetSection\(\s*" + Key + @"\s*\)\s*;")]
    private static partial Regex SectionVariable();

    [GeneratedRegex(@"=\s*[\w.]*$")]
    private static partial Regex AssignedBefore();

    [GeneratedRegex(@"^\s*\.Get<")]
    private static partial Regex TypedTail();
}
