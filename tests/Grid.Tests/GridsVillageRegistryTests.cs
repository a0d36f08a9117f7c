using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Data;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>
/// The villages grids may be drawn in, from the stations registry's events delivered in every order and duplicated:
/// each order ends as the in-order history does.
/// </summary>
public sealed class GridsVillageRegistryTests(GridFactory factory) : IClassFixture<GridFactory>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_registered_renamed_and_closed_village_ends_named_and_closed_in_every_order()
    {
        var orders = EventOrders.Permutations([0, 1, 2, 3]).ToList();
        using var client = factory.CreateClient();
        for (var i = 0; i < orders.Count; i++)
        {
            var village = $"321324113{201 + i}";
            var history = History(village, closed: true);
            // The first event comes again at the end, as a relay that crashed after publishing sends it.
            await factory.DeliverAsync([.. orders[i].Select(e => history[e]), history[orders[i][0]]]);

            var known = await VillageAsync(village);
            Assert.True((known.Name, known.Closed) == ("王集村实践站（新）", true), $"order {string.Join(",", orders[i])}: {known.Name}, closed {known.Closed}");
            HttpAssertions.AssertNamesInvalid(await client.PostAsync("/api/v1/grid/grids", new { villageCode = village, serial = 1, name = "G" }, HttpStatusCode.BadRequest), "villageCode");
        }
    }

    [Fact]
    public async Task A_unit_station_makes_its_village_known_but_neither_names_nor_closes_it()
    {
        var orders = EventOrders.Permutations([0, 1, 2, 4]).ToList();
        using var client = factory.CreateClient();
        for (var i = 0; i < orders.Count; i++)
        {
            var village = $"321324114{201 + i}";
            var history = History(village, closed: false);
            await factory.DeliverAsync([.. orders[i].Select(e => history[e]), history[orders[i][^1]]]);

            var known = await VillageAsync(village);
            Assert.True((known.Name, known.Closed) == ("王集村实践站（新）", false), $"order {string.Join(",", orders[i])}: {known.Name}, closed {known.Closed}");
            await client.PostAsync("/api/v1/grid/grids", new { villageCode = village, serial = 1, name = "G" }, HttpStatusCode.Created);
        }

        // Only a unit station heard of: the village is known (grids may be drawn), unnamed until its own station speaks.
        await factory.DeliverAsync([History("321324115201", closed: false)[2]]);
        Assert.Equal("", (await VillageAsync("321324115201")).Name);
        await client.PostAsync("/api/v1/grid/grids", new { villageCode = "321324115201", serial = 1, name = "G" }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_centre_or_institute_is_no_village()
    {
        await factory.DeliverAsync([
            new StationRegistered(Guid.NewGuid(), T0, DivisionCode.Parse("321324116"), Guid.NewGuid(), "321324116", "某镇实践所", StationKind.Institute, "321324"),
        ]);

        using var scope = factory.Services.CreateScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<GridDbContext>().Villages.AnyAsync(v => v.Code == DivisionCode.Parse("321324116")));
    }

    /// <summary>0 registered, 1 renamed, 2 a school station registered in it, 3 closed, 4 the school station closed.</summary>
    private static IIntegrationEvent[] History(string village, bool closed)
    {
        var code = DivisionCode.Parse(village);
        var stationId = Guid.NewGuid();
        var schoolId = Guid.NewGuid();
        return
        [
            new StationRegistered(Guid.NewGuid(), T0.AddHours(1), code, stationId, village, "王集村实践站", StationKind.Village, "321324104"),
            new StationUpdated(Guid.NewGuid(), T0.AddHours(2), code, stationId, village, "王集村实践站（新）", null, 33.1, 118.1),
            new StationRegistered(Guid.NewGuid(), T0.AddHours(3), code, schoolId, $"{village}-S01", "王集小学实践站", StationKind.School, village),
            new StationClosed(Guid.NewGuid(), T0.AddHours(closed ? 4 : 5), code, stationId, village, "撤并"),
            new StationClosed(Guid.NewGuid(), T0.AddHours(6), code, schoolId, $"{village}-S01", "学校撤并"),
        ];
    }

    private async Task<Grids.KnownVillage> VillageAsync(string village)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<GridDbContext>();
        return await db.Villages.AsNoTracking().SingleAsync(v => v.Code == DivisionCode.Parse(village));
    }
}
