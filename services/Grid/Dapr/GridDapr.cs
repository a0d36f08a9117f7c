using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Cases;
using PracticeMesh.Grid.Data;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Dapr;
using PracticeMesh.ServiceDefaults.Messaging;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Grid.Dapr;

/// <summary>
/// Grid on a Dapr mesh (only with <c>Dapr:Enabled</c>): its case events are also published to the Dapr pub/sub
/// component, and partner systems there report cases on the <see cref="ReportsTopic"/> topic. In a class of its own so
/// that with Dapr off nothing of Dapr is loaded.
/// </summary>
public static class GridDapr
{
    public const string Source = "practicemesh/grid";

    /// <summary>The topic partners publish case reports to.</summary>
    public const string ReportsTopic = "grid-case-reports";

    public const string ReportsPath = "/dapr/topics/grid-case-reports";

    /// <summary>The reports' key in the inbox (the same table and rule as the bus consumers').</summary>
    public const string ReportsInboxConsumer = "dapr:grid-case-reports";

    /// <summary>
    /// The divisions (code prefixes) whose reports this deployment takes (<c>Grid:DaprReports:Divisions:0</c>, …). Unset:
    /// every report, as one grid deployment serves the county (the pub/sub component's scopes decide which apps may
    /// publish to the topic). Each grid cell is an app of its own and so receives every report: set to the townships
    /// the cell serves, it takes the reports for their villages and acknowledges the rest, which their own cell takes.
    /// </summary>
    public const string ReportsDivisionsKey = "Grid:DaprReports:Divisions";

    public static void AddServices(IHostApplicationBuilder builder) => builder.AddDaprSidecar();

    public static void AddConsumers(IBusRegistrationConfigurator bus) =>
        // The same queue in every cell: each case event is forwarded once, by whichever replica takes it.
        bus.AddConsumer<PublishCaseEventsToDapr>().Endpoint(endpoint => endpoint.Name = "grid-dapr-case-events");

    public static void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        var configuration = services.GetRequiredService<IConfiguration>();
        endpoints.MapPost(ReportsPath, ReportAsync)
            .WithTopic(services.GetRequiredService<DaprOptions>().PubSub, ReportsTopic)
            // daprd delivers without a bearer token; the sidecar's app token, when set, is checked instead. The gateway
            // routes nothing here.
            .AllowAnonymous()
            .RequireDaprAppToken(configuration)
            .ExcludeFromDescription();
    }

    /// <summary>
    /// A partner's case report, delivered by daprd as a CloudEvent whose data is the report (the fields of the API's
    /// body). It goes through <see cref="CaseIntake"/> like every other report, with an inbox row keyed by the
    /// CloudEvent's source and id in the same save: a redelivered CloudEvent makes no second case. Answers by Dapr's
    /// contract: SUCCESS (also for a copy), DROP for a report that can never be taken, RETRY for anything that may pass.
    /// </summary>
    public static async Task<IResult> ReportAsync(HttpContext http, CaseIntake intake, GridDbContext db, TimeProvider time,
        IConfiguration configuration, IOptions<JsonOptions> json, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(GridDapr));
        if (DaprTopics.CloudEventOf(http.Request) is not var (id, source))
        {
            logger.LogWarning("A case report reached {Path} without a CloudEvent id; dropped.", ReportsPath);
            return DaprTopics.Drop();
        }
        if (source.Length is 0 or > 100)
        {
            logger.LogWarning("Case report {CloudEventId} names no usable source ({Source}); dropped.", id, source);
            return DaprTopics.Drop();
        }
        NewCase? report;
        try
        {
            report = await JsonSerializer.DeserializeAsync<NewCase>(http.Request.Body, json.Value.SerializerOptions, cancellationToken);
        }
        catch (JsonException unreadable)
        {
            logger.LogWarning("Case report {CloudEventId} from {Source} is not a report: {Reason}; dropped.", id, source, unreadable.Message);
            return DaprTopics.Drop();
        }
        if (report is null)
        {
            logger.LogWarning("Case report {CloudEventId} from {Source} is empty; dropped.", id, source);
            return DaprTopics.Drop();
        }

        var reporter = new CaseReporter(CaseSource.Partner, Subject: null, source, PracticeMeshRoles.Partner, source);
        var divisions = configuration.GetSection(ReportsDivisionsKey).Get<string[]>() ?? [];
        var scope = "";
        if (divisions.Length > 0)
        {
            if (string.IsNullOrWhiteSpace(report.VillageCode))
            {
                logger.LogWarning("Case report {CloudEventId} from {Source} names no village, which a grid cell needs to know it is its own; dropped.", id, source);
                return DaprTopics.Drop();
            }
            var village = report.VillageCode.Trim();
            var own = divisions.FirstOrDefault(d => !string.IsNullOrWhiteSpace(d) && village.StartsWith(d.Trim(), StringComparison.Ordinal));
            if (own is null)
            {
                logger.LogInformation("Case report {CloudEventId} from {Source} is for village {Village}, outside this cell: left to its own cell.", id, source, village);
                return DaprTopics.Success();
            }
            scope = own.Trim();
        }
        try
        {
            var applied = await Inbox.SaveOnceAsync(db, ReportsInboxConsumer, DaprTopics.InboxIdOf(id, source), time,
                () => intake.ReportAsync(report, reporter, scope, cancellationToken), cancellationToken);
            if (!applied)
            {
                logger.LogInformation("Case report {CloudEventId} from {Source} was taken before.", id, source);
            }
            return DaprTopics.Success();
        }
        catch (Exception refused) when (refused is DomainValidationException or ForbiddenException or NotFoundException)
        {
            logger.LogWarning("Case report {CloudEventId} from {Source} refused: {Reason}; dropped.", id, source,
                refused is DomainValidationException invalid ? string.Join("; ", invalid.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")) : refused.Message);
            return DaprTopics.Drop();
        }
        catch (Exception failed) when (failed is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The database unreachable, a race on a unique key: daprd delivers it again by its resiliency policy.
            logger.LogWarning(failed, "Case report {CloudEventId} from {Source} not taken yet; daprd will retry.", id, source);
            return DaprTopics.Retry();
        }
    }
}

/// <summary>
/// Forwards the case events from the bus to Dapr (see activities' PublishActivityCompletedToDapr for why a consumer:
/// a sidecar outage delays the CloudEvents through the bus's retries and error queue, it never loses them).
/// </summary>
public sealed class PublishCaseEventsToDapr(DaprEventPublisher dapr) :
    IConsumer<CaseReported>, IConsumer<CaseDispatched>, IConsumer<CaseClosed>, IConsumer<CaseEscalated>
{
    public Task Consume(ConsumeContext<CaseReported> context) => PublishAsync(context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<CaseDispatched> context) => PublishAsync(context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<CaseClosed> context) => PublishAsync(context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<CaseEscalated> context) => PublishAsync(context.Message, context.CancellationToken);

    private Task PublishAsync(IIntegrationEvent integrationEvent, CancellationToken cancellationToken) =>
        dapr.PublishAsync(integrationEvent, GridDapr.Source, cancellationToken);
}
