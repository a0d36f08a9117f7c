using System.Text.Json;
using System.Text.RegularExpressions;
using PracticeMesh.TestSupport;
using YamlDotNet.RepresentationModel;

namespace PracticeMesh.Deployment.Tests;

/// <summary>
/// deploy/images/Dockerfile checked as a definition: no container runtime works on the build machines (no Docker daemon
/// runs, and podman's containers fail to start with <c>crun: setrlimit RLIMIT_NPROC: Operation not permitted</c>), so
/// what an image would be is read from the file, and what it would hold is the folder deploy/images/publish.sh makes,
/// the same one <see cref="KubernetesDeploymentTests"/> starts with each pod's environment.
/// </summary>
[Collection(DeploymentCollection.Name)]
public class ImageDefinitionTests
{
    private const string RuntimeImage = "mcr.microsoft.com/dotnet/aspnet:10.0";
    private const string SdkImage = "mcr.microsoft.com/dotnet/sdk:10.0";
    private const string PublishScript = "deploy/images/publish.sh";

    private static readonly Dockerfile Images = Dockerfile.Load(Path.Combine(ServiceProcess.RepositoryRoot, "deploy", "images", "Dockerfile"));
    private static readonly ManifestImages Manifests = ManifestImages.Load(Path.Combine(ServiceProcess.RepositoryRoot, "deploy", "k8s"));

    /// <summary>The hosts with an image: every stage that starts something.</summary>
    private static IReadOnlyList<string> Hosts => [.. Images.Stages.Where(s => s.Instructions.Any(i => i.Keyword == "ENTRYPOINT")).Select(s => s.Name!)];

