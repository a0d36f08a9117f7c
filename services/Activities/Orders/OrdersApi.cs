using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Activities.Data;
using PracticeMesh.Activities.Ratings;
using PracticeMesh.Activities.Shared;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Activities.Orders;

public sealed record CreateServiceItemRequest(Guid TeamId, string? Title, string? Description, ActivityCategory Category);

public sealed record ServiceItemResponse(Guid Id, Guid TeamId, string TeamName, string StationCode, string Title, string? Description, ActivityCategory Category);

/// <summary>
/// An order from the menu (<c>MenuItemId</c>, with optional <c>Details</c>), or, without a menu item, a request in the
/// resident's own words (微心愿: <c>Details</c> says what is asked for, <c>Title</c> optionally heads it) to their
/// village's station or the one named in <c>StationCode</c>.
/// </summary>
public sealed record PlaceOrderRequest(Guid? MenuItemId = null, string? Details = null, string? StationCode = null, string? Title = null);

public sealed record DispatchOrderRequest(Guid? TeamId, Guid? VolunteerId, DateTimeOffset DueAt);

public sealed record DeclineOrderRequest(string? Reason);

/// <summary>An order as it stands; <c>EscalationLevel</c> &gt; 0 when it went up a tier for being late (to <c>EscalatedTo</c>).</summary>
public sealed record OrderResponse(
    Guid Id, string StationCode, Guid? MenuItemId, bool IsWish, string Title, string? Details, OrderStatus Status, DateTimeOffset PlacedAt,
    Guid? TeamId, Guid? VolunteerId, DateTimeOffset? DueAt, bool Overdue, DateTimeOffset? DispatchedAt, DateTimeOffset? AcceptedAt,
    DateTimeOffset? DoneAt, int DeclineCount, string? LastDeclineReason, int? Score, string? Comment,
    int EscalationLevel, string? EscalatedTo, OrderEscalationReason? EscalationReason, DateTimeOffset? EscalatedAt)
{
    public static OrderResponse From(ServiceOrder o, DateTimeOffset now) => new(o.Id, o.StationCode, o.MenuItemId, o.IsWish, o.Title, o.Details, o.Status,
        o.PlacedAt, o.TeamId, o.VolunteerId, o.DueAt, o.IsOverdueAt(now), o.DispatchedAt, o.AcceptedAt, o.DoneAt, o.DeclineCount,
        o.LastDeclineReason, o.Score, o.Comment, o.EscalationLevel, o.EscalatedTo?.Value, o.EscalationReason, o.EscalatedAt);
}

/// <summary>The open orders under a prefix at each step; <see cref="Overdue"/> counts dispatched or accepted ones past their due time.</summary>
public sealed record OrderCounts(string Under, int Placed, int Dispatched, int Accepted, int Overdue);

