using System.Collections.Concurrent;
using System.Diagnostics;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Deployment.Tests;

/// <summary>
/// Each host's <c>dotnet publish</c> output, which is what its container image holds: published by
/// deploy/images/publish.sh, the script the image build (deploy/images/Dockerfile) runs, so both have the same publish
/// arguments. Published once per test run from the build the test command already made (--no-build), into a temporary
/// folder removed when the run ends.
/// </summary>
public static class PublishedHosts
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "practicemesh-publish", Guid.NewGuid().ToString("N"));
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Outputs = new(StringComparer.Ordinal);
    // Each publish is an MSBuild process; a few at once keep a small machine responsive.
    private static readonly SemaphoreSlim Slots = new(3);

    static PublishedHosts() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was published.
        }
    };

    /// <summary>The project behind a deployment of deploy/k8s: the gateway, the web console, or services/&lt;Name&gt;.</summary>
    public static (string ProjectDirectory, string ProjectFile, string Assembly) ProjectOf(string deployment)
    {
        var name = char.ToUpperInvariant(deployment[0]) + deployment[1..];
        return deployment switch
        {
            "gateway" => ("gateway", "Gateway.csproj", "PracticeMesh.Gateway"),
            "console" => ("console/Host", "Host.csproj", "PracticeMesh.WebConsole.Host"),
            _ => ($"services/{name}", $"{name}.csproj", $"PracticeMesh.{name}"),
        };
    }

    /// <summary>The script that publishes a host, for the image build and for these tests alike.</summary>
    public static string PublishScript { get; } = Path.Combine(ServiceProcess.RepositoryRoot, "deploy", "images", "publish.sh");

    /// <summary>
    /// The command that publishes <paramref name="deployment"/> into <paramref name="output"/>: the script with the project,
    /// the folder and this run's configuration, from the build already made (the image build restores instead).
    /// </summary>
    public static IReadOnlyList<string> PublishCommand(string deployment, string output)
    {
        var (projectDirectory, projectFile, _) = ProjectOf(deployment);
        return ["sh", PublishScript, Path.Combine(ServiceProcess.RepositoryRoot, projectDirectory, projectFile), output, ServiceProcess.BuildConfiguration, "--no-build"];
    }

    /// <summary>The folder holding <paramref name="deployment"/>'s published host.</summary>
    public static Task<string> DirectoryOfAsync(string deployment) =>
        Outputs.GetOrAdd(deployment, name => new Lazy<Task<string>>(() => PublishAsync(name))).Value;

    private static async Task<string> PublishAsync(string deployment)
    {
        var output = Path.Combine(Root, deployment);
        await Slots.WaitAsync();
        try
        {
            var command = PublishCommand(deployment, output);
            var info = new ProcessStartInfo(command[0], command.Skip(1))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet publish did not start.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{string.Join(' ', command)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
            }
            return output;
        }
        finally
        {
            Slots.Release();
        }
    }
}