    [Fact]
    public void Every_image_a_manifest_runs_is_a_target_of_the_Dockerfile_and_every_target_is_run()
    {
        Assert.NotEmpty(Manifests.Containers);
        Assert.Equal(
            Manifests.Containers.Select(c => c.Repository).Distinct().Order(StringComparer.Ordinal),
            Hosts.Select(host => $"practicemesh/{host}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_image_runs_on_the_ASP_NET_runtime_image_without_the_SDK()
    {
        foreach (var host in Hosts)
        {
            var image = Images.Resolve(host);
            Assert.Equal(RuntimeImage, image.BaseImage);
            Assert.DoesNotContain(image.Chain, stage => stage.From.Contains("/dotnet/sdk", StringComparison.Ordinal));
            // Only the published folder comes from the SDK stages, nothing of the SDK itself.
            var copies = image.Chain.SelectMany(s => s.Instructions).Where(i => i.Keyword == "COPY").ToList();
            var copy = Assert.Single(copies);
            Assert.Equal($"publish-{host}", copy.Flags["from"]);
            Assert.Equal(SdkImage, Images.Resolve($"publish-{host}").BaseImage);
        }
    }

    [Fact]
    public void Every_image_runs_as_the_runtime_images_non_root_user_by_number()
    {
        foreach (var host in Hosts)
        {
            var user = Images.Resolve(host).User;
            // A number: Kubernetes' runAsNonRoot refuses to start an image whose user is a name it cannot check.
            Assert.True(int.TryParse(user, out var uid), $"{host} runs as '{user}', not a numeric user.");
            Assert.NotEqual(0, uid);
            // The runtime image's own unprivileged user (app); the published files stay root's and read-only to it.
            Assert.Equal(1654, uid);
        }
        Assert.All(Manifests.Containers, c => Assert.True(c.RunAsUser is null or > 0, $"{c.Deployment} sets runAsUser {c.RunAsUser}."));
    }

    [Fact]
    public void Every_image_listens_on_the_port_the_manifests_give_its_container_and_has_no_health_check_of_its_own()
    {
        foreach (var host in Hosts)
        {
            var image = Images.Resolve(host);
            var port = PortOf(image.Environment["ASPNETCORE_URLS"]);
            // Cleared, so the runtime image's own ASPNETCORE_HTTP_PORTS does not compete with the URL.
            Assert.Equal("", image.Environment["ASPNETCORE_HTTP_PORTS"]);
            Assert.Equal([port.ToString(System.Globalization.CultureInfo.InvariantCulture)], image.Exposed);
            foreach (var container in Manifests.Containers.Where(c => c.Repository == $"practicemesh/{host}"))
            {
                Assert.All(container.Ports, containerPort => Assert.Equal(port, containerPort));
            }
            // Kubernetes probes the health paths over HTTP; a HEALTHCHECK would need curl, which the runtime image lacks.
            Assert.DoesNotContain(image.Chain.SelectMany(s => s.Instructions), i => i.Keyword == "HEALTHCHECK");
        }
        Assert.All(Manifests.Urls, url => Assert.Equal(PortOf(Images.Resolve(Hosts[0]).Environment["ASPNETCORE_URLS"]), PortOf(url)));
    }

    [Fact]
    public void The_image_build_and_the_tests_publish_each_host_with_the_one_publish_script()
    {
        Assert.DoesNotContain(Images.Stages.SelectMany(s => s.Instructions), i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
        var script = File.ReadAllText(Path.Combine(ServiceProcess.RepositoryRoot, PublishScript));
        Assert.Single(Regex.Matches(script, @"dotnet publish"));
        foreach (var host in Hosts)
        {
            var (projectDirectory, projectFile, _) = PublishedHosts.ProjectOf(host);
            var project = $"{projectDirectory}/{projectFile}";
            var publish = Images.Stages.Single(s => s.Name == $"publish-{host}");
            var run = Assert.Single(publish.Instructions, i => i.Keyword == "RUN");
            var words = run.Arguments.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
            var at = Array.IndexOf(words, PublishScript);
            Assert.True(at > 0 && words[at - 1] == "sh", $"publish-{host} does not run sh {PublishScript}: {run.Arguments}");
            var arguments = words[(at + 1)..].TakeWhile(w => w != "&&").ToList();
            var copy = Images.Resolve(host).Chain.SelectMany(s => s.Instructions).Single(i => i.Keyword == "COPY");
            // The project, the folder the final stage copies, Release; the image restores first rather than building earlier.
            Assert.Equal([project, copy.Words[0], "Release", "--no-restore"], arguments);
            Assert.Contains($"dotnet restore {project}", run.Arguments, StringComparison.Ordinal);

            var command = PublishedHosts.PublishCommand(host, "/out");
            Assert.Equal(["sh", Path.Combine(ServiceProcess.RepositoryRoot, PublishScript), Path.Combine(ServiceProcess.RepositoryRoot, project), "/out", ServiceProcess.BuildConfiguration, "--no-build"], command);
        }
    }

    [Fact]
    public async Task Every_images_entry_point_starts_an_assembly_its_published_output_holds_on_the_runtime_of_the_base_image()
    {
        var outputs = await Task.WhenAll(Hosts.Select(PublishedHosts.DirectoryOfAsync));
        foreach (var (host, output) in Hosts.Zip(outputs))
        {
            var entryPoint = Images.Resolve(host).EntryPoint;
            Assert.NotNull(entryPoint);
            Assert.Equal(2, entryPoint.Count);
            Assert.Equal("dotnet", entryPoint[0]);
            Assert.Equal($"{PublishedHosts.ProjectOf(host).Assembly}.dll", entryPoint[1]);
            Assert.True(File.Exists(Path.Combine(output, entryPoint[1])), $"{host}'s published output holds no {entryPoint[1]}.");
            // The script's arguments reached this publish: no native launcher beside the assembly (UseAppHost=false).
            Assert.False(File.Exists(Path.Combine(output, PublishedHosts.ProjectOf(host).Assembly)), $"{host}'s published output has a native launcher.");

            // Framework-dependent on what the ASP.NET runtime image carries, and nothing else (no SDK, no other runtime).
            using var runtimeConfig = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, $"{PublishedHosts.ProjectOf(host).Assembly}.runtimeconfig.json")));
            var options = runtimeConfig.RootElement.GetProperty("runtimeOptions");
            var frameworks = options.TryGetProperty("frameworks", out var list) ? [.. list.EnumerateArray()] : new[] { options.GetProperty("framework") };
            Assert.All(frameworks, framework =>
            {
                Assert.Contains(framework.GetProperty("name").GetString(), (string[])["Microsoft.NETCore.App", "Microsoft.AspNetCore.App"]);
                Assert.StartsWith("10.0.", framework.GetProperty("version").GetString());
            });
            Assert.Contains(frameworks, framework => framework.GetProperty("name").GetString() == "Microsoft.AspNetCore.App");
        }
    }

    [Fact]
    public async Task The_gateways_image_holds_no_database_bus_or_spreadsheet_library_that_a_services_image_does()
    {
        var gateway = Directory.GetFiles(await PublishedHosts.DirectoryOfAsync("gateway"), "*.dll", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        var stations = Directory.GetFiles(await PublishedHosts.DirectoryOfAsync("stations"), "*.dll", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        string[] heavy = ["Microsoft.EntityFrameworkCore", "Microsoft.Data.Sqlite", "SQLitePCLRaw", "Npgsql", "MassTransit", "CsvHelper", "MiniExcel"];
        foreach (var library in heavy)
        {
            Assert.Contains(stations, file => file!.StartsWith(library, StringComparison.Ordinal));
            Assert.DoesNotContain(gateway, file => file!.StartsWith(library, StringComparison.Ordinal));
        }
        Assert.Contains("PracticeMesh.ServiceDefaults.dll", gateway);
        Assert.DoesNotContain("PracticeMesh.ServiceDefaults.Data.dll", gateway);
    }

    [Fact]
    public async Task The_consoles_image_holds_the_pages_static_files_and_no_database_or_bus_library()
    {
        var output = await PublishedHosts.DirectoryOfAsync("console");
        var wwwroot = Path.Combine(output, "wwwroot");
        // The framework's script and the component library's files, from their packages' static web assets.
        Assert.True(File.Exists(Path.Combine(wwwroot, "_framework", "blazor.web.js")), "The console's published wwwroot holds no _framework/blazor.web.js.");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(wwwroot, "_content", "MudBlazor"), "MudBlazor.min.*"));
        // MapStaticAssets serves what the build's manifest lists.
        Assert.NotEmpty(Directory.GetFiles(output, "*.staticwebassets.endpoints.json"));
        var libraries = Directory.GetFiles(output, "*.dll", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Contains("MudBlazor.dll", libraries);
        Assert.DoesNotContain(libraries, file => file!.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) || file.StartsWith("MassTransit", StringComparison.Ordinal));
    }

    [Fact]
    public void The_build_context_leaves_out_build_output_tests_and_history()
    {
        var ignored = File.ReadAllLines(Path.Combine(ServiceProcess.RepositoryRoot, ".dockerignore"))
            .Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains("tests/", ignored);
        Assert.Contains(".git", ignored);
    }

    /// <summary>The port of a Kestrel URL (http://+:8080 is no URI System.Uri accepts): what follows the last colon.</summary>
    private static int PortOf(string url)
    {
        var first = url.Split(';')[0].TrimEnd('/');
        return int.Parse(first[(first.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>One instruction of a Dockerfile: its keyword, its --flags and the rest.</summary>
public sealed record DockerInstruction(string Keyword, IReadOnlyDictionary<string, string> Flags, string Arguments)
{
    /// <summary>The arguments split on white space.</summary>
    public string[] Words => Arguments.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>A build stage: FROM (an image or an earlier stage), its name, its instructions.</summary>
public sealed record DockerStage(string From, string? Name, IReadOnlyList<DockerInstruction> Instructions);

/// <summary>What a target stage would be as an image: its chain of stages back to an image and the settings they leave.</summary>
public sealed record DockerImage(
    string BaseImage,
    IReadOnlyList<DockerStage> Chain,
    IReadOnlyDictionary<string, string> Environment,
    string? User,
    IReadOnlyList<string> Exposed,
    IReadOnlyList<string>? EntryPoint);

/// <summary>
/// A Dockerfile read as BuildKit reads the parts these images use: comments and line continuations, stages (FROM ... AS),
/// and ENV, USER, EXPOSE, COPY --from and exec-form ENTRYPOINT carried from a stage to the stages built on it.
/// </summary>
public sealed partial class Dockerfile
{
    public required IReadOnlyList<DockerStage> Stages { get; init; }

    public static Dockerfile Load(string path)
    {
        var stages = new List<DockerStage>();
        List<DockerInstruction>? current = null;
        foreach (var line in LogicalLines(File.ReadAllLines(path)))
        {
            var keyword = line.Split(' ', 2)[0].ToUpperInvariant();
            var rest = line.Length > keyword.Length ? line[keyword.Length..].Trim() : "";
            var flags = new Dictionary<string, string>(StringComparer.Ordinal);
            while (Flag().Match(rest) is { Success: true } flag)
            {
                flags[flag.Groups[1].Value] = flag.Groups[2].Value;
                rest = rest[flag.Length..].TrimStart();
            }
            if (keyword == "FROM")
            {
                var words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                current = [];
                stages.Add(new DockerStage(words[0], words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null, current));
            }
            else
            {
                (current ?? throw new InvalidOperationException($"{path}: {keyword} before any FROM.")).Add(new DockerInstruction(keyword, flags, rest));
            }
        }
        return new Dockerfile { Stages = stages };
    }

    /// <summary>The image the stage named <paramref name="target"/> builds.</summary>
    public DockerImage Resolve(string target)
    {
        var chain = new List<DockerStage>();
        var from = target;
        while (Stages.FirstOrDefault(s => string.Equals(s.Name, from, StringComparison.OrdinalIgnoreCase)) is { } stage)
        {
            chain.Insert(0, stage);
            from = stage.From;
        }
        Assert.True(chain.Count > 0, $"The Dockerfile has no stage {target}.");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var exposed = new List<string>();
        string? user = null;
        IReadOnlyList<string>? entryPoint = null;
        foreach (var instruction in chain.SelectMany(s => s.Instructions))
        {
            switch (instruction.Keyword)
            {
                case "ENV":
                    foreach (Match pair in EnvPair().Matches(instruction.Arguments))
                    {
                        environment[pair.Groups[1].Value] = pair.Groups[2].Value.Trim('"');
                    }
                    break;
                case "USER":
                    user = instruction.Arguments.Split(':')[0];
                    break;
                case "EXPOSE":
                    exposed.AddRange(instruction.Words.Select(w => w.Split('/')[0]));
                    break;
                case "ENTRYPOINT":
                    // Only the exec form (a JSON array); the shell form would start a shell that keeps SIGTERM from the host.
                    entryPoint = instruction.Arguments.StartsWith('[') ? JsonSerializer.Deserialize<string[]>(instruction.Arguments) : null;
                    break;
            }
        }
        return new DockerImage(from, chain, environment, user, exposed, entryPoint);
    }

    /// <summary>Instructions one per line: comments dropped, lines ending in a backslash joined to the next.</summary>
    private static IEnumerable<string> LogicalLines(IEnumerable<string> lines)
    {
        var pending = "";
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('#'))
            {
                continue;
            }
            if (line.EndsWith('\\'))
            {
                pending += line[..^1].TrimEnd() + "\n";
                continue;
            }
            var whole = (pending + line).Trim();
            pending = "";
            if (whole.Length > 0)
            {
                yield return whole;
            }
        }
    }

    [GeneratedRegex(@"^--([a-z-]+)=(\S+)")]
    private static partial Regex Flag();

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=(""[^""]*""|\S*)")]
    private static partial Regex EnvPair();
}

/// <summary>A container of deploy/k8s that runs one of PracticeMesh's images.</summary>
public sealed record ManifestContainer(string File, string Deployment, string Repository, IReadOnlyList<int> Ports, long? RunAsUser);

/// <summary>
/// Every Deployment container under deploy/k8s that runs a practicemesh/ image, in every file (bases, components and
/// overlays alike), and every ASPNETCORE_URLS a ConfigMap or container sets: what the images must agree with.
/// </summary>
public sealed class ManifestImages
{
    public required IReadOnlyList<ManifestContainer> Containers { get; init; }
    public required IReadOnlyList<string> Urls { get; init; }

    public static ManifestImages Load(string directory)
    {
        var containers = new List<ManifestContainer>();
        var urls = new List<string>();
        var files = Directory.GetFiles(directory, "*.yaml", SearchOption.AllDirectories).Concat(Directory.GetFiles(directory, "*.yml", SearchOption.AllDirectories));
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(file))
            {
                stream.Load(reader);
            }
            foreach (var document in stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>())
            {
                if (Text(At(document, "kind")) == "ConfigMap" && Text(At(document, "data", "ASPNETCORE_URLS")) is { } configured)
                {
                    urls.Add(configured);
                }
                var pod = At(document, "spec", "template", "spec");
                foreach (var container in Sequence(pod, "containers"))
                {
                    urls.AddRange(Sequence(container, "env")
                        .Where(e => Text(At(e, "name")) == "ASPNETCORE_URLS" && Text(At(e, "value")) is not null)
                        .Select(e => Text(At(e, "value"))!));
                    if (Text(At(container, "image")) is not { } image || !image.StartsWith("practicemesh/", StringComparison.Ordinal))
                    {
                        continue;
                    }
                    var repository = image.Split('@')[0];
                    repository = repository.LastIndexOf(':') > repository.LastIndexOf('/') ? repository[..repository.LastIndexOf(':')] : repository;
                    var runAsUser = Text(At(container, "securityContext", "runAsUser")) ?? Text(At(pod, "securityContext", "runAsUser"));
                    containers.Add(new ManifestContainer(
                        Path.GetRelativePath(directory, file),
                        Text(At(document, "metadata", "name")) ?? "",
                        repository,
                        [.. Sequence(container, "ports").Select(p => int.Parse(Text(At(p, "containerPort"))!, System.Globalization.CultureInfo.InvariantCulture))],
                        runAsUser is null ? null : long.Parse(runAsUser, System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }
        return new ManifestImages { Containers = containers, Urls = urls };
    }

    private static YamlNode? At(YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out node))
            {
                return null;
            }
        }
        return node;
    }

    private static string? Text(YamlNode? node) => (node as YamlScalarNode)?.Value;

    private static IEnumerable<YamlNode> Sequence(YamlNode? node, params string[] path) =>
        At(node, path) is YamlSequenceNode sequence ? sequence.Children : [];
}
