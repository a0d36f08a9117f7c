using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Cases;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Grid.Tests;

/// <summary>The case's lifecycle rules on the plain class, with the limits given as the working calendar would count them.</summary>
public sealed class CaseRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 9, 29, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly CaseActor Staff = new("staff-1", "张主任", "township_admin");
    private static readonly CaseActor Worker = new("0190a1b2-0000-7000-8000-000000000001", "王网格", "grid_worker");
    private static readonly Guid WorkerId = Guid.Parse(Worker.Id!);

    private static GridCase Reported(DateTimeOffset? acceptBy = null) =>
        GridCase.Report("20260929-ABCDE", DivisionCode.Parse("321324104201"), "321324104201-01", false, "sanitation", "垃圾堆积",
            null, 33.4, 118.2, null, new CaseReporter(CaseSource.Resident, "resident-1", "李居民", "resident", null),
            Start, acceptBy ?? Start.AddHours(4)).Case;

    [Fact]
    public void Every_stage_on_time_closes_on_time_with_each_step_in_the_history()
    {
        var c = Reported();
        c.Accept(Staff, Start.AddHours(1), null, Start.AddDays(2));
        var dispatched = c.Dispatch(Staff, WorkerId, "王网格", Start.AddHours(2), null);
        c.Handle(Worker, Start.AddDays(1), "已清理", ["https://media.example.cn/after.jpg"], Start.AddDays(2));
        c.Verify(Staff, Start.AddDays(1).AddHours(2), null);
        var closed = c.Close(Staff, Start.AddDays(1).AddHours(3), null);

        Assert.Equal((WorkerId, Start.AddDays(2)), (dispatched.HandlerId, dispatched.HandleBy));
        Assert.Equal((CaseOutcome.Resolved, true, 0, false), (closed.Outcome, closed.OnTime, closed.Reworks, closed.Extended));
        Assert.Equal([CaseAction.Reported, CaseAction.Accepted, CaseAction.Dispatched, CaseAction.Handled, CaseAction.Verified, CaseAction.Closed],
            c.Steps.Select(s => s.Action));
        Assert.Equal([1, 2, 3, 4, 5, 6], c.Steps.Select(s => s.Sequence));
        Assert.Equal((CaseStatus.Closed, (CaseStage?)null, 6), (c.Status, c.Stage, c.Version));
    }

    [Fact]
    public void Accepting_after_the_acceptance_limit_marks_the_case_overdue_for_good()
    {
        var c = Reported(acceptBy: Start.AddHours(4));

        c.Accept(Staff, Start.AddHours(5), null, Start.AddDays(3));

        Assert.True(c.WentOverdue);
        Assert.Equal((CaseStage.Handling, Start.AddHours(5), Start.AddDays(3)), (c.Stage, c.StageStartedAt, c.DueAt));
        c.Dispatch(Staff, WorkerId, "王网格", Start.AddHours(6), null);
        c.Handle(Worker, Start.AddHours(7), "已清理", null, Start.AddDays(1));
        c.Verify(Staff, Start.AddHours(8), null);
        Assert.False(c.Close(Staff, Start.AddHours(9), null).OnTime);
    }

    [Fact]
    public void An_approved_extension_moves_the_limit_so_handling_within_it_is_on_time()
    {
        var c = Reported();
        c.Accept(Staff, Start.AddHours(1), null, Start.AddDays(2));
        c.Dispatch(Staff, WorkerId, "王网格", Start.AddHours(2), null);
        c.RequestExtension(Worker, Start.AddDays(1), 3, "等配件");

        c.ApproveExtension(Staff, Start.AddDays(1).AddHours(1), null, Start.AddDays(5));
        c.Handle(Worker, Start.AddDays(4), "已修复", null, Start.AddDays(5));
        c.Verify(Staff, Start.AddDays(4).AddHours(1), null);
        var closed = c.Close(Staff, Start.AddDays(4).AddHours(2), null);

        Assert.Equal((true, true, 1), (closed.OnTime, closed.Extended, c.Extensions));
    }

    [Fact]
    public void A_step_out_of_order_throws_naming_the_status_and_changes_nothing()
    {
        var c = Reported();
        var before = (c.Status, c.Version, c.Steps.Count, c.DueAt);

        var conflict = Assert.Throws<ConflictException>(() => c.Close(Staff, Start.AddHours(1), null));
        Assert.Throws<ConflictException>(() => c.Handle(Worker, Start.AddHours(1), "x", null, Start.AddDays(1)));
        Assert.Throws<ConflictException>(() => c.Reopen(Staff, Start.AddHours(1), "x", Start.AddDays(1)));
        Assert.Throws<ConflictException>(() => c.ApproveExtension(Staff, Start.AddHours(1), null, Start.AddDays(1)));
        Assert.Throws<DomainValidationException>(() => c.Reject(Staff, Start.AddHours(1), " "));

        Assert.Contains("Reported", conflict.Message);
        Assert.Equal(before, (c.Status, c.Version, c.Steps.Count, c.DueAt));
    }

    [Fact]
    public void A_merged_duplicate_ends_and_the_survivor_records_it()
    {
        var survivor = Reported();
        var duplicate = Reported();

        var closed = duplicate.MergeInto(survivor, Worker, Start.AddHours(1), null);

        Assert.Equal((CaseStatus.Merged, survivor.Id), (duplicate.Status, duplicate.MergedInto));
        Assert.Equal((CaseOutcome.Merged, survivor.Id), (closed.Outcome, closed.MergedInto));
        Assert.Equal((CaseStatus.Reported, CaseAction.MergedFrom), (survivor.Status, survivor.Steps[^1].Action));
        Assert.Throws<ConflictException>(() => duplicate.MergeInto(survivor, Worker, Start.AddHours(2), null));
    }
}
