using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.Grids;
using PracticeMesh.Grid.People;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>
/// The people identity publishes end as their history says, whatever the order the events arrive in and however often:
/// each small history is delivered in every order with one event twice.
/// </summary>
public sealed class PeopleTests(GridFactory factory) : IClassFixture<GridFactory>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_person_created_renamed_and_moved_then_deactivated_ends_so_in_any_order()
    {
        foreach (var order in EventOrders.Permutations([0, 1, 2]))
        {
            var id = Guid.CreateVersion7();
            IIntegrationEvent[] history =
            [
                Changed(id, T0, "张三", PracticeMeshRoles.GridWorker, "321324104202", active: true),
                Changed(id, T0.AddHours(1), "张三丰", PracticeMeshRoles.GridWorker, "321324104203", active: true),
                Changed(id, T0.AddHours(2), "张三丰", PracticeMeshRoles.GridWorker, "321324104203", active: false),
            ];
            await factory.DeliverAsync([.. order.Select(i => history[i]), history[order[0]]]);

            var person = await GridPeople.DbAsync(factory, db => db.People.AsNoTracking().SingleAsync(p => p.Id == id));
            Assert.Equal(("张三丰", "321324104203", false), (person.Name, person.Division.Value, person.Active));
            Assert.Equal(T0.AddHours(2), person.ChangedAt);
        }
    }

    [Fact]
    public async Task A_person_deactivated_and_activated_again_ends_active_in_any_order()
    {
        foreach (var order in EventOrders.Permutations([0, 1, 2]))
        {
            var id = Guid.CreateVersion7();
            IIntegrationEvent[] history =
            [
                Changed(id, T0, "李四", PracticeMeshRoles.StationAdmin, "321324104201", active: true),
                Changed(id, T0.AddDays(1), "李四", PracticeMeshRoles.StationAdmin, "321324104201", active: false),
                Changed(id, T0.AddDays(2), "李四", PracticeMeshRoles.TownshipAdmin, "321324104", active: true),
            ];
            await factory.DeliverAsync([.. order.Select(i => history[i]), history[order[^1]]]);

            var person = await GridPeople.DbAsync(factory, db => db.People.AsNoTracking().SingleAsync(p => p.Id == id));
            Assert.Equal((PracticeMeshRoles.TownshipAdmin, "321324104", true), (person.Role, person.Division.Value, person.Active));
        }
    }

    [Fact]
    public async Task An_older_statement_arriving_last_changes_nothing_that_a_user_sees()
    {
        var grid = await GridPeople.CreateGridAsync(factory, "321324120201", 1);
        var id = Guid.CreateVersion7();
        await factory.DeliverAsync([Changed(id, T0.AddDays(1), "王五", PracticeMeshRoles.GridWorker, "321324120201", active: true)]);
        using var admin = factory.CreateClient();
        await admin.PostAsync($"/api/v1/grid/grids/{grid}/assignments", new { personId = id, duty = "Worker" }, HttpStatusCode.Created);

        await factory.DeliverAsync([Changed(id, T0, "王老五", PracticeMeshRoles.Resident, "321324120201", active: false)]);

        var listed = await admin.GetAsync($"/api/v1/grid/grids/{grid}/assignments", HttpStatusCode.OK);
        var only = Assert.Single(listed.EnumerateArray());
        Assert.Equal(("王五", true), (only.GetProperty("personName").GetString(), only.GetProperty("personActive").GetBoolean()));
    }

    internal static PersonChanged Changed(Guid id, DateTimeOffset at, string name, string role, string division, bool active) =>
        new(Guid.CreateVersion7(), at, DivisionCode.Parse(division), id, name, role, active);
}

