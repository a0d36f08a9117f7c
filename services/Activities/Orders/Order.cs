using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Activities.Ratings;
using PracticeMesh.Activities.Shared;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Activities.Orders;

/// <summary>A service a team offers on its home station's menu (the menu residents order from).</summary>
public sealed class ServiceItem
{
    private ServiceItem() { }

    public Guid Id { get; private set; }
    public Guid TeamId { get; private set; }
    public string StationCode { get; private set; } = "";
    public DivisionCode DivisionCode { get; private set; }
    public string Title { get; private set; } = "";
    public string? Description { get; private set; }
    public ActivityCategory Category { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public static ServiceItem Create(KnownTeam team, string? title, string? description, ActivityCategory category, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var trimmed = title?.Trim() ?? "";
        if (trimmed.Length is 0 or > 100)
        {
            errors["title"] = ["A title of 1 to 100 characters is required."];
        }
        if (description?.Trim().Length > 1000)
        {
            errors["description"] = ["At most 1000 characters."];
        }
        if (!Enum.IsDefined(category))
        {
            errors["category"] = ["Unknown category."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        return new ServiceItem
        {
            Id = TownshipGuid.New(team.DivisionCode, now), TeamId = team.Id, StationCode = team.HomeStationCode, DivisionCode = team.DivisionCode,
            Title = trimmed, Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(), Category = category, CreatedAt = now,
        };
    }
}

public enum OrderStatus { Placed, Dispatched, Accepted, Done, Rated }

/// <summary>
/// A resident's order (点单), from the menu or in their own words (微心愿) → dispatched to a team or volunteer of the
/// same township with a due time (派单) → accepted, or declined with a reason and back for re-dispatch (接单) → done →
/// rated (评单). Not accepted or not done in time, it goes up a tier (the institute, then the centre).
/// </summary>
public sealed class ServiceOrder
{
    private ServiceOrder() { }

    public Guid Id { get; private set; }
    public string ResidentId { get; private set; } = "";
    public string StationCode { get; private set; } = "";
    public DivisionCode DivisionCode { get; private set; }
    /// <summary>The menu item ordered; none for a request in the resident's own words (微心愿).</summary>
    public Guid? MenuItemId { get; private set; }
    public string Title { get; private set; } = "";
    public string? Details { get; private set; }
    public OrderStatus Status { get; private set; }
    public DateTimeOffset PlacedAt { get; private set; }
    public Guid? TeamId { get; private set; }
    public Guid? VolunteerId { get; private set; }
    public DateTimeOffset? DueAt { get; private set; }
    public DateTimeOffset? DispatchedAt { get; private set; }
    public DateTimeOffset? AcceptedAt { get; private set; }
    public DateTimeOffset? DoneAt { get; private set; }
    public int DeclineCount { get; private set; }
    public string? LastDeclineReason { get; private set; }
    public int? Score { get; private set; }
    public string? Comment { get; private set; }
    public DateTimeOffset? RatedAt { get; private set; }
    /// <summary>Tiers the order went up for being late (0 none, 1 the township's institute, 2 the county centre).</summary>
    public int EscalationLevel { get; private set; }
    public DateTimeOffset? EscalatedAt { get; private set; }
    /// <summary>The division answerable for the order since its latest escalation.</summary>
    public DivisionCode? EscalatedTo { get; private set; }
    public OrderEscalationReason? EscalationReason { get; private set; }
    public int Version { get; private set; }

    /// <summary>A request in the resident's own words rather than from the menu (微心愿).</summary>
    public bool IsWish => MenuItemId is null;

    /// <summary>Dispatched or accepted and past its due time, or done after it.</summary>
    public bool IsOverdueAt(DateTimeOffset now) => DueAt is { } due && Status switch
    {
        OrderStatus.Dispatched or OrderStatus.Accepted => now > due,
        OrderStatus.Done or OrderStatus.Rated => DoneAt > due,
        _ => false,
    };

    public static (ServiceOrder, OrderPlaced) Place(ServiceItem item, string residentId, string? details, DateTimeOffset now)
    {
        if (details?.Trim().Length > 1000)
        {
            throw new DomainValidationException("details", "At most 1000 characters.");
        }
        var order = new ServiceOrder
        {
            Id = TownshipGuid.New(item.DivisionCode, now), ResidentId = residentId, StationCode = item.StationCode, DivisionCode = item.DivisionCode,
            MenuItemId = item.Id, Title = item.Title, Details = string.IsNullOrWhiteSpace(details) ? null : details.Trim(),
            Status = OrderStatus.Placed, PlacedAt = now,
        };
        return (order, new OrderPlaced(Guid.CreateVersion7(now), now, order.DivisionCode, order.Id, order.StationCode, item.Id, item.Title));
    }

    /// <summary>The title a wish carries when the resident gives none.</summary>
    public const string WishTitle = "微心愿";

    /// <summary>A request in the resident's own words (微心愿) to a station, dispatched like any order.</summary>
    public static (ServiceOrder, OrderPlaced) PlaceWish(KnownStation station, string residentId, string? title, string? words, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var text = words?.Trim() ?? "";
        if (text.Length is 0 or > 1000)
        {
            errors["details"] = ["A wish says in 1 to 1000 characters what is asked for."];
        }
        var heading = string.IsNullOrWhiteSpace(title) ? WishTitle : title.Trim();
        if (heading.Length > 100)
        {
            errors["title"] = ["At most 100 characters."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        var order = new ServiceOrder
        {
            Id = TownshipGuid.New(station.DivisionCode, now), ResidentId = residentId, StationCode = station.Code, DivisionCode = station.DivisionCode,
            MenuItemId = null, Title = heading, Details = text, Status = OrderStatus.Placed, PlacedAt = now,
        };
        return (order, new OrderPlaced(Guid.CreateVersion7(now), now, order.DivisionCode, order.Id, order.StationCode, null, heading));
    }

    /// <summary>
    /// The next escalation, if it is due: the n-th step comes n times the limit after placing (not accepted: the
    /// accept limit; accepted but not done: the completion limit), one tier above the last, up to the county.
    /// </summary>
    public (OrderEscalation Step, OrderEscalated Event)? EscalateIfDue(DateTimeOffset now, TimeSpan acceptWithin, TimeSpan completeWithin)
    {
        var reason = Status switch
        {
            OrderStatus.Placed or OrderStatus.Dispatched => OrderEscalationReason.NotAccepted,
            OrderStatus.Accepted => OrderEscalationReason.NotCompleted,
            _ => (OrderEscalationReason?)null,
        };
        var above = (EscalatedTo ?? DivisionCode).Parent;
        if (reason is not { } why || above is not { } to)
        {
            return null;
        }
        var level = EscalationLevel + 1;
        var limit = why == OrderEscalationReason.NotAccepted ? acceptWithin : completeWithin;
        if (now < PlacedAt + limit * level)
        {
            return null;
        }
        (EscalationLevel, EscalatedAt, EscalatedTo, EscalationReason) = (level, now, to, why);
        Version++;
        return (new OrderEscalation(Id, level, why, to, now),
            new OrderEscalated(Guid.CreateVersion7(now), now, DivisionCode, Id, StationCode, level, to, why, TeamId, VolunteerId));
    }

    /// <summary>Dispatched to this volunteer, or to a team they lead or belong to.</summary>
    public bool IsDispatchedTo(Guid? volunteerId, KnownTeam? team, bool isTeamMember) =>
        volunteerId is { } me
            && (VolunteerId == me || (TeamId is { } teamId && (isTeamMember || (team?.Id == teamId && team.LeaderVolunteerId == me))));

    /// <param name="assigneeDivision">The team's or volunteer's division: it must lie in the order's township.</param>
    public OrderDispatched Dispatch(Guid? teamId, Guid? volunteerId, DivisionCode assigneeDivision, DateTimeOffset dueAt, DateTimeOffset now)
    {
        if (dueAt <= now)
        {
            throw new DomainValidationException("dueAt", "The due time is in the future.");
        }
        if (assigneeDivision.Township != DivisionCode.Township)
        {
            throw new DomainValidationException(teamId is not null ? "teamId" : "volunteerId",
                $"An order of township {DivisionCode.Township} is dispatched within that township only.");
        }
        if (Status != OrderStatus.Placed)
        {
            throw new ConflictException($"Only a placed (or declined) order can be dispatched; this one is {Status.ToString().ToLowerInvariant()}.");
        }
        (TeamId, VolunteerId, DueAt, DispatchedAt, Status) = (teamId, volunteerId, dueAt, now, OrderStatus.Dispatched);
        Version++;
        return new OrderDispatched(Guid.CreateVersion7(now), now, DivisionCode, Id, StationCode, teamId, volunteerId, dueAt);
    }

    public OrderAccepted Accept(DateTimeOffset now)
    {
        EnsureStatus(OrderStatus.Dispatched, "accepted");
        (Status, AcceptedAt) = (OrderStatus.Accepted, now);
        Version++;
        return new OrderAccepted(Guid.CreateVersion7(now), now, DivisionCode, Id, TeamId, VolunteerId);
    }

    public OrderDeclined Decline(string? reason, DateTimeOffset now)
    {
        var trimmed = reason?.Trim() ?? "";
        if (trimmed.Length is 0 or > 500)
        {
            throw new DomainValidationException("reason", "A reason of 1 to 500 characters is required.");
        }
        EnsureStatus(OrderStatus.Dispatched, "declined");
        var declined = new OrderDeclined(Guid.CreateVersion7(now), now, DivisionCode, Id, TeamId, VolunteerId, trimmed);
        // Back to the dispatcher's desk.
        (Status, TeamId, VolunteerId, DueAt, DispatchedAt, LastDeclineReason) = (OrderStatus.Placed, null, null, null, null, trimmed);
        DeclineCount++;
        Version++;
        return declined;
    }

    public OrderCompleted Complete(DateTimeOffset now)
    {
        EnsureStatus(OrderStatus.Accepted, "completed");
        (Status, DoneAt) = (OrderStatus.Done, now);
        Version++;
        return new OrderCompleted(Guid.CreateVersion7(now), now, DivisionCode, Id, StationCode, TeamId, VolunteerId, DueAt!.Value, IsOverdueAt(now));
    }

    public OrderRated Rate(string residentId, int score, string? comment, DateTimeOffset now)
    {
        var (valid, text) = Ratings.Score.Validate(score, comment);
        if (residentId != ResidentId)
        {
            throw new ForbiddenException("Only the resident who placed the order rates it.");
        }
        if (Status == OrderStatus.Rated)
        {
            throw new ConflictException("The order is already rated.");
        }
        EnsureStatus(OrderStatus.Done, "rated");
        (Status, Score, Comment, RatedAt) = (OrderStatus.Rated, valid, text, now);
        Version++;
        return new OrderRated(Guid.CreateVersion7(now), now, DivisionCode, Id, StationCode, TeamId, valid, text);
    }

    private void EnsureStatus(OrderStatus expected, string verb)
    {
        if (Status != expected)
        {
            throw new ConflictException($"Only a {expected.ToString().ToLowerInvariant()} order can be {verb}; this one is {Status.ToString().ToLowerInvariant()}.");
        }
    }
}

/// <summary>One step up the tiers of one order: the key (order, level) lets each step happen once, whoever sweeps.</summary>
public sealed class OrderEscalation(Guid orderId, int level, OrderEscalationReason reason, DivisionCode escalatedTo, DateTimeOffset at)
{
    public Guid OrderId { get; private set; } = orderId;
    public int Level { get; private set; } = level;
    public OrderEscalationReason Reason { get; private set; } = reason;
    public DivisionCode EscalatedTo { get; private set; } = escalatedTo;
    public DateTimeOffset At { get; private set; } = at;
}
