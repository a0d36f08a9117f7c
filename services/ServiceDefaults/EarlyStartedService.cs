using Microsoft.Extensions.Hosting;

namespace PracticeMesh.ServiceDefaults;

/// <summary>
/// A hosted service whose work begins as the host starts starting (every such service at once, on the thread pool)
/// and is awaited in its own turn among the hosted services, so a host of several modules overlaps their start-up
/// work while each service still finds the ones before it done.
/// </summary>
public abstract class EarlyStartedService : IHostedLifecycleService
{
    private Task? _work;

    /// <summary>The start-up work; called once per start (or again when the host is started again).</summary>
    protected abstract Task RunAsync(CancellationToken cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _work = Task.Run(() => RunAsync(cancellationToken), cancellationToken);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Interlocked.Exchange(ref _work, null) ?? RunAsync(cancellationToken);

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