/// <summary>What the people, assignment and coverage tests set up: people heard from identity, villages, grids.</summary>
internal static class GridPeople
{
    public static async Task<T> DbAsync<T>(ServiceFactory<GridModule> factory, Func<GridDbContext, Task<T>> read)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<GridDbContext>());
    }

    /// <summary>A person as identity publishes them, heard before the test goes on.</summary>
    public static async Task<Guid> KnowPersonAsync(ServiceFactory<GridModule> factory, string role, string division, string name = "赵六")
    {
        var id = Guid.CreateVersion7();
        await factory.DeliverAsync([PeopleTests.Changed(id, factory.Clock.GetUtcNow().AddMinutes(-1), name, role, division, active: true)]);
        return id;
    }

    /// <summary>The person deactivated (or activated again) in identity, heard.</summary>
    public static Task SetActiveAsync(ServiceFactory<GridModule> factory, Guid id, string role, string division, bool active, string name = "赵六")
    {
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        return factory.DeliverAsync([PeopleTests.Changed(id, factory.Clock.GetUtcNow(), name, role, division, active)]);
    }

    /// <summary>
    /// A village the stations registry knows (what its StationRegistered leaves in the grid service), so grids may be
    /// drawn in it and coverage counts it.
    /// </summary>
    public static Task KnowVillageAsync(ServiceFactory<GridModule> factory, string village, string name) => DbAsync(factory, async db =>
    {
        if (await db.Villages.FindAsync(DivisionCode.Parse(village)) is null)
        {
            db.Villages.Add(new KnownVillage(DivisionCode.Parse(village), name, factory.Clock.GetUtcNow().AddDays(-30)));
            await db.SaveChangesAsync();
        }
        return true;
    });

    /// <summary>A level-2 grid in a known village, through the grids API, with its coverage reckoned; returns its code.</summary>
    public static async Task<string> CreateGridAsync(ServiceFactory<GridModule> factory, string village, int serial, int households = 0)
    {
        await KnowVillageAsync(factory, village, $"{village[^3..]}村");
        using var admin = factory.CreateClient();
        var created = await admin.PostAsync("/api/v1/grid/grids", new { villageCode = village, serial, name = $"第{serial}网格", households }, HttpStatusCode.Created);
        var code = created.GetProperty("code").GetString()!;
        await DbAsync(factory, async db =>
        {
            var grid = await db.Grids.SingleAsync(g => g.Code == code);
            db.Entry(grid).Property(g => g.Households).CurrentValue = households;
            await db.SaveChangesAsync();
            return true;
        });
        await RecheckAsync(factory, village);
        return code;
    }

    /// <summary>
    /// Reckons the village's coverage as a grid write does: the grids API does it when it creates or retires a grid;
    /// again here it changes nothing already reckoned.
    /// </summary>
    public static Task RecheckAsync(ServiceFactory<GridModule> factory, string village) => DbAsync(factory, async db =>
    {
        await CoverageTracker.RecheckAsync(db, DivisionCode.Parse(village), factory.Clock.GetUtcNow());
        await db.SaveChangesAsync();
        return true;
    });

    /// <summary>The grid retired (as the grids API's retire does), its coverage reckoned.</summary>
    public static async Task RetireAsync(ServiceFactory<GridModule> factory, string code)
    {
        await DbAsync(factory, async db =>
        {
            var grid = await db.Grids.SingleAsync(g => g.Code == code);
            db.Entry(grid).Property(g => g.RetiredAt).CurrentValue = factory.Clock.GetUtcNow();
            await CoverageTracker.RecheckAsync(db, grid.DivisionCode, factory.Clock.GetUtcNow());
            await db.SaveChangesAsync();
            return true;
        });
    }

    /// <summary>Waits until the grid's gap was published <paramref name="count"/> times; returns Open of each, in order.</summary>
    public static Task<List<bool>> GapEventsAsync(ServiceFactory<GridModule> factory, string? gridCode, string village, int count) =>
        HttpAssertions.EventuallyAsync(() =>
        {
            var events = factory.Harness.Published.Select<CoverageChanged>(m => m.Context.Message.DivisionCode.Value == village && m.Context.Message.GridCode == gridCode)
                .Select(m => m.Context.Message).OrderBy(m => m.OccurredAt).ThenBy(m => m.EventId).Select(m => m.Open).ToList();
            return Task.FromResult(events.Count >= count ? events : null);
        }, $"{count} CoverageChanged for {gridCode ?? village}");
}
