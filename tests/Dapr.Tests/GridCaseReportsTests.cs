using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid;
using PracticeMesh.Grid.Dapr;
using PracticeMesh.Grid.Data;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Dapr.Tests;

/// <summary>
/// Partner systems on Dapr report grid cases on a topic; daprd (here its stand-in) delivers each report as a CloudEvent
/// to grid's topic endpoint, which takes it through the same intake, inbox-protected by the CloudEvent's id.
/// </summary>
public sealed class GridCaseReportsTests(GridWithDapr factory) : IClassFixture<GridWithDapr>
{
    private const string Village = "321324104201";

    [Fact]
    public async Task A_CloudEvent_delivered_twice_makes_one_case()
    {
        var partner = NewPartner();
        var report = CloudEvent(partner, Guid.NewGuid().ToString(), new
        {
            category = "sanitation", description = "村口垃圾堆放三天无人清运", villageCode = Village, address = "王集村村口",
        });
        using var app = factory.CreateAnonymousClient();

        Assert.Equal("SUCCESS", await DaprSidecarStandIn.DeliverAsync(app, DaprServiceFactory<GridModule>.PubSub, GridDapr.ReportsTopic, report));
        Assert.Equal("SUCCESS", await DaprSidecarStandIn.DeliverAsync(app, DaprServiceFactory<GridModule>.PubSub, GridDapr.ReportsTopic, report));

        var cases = await CasesOfAsync(partner);
        var reported = Assert.Single(cases);
        Assert.Equal("村口垃圾堆放三天无人清运", reported.Description);
        Assert.Equal(Village, reported.DivisionCode.Value);
        Assert.Equal(CaseSource.Partner, reported.Source);
        await factory.PublishedAsync<CaseReported>(m => m.CaseId == reported.Id);
        Assert.Single(factory.Harness.Published.Select<CaseReported>(m => m.Context.Message.CaseId == reported.Id));
    }

    [Fact]
    public async Task A_reported_case_is_also_published_to_Dapr_as_a_CloudEvent()
    {
        var partner = NewPartner();
        using var app = factory.CreateAnonymousClient();
        await DaprSidecarStandIn.DeliverAsync(app, DaprServiceFactory<GridModule>.PubSub, GridDapr.ReportsTopic,
            CloudEvent(partner, "report-1", new { category = "road-damage", description = "路面塌陷", villageCode = Village }));
        var reported = Assert.Single(await CasesOfAsync(partner));
        var message = await factory.PublishedAsync<CaseReported>(m => m.CaseId == reported.Id);

        var published = await HttpAssertions.EventuallyAsync(
            () => Task.FromResult(factory.Sidecar.Published.FirstOrDefault(e => e.Id == message.EventId.ToString())), "CaseReported at the sidecar");
        Assert.Equal("case-reported", published.Topic);
        Assert.Equal("practicemesh.CaseReported.v1", published.CloudEvent.GetProperty("type").GetString());
        Assert.Equal("practicemesh/grid", published.CloudEvent.GetProperty("source").GetString());
        Assert.Equal(reported.Id, published.CloudEvent.GetProperty("data").GetProperty("caseId").GetGuid());
    }

    [Fact]
    public async Task A_report_that_can_never_be_taken_is_dropped_and_makes_no_case()
    {
        var partner = NewPartner();
        using var app = factory.CreateAnonymousClient();

        // No category; then a category that does not exist; then data that is not a report at all.
        Assert.Equal("DROP", await DaprSidecarStandIn.DeliverAsync(app, DaprServiceFactory<GridModule>.PubSub, GridDapr.ReportsTopic,
            CloudEvent(partner, "a", new { description = "无类别", villageCode = Village })));
        Assert.Equal("DROP", await DaprSidecarStandIn.DeliverAsync(app, DaprServiceFactory<GridModule>.PubSub, GridDapr.ReportsTopic,
            CloudEvent(partner, "b", new { category = "no-such-category", description = "x", villageCode = Village })));
        Assert.Equal("DROP", await DaprSidecarStandIn.DeliverAsync(app, DaprServiceFactory<GridModule>.PubSub, GridDapr.ReportsTopic,
            CloudEvent(partner, "c", new[] { 1, 2, 3 })));

        Assert.Empty(await CasesOfAsync(partner));
    }

    [Fact]
    public async Task The_topic_endpoint_is_announced_on_dapr_subscribe()
    {
        using var app = factory.CreateAnonymousClient();
        var subscriptions = await app.GetAsync("/dapr/subscribe", HttpStatusCode.OK);

        var subscription = Assert.Single(subscriptions.EnumerateArray(), s => s.GetProperty("topic").GetString() == GridDapr.ReportsTopic);
        Assert.Equal(DaprServiceFactory<GridModule>.PubSub, subscription.GetProperty("pubsubName").GetString());
    }

