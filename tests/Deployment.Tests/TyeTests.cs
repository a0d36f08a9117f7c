using System.Text.RegularExpressions;
using PracticeMesh.TestSupport;
using YamlDotNet.RepresentationModel;

namespace PracticeMesh.Deployment.Tests;

/// <summary>
/// tye.yaml against the solution and the gateway: each project it runs is one the solution builds, each service
/// listens where the gateway's configuration (and its own launch settings) expects it, the extra township cell is
/// wired to the gateway and named in its cells table, and every setting is one the service reads.
/// </summary>
public sealed partial class TyeTests
{
    private static readonly string Root = ServiceProcess.RepositoryRoot;
    private static readonly IReadOnlyList<YamlMappingNode> Services = LoadServices();

    [Fact]
    public void Every_project_tye_runs_is_in_the_solution()
    {
        var solution = SolutionProject().Matches(File.ReadAllText(Path.Combine(Root, "PracticeMesh.sln")))
            .Select(m => m.Groups["path"].Value.Replace('\\', '/'))
            .ToHashSet(StringComparer.Ordinal);
        var projects = Services.Select(s => Text(s, "project")).OfType<string>().ToList();

        Assert.True(projects.Count >= 9, "tye.yaml runs the gateway, six services and one extra cell of activities and grid.");
        Assert.All(projects, project => Assert.True(solution.Contains(project), $"tye.yaml runs {project}, which PracticeMesh.sln does not build."));
        foreach (var executable in Services.Select(s => Text(s, "executable")).OfType<string>())
        {
            Assert.True(File.Exists(Path.Combine(Root, executable)), $"tye.yaml runs {executable}, which is not there.");
        }
    }

    [Fact]
    public void Every_service_listens_where_the_gateway_and_its_launch_settings_expect_it()
    {
        var bindings = Services.Where(s => Sequence(s, "bindings").Any())
            .ToDictionary(s => Text(s, "name")!, s => int.Parse(Text((YamlMappingNode)Sequence(s, "bindings").Single(), "port")!), StringComparer.Ordinal);
        var gatewayEnvironment = EnvironmentOf("gateway");

        // The gateway's own clusters: tye's service of the same name listens on the port appsettings.json forwards to.
        foreach (var (cluster, address) in KustomizationTests.GatewayClusters)
        {
            Assert.True(bindings.TryGetValue(cluster, out var port), $"The gateway forwards cluster {cluster}, which tye.yaml does not run.");
            Assert.Equal(address.Port, port);
        }
        // Every address tye gives the gateway, the extra cell's included, is a service tye runs on that port.
        var clusters = new HashSet<string>(KustomizationTests.GatewayClusters.Keys, StringComparer.Ordinal);
        foreach (var (key, value) in gatewayEnvironment.Where(e => e.Key.StartsWith("ReverseProxy__", StringComparison.Ordinal)))
        {
            var cluster = KustomizationTests.ClusterAddressKey().Match(key).Groups["cluster"].Value;
            Assert.True(bindings.TryGetValue(cluster, out var port), $"tye.yaml gives the gateway cluster {cluster}, which it does not run.");
            Assert.Equal(new Uri(value).Port, port);
            clusters.Add(cluster);
        }
        // The primary services on the ports their launch settings name (dotnet run without tye).
        foreach (var service in Services.Where(s => Text(s, "project") is not null))
        {
            var name = Text(service, "name")!;
            var launch = Path.Combine(Root, Path.GetDirectoryName(Text(service, "project")!)!, "Properties", "launchSettings.json");
            if (!KustomizationTests.GatewayClusters.ContainsKey(name) && name != "gateway")
            {
                continue;
            }
            Assert.Contains($"http://localhost:{bindings[name]}", File.ReadAllText(launch));
        }
        // The cells table the gateway reads names only clusters it has.
        var table = Path.GetFullPath(Path.Combine(Root, "gateway", gatewayEnvironment["Gateway__Cells__File"]));
        KustomizationTests.AssertCellsTable("tye.yaml", File.ReadAllText(table), clusters);
        Assert.Contains(clusters, c => c.EndsWith("-b", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_setting_tye_gives_a_project_is_a_key_it_reads_and_every_cell_names_its_queues_apart()
    {
        foreach (var service in Services.Where(s => Text(s, "project") is not null))
        {
            var name = Text(service, "name")!;
            var readers = ConfigurationReaders.Of(Text(service, "project")!);
            foreach (var key in EnvironmentOf(name).Keys)
            {
                Assert.True(readers.Reads(key), $"tye.yaml gives {name} {key}, which it never reads.");
            }
        }
        // Two instances of one service on one broker share its queues (and split its messages) unless named apart; on
        // one PostgreSQL server they need databases of their own.
        foreach (var group in Services.Where(s => Text(s, "project") is not null).GroupBy(s => Text(s, "project")).Where(g => g.Count() > 1))
        {
            var environments = group.Select(s => EnvironmentOf(Text(s, "name")!)).ToList();
            Assert.Equal(environments.Count, environments.Select(e => e.GetValueOrDefault("Messaging__Cell", "")).Distinct().Count());
            Assert.Equal(environments.Count, environments.Select(e => e.Single(k => k.Key.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && k.Key is not "ConnectionStrings__rabbitmq" and not "ConnectionStrings__redis").Value).Distinct().Count());
        }
    }

    private static Dictionary<string, string> EnvironmentOf(string service) =>
        Sequence(Services.Single(s => Text(s, "name") == service), "env").Cast<YamlMappingNode>()
            .ToDictionary(e => Text(e, "name")!, e => Text(e, "value") ?? "", StringComparer.Ordinal);

    private static List<YamlMappingNode> LoadServices()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Root, "tye.yaml")))
        {
            stream.Load(reader);
        }
        return [.. Sequence((YamlMappingNode)stream.Documents.Single().RootNode, "services").Cast<YamlMappingNode>()];
    }

    private static string? Text(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    private static IEnumerable<YamlNode> Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode sequence ? sequence.Children : [];

    [GeneratedRegex(@"^Project\(""[^""]*""\)\s*=\s*""[^""]*"",\s*""(?<path>[^""]+\.csproj)""", RegexOptions.Multiline)]
    private static partial Regex SolutionProject();
}
