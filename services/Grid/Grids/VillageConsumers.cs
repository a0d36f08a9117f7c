using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.People;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.Grid.Grids;

/// <summary>
/// The villages the stations registry knows, from its stations' events: a village or community station (its code is
/// the village's 12-digit code) names the village and its closure closes it; a unit station (school, enterprise...) in
/// a village makes the village known but neither names nor closes it, since the village's own station may still be
/// open. Events arrive in any order: each kind of statement is kept by its time, so every order ends the same.
/// </summary>
public static class VillageRegistry
{
    internal static async Task<KnownVillage?> VillageOfAsync(GridDbContext db, DivisionCode division, CancellationToken cancellationToken)
    {
        if (division.Tier != DivisionTier.Village)
        {
            // A centre or institute: not a place grids divide.
            return null;
        }
        var village = await db.Villages.FindAsync([division], cancellationToken);
        if (village is null)
        {
            village = KnownVillage.Unnamed(division);
            db.Villages.Add(village);
        }
        return village;
    }

    /// <summary>True for the village's (or community's) own station, whose code is the village code itself.</summary>
    internal static bool IsVillageStation(string stationCode, DivisionCode division) => stationCode == division.Value;
}

public sealed class TrackVillageOnStationRegistered(GridDbContext db, TimeProvider time)
    : IdempotentConsumer<StationRegistered, GridDbContext>(db, time)
{
    protected override async Task HandleAsync(StationRegistered message, CancellationToken cancellationToken)
    {
        if (await VillageRegistry.VillageOfAsync(Db, message.DivisionCode, cancellationToken) is { } village
            && VillageRegistry.IsVillageStation(message.StationCode, message.DivisionCode))
        {
            village.Named(message.Name, message.OccurredAt, winsTies: false);
            // A village heard of without grids, or closed, opens or closes its coverage gaps.
            await CoverageTracker.RecheckAsync(Db, village.Code, Time.GetUtcNow(), cancellationToken);
        }
    }
}

public sealed class TrackVillageOnStationUpdated(GridDbContext db, TimeProvider time)
    : IdempotentConsumer<StationUpdated, GridDbContext>(db, time)
{
    protected override async Task HandleAsync(StationUpdated message, CancellationToken cancellationToken)
    {
        if (await VillageRegistry.VillageOfAsync(Db, message.DivisionCode, cancellationToken) is { } village
            && VillageRegistry.IsVillageStation(message.StationCode, message.DivisionCode))
        {
            village.Named(message.Name, message.OccurredAt, winsTies: true);
            // A village heard of without grids, or closed, opens or closes its coverage gaps.
            await CoverageTracker.RecheckAsync(Db, village.Code, Time.GetUtcNow(), cancellationToken);
        }
    }
}

/// <summary>A closed village takes no new grids; a closure heard before the registration starts the row closed.</summary>
public sealed class TrackVillageOnStationClosed(GridDbContext db, TimeProvider time)
    : IdempotentConsumer<StationClosed, GridDbContext>(db, time)
{
    protected override async Task HandleAsync(StationClosed message, CancellationToken cancellationToken)
    {
        if (await VillageRegistry.VillageOfAsync(Db, message.DivisionCode, cancellationToken) is { } village
            && VillageRegistry.IsVillageStation(message.StationCode, message.DivisionCode))
        {
            village.Close();
            // A village heard of without grids, or closed, opens or closes its coverage gaps.
            await CoverageTracker.RecheckAsync(Db, village.Code, Time.GetUtcNow(), cancellationToken);
        }
    }
}
