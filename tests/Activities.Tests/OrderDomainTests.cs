using PracticeMesh.Activities.Orders;
using PracticeMesh.Activities.Shared;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Activities.Tests;

/// <summary>The order's own rules: wishes, who it was dispatched to, and when it goes up a tier.</summary>
public sealed class OrderDomainTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 1, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Accept = TimeSpan.FromDays(2), Complete = TimeSpan.FromDays(7);
    private static readonly KnownTeam Team = new()
    {
        Id = Guid.NewGuid(), DivisionCode = DivisionCode.Parse("321324104202"), Name = "便民服务队", HomeStationCode = "321324104202", LeaderVolunteerId = Guid.NewGuid(),
    };

    private static ServiceOrder Placed() =>
        ServiceOrder.Place(ServiceItem.Create(Team, "上门理发", null, ActivityCategory.ConvenienceService, Now), "resident-1", null, Now).Item1;

    [Fact]
    public void A_wish_needs_the_residents_words_and_carries_no_menu_item()
    {
        var station = new KnownStation { Code = "321324104202", DivisionCode = DivisionCode.Parse("321324104202") };
        Assert.Throws<DomainValidationException>(() => ServiceOrder.PlaceWish(station, "r", null, " ", Now));
        Assert.Throws<DomainValidationException>(() => ServiceOrder.PlaceWish(station, "r", new string('题', 101), "修水管", Now));
        var (order, placed) = ServiceOrder.PlaceWish(station, "r", null, " 修水管 ", Now);
        Assert.Equal((true, "微心愿", "修水管", (Guid?)null), (order.IsWish, order.Title, order.Details, placed.MenuItemId));
    }

    [Fact]
    public void An_order_is_the_dispatched_volunteers_or_the_teams_leaders_and_members()
    {
        var (volunteer, stranger) = (Guid.NewGuid(), Guid.NewGuid());
        var toVolunteer = Placed();
        toVolunteer.Dispatch(null, volunteer, Team.DivisionCode, Now.AddDays(1), Now);
        Assert.True(toVolunteer.IsDispatchedTo(volunteer, null, false));
        Assert.False(toVolunteer.IsDispatchedTo(stranger, null, false));
        Assert.False(toVolunteer.IsDispatchedTo(null, null, false));

        var toTeam = Placed();
        toTeam.Dispatch(Team.Id, null, Team.DivisionCode, Now.AddDays(1), Now);
        Assert.True(toTeam.IsDispatchedTo(Team.LeaderVolunteerId, Team, false));
        Assert.True(toTeam.IsDispatchedTo(stranger, Team, isTeamMember: true));
        Assert.False(toTeam.IsDispatchedTo(stranger, Team, false));
    }

    [Fact]
    public void A_late_order_goes_up_one_tier_per_limit_until_the_county_and_a_done_one_never()
    {
        var order = Placed();
        Assert.Null(order.EscalateIfDue(Now + Accept - TimeSpan.FromSeconds(1), Accept, Complete));
        var (step, escalated) = order.EscalateIfDue(Now + Accept, Accept, Complete)!.Value;
        Assert.Equal((1, "321324104", OrderEscalationReason.NotAccepted), (step.Level, step.EscalatedTo.Value, escalated.Reason));
        // The same moment again: the step is taken.
        Assert.Null(order.EscalateIfDue(Now + Accept, Accept, Complete));

        // Accepted late: the next step waits for the completion limit, twice over.
        order.Dispatch(null, Guid.NewGuid(), Team.DivisionCode, Now.AddDays(30), Now + Accept);
        order.Accept(Now + Accept);
        Assert.Null(order.EscalateIfDue(Now + Complete * 2 - TimeSpan.FromSeconds(1), Accept, Complete));
        var second = order.EscalateIfDue(Now + Complete * 2, Accept, Complete)!.Value;
        Assert.Equal((2, "321324", OrderEscalationReason.NotCompleted), (second.Step.Level, second.Event.EscalatedTo.Value, second.Step.Reason));
        Assert.Null(order.EscalateIfDue(Now.AddYears(1), Accept, Complete));

        var done = Placed();
        done.Dispatch(null, Guid.NewGuid(), Team.DivisionCode, Now.AddDays(1), Now);
        done.Accept(Now);
        done.Complete(Now);
        Assert.Null(done.EscalateIfDue(Now.AddYears(1), Accept, Complete));
    }
}
