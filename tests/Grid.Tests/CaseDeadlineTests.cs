using System.Net;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>
/// Stage limits on the injected clock: each stage starts its own clock, and a step that ends a stage past its limit
/// marks the case as having gone overdue, so it is not closed on time. Limits are counted by the configured
/// <c>ICaseTimeLimits</c>; the margins here (a month late, an hour early) hold on any working calendar.
/// </summary>
public sealed class CaseDeadlineTests(GridFactory factory) : IClassFixture<GridFactory>
{
    [Fact]
    public async Task Each_stage_sets_its_limit_and_handling_a_month_late_means_not_closed_on_time()
    {
        var grid = await factory.GridAsync("321324104271");
        var worker = await factory.WorkerAsync(grid);
        using var staff = factory.CreateClient();
        using var handler = factory.WorkerClient(worker, "321324104271");
        var reported = await staff.ReportAsync(grid, 33.9000, 118.3000);
        var id = reported.Id();
        Assert.Equal("Acceptance", reported.GetProperty("stage").GetString());
        Assert.True(reported.GetProperty("dueAt").GetDateTimeOffset() > factory.Clock.GetUtcNow());

        factory.Clock.Advance(TimeSpan.FromMinutes(30));
        var accepted = await staff.StepAsync(id, "accept");
        Assert.Equal(("Handling", factory.Clock.GetUtcNow()), (accepted.GetProperty("stage").GetString(), accepted.GetProperty("stageStartedAt").GetDateTimeOffset()));
        Assert.True(accepted.GetProperty("dueAt").GetDateTimeOffset() > reported.GetProperty("dueAt").GetDateTimeOffset());
        Assert.False(accepted.GetProperty("wentOverdue").GetBoolean());
        await staff.StepAsync(id, "dispatch", new { handlerId = worker });

        factory.Clock.Advance(TimeSpan.FromDays(31));
        Assert.True((await staff.CaseAsync(id)).GetProperty("overdue").GetBoolean());
        var handled = await handler.StepAsync(id, "handle", new { remark = "已处理" });
        Assert.Equal(("Verification", true, false), (handled.GetProperty("stage").GetString(), handled.GetProperty("wentOverdue").GetBoolean(),
            handled.GetProperty("overdue").GetBoolean()));
        await staff.StepAsync(id, "verify");
        await staff.StepAsync(id, "close");

        var ended = await factory.PublishedAsync<CaseClosed>(e => e.CaseId == id);
        Assert.Equal((CaseOutcome.Resolved, false), (ended.Outcome, ended.OnTime));
    }

    [Fact]
    public async Task Closing_after_the_verification_limit_is_late_even_when_every_other_stage_was_in_time()
    {
        var grid = await factory.GridAsync("321324104272");
        var worker = await factory.WorkerAsync(grid);
        using var staff = factory.CreateClient();
        using var handler = factory.WorkerClient(worker, "321324104272");
        var id = (await staff.ReportAsync(grid, 33.9100, 118.3000)).Id();
        await staff.StepAsync(id, "accept");
        await staff.StepAsync(id, "dispatch", new { handlerId = worker });
        await handler.StepAsync(id, "handle", new { remark = "已处理" });
        var verified = await staff.StepAsync(id, "verify");
        Assert.False(verified.GetProperty("wentOverdue").GetBoolean());

        factory.Clock.Advance(TimeSpan.FromDays(31));
        var closed = await staff.StepAsync(id, "close");

        Assert.True(closed.GetProperty("wentOverdue").GetBoolean());
        Assert.False((await factory.PublishedAsync<CaseClosed>(e => e.CaseId == id)).OnTime);
    }
}
