using Microsoft.Extensions.Configuration;

namespace PracticeMesh.ServiceDefaults.Dapr;

/// <summary>
/// Configuration values read from the Dapr secret store at start. <c>Dapr:Secrets</c> maps a configuration key to a
/// secret: <c>Dapr:Secrets:ConnectionStrings:grid = grid-db</c> (the secret's only value, or its value under the key
/// named like the secret) or <c>grid-db/connection</c> (the value under key <c>connection</c>). Added after the
/// environment, so a secret wins over a variable of the same key. A secret that cannot be read fails the start: a
/// service that would run with a missing connection string or signing key is worse than one that does not start.
/// </summary>
public sealed class DaprSecretsConfigurationSource(DaprOptions options, IReadOnlyDictionary<string, string> references) : IConfigurationSource
{
    public const string ReferencesSection = "Dapr:Secrets";

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new DaprSecretsConfigurationProvider(options, references);

    /// <summary>The <c>Dapr:Secrets</c> entries as configuration key → secret reference.</summary>
    public static IReadOnlyDictionary<string, string> ReferencesIn(IConfiguration configuration) =>
        configuration.GetSection(ReferencesSection).AsEnumerable(makePathsRelative: true)
            .Where(entry => !string.IsNullOrWhiteSpace(entry.Value))
            .ToDictionary(entry => entry.Key, entry => entry.Value!.Trim(), StringComparer.OrdinalIgnoreCase);
}

internal sealed class DaprSecretsConfigurationProvider(DaprOptions options, IReadOnlyDictionary<string, string> references) : ConfigurationProvider
{
    public override void Load() => LoadAsync().GetAwaiter().GetResult();

    private async Task LoadAsync()
    {
        using var http = new HttpClient { BaseAddress = options.SidecarAddress, Timeout = TimeSpan.FromSeconds(10) };
        var sidecar = new DaprSidecar(http);
        using var startup = new CancellationTokenSource(options.StartupTimeout);
        // The sidecar container may come up after the app's: wait for it rather than fail the first start.
        while (!await sidecar.IsReadyAsync(startup.Token))
        {
            if (startup.IsCancellationRequested)
            {
                throw new InvalidOperationException($"The Dapr sidecar at {options.SidecarAddress} did not answer within {options.StartupTimeout}; secrets from {options.SecretStore} cannot be read.");
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), startup.Token);
            }
            catch (OperationCanceledException)
            {
                // Checked once more above, then reported.
            }
        }

        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var secrets = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (configurationKey, reference) in references)
        {
            var (name, key) = reference.IndexOf('/') is var slash and > 0 ? (reference[..slash], reference[(slash + 1)..]) : (reference, null);
            if (!secrets.TryGetValue(name, out var secret))
            {
                secret = await sidecar.GetSecretAsync(options.SecretStore!, name, CancellationToken.None);
                secrets[name] = secret;
            }
            data[configurationKey] = key is not null ? ValueOrThrow(secret, key, reference)
                : secret.Count == 1 ? secret.Values.Single()
                : ValueOrThrow(secret, name, reference);
        }
        Data = data;
    }

    private string ValueOrThrow(IReadOnlyDictionary<string, string> secret, string key, string reference) =>
        secret.TryGetValue(key, out var value) ? value
            : throw new InvalidOperationException($"The secret '{reference}' in Dapr secret store {options.SecretStore} has no key '{key}' (it has {string.Join(", ", secret.Keys)}).");
}
