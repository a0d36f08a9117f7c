using System.Text.RegularExpressions;
using k8s.Models;

namespace PracticeMesh.Deployment.Tests;

/// <summary>An environment variable of a container as its manifest writes it: a value, or a key of a Secret.</summary>
public sealed record EnvironmentEntry(string Name, string? Value, string? SecretName, string? SecretKey);

/// <summary>An HTTP probe: which one (startup, liveness, readiness), its path, the port it names and its patience.</summary>
public sealed record HttpProbe(string Kind, string Path, string Port, int PeriodSeconds, int FailureThreshold);

/// <summary>A volume mounted into the container: where, and the ConfigMap it shows (null: an emptyDir or a claim).</summary>
public sealed record MountedVolume(string MountPath, string? ConfigMap);

/// <summary>The one container of a Deployment, with what Kubernetes would give it.</summary>
public sealed record ContainerSpec(
    string Deployment,
    string Image,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, int> Ports,
    IReadOnlyList<string> ConfigMapRefs,
    IReadOnlyList<EnvironmentEntry> Environment,
    IReadOnlyList<HttpProbe> Probes,
    IReadOnlyList<MountedVolume> Volumes);

/// <summary>A Kubernetes Service: its name, port, the container port it targets and which pods it selects.</summary>
public sealed record ServiceSpec(string Name, int Port, string TargetPort, IReadOnlyDictionary<string, string> Selector);

/// <summary>
/// One kustomization of deploy/k8s read as the cluster reads it: its rendered ConfigMaps, Deployments and Services,
/// the operators' clusters it asks for, and each container's environment resolved as the kubelet resolves it.
/// </summary>
public sealed partial class KubernetesManifests
{
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ConfigMaps { get; init; }
    public required IReadOnlyList<ContainerSpec> Containers { get; init; }
    public required IReadOnlyDictionary<string, ServiceSpec> Services { get; init; }
    /// <summary>Pod labels of the workloads that are not Deployments (the servers' StatefulSets).</summary>
    public required IReadOnlyList<IReadOnlyDictionary<string, string>> OtherWorkloads { get; init; }
    /// <summary>CloudNativePG clusters: each makes the Service &lt;name&gt;-rw and the Secret &lt;name&gt;-app.</summary>
    public required IReadOnlyList<string> PostgresClusters { get; init; }
    /// <summary>RabbitMQ Cluster Operator clusters: each makes the Service &lt;name&gt; and the Secret &lt;name&gt;-default-user.</summary>
    public required IReadOnlyList<string> RabbitmqClusters { get; init; }

    public ContainerSpec Container(string deployment) => Containers.Single(c => c.Deployment == deployment);

    /// <summary>The rendered <paramref name="kustomization"/> (relative to deploy/k8s, e.g. overlays/small-county).</summary>
    public static KubernetesManifests Load(string kustomization)
    {
        var objects = Kustomize.Load(kustomization);
        return new KubernetesManifests
        {
            ConfigMaps = objects.OfType<V1ConfigMap>().ToDictionary(
                m => m.Metadata.Name, m => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(m.Data ?? new Dictionary<string, string>()), StringComparer.Ordinal),
            Containers = [.. objects.OfType<V1Deployment>().Select(ContainerOf)],
            Services = objects.OfType<V1Service>().ToDictionary(s => s.Metadata.Name, s =>
            {
                var port = s.Spec.Ports.Single();
                return new ServiceSpec(s.Metadata.Name, port.Port, port.TargetPort.Value, Labels(s.Spec.Selector));
            }, StringComparer.Ordinal),
            OtherWorkloads = [.. objects.OfType<V1StatefulSet>().Select(s => Labels(s.Spec.Template.Metadata.Labels))],
            PostgresClusters = [.. objects.OfType<PostgresCluster>().Select(c => c.Metadata.Name)],
            RabbitmqClusters = [.. objects.OfType<RabbitmqCluster>().Select(c => c.Metadata.Name)],
        };
    }

    public static ContainerSpec ContainerOf(V1Deployment deployment)
    {
        var pod = deployment.Spec.Template.Spec;
        var container = pod.Containers.Single();
        var volumes = (pod.Volumes ?? []).ToDictionary(v => v.Name, StringComparer.Ordinal);
        return new ContainerSpec(
            deployment.Metadata.Name,
            // The repository: the tag is the release's (the images transformer sets it).
            container.Image.Split(':')[0],
            Labels(deployment.Spec.Template.Metadata.Labels),
            (container.Ports ?? []).ToDictionary(p => p.Name, p => p.ContainerPort),
            [.. (container.EnvFrom ?? []).Select(e => e.ConfigMapRef?.Name ?? throw new InvalidOperationException($"{deployment.Metadata.Name}: envFrom other than a ConfigMap."))],
            [.. (container.Env ?? []).Select(e => new EnvironmentEntry(e.Name, e.Value, e.ValueFrom?.SecretKeyRef?.Name, e.ValueFrom?.SecretKeyRef?.Key))],
            [.. new (string Kind, V1Probe? Probe)[] { ("startupProbe", container.StartupProbe), ("livenessProbe", container.LivenessProbe), ("readinessProbe", container.ReadinessProbe) }
                .Where(p => p.Probe is not null)
                .Select(p => new HttpProbe(
                    p.Kind,
                    p.Probe!.HttpGet?.Path ?? throw new InvalidOperationException($"{deployment.Metadata.Name}'s {p.Kind} is not an HTTP probe."),
                    p.Probe.HttpGet.Port.Value,
                    p.Probe.PeriodSeconds ?? 10,
                    p.Probe.FailureThreshold ?? 3))],
            [.. (container.VolumeMounts ?? []).Select(m => new MountedVolume(m.MountPath, volumes[m.Name].ConfigMap?.Name))]);
    }

    private static Dictionary<string, string> Labels(IDictionary<string, string>? labels) =>
        new(labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);

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

    /// <summary>The names a value refers to with $(NAME).</summary>
    public static IEnumerable<string> References(string value) => Reference().Matches(value).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
