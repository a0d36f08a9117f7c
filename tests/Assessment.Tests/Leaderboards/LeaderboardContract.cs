using System.Net;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Assessment.Leaderboards;
using PracticeMesh.Assessment.Measures;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using static PracticeMesh.Assessment.Tests.Leaderboards.BoardFeed;

namespace PracticeMesh.Assessment.Tests.Leaderboards;

/// <summary>
/// What the leaderboards answer, the same whichever store holds them: each concrete class runs these against one host
/// (the standalone configuration's boards in process, or Redis shared by replicas) with the same facts and the same
/// expected rankings. Tests share the host, so each works in a county of its own.
/// </summary>
public abstract class LeaderboardContract<TFactory>(TFactory factory) where TFactory : ServiceFactory<AssessmentModule>
{
    private static readonly DateTimeOffset March = new(2026, 3, 10, 2, 0, 0, TimeSpan.Zero);
    private readonly BoardFeed _feed = new(factory.Services);

    private HttpClient Admin(string county) => factory.CreateClient(PracticeMeshRoles.CountyAdmin, county);

    [Fact]
    public async Task Volunteers_are_ranked_by_the_years_hours_on_their_county_township_and_village_boards()
    {
        var county = County();
        var (village, neighbour, elsewhere) = ($"{county}101201", $"{county}101202", $"{county}102201");
        var (a, b, c, d, e) = (Id(1), Id(2), Id(3), Id(4), Id(5));
        await _feed.VolunteerAsync(a, "王芳", village);
        await _feed.VolunteerAsync(b, "李强", village);
        await _feed.VolunteerAsync(c, "张伟", neighbour);
        await _feed.VolunteerAsync(d, "刘洋", elsewhere);
        await _feed.VolunteerAsync(e, "陈静", $"{village}-S01");
        await _feed.CreditAsync(a, 5m, March);
        await _feed.CreditAsync(a, 3m, March.AddMonths(2));
        await _feed.CreditAsync(b, 8m, March);
        await _feed.CreditAsync(c, 10.5m, March);
        await _feed.CreditAsync(d, 2m, March);
        await _feed.CreditAsync(e, 1.25m, March);
        // Another year's hours count on that year's boards only.
        await _feed.CreditAsync(d, 40m, March.AddYears(-1));
        using var client = Admin(county);

        // Equal hours share a rank; the tie is ordered by id, highest first, in both stores.
        await BoardAsync(client, $"{Boards}/volunteers?year=2026&under={county}",
            [Place(1, c, "张伟", neighbour, 10.5m), Place(2, b, "李强", village, 8m), Place(2, a, "王芳", village, 8m), Place(4, d, "刘洋", elsewhere, 2m),
             Place(5, e, "陈静", $"{village}-S01", 1.25m)]);
        Assert.Equal([c, b, a], (await client.GetAsync<List<VolunteerPlace>>($"{Boards}/volunteers?year=2026&under={county}101&top=3")).Select(p => p.VolunteerId));
        // A unit station's volunteer counts in its village.
        Assert.Equal([b, a, e], (await client.GetAsync<List<VolunteerPlace>>($"{Boards}/volunteers?year=2026&under={village}")).Select(p => p.VolunteerId));
        Assert.Equal([c, b], (await client.GetAsync<List<VolunteerPlace>>($"{Boards}/volunteers?year=2026&under={county}&top=2")).Select(p => p.VolunteerId));
        await BoardAsync(client, $"{Boards}/volunteers?year=2025&under={county}", [Place(1, d, "刘洋", elsewhere, 40m)]);
    }

    [Fact]
    public async Task Hours_corrected_down_move_a_volunteer_down()
    {
        var county = County();
        var village = $"{county}101201";
        var (a, b) = (Id(1), Id(2));
        await _feed.VolunteerAsync(a, "王芳", village);
        await _feed.VolunteerAsync(b, "李强", village);
        await _feed.CreditAsync(a, 6m, March);
        await _feed.CreditAsync(b, 5m, March);
        using var client = Admin(county);
        await BoardAsync(client, $"{Boards}/volunteers?year=2026&under={village}", [Place(1, a, "王芳", village, 6m), Place(2, b, "李强", village, 5m)]);

        // The activity's presence was corrected: the ledger takes two hours back.
        await _feed.CreditAsync(a, -2m, March.AddDays(3));

        await BoardAsync(client, $"{Boards}/volunteers?year=2026&under={village}", [Place(1, b, "李强", village, 5m), Place(2, a, "王芳", village, 4m)]);
    }

    [Fact]
    public async Task A_mark_is_applied_once_and_then_removed()
    {
        var county = County();
        var village = $"{county}101201";
        var a = Id(1);
        await _feed.VolunteerAsync(a, "王芳", village);
        await _feed.CreditAsync(a, 5m, March);
        using var client = Admin(county);
        await BoardAsync(client, $"{Boards}/volunteers?year=2026&under={village}", [Place(1, a, "王芳", village, 5m)]);
        await HttpAssertions.EventuallyAsync(async () => await _feed.MarksAsync(a.ToString()) == 0 ? "" : null, "the mark to be removed");

        // The same mark again (a redelivery's, a replica's): the board is set to the total, never added to.
        await _feed.MarkAsync(SubjectKind.Volunteer, a.ToString(), 2026);
        await _feed.MarkAsync(SubjectKind.Volunteer, a.ToString(), 0);
        await HttpAssertions.EventuallyAsync(async () => await _feed.MarksAsync(a.ToString()) == 0 ? "" : null, "the marks to be removed");

        Assert.Equal([Place(1, a, "王芳", village, 5m)], await client.GetAsync<List<VolunteerPlace>>($"{Boards}/volunteers?year=2026&under={village}"));
    }

