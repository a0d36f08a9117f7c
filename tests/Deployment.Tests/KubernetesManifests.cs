using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PracticeMesh.Deployment.Tests;

/// <summary>An environment variable of a container as its manifest writes it: a value, or a key of a Secret.</summary>
public sealed record EnvironmentEntry(string Name, string? Value, string? SecretName, string? SecretKey);

/// <summary>An HTTP probe: which one (startup, liveness, readiness), its path, the port it names and its patience.</summary>
public sealed record HttpProbe(string Kind, string Path, string Port, int PeriodSeconds, int FailureThreshold);

/// <summary>The one container of a Deployment, with what Kubernetes would give it.</summary>
public sealed record ContainerSpec(
    string Deployment,
    string Image,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, int> Ports,
    IReadOnlyList<string> ConfigMapRefs,
    IReadOnlyList<EnvironmentEntry> Environment,
    IReadOnlyList<HttpProbe> Probes);

/// <summary>A Kubernetes Service: its name, port, the container port it targets and which pods it selects.</summary>
public sealed record ServiceSpec(string Name, int Port, string TargetPort, IReadOnlyDictionary<string, string> Selector);

/// <summary>
/// deploy/k8s read as the cluster reads it: the resources kustomization.yaml lists, their ConfigMaps, Deployments and
/// Services, and each container's environment resolved as the kubelet resolves it.
/// </summary>
public sealed partial class KubernetesManifests
{
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ConfigMaps { get; init; }
    public required IReadOnlyList<ContainerSpec> Containers { get; init; }
    public required IReadOnlyDictionary<string, ServiceSpec> Services { get; init; }

    public ContainerSpec Container(string deployment) => Containers.Single(c => c.Deployment == deployment);

    public static KubernetesManifests Load(string directory)
    {
        var kustomization = LoadDocuments(Path.Combine(directory, "kustomization.yaml")).Single();
        var configMaps = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        var containers = new List<ContainerSpec>();
        var services = new Dictionary<string, ServiceSpec>(StringComparer.Ordinal);
        foreach (var resource in Sequence(kustomization, "resources").Select(Text))
        {
            foreach (var document in LoadDocuments(Path.Combine(directory, resource!)))
            {
                var name = Text(At(document, "metadata", "name"))!;
                switch (Text(At(document, "kind")))
                {
                    case "ConfigMap":
                        configMaps[name] = Map(At(document, "data"));
                        break;
                    case "Deployment":
                        var template = At(document, "spec", "template")!;
                        var container = (YamlMappingNode)Sequence(template, "spec", "containers").Single();
                        containers.Add(new ContainerSpec(
                            name,
                            Text(At(container, "image"))!,
                            Map(At(template, "metadata", "labels")),
                            Sequence(container, "ports").ToDictionary(p => Text(At(p, "name"))!, p => int.Parse(Text(At(p, "containerPort"))!)),
                            [.. Sequence(container, "envFrom").Select(e => Text(At(e, "configMapRef", "name"))!)],
                            [.. Sequence(container, "env").Select(e => new EnvironmentEntry(
                                Text(At(e, "name"))!,
                                Text(At(e, "value")),
                                Text(At(e, "valueFrom", "secretKeyRef", "name")),
                                Text(At(e, "valueFrom", "secretKeyRef", "key"))))],
                            [.. new[] { "startupProbe", "livenessProbe", "readinessProbe" }
                                .Where(kind => At(container, kind) is not null)
                                .Select(kind => new HttpProbe(
                                    kind,
                                    Text(At(container, kind, "httpGet", "path"))!,
                                    Text(At(container, kind, "httpGet", "port"))!,
                                    int.Parse(Text(At(container, kind, "periodSeconds")) ?? "10"),
                                    int.Parse(Text(At(container, kind, "failureThreshold")) ?? "3")))]));
                        break;
                    case "Service":
                        var port = (YamlMappingNode)Sequence(document, "spec", "ports").Single();
                        services[name] = new ServiceSpec(
                            name,
                            int.Parse(Text(At(port, "port"))!),
                            Text(At(port, "targetPort"))!,
                            Map(At(document, "spec", "selector")));
                        break;
                }
            }
        }
        return new KubernetesManifests { ConfigMaps = configMaps, Containers = containers, Services = services };
    }

    /// <summary>
    /// The container's environment as the kubelet builds it: every key of each envFrom ConfigMap, then each env entry in
    /// order, a Secret's key from <paramref name="secret"/>, $(NAME) expanded from the variables defined before it (a
    /// reference to an undefined one stays as written, as Kubernetes leaves it).
    /// </summary>
    public IReadOnlyDictionary<string, string> EnvironmentOf(ContainerSpec container, Func<string, string, string> secret)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var configMap in container.ConfigMapRefs)
        {
            if (!ConfigMaps.TryGetValue(configMap, out var data))
            {
                throw new InvalidOperationException($"{container.Deployment} reads ConfigMap {configMap}, which no manifest defines.");
            }
            foreach (var (key, value) in data)
            {
                environment[key] = value;
            }
        }
        foreach (var entry in container.Environment)
        {
            environment[entry.Name] = entry.Value is not null
                ? Reference().Replace(entry.Value, match => environment.TryGetValue(match.Groups[1].Value, out var defined) ? defined : match.Value)
                : secret(entry.SecretName ?? throw new InvalidOperationException($"{entry.Name} has neither a value nor a secret."), entry.SecretKey!);
        }
        return environment;
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();

    private static List<YamlMappingNode> LoadDocuments(string file)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            stream.Load(reader);
        }
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
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

    private static IEnumerable<YamlNode> Sequence(YamlNode node, params string[] path) =>
        At(node, path) is YamlSequenceNode sequence ? sequence.Children : [];

    private static Dictionary<string, string> Map(YamlNode? node) =>
        node is YamlMappingNode mapping
            ? mapping.Children.ToDictionary(c => Text(c.Key)!, c => Text(c.Value) ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
