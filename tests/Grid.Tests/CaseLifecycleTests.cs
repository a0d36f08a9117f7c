using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Grid.Tests;

/// <summary>
/// A case from report to close over HTTP (上报 → 立案 → 派遣 → 处置 → 核查 → 结案) and its side paths. Each test works in
/// its own village and at its own point, far from the others', so nearby cases are never offered as duplicates.
/// </summary>
public sealed class CaseLifecycleTests(GridFactory factory) : IClassFixture<GridFactory>
{
    [Fact]
    public async Task A_resident_reports_and_the_case_goes_through_every_step_to_closed_on_time()
    {
        var grid = await factory.GridAsync("321324104211");
        var worker = await factory.WorkerAsync(grid, "王网格");
        var resident = Guid.NewGuid();
        using var reporter = factory.ResidentClient("321324104211", resident);
        using var staff = factory.CreateClient();
        using var handler = factory.WorkerClient(worker, "321324104211");

        using var response = await reporter.PostAsJsonAsync(CaseTestKit.Cases, new
        {
            category = "sanitation", description = "路边垃圾堆积", latitude = 33.4011, longitude = 118.2011, gridCode = grid,
        }, HttpAssertions.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var reported = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = reported.Id();
        Assert.Equal($"/api/v1/grid/cases/{id}", response.Headers.Location?.ToString());
        Assert.Equal(("Reported", grid, "Resident"), (reported.Status(), reported.GetProperty("gridCode").GetString(), reported.GetProperty("source").GetString()));
        Assert.Empty(reported.GetProperty("possibleDuplicates").EnumerateArray());

        await staff.StepAsync(id, "accept", new { remark = "属实" });
        var dispatched = await staff.StepAsync(id, "dispatch", new { handlerId = worker, remark = "请今日处理" });
        Assert.Equal(("Dispatched", worker, "王网格"), (dispatched.Status(), dispatched.GetProperty("handlerId").GetGuid(), dispatched.GetProperty("handlerName").GetString()));
        var sent = await factory.PublishedAsync<CaseDispatched>(e => e.CaseId == id);
        Assert.Equal(worker, sent.HandlerId);
        Assert.Equal(dispatched.GetProperty("dueAt").GetDateTimeOffset(), sent.HandleBy);

        var handled = await handler.StepAsync(id, "handle", new { remark = "已清理完毕", media = new[] { "https://media.example.cn/after.jpg" } });
        Assert.Equal(("Handled", "Verification"), (handled.Status(), handled.GetProperty("stage").GetString()));
        await staff.StepAsync(id, "verify", new { remark = "现场已核查" });
        var closed = await staff.StepAsync(id, "close");

        Assert.Equal(("Closed", false, false), (closed.Status(), closed.GetProperty("open").GetBoolean(), closed.GetProperty("wentOverdue").GetBoolean()));
        Assert.Equal(["Reported", "Accepted", "Dispatched", "Handled", "Verified", "Closed"], closed.Actions());
        var handledStep = closed.GetProperty("history")[3];
        Assert.Equal((worker.ToString(), "grid_worker", "已清理完毕"),
            (handledStep.GetProperty("actorId").GetString(), handledStep.GetProperty("actorRole").GetString(), handledStep.GetProperty("remark").GetString()));
        Assert.Equal("https://media.example.cn/after.jpg", handledStep.GetProperty("media")[0].GetString());
        var ended = await factory.PublishedAsync<CaseClosed>(e => e.CaseId == id);
        Assert.Equal((CaseOutcome.Resolved, true, 0, false, 0), (ended.Outcome, ended.OnTime, ended.Reworks, ended.Extended, ended.EscalationLevel));
        // The reporter follows it to the end.
        Assert.Equal("Closed", (await reporter.CaseAsync(id)).Status());
    }

    [Fact]
    public async Task Rejecting_needs_a_reason_and_then_closes_the_case_as_rejected()
    {
        var grid = await factory.GridAsync("321324104212");
        using var staff = factory.CreateClient();
        var id = (await staff.ReportAsync(grid, 33.4021, 118.2021)).Id();

        var problem = await staff.StepAsync(id, "reject", new { }, HttpStatusCode.BadRequest);
        HttpAssertions.AssertNamesInvalid(problem, "reason");
        Assert.Equal(["Reported"], (await staff.CaseAsync(id)).Actions());

        var rejected = await staff.StepAsync(id, "reject", new { reason = "不属于网格事项" });

        Assert.Equal(("Rejected", "不属于网格事项"), (rejected.Status(), rejected.GetProperty("resolution").GetString()));
        var ended = await factory.PublishedAsync<CaseClosed>(e => e.CaseId == id);
        Assert.Equal(CaseOutcome.Rejected, ended.Outcome);
        await staff.StepAsync(id, "accept", null, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Dispatching_to_a_worker_of_another_grid_is_400_naming_handlerId_and_nothing_changes()
    {
        var grid = await factory.GridAsync("321324104213");
        var neighbour = await factory.GridAsync("321324104213", serial: 2);
        var elsewhere = await factory.WorkerAsync(neighbour);
        var cadre = await factory.WorkerAsync(grid, duty: GridDuty.Cadre);
        var left = await factory.WorkerAsync(grid, until: DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime).AddDays(-1));
        using var staff = factory.CreateClient();
        var id = (await staff.ReportAsync(grid, 33.4031, 118.2031)).Id();
        await staff.StepAsync(id, "accept");

        foreach (var handlerId in new[] { elsewhere, cadre, left, Guid.NewGuid() })
        {
            var problem = await staff.StepAsync(id, "dispatch", new { handlerId }, HttpStatusCode.BadRequest);
            HttpAssertions.AssertNamesInvalid(problem, "handlerId");
        }
        HttpAssertions.AssertNamesInvalid(await staff.StepAsync(id, "dispatch", new { }, HttpStatusCode.BadRequest), "handlerId");

        var still = await staff.CaseAsync(id);
        Assert.Equal(("Accepted", JsonValueKind.Null), (still.Status(), still.GetProperty("handlerId").ValueKind));
        Assert.Equal(["Reported", "Accepted"], still.Actions());
    }

    [Fact]
    public async Task A_case_outside_every_grid_goes_to_a_worker_of_any_grid_of_its_village()
    {
        var grid = await factory.GridAsync("321324104214", serial: 3);
        var worker = await factory.WorkerAsync(grid);
        var otherVillage = await factory.WorkerAsync(await factory.GridAsync("321324104215"));
        using var staff = factory.CreateClient();
        // No grid has a boundary here, so a location alone finds none: the village named takes the case, flagged.
        var reported = await staff.PostAsync(CaseTestKit.Cases, new
        {
            category = "road-damage", description = "路面塌陷", latitude = 33.4041, longitude = 118.2041, villageCode = "321324104214",
        }, HttpStatusCode.Created);
        var id = reported.Id();
        Assert.Equal((JsonValueKind.Null, true), (reported.GetProperty("gridCode").ValueKind, reported.GetProperty("outsideGrids").GetBoolean()));
        await staff.StepAsync(id, "accept");

        HttpAssertions.AssertNamesInvalid(await staff.StepAsync(id, "dispatch", new { handlerId = otherVillage }, HttpStatusCode.BadRequest), "handlerId");
        var dispatched = await staff.StepAsync(id, "dispatch", new { handlerId = worker });

        Assert.Equal(worker, dispatched.GetProperty("handlerId").GetGuid());
    }

    [Fact]
    public async Task Only_the_assigned_handler_marks_it_handled()
    {
        var (id, _, grid) = await factory.DispatchedAsync("321324104216", 33.4051, 118.2051);
        var colleague = await factory.WorkerAsync(grid, "李网格");
        var outsider = await factory.WorkerAsync(await factory.GridAsync("321324104217"));
        using var sameVillage = factory.WorkerClient(colleague, "321324104216");
        using var otherVillage = factory.WorkerClient(outsider, "321324104217");
        using var staff = factory.CreateClient();
        var body = new { remark = "已处理" };

        await sameVillage.StepAsync(id, "handle", body, HttpStatusCode.Forbidden);
        await otherVillage.StepAsync(id, "handle", body, HttpStatusCode.NotFound);
        await staff.StepAsync(id, "handle", body, HttpStatusCode.Forbidden);
        await factory.ResidentClient("321324104216").StepAsync(id, "handle", body, HttpStatusCode.NotFound);

        var still = await staff.CaseAsync(id);
        Assert.Equal(("Dispatched", 3), (still.Status(), still.GetProperty("history").GetArrayLength()));
    }

    [Theory]
    [InlineData("close", "Reported", 1)]
    [InlineData("verify", "Reported", 2)]
    [InlineData("dispatch", "Reported", 3)]
    [InlineData("reopen", "Reported", 4)]
    [InlineData("extension/approve", "Reported", 5)]
    public async Task A_step_out_of_order_is_409_naming_the_current_status_and_writes_nothing(string step, string status, int n)
    {
        var grid = await factory.GridAsync($"3213241042{20 + n}");
        using var staff = factory.CreateClient();
        var before = await staff.ReportAsync(grid, 33.41 + n / 1000.0, 118.21);
        var id = before.Id();

        var problem = await staff.StepAsync(id, step, new { handlerId = Guid.NewGuid(), remark = "x", reason = "x" }, HttpStatusCode.Conflict);

        Assert.Contains(status, problem.GetProperty("detail").GetString());
        var after = await staff.CaseAsync(id);
        Assert.Equal((status, before.GetProperty("version").GetInt32(), 1),
            (after.Status(), after.GetProperty("version").GetInt32(), after.GetProperty("history").GetArrayLength()));
    }

    [Fact]
    public async Task Closing_a_handled_but_unverified_case_is_409_and_it_stays_handled()
    {
        var (id, worker, _) = await factory.DispatchedAsync("321324104231", 33.4311, 118.2311);
        using var handler = factory.WorkerClient(worker, "321324104231");
        using var staff = factory.CreateClient();
        await handler.StepAsync(id, "handle", new { remark = "已处理" });

        var problem = await staff.StepAsync(id, "close", null, HttpStatusCode.Conflict);

        Assert.Contains("Handled", problem.GetProperty("detail").GetString());
        Assert.Equal("Handled", (await staff.CaseAsync(id)).Status());
        await handler.StepAsync(id, "handle", new { remark = "again" }, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_returned_case_waits_for_redispatch_and_goes_to_another_worker()
    {
        var (id, first, grid) = await factory.DispatchedAsync("321324104232", 33.4321, 118.2321);
        var second = await factory.WorkerAsync(grid, "赵网格");
        using var handler = factory.WorkerClient(first, "321324104232");
        using var staff = factory.CreateClient();

        HttpAssertions.AssertNamesInvalid(await handler.StepAsync(id, "return", new { }, HttpStatusCode.BadRequest), "remark");
        var returned = await handler.StepAsync(id, "return", new { remark = "不在本网格范围" });

        Assert.Equal(("Accepted", JsonValueKind.Null), (returned.Status(), returned.GetProperty("handlerId").ValueKind));
        await handler.StepAsync(id, "handle", new { remark = "已处理" }, HttpStatusCode.Forbidden);
        var redispatched = await staff.StepAsync(id, "dispatch", new { handlerId = second });
        Assert.Equal(second, redispatched.GetProperty("handlerId").GetGuid());
        Assert.Equal(["Reported", "Accepted", "Dispatched", "Returned", "Dispatched"], redispatched.Actions());
    }

    [Fact]
    public async Task A_failed_verification_reopens_it_to_the_same_handler_and_counts_a_rework()
    {
        var (id, worker, _) = await factory.DispatchedAsync("321324104233", 33.4331, 118.2331);
        using var handler = factory.WorkerClient(worker, "321324104233");
        using var staff = factory.CreateClient();
        await handler.StepAsync(id, "handle", new { remark = "已处理" });

        var reopened = await staff.StepAsync(id, "reopen", new { remark = "现场仍有垃圾" });

        Assert.Equal(("Dispatched", worker, 1, "Handling"), (reopened.Status(), reopened.GetProperty("handlerId").GetGuid(),
            reopened.GetProperty("reworks").GetInt32(), reopened.GetProperty("stage").GetString()));
        await handler.StepAsync(id, "handle", new { remark = "已彻底清理" });
        await staff.StepAsync(id, "verify");
        await staff.StepAsync(id, "close");
        var ended = await factory.PublishedAsync<CaseClosed>(e => e.CaseId == id);
        Assert.Equal((CaseOutcome.Resolved, 1), (ended.Outcome, ended.Reworks));
    }

    [Fact]
    public async Task The_handler_asks_for_more_time_and_staff_approve_or_refuse_it()
    {
        var (id, worker, grid) = await factory.DispatchedAsync("321324104234", 33.4341, 118.2341);
        var colleague = await factory.WorkerAsync(grid);
        using var handler = factory.WorkerClient(worker, "321324104234");
        using var staff = factory.CreateClient();
        var dueBefore = (await staff.CaseAsync(id)).GetProperty("dueAt").GetDateTimeOffset();

        await factory.WorkerClient(colleague, "321324104234").StepAsync(id, "extension", new { days = 3, reason = "等材料" }, HttpStatusCode.Forbidden);
        HttpAssertions.AssertNamesInvalid(await handler.StepAsync(id, "extension", new { days = 0, reason = "等材料" }, HttpStatusCode.BadRequest), "days");
        await staff.StepAsync(id, "extension/approve", null, HttpStatusCode.Conflict);
        var asked = await handler.StepAsync(id, "extension", new { days = 3, reason = "需等待配件" });
        Assert.Equal(3, asked.GetProperty("extensionRequestedDays").GetInt32());
        await handler.StepAsync(id, "extension", new { days = 2, reason = "再等" }, HttpStatusCode.Conflict);
        await handler.StepAsync(id, "extension/approve", null, HttpStatusCode.Forbidden);

        var approved = await staff.StepAsync(id, "extension/approve", new { remark = "同意" });

        Assert.True(approved.GetProperty("dueAt").GetDateTimeOffset() >= dueBefore.AddDays(3), approved.ToString());
        Assert.Equal((1, JsonValueKind.Null), (approved.GetProperty("extensions").GetInt32(), approved.GetProperty("extensionRequestedDays").ValueKind));
        await handler.StepAsync(id, "extension", new { days = 2, reason = "还需两天" });
        var refused = await staff.StepAsync(id, "extension/refuse", new { reason = "期限内可完成" });
        Assert.Equal(approved.GetProperty("dueAt").GetDateTimeOffset(), refused.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(1, refused.GetProperty("extensions").GetInt32());

        await handler.StepAsync(id, "handle", new { remark = "已修复" });
        await staff.StepAsync(id, "verify");
        await staff.StepAsync(id, "close");
        var ended = await factory.PublishedAsync<CaseClosed>(e => e.CaseId == id);
        Assert.True(ended.Extended);
        Assert.Equal(["Reported", "Accepted", "Dispatched", "ExtensionRequested", "ExtensionApproved", "ExtensionRequested", "ExtensionRefused",
            "Handled", "Verified", "Closed"], (await staff.CaseAsync(id)).Actions());
    }

    [Fact]
    public async Task Staff_act_only_on_cases_within_their_scope()
    {
        var grid = await factory.GridAsync("321324104235");
        using var staff = factory.CreateClient();
        var id = (await staff.ReportAsync(grid, 33.4351, 118.2351)).Id();
        using var otherTownship = factory.TownshipClient("321324105");
        using var ownTownship = factory.TownshipClient("321324104");

        await otherTownship.StepAsync(id, "accept", null, HttpStatusCode.NotFound);
        await otherTownship.CaseAsync(id, HttpStatusCode.NotFound);
        await factory.ResidentClient("321324104235").StepAsync(id, "accept", null, HttpStatusCode.Forbidden);

        Assert.Equal("Accepted", (await ownTownship.StepAsync(id, "accept")).Status());
    }
}
