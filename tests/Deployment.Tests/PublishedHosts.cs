using System.Collections.Concurrent;
using System.Diagnostics;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Deployment.Tests;

/// <summary>
/// Each host's <c>dotnet publish</c> output, which is what its container image holds (PublishContainer packs the same
/// folder). Published once per test run from the build the test command already made (--no-build), into a temporary
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

    /// <summary>The project behind a deployment of deploy/k8s: the gateway, or services/&lt;Name&gt;.</summary>
    public static (string ProjectDirectory, string ProjectFile, string Assembly) ProjectOf(string deployment)
    {
        var name = char.ToUpperInvariant(deployment[0]) + deployment[1..];
        return deployment == "gateway"
            ? ("gateway", "Gateway.csproj", "PracticeMesh.Gateway")
            : ($"services/{name}", $"{name}.csproj", $"PracticeMesh.{name}");
    }

    /// <summary>The folder holding <paramref name="deployment"/>'s published host.</summary>
    public static Task<string> DirectoryOfAsync(string deployment) =>
        Outputs.GetOrAdd(deployment, name => new Lazy<Task<string>>(() => PublishAsync(name))).Value;

    private static async Task<string> PublishAsync(string deployment)
    {
        var (projectDirectory, projectFile, _) = ProjectOf(deployment);
        var output = Path.Combine(Root, deployment);
        await Slots.WaitAsync();
        try
        {
            var info = new ProcessStartInfo("dotnet",
            [
                "publish", Path.Combine(ServiceProcess.RepositoryRoot, projectDirectory, projectFile),
                "-c", ServiceProcess.BuildConfiguration, "--no-build", "--disable-build-servers", "-nologo", "-v:q", "-o", output,
            ])
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
                throw new InvalidOperationException($"dotnet publish {projectFile} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
            }
            return output;
        }
        finally
        {
            Slots.Release();
        }
    }
}
