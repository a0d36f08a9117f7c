using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Activities.Data;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Activities.Tests;

/// <summary>
/// The read models fed by other services' events end the same whatever order the events arrive in, and however often:
/// each small history is delivered in every order, with one event sent twice, and compared with the in-order result.
/// </summary>
public sealed class EventOrderTests(ActivitiesFactory factory) : IClassFixture<ActivitiesFactory>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 1, 0, 0, TimeSpan.Zero);
    private static readonly DivisionCode Division = DivisionCode.Parse("321324104201");

    [Fact]
    public async Task A_volunteer_approved_suspended_and_reinstated_ends_free_to_sign_up_in_any_order()
    {
        // Approved, suspended, reinstated, suspended again and reinstated again: in good standing at the end.
        static IIntegrationEvent[] History(Guid volunteer) =>
        [
            new VolunteerApproved(Guid.NewGuid(), T0, Division, volunteer, "王芳"),
            new VolunteerSuspended(Guid.NewGuid(), T0.AddDays(1), Division, volunteer, "违反服务规范"),
            new VolunteerReinstated(Guid.NewGuid(), T0.AddDays(2), Division, volunteer),
        ];
        await RunAsync(History, id => Db(async db => (await db.Volunteers.SingleOrDefaultAsync(v => v.Id == id)) is { } v ? (v.DisplayName, v.IsSuspended) : default),
            expected: ("王芳", false));
    }

    [Fact]
    public async Task A_volunteer_suspended_last_ends_suspended_in_any_order()
    {
        static IIntegrationEvent[] History(Guid volunteer) =>
        [
            new VolunteerApproved(Guid.NewGuid(), T0, Division, volunteer, "李强"),
            new VolunteerReinstated(Guid.NewGuid(), T0.AddDays(1), Division, volunteer),
            new VolunteerSuspended(Guid.NewGuid(), T0.AddDays(2), Division, volunteer, "违反服务规范"),
        ];
        await RunAsync(History, id => Db(async db => (await db.Volunteers.SingleOrDefaultAsync(v => v.Id == id)) is { } v ? (v.DisplayName, v.IsSuspended) : default),
            expected: ("李强", true));
    }

    [Fact]
    public async Task A_station_registered_renamed_and_closed_ends_renamed_and_closed_in_any_order()
    {
        static IIntegrationEvent[] History(Guid station)
        {
            var code = Code(station);
            return
            [
                new StationRegistered(Guid.NewGuid(), T0, DivisionCode.Parse(code), station, code, "大楼村实践站", StationKind.Village, code[..9]),
                new StationUpdated(Guid.NewGuid(), T0.AddDays(1), DivisionCode.Parse(code), station, code, "大楼社区实践站", "村委会", 33.46, 118.22),
                new StationClosed(Guid.NewGuid(), T0.AddDays(2), DivisionCode.Parse(code), station, code, "撤并"),
            ];
        }
        await RunAsync(History, id => Db(async db => (await db.Stations.SingleOrDefaultAsync(s => s.Code == Code(id))) is { } s
            ? (s.Name, s.Latitude, s.Longitude, s.IsClosed) : default), expected: ("大楼社区实践站", (double?)33.46, (double?)118.22, true));
    }

    [Fact]
    public async Task A_volunteer_who_joined_left_and_joined_again_ends_a_member_in_any_order()
    {
        static IIntegrationEvent[] History(Guid team) =>
        [
            new TeamMemberJoined(Guid.NewGuid(), T0, Division, team, Member(team)),
            new TeamMemberLeft(Guid.NewGuid(), T0.AddDays(1), Division, team, Member(team)),
            new TeamMemberJoined(Guid.NewGuid(), T0.AddDays(2), Division, team, Member(team)),
        ];
        await RunAsync(History, id => Db(async db => (await db.TeamMembers.SingleOrDefaultAsync(m => m.TeamId == id))?.IsMember), expected: true);
    }

    [Fact]
    public async Task A_volunteer_who_left_last_is_no_member_in_any_order()
    {
        static IIntegrationEvent[] History(Guid team) =>
        [
            new TeamMemberJoined(Guid.NewGuid(), T0, Division, team, Member(team)),
            new TeamMemberLeft(Guid.NewGuid(), T0.AddDays(1), Division, team, Member(team)),
        ];
        await RunAsync(History, id => Db(async db => (await db.TeamMembers.SingleOrDefaultAsync(m => m.TeamId == id))?.IsMember), expected: false);
    }

    /// <summary>
    /// Delivers the history in order for one subject, then every order of it, with its last-but-one event sent twice,
    /// for a fresh subject each; each subject's state must settle at <paramref name="expected"/>, the in-order result.
    /// </summary>
    private async Task RunAsync<T>(Func<Guid, IIntegrationEvent[]> history, Func<Guid, Task<T>> state, T expected)
    {
        var inOrder = Guid.NewGuid();
        await factory.DeliverAsync(history(inOrder));
        await SettlesAtAsync(inOrder, state, expected);
        var subjects = new List<Guid>();
        var deliveries = new List<Task>();
        foreach (var order in EventOrders.Permutations(Enumerable.Range(0, history(Guid.Empty).Length + 1).ToList()))
        {
            var subject = Guid.NewGuid();
            var events = history(subject);
            // Index events.Length stands for the duplicate: the same event (same id) a second time.
            var duplicate = events[^2];
            subjects.Add(subject);
            deliveries.Add(factory.DeliverAsync(order.Select(i => i == events.Length ? duplicate : events[i])));
        }
        await Task.WhenAll(deliveries);
        foreach (var subject in subjects)
        {
            await SettlesAtAsync(subject, state, expected);
        }
    }

    /// <summary>
    /// Waits for the state to read <paramref name="expected"/>: an event that waited for its predecessor may still be on
    /// its way back from a delayed redelivery when the harness has seen its first delivery through.
    /// </summary>
    private static Task SettlesAtAsync<T>(Guid subject, Func<Guid, Task<T>> state, T expected) =>
        HttpAssertions.EventuallyAsync(async () => EqualityComparer<T>.Default.Equals(await state(subject), expected) ? "settled" : null,
            $"{subject} to settle at {expected}");

    private async Task<T> Db<T>(Func<ActivitiesDbContext, Task<T>> read)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<ActivitiesDbContext>());
    }

    /// <summary>A 12-digit station code of its own per subject (township and village parts 100-999).</summary>
    private static string Code(Guid subject)
    {
        var n = BitConverter.ToUInt32(subject.ToByteArray());
        return $"321324{100 + n % 900}{100 + n / 900 % 900}";
    }

    /// <summary>The one volunteer of a team's history.</summary>
    private static Guid Member(Guid team) => new(team.ToByteArray().Reverse().ToArray());
}
