using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using k8s;
using k8s.Models;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Deployment.Tests;

/// <summary>
/// deploy/k8s as the cluster receives it: each kustomization rendered with <c>kubectl kustomize</c> (kubectl's own
/// kustomize, the one <c>kubectl apply -k</c> uses), and the rendered objects read strictly into the Kubernetes client's
/// models and the operators' custom resources (<see cref="CustomResource{TSpec}"/>): a field the API does not have fails.
/// </summary>
public static class Kustomize
{
    public static string Root { get; } = Path.Combine(ServiceProcess.RepositoryRoot, "deploy", "k8s");

    private static readonly ConcurrentDictionary<string, Lazy<string>> Rendered = new(StringComparer.Ordinal);

    /// <summary>apiVersion/kind of every model: Kubernetes' own kinds and the custom resources of this project.</summary>
    public static IDictionary<string, Type> TypeMap { get; } = typeof(V1Pod).Assembly.GetTypes()
        .Concat(typeof(CustomResource<>).Assembly.GetTypes())
        .Select(type => (Type: type, Entity: type.GetCustomAttribute<KubernetesEntityAttribute>()))
        .Where(t => t.Entity is not null && !t.Type.IsAbstract)
        .ToDictionary(
            t => $"{(string.IsNullOrEmpty(t.Entity!.Group) ? "" : t.Entity.Group + "/")}{t.Entity.ApiVersion}/{t.Entity.Kind}",
            t => t.Type);

    /// <summary>
    /// Every kustomization under deploy/k8s (relative paths): the base and each of its parts, and every overlay;
    /// components are rendered through the overlays that use them (a Component does not render on its own).
    /// </summary>
    public static IReadOnlyList<string> All() =>
    [
        .. Directory.EnumerateFiles(Root, "kustomization.yaml", SearchOption.AllDirectories)
            .Where(file => !File.ReadLines(file).Any(line => line.Trim() == "kind: Component"))
            .Select(file => Path.GetRelativePath(Root, Path.GetDirectoryName(file)!).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The kustomizations one applies: the base and the overlays (not the parts they are made of).</summary>
    public static IReadOnlyList<string> Deployable() =>
        [.. All().Where(k => k == "base" || (k.StartsWith("overlays/", StringComparison.Ordinal) && k.Count(c => c == '/') == 1))];

    /// <summary>The YAML <c>kubectl kustomize</c> prints for <paramref name="kustomization"/> (relative to deploy/k8s).</summary>
    public static string Render(string kustomization) =>
        Rendered.GetOrAdd(kustomization, k => new Lazy<string>(() => Run(k))).Value;

    /// <summary>The rendered objects, each read strictly into its model.</summary>
    public static IReadOnlyList<object> Load(string kustomization) =>
        KubernetesYaml.LoadAllFromString(Render(kustomization), TypeMap, strict: true);

    private static string Run(string kustomization)
    {
        var info = new ProcessStartInfo("kubectl", ["kustomize", Path.Combine(Root, kustomization)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("kubectl did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {kustomization} failed ({process.ExitCode}):\n{stderr.Result}");
        }
        return output;
    }
}
