using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>Grid workers and cadres are people from identity; each test works in villages of its own.</summary>
public sealed class AssignmentTests(GridFactory factory) : IClassFixture<GridFactory>
{
    private static string Assignments(string grid) => $"/api/v1/grid/grids/{grid}/assignments";

    [Fact]
    public async Task A_worker_and_a_cadre_are_assigned_from_today_in_China_and_listed_with_the_grid_and_the_person()
    {
        var grid = await GridPeople.CreateGridAsync(factory, "321324121201", 1);
        var worker = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, "321324121201", "孙网格");
        var cadre = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.TownshipAdmin, "321324121", "周干部");
        using var admin = factory.CreateClient();

        var assigned = await admin.PostAsync(Assignments(grid), new { personId = worker, duty = "Worker", remark = "村两委会议决定" }, HttpStatusCode.Created);
        await admin.PostAsync(Assignments(grid), new { personId = cadre, duty = "Cadre", from = "2026-03-01" }, HttpStatusCode.Created);

        // The factory's clock is 2026-03-04 01:00 UTC, 09:00 in China.
        Assert.Equal("2026-03-04", assigned.GetProperty("from").GetString());
        Assert.Equal(JsonValueKind.Null, assigned.GetProperty("until").ValueKind);
        Assert.True(assigned.GetProperty("current").GetBoolean());
        Assert.Equal("村两委会议决定", assigned.GetProperty("remark").GetString());
        var listed = await admin.GetAsync(Assignments(grid), HttpStatusCode.OK);
        Assert.Equal([("孙网格", "Worker"), ("周干部", "Cadre")],
            listed.EnumerateArray().Select(a => (a.GetProperty("personName").GetString(), a.GetProperty("duty").GetString())).OrderByDescending(a => a.Item2));
        var mine = await admin.GetAsync($"/api/v1/grid/people/{cadre}/assignments", HttpStatusCode.OK);
        Assert.Equal(grid, Assert.Single(mine.EnumerateArray()).GetProperty("gridCode").GetString());

        var published = await factory.PublishedAsync<GridAssignmentChanged>(e => e.PersonId == worker);
        Assert.Equal((grid, "321324121201", GridDuty.Worker, new DateOnly(2026, 3, 4), (DateOnly?)null, "孙网格"),
            (published.GridCode, published.DivisionCode.Value, published.Duty, published.From, published.Until, published.PersonName));
    }

    [Fact]
    public async Task A_person_holds_several_grids_and_an_ended_assignment_stays_in_the_history_with_its_dates()
    {
        var first = await GridPeople.CreateGridAsync(factory, "321324122201", 1);
        var second = await GridPeople.CreateGridAsync(factory, "321324122201", 2);
        var worker = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, "321324122201");
        using var admin = factory.CreateClient();
        var one = await admin.PostAsync(Assignments(first), new { personId = worker, duty = "Worker", from = "2026-01-05" }, HttpStatusCode.Created);
        await admin.PostAsync(Assignments(second), new { personId = worker, duty = "Worker", from = "2026-02-01" }, HttpStatusCode.Created);
        var id = one.GetProperty("id").GetGuid();

        var ended = await admin.PostAsync($"/api/v1/grid/assignments/{id}/end", new { until = "2026-03-03", remark = "调整分工" }, HttpStatusCode.OK);

        Assert.Equal(("2026-03-03", false, "调整分工"), (ended.GetProperty("until").GetString(), ended.GetProperty("current").GetBoolean(), ended.GetProperty("endRemark").GetString()));
        var history = await admin.GetAsync($"/api/v1/grid/people/{worker}/assignments", HttpStatusCode.OK);
        Assert.Equal([(second, true), (first, false)],
            history.EnumerateArray().Select(a => (a.GetProperty("gridCode").GetString(), a.GetProperty("current").GetBoolean())));
        var kept = Assert.Single((await admin.GetAsync(Assignments(first), HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(("2026-01-05", "2026-03-03"), (kept.GetProperty("from").GetString(), kept.GetProperty("until").GetString()));
        await factory.PublishedAsync<GridAssignmentChanged>(e => e.AssignmentId == id && e.Until == new DateOnly(2026, 3, 3));

        // Ended once is ended: a second end is a conflict, and the first end's dates stay.
        await admin.PostAsync($"/api/v1/grid/assignments/{id}/end", new { until = "2026-03-04" }, HttpStatusCode.Conflict);
        // The same person may take the grid again from a day after the last one.
        await admin.PostAsync(Assignments(first), new { personId = worker, duty = "Worker", from = "2026-03-10" }, HttpStatusCode.Created);
        Assert.Equal(2, (await admin.GetAsync(Assignments(first), HttpStatusCode.OK)).GetArrayLength());
    }

    [Fact]
    public async Task The_same_duty_twice_in_a_grid_is_a_conflict_and_writes_nothing()
    {
        var grid = await GridPeople.CreateGridAsync(factory, "321324123201", 1);
        var worker = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, "321324123201");
        using var admin = factory.CreateClient();
        await admin.PostAsync(Assignments(grid), new { personId = worker, duty = "Worker", from = "2026-02-01" }, HttpStatusCode.Created);

        await admin.PostAsync(Assignments(grid), new { personId = worker, duty = "Worker" }, HttpStatusCode.Conflict);
        await admin.PostAsync(Assignments(grid), new { personId = worker, duty = "Worker", from = "2025-12-01" }, HttpStatusCode.Conflict);

        Assert.Single((await admin.GetAsync(Assignments(grid), HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task Unknown_grids_people_and_assignments_are_404()
    {
        var grid = await GridPeople.CreateGridAsync(factory, "321324124201", 1);
        var worker = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, "321324124201");
        using var admin = factory.CreateClient();

        await admin.PostAsync(Assignments(grid), new { personId = Guid.CreateVersion7(), duty = "Worker" }, HttpStatusCode.NotFound);
        await admin.PostAsync(Assignments("321324124201-09"), new { personId = worker, duty = "Worker" }, HttpStatusCode.NotFound);
        await admin.PostAsync($"/api/v1/grid/assignments/{Guid.CreateVersion7()}/end", new { }, HttpStatusCode.NotFound);
        await admin.GetAsync(Assignments("321324124201-09"), HttpStatusCode.NotFound);
        await admin.GetAsync($"/api/v1/grid/people/{Guid.CreateVersion7()}/assignments", HttpStatusCode.NotFound);
        Assert.Empty((await admin.GetAsync(Assignments(grid), HttpStatusCode.OK)).EnumerateArray());
    }

    [Theory]
    [InlineData(1, PracticeMeshRoles.Resident, "321324125201", "Worker")]
    [InlineData(2, PracticeMeshRoles.GridWorker, "321324125202", "Worker")]
    [InlineData(3, PracticeMeshRoles.GridWorker, "321324125201", "Cadre")]
    [InlineData(4, PracticeMeshRoles.StationAdmin, "321324125202", "Cadre")]
    [InlineData(5, PracticeMeshRoles.CountyAdmin, "321324", "Cadre")]
    [InlineData(6, PracticeMeshRoles.TownshipAdmin, "321324136", "Cadre")]
    public async Task A_person_whose_role_or_division_does_not_fit_the_duty_is_400_naming_the_person(int serial, string role, string division, string duty)
    {
        // Each case in a grid of its own.
        var grid = await GridPeople.CreateGridAsync(factory, "321324125201", serial);
        var person = await GridPeople.KnowPersonAsync(factory, role, division);
        using var admin = factory.CreateClient();

        var problem = await admin.PostAsync(Assignments(grid), new { personId = person, duty }, HttpStatusCode.BadRequest);

        HttpAssertions.AssertNamesInvalid(problem, "personId");
        Assert.Empty((await admin.GetAsync(Assignments(grid), HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task A_cadre_of_the_village_the_township_or_a_team_fits()
    {
        var grid = await GridPeople.CreateGridAsync(factory, "321324126201", 1);
        using var admin = factory.CreateClient();
        foreach (var (role, division) in new[] { (PracticeMeshRoles.StationAdmin, "321324126201"), (PracticeMeshRoles.TownshipAdmin, "321324126"), (PracticeMeshRoles.TeamLeader, "321324126201") })
        {
            var person = await GridPeople.KnowPersonAsync(factory, role, division);
            await admin.PostAsync(Assignments(grid), new { personId = person, duty = "Cadre" }, HttpStatusCode.Created);
        }
        Assert.Equal(3, (await admin.GetAsync(Assignments(grid), HttpStatusCode.OK)).GetArrayLength());
    }

    [Fact]
    public async Task A_deactivated_person_or_a_retired_grid_takes_no_assignment()
    {
        var grid = await GridPeople.CreateGridAsync(factory, "321324127201", 1);
        var retired = await GridPeople.CreateGridAsync(factory, "321324127201", 2);
        await GridPeople.RetireAsync(factory, retired);
        var gone = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, "321324127201");
        await GridPeople.SetActiveAsync(factory, gone, PracticeMeshRoles.GridWorker, "321324127201", active: false);
        var worker = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, "321324127201");
        using var admin = factory.CreateClient();

        await admin.PostAsync(Assignments(grid), new { personId = gone, duty = "Worker" }, HttpStatusCode.Conflict);
        await admin.PostAsync(Assignments(retired), new { personId = worker, duty = "Worker" }, HttpStatusCode.Conflict);

        Assert.Empty((await admin.GetAsync(Assignments(grid), HttpStatusCode.OK)).EnumerateArray());
        Assert.Empty((await admin.GetAsync(Assignments(retired), HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task Only_admins_who_cover_the_grid_assign_and_only_those_who_cover_it_see_it()
    {
        var grid = await GridPeople.CreateGridAsync(factory, "321324128201", 1);
        var worker = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, "321324128201");
        using var otherTownship = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324129");
        using var gridWorker = factory.CreateClient(PracticeMeshRoles.GridWorker, "321324128201");
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324128");

        await otherTownship.PostAsync(Assignments(grid), new { personId = worker, duty = "Worker" }, HttpStatusCode.NotFound);
        using (var refused = await gridWorker.PostAsJsonAsync(Assignments(grid), new { personId = worker, duty = "Worker" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        var made = await township.PostAsync(Assignments(grid), new { personId = worker, duty = "Worker" }, HttpStatusCode.Created);
        var id = made.GetProperty("id").GetGuid();

        await otherTownship.PostAsync($"/api/v1/grid/assignments/{id}/end", new { }, HttpStatusCode.NotFound);
        await otherTownship.GetAsync(Assignments(grid), HttpStatusCode.NotFound);
        await otherTownship.GetAsync($"/api/v1/grid/people/{worker}/assignments", HttpStatusCode.NotFound);
        // The grid worker reads their own grid's roster.
        Assert.Single((await gridWorker.GetAsync($"/api/v1/grid/people/{worker}/assignments", HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task Bad_input_is_400_naming_the_field_and_writes_nothing()
    {
        var grid = await GridPeople.CreateGridAsync(factory, "321324130201", 1);
        var worker = await GridPeople.KnowPersonAsync(factory, PracticeMeshRoles.GridWorker, "321324130201");
        using var admin = factory.CreateClient();

        HttpAssertions.AssertNamesInvalid(await admin.PostAsync(Assignments(grid), new { duty = "Worker" }, HttpStatusCode.BadRequest), "personId");
        HttpAssertions.AssertNamesInvalid(await admin.PostAsync(Assignments(grid), new { personId = worker }, HttpStatusCode.BadRequest), "duty");
        HttpAssertions.AssertNamesInvalid(await admin.PostAsync(Assignments(grid), new { personId = worker, duty = "Worker", from = "0001-01-01" }, HttpStatusCode.BadRequest), "from");
        HttpAssertions.AssertNamesInvalid(await admin.PostAsync(Assignments(grid), new { personId = worker, duty = "Worker", remark = new string('长', 201) }, HttpStatusCode.BadRequest), "remark");
        Assert.Empty((await admin.GetAsync(Assignments(grid), HttpStatusCode.OK)).EnumerateArray());

        var made = await admin.PostAsync(Assignments(grid), new { personId = worker, duty = "Worker", from = "2026-03-01" }, HttpStatusCode.Created);
        var id = made.GetProperty("id").GetGuid();
        HttpAssertions.AssertNamesInvalid(await admin.PostAsync($"/api/v1/grid/assignments/{id}/end", new { until = "2026-02-28" }, HttpStatusCode.BadRequest), "until");
        HttpAssertions.AssertNamesInvalid(await admin.PostAsync($"/api/v1/grid/assignments/{id}/end", new { until = "9999-12-31" }, HttpStatusCode.BadRequest), "until");
        Assert.True((await admin.GetAsync($"/api/v1/grid/assignments/{id}", HttpStatusCode.OK)).GetProperty("current").GetBoolean());
    }
}
