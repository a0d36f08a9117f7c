using System.Net;
using PracticeMesh.TestSupport;

namespace PracticeMesh.EndToEnd.Tests;

/// <summary>
/// A case reported through the gateway goes overdue and up to its village, with the grid service as a process of its
/// own: its clock is moved past the due time through <c>Testing:ClockOffsetFile</c>, and its sweep does the rest.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class GridEscalationTests(DistributedPlatform platform)
{
    private const string Village = "321324104202";

    [Fact]
    public async Task A_resident_reports_a_hazard_nobody_accepts_and_the_village_is_told()
    {
        using var resident = await platform.SignInAsync("resident");
        using var county = await platform.SignInAsync("county.admin");

        var reported = await resident.PostAsync("/api/v1/grid/cases",
            new { category = "safety-hazard", description = "村口变压器围栏倒塌", address = "王集村村口", villageCode = Village }, HttpStatusCode.Created);
        var id = reported.GetProperty("id").GetGuid();
        var dueAt = reported.GetProperty("dueAt").GetDateTimeOffset();
        Assert.Equal(0, reported.GetProperty("escalationLevel").GetInt32());

        try
        {
            // A minute past the due time, as the grid service reads its clock; nothing else moves.
            platform.MoveGridClock(dueAt - DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));

            var escalated = await HttpAssertions.EventuallyAsync(async () =>
            {
                var read = await county.GetAsync($"/api/v1/grid/cases/{id}", HttpStatusCode.OK);
                var level = read.GetProperty("escalationLevel").GetInt32();
                return level >= 1 ? Tuple.Create(level, read.GetProperty("escalatedTo").GetString()) : null;
            }, $"case {id} to be escalated");
            Assert.Equal((1, Village), (escalated.Item1, escalated.Item2));

            var notices = await county.GetAsync($"/api/v1/grid/escalations?under={Village}", HttpStatusCode.OK);
            var notice = Assert.Single(notices.EnumerateArray(), n => n.GetProperty("caseId").GetGuid() == id);
            Assert.Equal((1, Village), (notice.GetProperty("level").GetInt32(), notice.GetProperty("escalatedTo").GetString()));
        }
        finally
        {
            // The platform is shared by the collection: the grid's clock goes back to the system's.
            platform.MoveGridClock(TimeSpan.Zero);
        }
    }
}