    /// <summary>A partner system of its own (the CloudEvent source), so each test counts only its cases.</summary>
    private static string NewPartner() => $"partner-{Guid.NewGuid():N}"[..20];

    private static object CloudEvent(string source, string id, object data) => new
    {
        specversion = "1.0", id, source, type = "county.grid.case-report.v1", datacontenttype = "application/json", data,
    };

    private async Task<List<Grid.Cases.GridCase>> CasesOfAsync(string partner)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridDbContext>();
        return await db.Cases.AsNoTracking().Where(c => c.PartnerClientId == partner).ToListAsync();
    }
}

/// <summary>A report that fails for a reason that passes is retried by daprd and then taken, once.</summary>
public sealed class GridCaseReportRetryTests(GridWithDapr factory) : IClassFixture<GridWithDapr>
{
    [Fact]
    public async Task A_report_that_cannot_be_saved_yet_is_answered_RETRY_and_taken_once_when_redelivered()
    {
        var partner = $"partner-{Guid.NewGuid():N}"[..20];
        var report = new
        {
            specversion = "1.0", id = "r-1", source = partner, type = "county.grid.case-report.v1", datacontenttype = "application/json",
            data = new { category = "sanitation", description = "垃圾未清运", villageCode = "321324104201" },
        };
        using var app = factory.CreateAnonymousClient();
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GridDbContext>();

        // The cases table out of reach, as a database that fails mid-way would leave it.
        await db.Database.ExecuteSqlRawAsync("ALTER TABLE cases RENAME TO cases_away");
        try
        {
            Assert.Equal("RETRY", await DaprSidecarStandIn.DeliverAsync(app, DaprServiceFactory<GridModule>.PubSub, GridDapr.ReportsTopic, report));
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE cases_away RENAME TO cases");
        }

        Assert.Equal("SUCCESS", await DaprSidecarStandIn.DeliverAsync(app, DaprServiceFactory<GridModule>.PubSub, GridDapr.ReportsTopic, report));
        Assert.Equal("SUCCESS", await DaprSidecarStandIn.DeliverAsync(app, DaprServiceFactory<GridModule>.PubSub, GridDapr.ReportsTopic, report));
        Assert.Single(await db.Cases.AsNoTracking().Where(c => c.PartnerClientId == partner).ToListAsync());
    }
}

/// <summary>A grid cell takes the partner reports for its own townships and leaves the others to their cells.</summary>
public sealed class GridCellCaseReportsTests(GridCellWithDapr factory) : IClassFixture<GridCellWithDapr>
{
    [Fact]
    public async Task A_cell_takes_reports_for_its_townships_and_acknowledges_the_others_without_a_case()
    {
        var partner = $"partner-{Guid.NewGuid():N}"[..20];
        using var app = factory.CreateAnonymousClient();
        object Report(string id, string village) => new
        {
            specversion = "1.0", id, source = partner, type = "county.grid.case-report.v1", datacontenttype = "application/json",
            data = new { category = "sanitation", description = "垃圾未清运", villageCode = village },
        };

        Assert.Equal("SUCCESS", await DaprSidecarStandIn.DeliverAsync(app, DaprServiceFactory<GridModule>.PubSub, GridDapr.ReportsTopic,
            Report("own", GridCellWithDapr.Township + "201")));
        Assert.Equal("SUCCESS", await DaprSidecarStandIn.DeliverAsync(app, DaprServiceFactory<GridModule>.PubSub, GridDapr.ReportsTopic,
            Report("other", "321324105201")));

        await using var scope = factory.Services.CreateAsyncScope();
        var cases = await scope.ServiceProvider.GetRequiredService<GridDbContext>().Cases.AsNoTracking()
            .Where(c => c.PartnerClientId == partner).ToListAsync();
        Assert.Equal(GridCellWithDapr.Township + "201", Assert.Single(cases).DivisionCode.Value);
    }
}

/// <summary>With Dapr off, grid has no subscription and no topic endpoint.</summary>
public sealed class GridWithoutDaprTests(GridWithoutDapr factory) : IClassFixture<GridWithoutDapr>
{
    [Fact]
    public async Task Grid_subscribes_to_nothing_and_calls_no_sidecar()
    {
        using var app = factory.CreateAnonymousClient();

        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync("/dapr/subscribe")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.PostAsync(GridDapr.ReportsPath, new StringContent("{}"))).StatusCode);
        Assert.Empty(factory.Sidecar.Requests);
    }
}
