using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Activities.Data;
using PracticeMesh.Activities.Orders;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using static PracticeMesh.Activities.Tests.Feed;

namespace PracticeMesh.Activities.Tests;

/// <summary>
/// Orders as residents live them: ordered where they live (or asked for in their own words), taken on and done only
/// by whom they were dispatched to, seen and rated by the resident who placed them, and sent up a tier when late.
/// </summary>
public sealed class OrdersAsResidentsLiveThemTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    internal const string Home = "321324104202", Institute = "321324104", School = "321324104202-S01";
    internal const string NeighbourVillage = "321324104201", OtherTownship = "321324105201";
    private readonly Feed _feed = new(factory);

    /// <summary>Registers any kind of station, unit stations (…-S01) included, as the stations service announces it.</summary>
    internal static async Task StationAsync(ServiceFactory<ActivitiesModule> factory, string code, string division, StationKind kind)
    {
        var registered = new StationRegistered(Guid.NewGuid(), factory.Clock.GetUtcNow(), DivisionCode.Parse(division), Guid.NewGuid(), code,
            $"站 {code}", kind, null);
        await factory.Harness.Bus.Publish(registered);
        await factory.ConsumedAsync<StationRegistered>(m => m.EventId == registered.EventId);
    }

    private async Task<Guid> MenuItemAsync(HttpClient admin, string station, string division, Guid? leader = null, params Guid[] members)
    {
        var team = await _feed.TeamLedByAsync(division, station, leader, members);
        return (await admin.PostAsync($"{Route}/menu-items", new { teamId = team, title = "上门理发", category = "ConvenienceService" }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
    }

    private HttpClient Resident(string subject, string village = Home) =>
        factory.CreateClient().WithToken(TestTokens.Create(PracticeMeshRoles.Resident, village, subject: subject));

    private static string Status(JsonElement order) => order.GetProperty("status").GetString()!;

    [Fact]
    public async Task A_resident_orders_from_their_village_a_unit_station_in_it_and_the_tiers_above_and_nowhere_else()
    {
        await StationAsync(factory, Home, Home, StationKind.Village);
        await StationAsync(factory, School, Home, StationKind.School);
        await StationAsync(factory, Institute, Institute, StationKind.Institute);
        await StationAsync(factory, NeighbourVillage, NeighbourVillage, StationKind.Village);
        await StationAsync(factory, OtherTownship, OtherTownship, StationKind.Village);
        using var admin = factory.CreateClient();
        using var resident = Resident($"resident-{Guid.NewGuid():N}");

        foreach (var (station, division) in new[] { (Home, Home), (School, Home), (Institute, Institute) })
        {
            var item = await MenuItemAsync(admin, station, division);
            var placed = await resident.PostAsync($"{Route}/orders", new { menuItemId = item }, HttpStatusCode.Created);
            Assert.Equal(station, placed.GetProperty("stationCode").GetString());
        }
        // Today's complaint: a resident of 321324104202 ordering from a 321324105 station's menu; and a neighbour village's.
        foreach (var (station, division) in new[] { (OtherTownship, OtherTownship), (NeighbourVillage, NeighbourVillage) })
        {
            var item = await MenuItemAsync(admin, station, division);
            await resident.PostAsync($"{Route}/orders", new { menuItemId = item }, HttpStatusCode.Forbidden);
        }
        Assert.Equal(3, (await resident.GetAsync($"{Route}/orders/mine", HttpStatusCode.OK)).GetArrayLength());
    }

    [Fact]
    public async Task A_resident_sees_and_rates_only_their_own_orders()
    {
        await StationAsync(factory, Home, Home, StationKind.Village);
        using var admin = factory.CreateClient();
        var volunteer = await _feed.VolunteerAsync(Home);
        using var phone = _feed.Phone(volunteer, Home);
        var item = await MenuItemAsync(admin, Home, Home);
        using var alice = Resident($"alice-{Guid.NewGuid():N}");
        using var bob = Resident($"bob-{Guid.NewGuid():N}");

        var first = (await alice.PostAsync($"{Route}/orders", new { menuItemId = item, details = "先" }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = (await alice.PostAsync($"{Route}/orders", new { menuItemId = item, details = "后" }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var bobs = (await bob.PostAsync($"{Route}/orders", new { menuItemId = item }, HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var mine = await alice.GetAsync($"{Route}/orders/mine", HttpStatusCode.OK);
        Assert.Equal([second, first], mine.EnumerateArray().Select(o => o.GetProperty("id").GetGuid()));
        await admin.GetAsync($"{Route}/orders/mine", HttpStatusCode.Forbidden);

        await admin.PostAsync($"{Route}/orders/{first}/dispatch", new { volunteerId = volunteer, dueAt = factory.Clock.GetUtcNow().AddDays(1) }, HttpStatusCode.OK);
        await phone.PostAsync($"{Route}/orders/{first}/accept", null, HttpStatusCode.OK);
        await phone.PostAsync($"{Route}/orders/{first}/complete", null, HttpStatusCode.OK);

        // Bob cannot read or rate Alice's order; it stays unrated.
        await bob.GetAsync($"{Route}/orders/{first}", HttpStatusCode.NotFound);
        await bob.PostAsync($"{Route}/orders/{first}/rating", new { score = 1 }, HttpStatusCode.NotFound);
        Assert.Equal("Done", Status(await alice.GetAsync($"{Route}/orders/{first}", HttpStatusCode.OK)));
        var rated = await alice.PostAsync($"{Route}/orders/{first}/rating", new { score = 5, comment = "很及时" }, HttpStatusCode.OK);
        Assert.Equal(("Rated", 5), (Status(rated), rated.GetProperty("score").GetInt32()));
        Assert.DoesNotContain((await alice.GetAsync($"{Route}/orders/mine", HttpStatusCode.OK)).EnumerateArray(), o => o.GetProperty("id").GetGuid() == bobs);
    }

    [Fact]
    public async Task Only_the_volunteer_or_team_an_order_was_dispatched_to_takes_it_on_and_completes_it()
    {
        await StationAsync(factory, Home, Home, StationKind.Village);
        using var admin = factory.CreateClient();
        var (assignee, bystander, leaderId, member) =
            (await _feed.VolunteerAsync(Home), await _feed.VolunteerAsync(Home), await _feed.VolunteerAsync(Home), await _feed.VolunteerAsync(Home));
        using var assigneePhone = _feed.Phone(assignee, Home);
        using var bystanderPhone = _feed.Phone(bystander, Home);
        using var memberPhone = _feed.Phone(member, Home);
        using var leader = factory.CreateClient().WithToken(TestTokens.Create(PracticeMeshRoles.TeamLeader, Institute, volunteerId: leaderId));
        using var otherLeader = factory.CreateClient().WithToken(TestTokens.Create(PracticeMeshRoles.TeamLeader, Institute, volunteerId: bystander));
        var item = await MenuItemAsync(admin, Home, Home, leaderId, member);
        var team = (await admin.GetAsync($"{Route}/menu?stationCode={Home}", HttpStatusCode.OK)).EnumerateArray()
            .Single(i => i.GetProperty("id").GetGuid() == item).GetProperty("teamId").GetGuid();
        using var resident = Resident($"resident-{Guid.NewGuid():N}");
        var due = factory.Clock.GetUtcNow().AddDays(1);

        // To a volunteer: a bystander of the same village is refused at every step, and nothing changes.
        var toVolunteer = (await resident.PostAsync($"{Route}/orders", new { menuItemId = item }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await admin.PostAsync($"{Route}/orders/{toVolunteer}/dispatch", new { volunteerId = assignee, dueAt = due }, HttpStatusCode.OK);
        await bystanderPhone.PostAsync($"{Route}/orders/{toVolunteer}/accept", null, HttpStatusCode.Forbidden);
        await bystanderPhone.PostAsync($"{Route}/orders/{toVolunteer}/decline", new { reason = "不想去" }, HttpStatusCode.Forbidden);
        await leader.PostAsync($"{Route}/orders/{toVolunteer}/accept", null, HttpStatusCode.Forbidden);
        Assert.Equal("Dispatched", Status(await admin.GetAsync($"{Route}/orders/{toVolunteer}", HttpStatusCode.OK)));
        await assigneePhone.PostAsync($"{Route}/orders/{toVolunteer}/accept", null, HttpStatusCode.OK);
        await bystanderPhone.PostAsync($"{Route}/orders/{toVolunteer}/complete", null, HttpStatusCode.Forbidden);
        Assert.Equal("Accepted", Status(await admin.GetAsync($"{Route}/orders/{toVolunteer}", HttpStatusCode.OK)));
        await assigneePhone.PostAsync($"{Route}/orders/{toVolunteer}/complete", null, HttpStatusCode.OK);

        // To a team: its leader and its members, not a volunteer outside it nor another team's leader.
        var toTeam = (await resident.PostAsync($"{Route}/orders", new { menuItemId = item }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await admin.PostAsync($"{Route}/orders/{toTeam}/dispatch", new { teamId = team, dueAt = due }, HttpStatusCode.OK);
        await assigneePhone.PostAsync($"{Route}/orders/{toTeam}/accept", null, HttpStatusCode.Forbidden);
        await otherLeader.PostAsync($"{Route}/orders/{toTeam}/accept", null, HttpStatusCode.Forbidden);
        await leader.PostAsync($"{Route}/orders/{toTeam}/decline", new { reason = "人手不足" }, HttpStatusCode.OK);
        await admin.PostAsync($"{Route}/orders/{toTeam}/dispatch", new { teamId = team, dueAt = due }, HttpStatusCode.OK);
        await memberPhone.PostAsync($"{Route}/orders/{toTeam}/accept", null, HttpStatusCode.OK);
        await leader.PostAsync($"{Route}/orders/{toTeam}/complete", null, HttpStatusCode.OK);

        // Another township's volunteer does not even see it.
        using var elsewhere = _feed.Phone(await _feed.VolunteerAsync(OtherTownship), OtherTownship);
        await elsewhere.PostAsync($"{Route}/orders/{toTeam}/accept", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_wish_in_the_residents_own_words_goes_to_their_station_and_is_dispatched_like_any_order()
    {
        await StationAsync(factory, Home, Home, StationKind.Village);
        await StationAsync(factory, OtherTownship, OtherTownship, StationKind.Village);
        using var admin = factory.CreateClient();
        var volunteer = await _feed.VolunteerAsync(Home);
        using var phone = _feed.Phone(volunteer, Home);
        using var resident = Resident($"resident-{Guid.NewGuid():N}");

        AssertNamesField(await resident.PostAsync($"{Route}/orders", new { details = "  " }, HttpStatusCode.BadRequest), "details");
        await resident.PostAsync($"{Route}/orders", new { details = "修水管", stationCode = OtherTownship }, HttpStatusCode.Forbidden);
        Assert.Equal(0, (await resident.GetAsync($"{Route}/orders/mine", HttpStatusCode.OK)).GetArrayLength());

        var wish = await resident.PostAsync($"{Route}/orders", new { details = "想给孩子找一位周末辅导作业的志愿者" }, HttpStatusCode.Created);
        var id = wish.GetProperty("id").GetGuid();
        Assert.True(wish.GetProperty("isWish").GetBoolean());
        Assert.Equal((Home, "微心愿", JsonValueKind.Null), (wish.GetProperty("stationCode").GetString(), wish.GetProperty("title").GetString(), wish.GetProperty("menuItemId").ValueKind));
        var placed = await factory.PublishedAsync<OrderPlaced>(m => m.OrderId == id);
        Assert.Null(placed.MenuItemId);

        var listed = await admin.GetAsync($"{Route}/orders?under={Home}", HttpStatusCode.OK);
        Assert.Contains(listed.EnumerateArray(), o => o.GetProperty("id").GetGuid() == id);
        await admin.PostAsync($"{Route}/orders/{id}/dispatch", new { volunteerId = volunteer, dueAt = factory.Clock.GetUtcNow().AddDays(3) }, HttpStatusCode.OK);
        await phone.PostAsync($"{Route}/orders/{id}/accept", null, HttpStatusCode.OK);
        await phone.PostAsync($"{Route}/orders/{id}/complete", null, HttpStatusCode.OK);
        await resident.PostAsync($"{Route}/orders/{id}/rating", new { score = 5 }, HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_late_order_goes_up_one_tier_per_step_until_the_county_and_shows_it()
    {
        await StationAsync(factory, Home, Home, StationKind.Village);
        using var admin = factory.CreateClient();
        var volunteer = await _feed.VolunteerAsync(Home);
        using var phone = _feed.Phone(volunteer, Home);
        var item = await MenuItemAsync(admin, Home, Home);
        using var resident = Resident($"resident-{Guid.NewGuid():N}");
        var unaccepted = (await resident.PostAsync($"{Route}/orders", new { menuItemId = item }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var undone = (await resident.PostAsync($"{Route}/orders", new { menuItemId = item }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var done = (await resident.PostAsync($"{Route}/orders", new { menuItemId = item }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        foreach (var id in new[] { undone, done })
        {
            await admin.PostAsync($"{Route}/orders/{id}/dispatch", new { volunteerId = volunteer, dueAt = factory.Clock.GetUtcNow().AddDays(1) }, HttpStatusCode.OK);
            await phone.PostAsync($"{Route}/orders/{id}/accept", null, HttpStatusCode.OK);
        }
        await phone.PostAsync($"{Route}/orders/{done}/complete", null, HttpStatusCode.OK);

        // Within the limit nothing moves.
        factory.Clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(1));
        await SweepAsync(factory);
        Assert.Equal(0, (await resident.GetAsync($"{Route}/orders/{unaccepted}", HttpStatusCode.OK)).GetProperty("escalationLevel").GetInt32());

        // Not accepted in two days: up to the township's institute; swept again, it stays one step.
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await SweepAsync(factory);
        await SweepAsync(factory);
        var first = await resident.GetAsync($"{Route}/orders/{unaccepted}", HttpStatusCode.OK);
        Assert.Equal((1, Institute, "NotAccepted"),
            (first.GetProperty("escalationLevel").GetInt32(), first.GetProperty("escalatedTo").GetString(), first.GetProperty("escalationReason").GetString()));
        var escalated = await factory.PublishedAsync<OrderEscalated>(m => m.OrderId == unaccepted && m.Level == 1);
        Assert.Equal((DivisionCode.Parse(Institute), OrderEscalationReason.NotAccepted), (escalated.EscalatedTo, escalated.Reason));

        // Two more days: the county centre. Seven days after placing, the accepted one not done goes up too; the done one never.
        factory.Clock.Advance(TimeSpan.FromDays(5));
        await SweepAsync(factory);
        var second = await admin.GetAsync($"{Route}/orders/{unaccepted}", HttpStatusCode.OK);
        Assert.Equal((2, "321324"), (second.GetProperty("escalationLevel").GetInt32(), second.GetProperty("escalatedTo").GetString()));
        var late = await admin.GetAsync($"{Route}/orders/{undone}", HttpStatusCode.OK);
        Assert.Equal((1, "NotCompleted"), (late.GetProperty("escalationLevel").GetInt32(), late.GetProperty("escalationReason").GetString()));
        Assert.Equal(0, (await admin.GetAsync($"{Route}/orders/{done}", HttpStatusCode.OK)).GetProperty("escalationLevel").GetInt32());

        // Above the county there is nowhere to go; each step was recorded and announced once.
        factory.Clock.Advance(TimeSpan.FromDays(30));
        await SweepAsync(factory);
        Assert.Equal(2, (await admin.GetAsync($"{Route}/orders/{unaccepted}", HttpStatusCode.OK)).GetProperty("escalationLevel").GetInt32());
        Assert.Equal([1, 2], await PublishedLevelsAsync(unaccepted, 2));
        Assert.Equal([1, 2], await PublishedLevelsAsync(undone, 2));
        Assert.Empty(factory.Harness.Published.Select<OrderEscalated>(m => m.Context.Message.OrderId == done));
    }

    /// <summary>The levels of the OrderEscalated events published for an order, once <paramref name="expected"/> of them are out.</summary>
    private async Task<List<int>> PublishedLevelsAsync(Guid order, int expected) =>
        await HttpAssertions.EventuallyAsync(() =>
        {
            var levels = factory.Harness.Published.Select<OrderEscalated>(m => m.Context.Message.OrderId == order).Select(m => m.Context.Message.Level).Order().ToList();
            return Task.FromResult(levels.Count >= expected ? levels : null);
        }, $"{expected} escalations of order {order} to be published");

    internal static async Task<int> SweepAsync(ServiceFactory<ActivitiesModule> factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OrderEscalationSweep>().RunOnceAsync(CancellationToken.None);
    }

    /// <summary>The levels of the OrderEscalated events written to the outbox for an order (the events published, once each).</summary>
    internal static async Task<List<int>> EscalationEventsAsync(ServiceFactory<ActivitiesModule> factory, Guid order)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ActivitiesDbContext>();
        var payloads = await db.OutboxMessages.AsNoTracking().Where(m => m.MessageType.EndsWith(":OrderEscalated")).Select(m => m.Payload).ToListAsync();
        return [.. payloads.Select(p => JsonDocument.Parse(p).RootElement)
            .Where(e => e.GetProperty("orderId").GetGuid() == order).Select(e => e.GetProperty("level").GetInt32()).Order()];
    }

    [Fact]
    public async Task The_counts_follow_an_order_through_its_steps_within_the_callers_division()
    {
        using var admin = factory.CreateClient();
        var volunteer = await _feed.VolunteerAsync(Home);
        using var phone = _feed.Phone(volunteer, Home);
        var item = await MenuItemAsync(admin, Home, Home);
        using var resident = Resident($"counts-{Guid.NewGuid():N}");
        var before = await admin.GetAsync($"{Route}/orders/counts?under={Home}", HttpStatusCode.OK);
        int Count(JsonElement counts, string step) => counts.GetProperty(step).GetInt32();

        var id = (await resident.PostAsync($"{Route}/orders", new { menuItemId = item }, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var placed = await admin.GetAsync($"{Route}/orders/counts?under={Home}", HttpStatusCode.OK);
        Assert.Equal(Count(before, "placed") + 1, Count(placed, "placed"));
        await admin.PostAsync($"{Route}/orders/{id}/dispatch", new { volunteerId = volunteer, dueAt = factory.Clock.GetUtcNow().AddDays(1) }, HttpStatusCode.OK);
        var dispatched = await admin.GetAsync($"{Route}/orders/counts?under={Home}", HttpStatusCode.OK);
        Assert.Equal((Count(before, "placed"), Count(before, "dispatched") + 1), (Count(dispatched, "placed"), Count(dispatched, "dispatched")));
        factory.Clock.Advance(TimeSpan.FromDays(2));
        Assert.True(Count(await admin.GetAsync($"{Route}/orders/counts?under={Home}", HttpStatusCode.OK), "overdue") >= 1);

        using var otherTownship = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");
        var theirs = await otherTownship.GetAsync($"{Route}/orders/counts?under={Home}", HttpStatusCode.OK);
        Assert.Equal((0, 0, 0), (Count(theirs, "placed"), Count(theirs, "dispatched"), Count(theirs, "overdue")));
    }
}

/// <summary>Several replicas sweep the same late orders at once on the real PostgreSQL: each order goes up each step once.</summary>
public sealed class OrderEscalationRaceTests(PostgresActivitiesFactory factory) : IClassFixture<PostgresActivitiesFactory>
{
    private const int Orders = 12;
    private readonly Feed _feed = new(factory);

    [Fact]
    public async Task Two_sweeps_racing_escalate_each_order_once_per_step()
    {
        await OrdersAsResidentsLiveThemTests.StationAsync(factory, OrdersAsResidentsLiveThemTests.Home, OrdersAsResidentsLiveThemTests.Home, StationKind.Village);
        using var admin = factory.CreateClient();
        var team = await _feed.TeamLedByAsync(OrdersAsResidentsLiveThemTests.Home, OrdersAsResidentsLiveThemTests.Home, null);
        var item = (await admin.PostAsync($"{Route}/menu-items", new { teamId = team, title = "代购药品", category = "ConvenienceService" }, HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        using var resident = factory.CreateClient()
            .WithToken(TestTokens.Create(PracticeMeshRoles.Resident, OrdersAsResidentsLiveThemTests.Home, subject: $"resident-{Guid.NewGuid():N}"));
        var ids = new List<Guid>();
        for (var i = 0; i < Orders; i++)
        {
            ids.Add((await resident.PostAsync($"{Route}/orders", new { menuItemId = item }, HttpStatusCode.Created)).GetProperty("id").GetGuid());
        }

        foreach (var step in new[] { 1, 2 })
        {
            factory.Clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
            // Two replicas' sweeps at the same moment, each with its own connection, twice over.
            var sweeps = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => OrdersAsResidentsLiveThemTests.SweepAsync(factory))));
            Assert.True(sweeps.Sum() <= Orders, $"step {step}: {sweeps.Sum()} escalations saved for {Orders} orders");
            foreach (var id in ids)
            {
                Assert.Equal(Enumerable.Range(1, step), await OrdersAsResidentsLiveThemTests.EscalationEventsAsync(factory, id));
                Assert.Equal(step, (await resident.GetAsync($"{Route}/orders/{id}", HttpStatusCode.OK)).GetProperty("escalationLevel").GetInt32());
            }
        }
    }
}