/// <summary>The order loop: 点单 → 派单 → 接单 → 评单, from a menu built of the teams' service items.</summary>
public static class OrdersApi
{
    public static RouteGroupBuilder MapOrdersApi(this RouteGroupBuilder api)
    {
        api.MapPost("/menu-items", AddMenuItemAsync).WithRequestExample("""{"teamId":"0196f0a4-7d2e-7c4b-8e3f-5a6b7c8d9e0f","title":"上门理发","description":"每月第一个周六为行动不便的老人上门理发","category":"ConvenienceService"}""").WithName("AddServiceItem")
            .WithSummary("A team offers a service on its home station's menu")
            .RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapGet("/menu", MenuAsync).WithName("GetStationMenu").WithSummary("A station's menu: its teams' service items (public)")
            .WithDescription("Example: ?stationCode=321324104201")
            .AllowAnonymous();
        api.MapPost("/orders", PlaceAsync).WithRequestExample("""{"menuItemId":"0196f0a4-7d2e-7c4b-8e3f-5a6b7c8d9e0f","details":"家中老人行动不便, 希望周六上午上门"}""").WithName("PlaceOrder")
            .WithSummary("A resident orders a service where they live (点单), or asks in their own words (微心愿)")
            .WithDescription("From the menu of their village's station, a unit station in their village, or the institute or centre above it. A wish: {\"details\":\"想给孩子找一位周末辅导作业的志愿者\",\"title\":\"作业辅导\"}.")
            .RequireAuthorization(ApiScopes.ActivitiesRead);
        api.MapGet("/orders/mine", MineAsync).WithName("ListMyOrders").WithSummary("A resident's own orders, newest first")
            .RequireAuthorization(ApiScopes.ActivitiesRead);
        api.MapGet("/orders", ListAsync).WithName("ListOrders")
            .WithSummary("Orders under a division prefix; ?overdue=true lists those past their due time")
            .RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapGet("/orders/counts", CountsAsync).WithName("CountOrders")
            .WithSummary("How many orders under a division prefix wait at each step (placed, dispatched, accepted) and how many of those are overdue")
            .RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapGet("/orders/{id:guid}", GetAsync).WithName("GetOrder").RequireAuthorization(ApiScopes.ActivitiesRead);
        api.MapPost("/orders/{id:guid}/dispatch", DispatchAsync).WithRequestExample("""{"teamId":"0196f0a4-7d2e-7c4b-8e3f-5a6b7c8d9e0f","dueAt":"2030-06-01T10:00:00+08:00"}""").WithName("DispatchOrder")
            .WithSummary("Dispatch to a team or volunteer of the order's township with a due time (派单)")
            .RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapPost("/orders/{id:guid}/accept", AcceptAsync).WithName("AcceptOrder")
            .WithSummary("接单: by the volunteer it was dispatched to, or the leader or a member of the team it was dispatched to")
            .RequireAuthorization(ApiScopes.ActivitiesAttend);
        api.MapPost("/orders/{id:guid}/decline", DeclineAsync).WithRequestExample("""{"reason":"本周人手不足"}""").WithName("DeclineOrder")
            .WithSummary("Decline with a reason; the order goes back for re-dispatch").RequireAuthorization(ApiScopes.ActivitiesAttend);
        api.MapPost("/orders/{id:guid}/complete", CompleteAsync).WithName("CompleteOrder").RequireAuthorization(ApiScopes.ActivitiesAttend);
        api.MapPost("/orders/{id:guid}/rating", RateAsync).WithRequestExample("""{"score":5,"comment":"师傅很耐心"}""").WithName("RateOrder").WithSummary("The resident rates the service (评单)")
            .RequireAuthorization(ApiScopes.ActivitiesRead);
        return api;
    }

