using System.Net;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>
/// Possible duplicates offered at report time, and merging a duplicate into the surviving case, whose followers then
/// include both reporters. Points are about 1.1 km apart between tests (0.01° of latitude), beyond the 250 m radius.
/// </summary>
public sealed class CaseMergeTests(GridFactory factory) : IClassFixture<GridFactory>
{
    [Fact]
    public async Task A_report_near_an_open_case_of_its_category_lists_it_as_a_possible_duplicate()
    {
        var grid = await factory.GridAsync("321324104251");
        using var staff = factory.CreateClient();
        var first = (await staff.ReportAsync(grid, 33.7000, 118.3000)).Id();
        var otherCategory = (await staff.ReportAsync(grid, 33.7001, 118.3000, "road-damage")).Id();
        var far = (await staff.ReportAsync(grid, 33.7040, 118.3000)).Id(); // about 330 m north of the second
        var closed = (await staff.ReportAsync(grid, 33.7002, 118.3000)).Id();
        await staff.StepAsync(closed, "reject", new { reason = "不属实" });

        var second = await staff.ReportAsync(grid, 33.7010, 118.3000); // about 111 m north of the first

        var duplicates = second.GetProperty("possibleDuplicates").EnumerateArray().ToList();
        Assert.Equal([first], duplicates.Select(d => d.Id()));
        Assert.InRange(duplicates[0].GetProperty("distance").GetDouble(), 105, 117);
        Assert.Equal(("Reported", duplicates[0].GetProperty("number").GetString()),
            (duplicates[0].Status(), (await staff.CaseAsync(first)).GetProperty("number").GetString()));
        Assert.DoesNotContain(far, duplicates.Select(d => d.Id()));
        Assert.DoesNotContain(otherCategory, duplicates.Select(d => d.Id()));
    }

    [Fact]
    public async Task A_grid_worker_merges_a_duplicate_and_both_reporters_follow_the_survivor()
    {
        var grid = await factory.GridAsync("321324104252");
        var worker = await factory.WorkerAsync(grid);
        var (firstPerson, secondPerson) = (Guid.NewGuid(), Guid.NewGuid());
        using var firstReporter = factory.ResidentClient("321324104252", firstPerson);
        using var secondReporter = factory.ResidentClient("321324104252", secondPerson);
        using var handler = factory.WorkerClient(worker, "321324104252");
        var survivor = (await firstReporter.ReportAsync(grid, 33.7100, 118.3000)).Id();
        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        var duplicate = await secondReporter.ReportAsync(grid, 33.7105, 118.3000);
        Assert.Equal([survivor], duplicate.GetProperty("possibleDuplicates").EnumerateArray().Select(d => d.Id()));

        var merged = await handler.StepAsync(duplicate.Id(), "merge", new { intoCaseId = survivor });

        Assert.Equal(("Merged", survivor, false), (merged.Status(), merged.GetProperty("mergedInto").GetGuid(), merged.GetProperty("open").GetBoolean()));
        var kept = await handler.CaseAsync(survivor);
        Assert.Equal(("Reported", "MergedFrom"), (kept.Status(), kept.Actions()[^1]));
        Assert.Equal([duplicate.Id()], kept.GetProperty("mergedFrom").EnumerateArray().Select(x => x.GetGuid()));
        var ended = await factory.PublishedAsync<CaseClosed>(e => e.CaseId == duplicate.Id());
        Assert.Equal((CaseOutcome.Merged, survivor), (ended.Outcome, ended.MergedInto));
        // The second reporter now follows the surviving case: it is among their cases and they may read it.
        var mine = await secondReporter.GetAsync("/api/v1/grid/cases/mine", HttpStatusCode.OK);
        Assert.Equal([duplicate.Id(), survivor], mine.GetProperty("items").EnumerateArray().Select(c => c.Id()));
        Assert.Equal("Reported", (await secondReporter.CaseAsync(survivor)).Status());
        Assert.False((await secondReporter.CaseAsync(survivor)).TryGetProperty("followToken", out _));
        Assert.Equal([survivor], (await firstReporter.GetAsync("/api/v1/grid/cases/mine", HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().Select(c => c.Id()));
    }

    [Fact]
    public async Task Followers_carry_over_when_a_survivor_is_itself_merged()
    {
        var grid = await factory.GridAsync("321324104253");
        var people = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        var ids = new List<Guid>();
        foreach (var (person, i) in people.Select((p, i) => (p, i)))
        {
            ids.Add((await factory.ResidentClient("321324104253", person).ReportAsync(grid, 33.7200 + i * 0.0001, 118.3000)).Id());
        }
        using var staff = factory.CreateClient();
        await staff.StepAsync(ids[0], "merge", new { intoCaseId = ids[1] });
        await staff.StepAsync(ids[1], "merge", new { intoCaseId = ids[2] });

        foreach (var person in people)
        {
            Assert.Equal("Reported", (await factory.ResidentClient("321324104253", person).CaseAsync(ids[2])).Status());
        }
    }

    [Fact]
    public async Task Only_open_cases_of_one_category_merge_and_only_a_worker_of_the_grid_or_staff_merge_them()
    {
        var grid = await factory.GridAsync("321324104254");
        var otherGrid = await factory.GridAsync("321324104254", serial: 2);
        var outsider = await factory.WorkerAsync(otherGrid);
        using var staff = factory.CreateClient();
        var sanitation = (await staff.ReportAsync(grid, 33.7300, 118.3000)).Id();
        var road = (await staff.ReportAsync(grid, 33.7301, 118.3000, "road-damage")).Id();
        var rejected = (await staff.ReportAsync(grid, 33.7302, 118.3000)).Id();
        await staff.StepAsync(rejected, "reject", new { reason = "不属实" });
        var duplicate = (await staff.ReportAsync(grid, 33.7303, 118.3000)).Id();

        HttpAssertions.AssertNamesInvalid(await staff.StepAsync(duplicate, "merge", new { intoCaseId = road }, HttpStatusCode.BadRequest), "intoCaseId");
        HttpAssertions.AssertNamesInvalid(await staff.StepAsync(duplicate, "merge", new { intoCaseId = rejected }, HttpStatusCode.BadRequest), "intoCaseId");
        HttpAssertions.AssertNamesInvalid(await staff.StepAsync(duplicate, "merge", new { intoCaseId = duplicate }, HttpStatusCode.BadRequest), "intoCaseId");
        HttpAssertions.AssertNamesInvalid(await staff.StepAsync(duplicate, "merge", new { }, HttpStatusCode.BadRequest), "intoCaseId");
        await staff.StepAsync(rejected, "merge", new { intoCaseId = sanitation }, HttpStatusCode.Conflict);
        await factory.WorkerClient(outsider, "321324104254").StepAsync(duplicate, "merge", new { intoCaseId = sanitation }, HttpStatusCode.Forbidden);
        await factory.ResidentClient("321324104254").StepAsync(duplicate, "merge", new { intoCaseId = sanitation }, HttpStatusCode.NotFound);

        var still = await staff.CaseAsync(duplicate);
        Assert.Equal(("Reported", 1), (still.Status(), still.GetProperty("history").GetArrayLength()));
        Assert.Empty((await staff.CaseAsync(sanitation)).GetProperty("mergedFrom").EnumerateArray());

        Assert.Equal("Merged", (await staff.StepAsync(duplicate, "merge", new { intoCaseId = sanitation })).Status());
    }
}
