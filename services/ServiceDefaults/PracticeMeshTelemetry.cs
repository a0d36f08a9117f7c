using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PracticeMesh.ServiceDefaults;

/// <summary>The platform's own trace source and meter (outbox relay, inbox).</summary>
public static class PracticeMeshTelemetry
{
    public const string ActivitySourceName = "PracticeMesh";
    public const string MeterName = "PracticeMesh";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);
    public static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> OutboxPublished =
        Meter.CreateCounter<long>("practicemesh.outbox.published", description: "Outbox rows published to the bus");
    public static readonly Counter<long> OutboxFailed =
        Meter.CreateCounter<long>("practicemesh.outbox.failed", description: "Outbox publish attempts that failed and will be retried");
    public static readonly Counter<long> OutboxDead =
        Meter.CreateCounter<long>("practicemesh.outbox.dead", description: "Outbox rows given up on (unreadable after every attempt); they wait for an operator's retry");
    public static readonly Counter<long> InboxDuplicates =
        Meter.CreateCounter<long>("practicemesh.inbox.duplicates", description: "Messages skipped because their consumer had handled them already");
}