    public static async Task<Created<ServiceItemResponse>> AddMenuItemAsync(CreateServiceItemRequest request, ActivitiesDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var team = await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Id == request.TeamId, cancellationToken);
        if (team is null || !caller.Covers(team.DivisionCode))
        {
            throw new NotFoundException($"No team {request.TeamId} is known here.");
        }
        var item = ServiceItem.Create(team, request.Title, request.Description, request.Category, time.GetUtcNow());
        db.ServiceItems.Add(item);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/activities/menu?stationCode={item.StationCode}",
            new ServiceItemResponse(item.Id, team.Id, team.Name, item.StationCode, item.Title, item.Description, item.Category));
    }

    public static async Task<Ok<List<ServiceItemResponse>>> MenuAsync(string? stationCode, ActivitiesDbContext db, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(stationCode))
        {
            throw new DomainValidationException("stationCode", "Name the station whose menu to show.");
        }
        var items = await db.ServiceItems.AsNoTracking().Where(i => i.StationCode == stationCode)
            .Join(db.Teams, i => i.TeamId, t => t.Id, (i, t) => new ServiceItemResponse(i.Id, t.Id, t.Name, i.StationCode, i.Title, i.Description, i.Category))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(items.OrderBy(i => i.TeamName).ThenBy(i => i.Title).ToList());
    }

    public static async Task<Created<OrderResponse>> PlaceAsync(PlaceOrderRequest request, [AsParameters] ActivityServices s)
    {
        var (db, caller, cancellationToken) = (s.Db, s.Caller, s.CancellationToken);
        var resident = caller.ResidentOrRefuse();
        var now = s.Time.GetUtcNow();
        ServiceOrder order;
        OrderPlaced placed;
        if (request.MenuItemId is { } menuItemId)
        {
            var item = await db.ServiceItems.AsNoTracking().SingleOrDefaultAsync(i => i.Id == menuItemId, cancellationToken)
                ?? throw new NotFoundException($"No menu item {menuItemId}.");
            var station = await db.Stations.AsNoTracking().SingleOrDefaultAsync(st => st.Code == item.StationCode, cancellationToken);
            EnsureWhereTheyLive(caller, station?.DivisionCode ?? item.DivisionCode, item.StationCode);
            (order, placed) = ServiceOrder.Place(item, resident, request.Details, now);
        }
        else
        {
            // A wish goes to the station of the village the resident lives in unless they name another they may order from.
            var stationCode = string.IsNullOrWhiteSpace(request.StationCode) ? caller.DivisionScope : request.StationCode.Trim();
            var station = await db.Stations.AsNoTracking().SingleOrDefaultAsync(st => st.Code == stationCode, cancellationToken)
                ?? throw new DomainValidationException("stationCode", $"No station {stationCode} is known here; name the station the wish is for.");
            EnsureWhereTheyLive(caller, station.DivisionCode, station.Code);
            (order, placed) = ServiceOrder.PlaceWish(station, resident, request.Title, request.Details, now);
        }
        db.Orders.Add(order);
        db.AddEvent(placed, now);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/activities/orders/{order.Id}", OrderResponse.From(order, now));
    }

    /// <summary>
    /// A resident orders where they live: from their village's station (or a unit station in the village) or the
    /// institute and centre above it, never from another village's or township's.
    /// </summary>
    private static void EnsureWhereTheyLive(Caller caller, DivisionCode stationDivision, string stationCode)
    {
        if (!caller.DivisionScope.StartsWith(stationDivision.Value, StringComparison.Ordinal))
        {
            throw new ForbiddenException($"You order from the stations where you live ({caller.DivisionScope}) and the tiers above it; {stationCode} is elsewhere.");
        }
    }

    public static async Task<Ok<List<OrderResponse>>> MineAsync([AsParameters] ActivityServices s)
    {
        var resident = s.Caller.ResidentOrRefuse();
        var now = s.Time.GetUtcNow();
        var orders = await s.Db.Orders.AsNoTracking().Where(o => o.ResidentId == resident)
            .OrderByDescending(o => o.PlacedAt).Take(ActivitiesApi.MaxListItems).ToListAsync(s.CancellationToken);
        return TypedResults.Ok(orders.Select(o => OrderResponse.From(o, now)).ToList());
    }

    public static async Task<Ok<List<OrderResponse>>> ListAsync(string? under, bool? overdue, ActivitiesDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var prefix = caller.ListPrefix(under);
        if (prefix is null)
        {
            return TypedResults.Ok(new List<OrderResponse>());
        }
        var now = time.GetUtcNow();
        var query = db.Orders.AsNoTracking().Where(o => ((string)o.DivisionCode).StartsWith(prefix));
        if (overdue == true)
        {
            query = query.Where(o => (o.Status == OrderStatus.Dispatched || o.Status == OrderStatus.Accepted) && o.DueAt < now);
        }
        var orders = await query.OrderBy(o => o.PlacedAt).Take(ActivitiesApi.MaxListItems).ToListAsync(cancellationToken);
        return TypedResults.Ok(orders.Select(o => OrderResponse.From(o, now)).ToList());
    }

    /// <summary>The open orders at each step, counted by the database: a dashboard's figure without listing the orders.</summary>
    public static async Task<Ok<OrderCounts>> CountsAsync(string? under, ActivitiesDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        if (caller.ListPrefix(under) is not { } prefix)
        {
            return TypedResults.Ok(new OrderCounts(under ?? "", 0, 0, 0, 0));
        }
        var now = time.GetUtcNow();
        var open = db.Orders.AsNoTracking().Where(o => ((string)o.DivisionCode).StartsWith(prefix)
            && (o.Status == OrderStatus.Placed || o.Status == OrderStatus.Dispatched || o.Status == OrderStatus.Accepted));
        var byStatus = await open.GroupBy(o => o.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        // Overdue as the list's ?overdue=true: dispatched or accepted past the due time.
        var overdue = await open.CountAsync(o => o.Status != OrderStatus.Placed && o.DueAt < now, cancellationToken);
        return TypedResults.Ok(new OrderCounts(prefix, byStatus.GetValueOrDefault(OrderStatus.Placed), byStatus.GetValueOrDefault(OrderStatus.Dispatched),
            byStatus.GetValueOrDefault(OrderStatus.Accepted), overdue));
    }

    public static async Task<Ok<OrderResponse>> GetAsync(Guid id, ActivitiesDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.Ok(OrderResponse.From(await FindAsync(id, db, caller, cancellationToken), time.GetUtcNow()));

    public static async Task<Ok<OrderResponse>> DispatchAsync(Guid id, DispatchOrderRequest request, [AsParameters] ActivityServices s, AcceptedDates dates)
    {
        var (db, caller, time, cancellationToken) = (s.Db, s.Caller, s.Time, s.CancellationToken);
        dates.Ensure("dueAt", request.DueAt);
        if (request.TeamId is null == request.VolunteerId is null)
        {
            throw new DomainValidationException("teamId", "Dispatch to either a team or a volunteer.");
        }
        var order = await FindAsync(id, db, caller, cancellationToken);
        // The dispatcher works within their own township (or station): a team or volunteer beyond it is not theirs to
        // task, and is refused exactly as an unknown one, so its existence is not revealed.
        var assignee = request.TeamId is { } teamId
            ? (await db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Id == teamId, cancellationToken))?.DivisionCode
            : (await db.Volunteers.AsNoTracking().SingleOrDefaultAsync(v => v.Id == request.VolunteerId, cancellationToken))?.DivisionCode;
        if (assignee is not { } division || !caller.Covers(division))
        {
            throw request.TeamId is { } unknownTeam
                ? new DomainValidationException("teamId", $"No team {unknownTeam} is known here.")
                : new DomainValidationException("volunteerId", $"No approved volunteer {request.VolunteerId} is known here.");
        }
        var now = time.GetUtcNow();
        db.AddEvent(order.Dispatch(request.TeamId, request.VolunteerId, division, request.DueAt, now), now);
        await db.SaveOrConflictAsync(cancellationToken);
        return TypedResults.Ok(OrderResponse.From(order, now));
    }

    public static Task<Ok<OrderResponse>> AcceptAsync(Guid id, [AsParameters] ActivityServices s) =>
        ChangeAsync(id, s, (order, now) => order.Accept(now), byAssignee: true);

    public static Task<Ok<OrderResponse>> DeclineAsync(Guid id, DeclineOrderRequest request, [AsParameters] ActivityServices s) =>
        ChangeAsync(id, s, (order, now) => order.Decline(request.Reason, now), byAssignee: true);

    public static Task<Ok<OrderResponse>> CompleteAsync(Guid id, [AsParameters] ActivityServices s) =>
        ChangeAsync(id, s, (order, now) => order.Complete(now), byAssignee: true);

    public static Task<Ok<OrderResponse>> RateAsync(Guid id, RateRequest request, [AsParameters] ActivityServices s)
    {
        var resident = s.Caller.ResidentOrRefuse();
        return ChangeAsync(id, s, (order, now) => order.Rate(resident, request.Score, request.Comment, now));
    }

    private static async Task<Ok<OrderResponse>> ChangeAsync(
        Guid id, ActivityServices s, Func<ServiceOrder, DateTimeOffset, IIntegrationEvent> change, bool byAssignee = false)
    {
        var now = s.Time.GetUtcNow();
        var order = await FindAsync(id, s.Db, s.Caller, s.CancellationToken);
        if (byAssignee)
        {
            await EnsureAssigneeAsync(order, s);
        }
        s.Db.AddEvent(change(order, now), now);
        await s.Db.SaveOrConflictAsync(s.CancellationToken);
        return TypedResults.Ok(OrderResponse.From(order, now));
    }

    /// <summary>
    /// Accepting, declining and completing are the assignee's: the volunteer the order was dispatched to, or the leader
    /// or a member of the team (from the teams read model). An admin of the order's place acts for them (the admin
    /// write is audited); anyone else is refused and nothing changes.
    /// </summary>
    private static async Task EnsureAssigneeAsync(ServiceOrder order, ActivityServices s)
    {
        // Not dispatched (or declined back): nobody's yet, and the order's state answers (409).
        if ((s.Caller.Role is { } role && PracticeMeshRoles.Admins.Contains(role)) || order.TeamId is null && order.VolunteerId is null)
        {
            return;
        }
        var me = s.Caller.VolunteerId;
        var team = order.TeamId is { } teamId ? await s.Db.Teams.AsNoTracking().SingleOrDefaultAsync(t => t.Id == teamId, s.CancellationToken) : null;
        var member = me is { } volunteer && order.TeamId is { } dispatchedTeam
            && await s.Db.TeamMembers.AnyAsync(m => m.TeamId == dispatchedTeam && m.VolunteerId == volunteer && m.IsMember, s.CancellationToken);
        if (!order.IsDispatchedTo(me, team, member))
        {
            throw new ForbiddenException("This order was not dispatched to you or your team.");
        }
    }

    /// <summary>
    /// An order as the caller may see it: a resident sees only their own (wherever it was placed); everyone else the
    /// orders of their division scope. Anything else does not exist for them.
    /// </summary>
    private static async Task<ServiceOrder> FindAsync(Guid id, ActivitiesDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == id, cancellationToken);
        var visible = order is not null && (caller.Role == PracticeMeshRoles.Resident ? order.ResidentId == caller.Subject : caller.Covers(order.DivisionCode));
        return visible ? order! : throw new NotFoundException($"No order {id}.");
    }
}
