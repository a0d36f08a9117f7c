using Microsoft.AspNetCore.Hosting;
using PracticeMesh.Activities;
using PracticeMesh.Grid;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Dapr.Tests;

/// <summary>
/// A service under test (SQLite, the in-memory bus harness) with a Dapr sidecar stand-in of its own, and Dapr switched
/// on or off. With Dapr off the stand-in still runs at the configured endpoint, so a call that should not happen is seen.
/// </summary>
public abstract class DaprServiceFactory<TModule> : ServiceFactory<TModule> where TModule : class
{
    public const string PubSub = "pubsub";

    /// <summary>Started on the thread pool: blocking on it from the test framework's synchronization context could deadlock.</summary>
    public DaprSidecarStandIn Sidecar { get; } = Task.Run(DaprSidecarStandIn.StartAsync).GetAwaiter().GetResult();

    protected abstract bool DaprEnabled { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Dapr:Enabled", DaprEnabled ? "true" : "false");
        builder.UseSetting("Dapr:HttpEndpoint", Sidecar.Address.ToString());
        builder.UseSetting("Dapr:PubSub", PubSub);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Sidecar.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

public sealed class ActivitiesWithDapr : DaprServiceFactory<ActivitiesModule>
{
    protected override bool DaprEnabled => true;
}

public sealed class ActivitiesWithoutDapr : DaprServiceFactory<ActivitiesModule>
{
    protected override bool DaprEnabled => false;
}

public sealed class GridWithDapr : DaprServiceFactory<GridModule>
{
    protected override bool DaprEnabled => true;
}

/// <summary>A grid cell serving township 321324104 only, on a mesh where every grid cell receives every partner report.</summary>
public sealed class GridCellWithDapr : DaprServiceFactory<GridModule>
{
    public const string Township = "321324104";

    protected override bool DaprEnabled => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Grid:DaprReports:Divisions:0", Township);
    }
}

public sealed class GridWithoutDapr : DaprServiceFactory<GridModule>
{
    protected override bool DaprEnabled => false;
}