    [Fact]
    public async Task A_full_refresh_sets_every_board_of_the_year_from_the_cells()
    {
        var county = County();
        var village = $"{county}101201";
        var (a, b, c) = (Id(1), Id(2), Id(3));
        await _feed.VolunteerAsync(a, "王芳", village);
        await _feed.VolunteerAsync(b, "李强", village);
        await _feed.VolunteerAsync(c, "张伟", village);
        await _feed.CreditAsync(a, 3m, March);
        await _feed.CreditAsync(b, 2m, March);
        using var client = Admin(county);
        await BoardAsync(client, $"{Boards}/volunteers?year=2026&under={village}", [Place(1, a, "王芳", village, 3m), Place(2, b, "李强", village, 2m)]);

        // A rebuild replaces cells without marking anyone: a's figures are gone, c's appear.
        await _feed.WriteAsync(async (db, _) =>
        {
            await db.MeasureCells.Where(cell => cell.Subject == a.ToString()).ExecuteDeleteAsync();
            var cell = MeasureCell.Start(new CellKey(SubjectKind.Volunteer, c.ToString(), "2026-04", Measures.Measures.VolunteerHours));
            cell.Add(750);
            db.MeasureCells.Add(cell);
        });
        await _feed.MarkAsync(SubjectKind.Volunteer, LeaderboardProjector.Everyone, 2026);

        await BoardAsync(client, $"{Boards}/volunteers?year=2026&under={village}", [Place(1, c, "张伟", village, 7.5m), Place(2, b, "李强", village, 2m)]);
    }

    [Fact]
    public async Task A_volunteer_joins_the_boards_when_their_home_station_becomes_known()
    {
        var county = County();
        var village = $"{county}101201";
        var (early, known) = (Id(1), Id(2));
        // Hours may arrive before the approval that says where the volunteer belongs.
        await _feed.CreditAsync(early, 9m, March);
        await _feed.VolunteerAsync(known, "李强", village);
        await _feed.CreditAsync(known, 1m, March);
        using var client = Admin(county);
        // Marks are taken in order, so once the later one shows the earlier one was handled: no board for a volunteer nobody places.
        await BoardAsync(client, $"{Boards}/volunteers?year=2026&under={county}", [Place(1, known, "李强", village, 1m)]);

        await _feed.VolunteerAsync(early, "王芳", village);
        await _feed.MarkAsync(SubjectKind.Volunteer, early.ToString(), 0);

        await BoardAsync(client, $"{Boards}/volunteers?year=2026&under={county}", [Place(1, early, "王芳", village, 9m), Place(2, known, "李强", village, 1m)]);
    }

    [Fact]
    public async Task Teams_are_ranked_by_the_activities_they_held()
    {
        var county = County();
        var village = $"{county}101201";
        var (first, second) = (Id(1), Id(2));
        await _feed.TeamAsync(first, "王集村红马甲志愿服务队", village);
        await _feed.TeamAsync(second, "王集村巾帼志愿服务队", village);
        await CompleteAsync(village, first);
        await CompleteAsync(village, first);
        await CompleteAsync(village, second);
        using var client = Admin(county);

        await BoardAsync(client, $"{Boards}/teams?year=2026&under={county}101",
            [new TeamPlace(1, first, "王集村红马甲志愿服务队", village, 2), new TeamPlace(2, second, "王集村巾帼志愿服务队", village, 1)]);
    }

    [Fact]
    public async Task A_township_admin_sees_its_own_townships_board()
    {
        var county = County();
        var (village, elsewhere) = ($"{county}101201", $"{county}102201");
        var (a, b) = (Id(1), Id(2));
        await _feed.VolunteerAsync(a, "王芳", village);
        await _feed.VolunteerAsync(b, "李强", elsewhere);
        await _feed.CreditAsync(a, 1m, March);
        await _feed.CreditAsync(b, 2m, March);
        using (var admin = Admin(county))
        {
            await BoardAsync(admin, $"{Boards}/volunteers?year=2026&under={county}", [Place(1, b, "李强", elsewhere, 2m), Place(2, a, "王芳", village, 1m)]);
        }
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, $"{county}101");

        // Asking for the county gives the township's board; another township's is nobody's business.
        Assert.Equal([Place(1, a, "王芳", village, 1m)], await township.GetAsync<List<VolunteerPlace>>($"{Boards}/volunteers?year=2026&under={county}"));
        Assert.Empty(await township.GetAsync<List<VolunteerPlace>>($"{Boards}/volunteers?year=2026&under={county}102"));
    }

    [Theory]
    [InlineData("volunteers?year=26", "year")]
    [InlineData("volunteers?year=20x6", "year")]
    [InlineData("teams?top=0", "top")]
    [InlineData("volunteers?top=101", "top")]
    [InlineData("teams?under=3213241", "under")]
    [InlineData("volunteers?under=32a", "under")]
    public async Task A_bad_year_top_or_division_is_a_400_naming_it(string query, string field)
    {
        using var client = factory.CreateClient();

        var problem = await client.GetAsync($"{Boards}/{query}", HttpStatusCode.BadRequest);

        HttpAssertions.AssertNamesInvalid(problem, field);
    }

    private async Task CompleteAsync(string station, Guid team)
    {
        var completed = new ActivityCompleted(Guid.NewGuid(), March.AddHours(2), DivisionCode.Parse(station), Guid.NewGuid(), station, team,
            ActivityCategory.Culture, March, March.AddHours(2), [new ActivityParticipant(Guid.NewGuid(), 2m)], 5);
        await factory.Harness.Bus.Publish(completed);
        await factory.ConsumedAsync<ActivityCompleted>(m => m.EventId == completed.EventId);
    }
}
