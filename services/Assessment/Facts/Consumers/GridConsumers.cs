using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Measures;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.Assessment.Facts.Consumers;

/// <summary>
/// A grid case reported in a village: counted for the village's station (its code is the village's division code) in
/// the month it was reported. A closure heard first has started the fact from the report time it carries; the report's
/// own time then wins, so either order ends alike.
/// </summary>
public sealed class RecordCaseReported(AssessmentDbContext db, TimeProvider time, CellLedger cells)
    : IdempotentConsumer<CaseReported, AssessmentDbContext>(db, time)
{
    protected override async Task HandleAsync(CaseReported message, CancellationToken cancellationToken)
    {
        if (await Db.CaseFacts.FindAsync([message.CaseId], cancellationToken) is { } fact)
        {
            await cells.ChangeAsync(fact, c => c.Reported(message.OccurredAt), cancellationToken);
            return;
        }
        fact = CaseFact.Start(message.CaseId, message.DivisionCode.Value, message.GridCode, message.Category, message.OccurredAt);
        Db.CaseFacts.Add(fact);
        await cells.AddAsync(fact, cancellationToken);
    }
}

/// <summary>
/// A case closed: resolved (and on time, within every limit) in the month it was closed; rejected and merged cases count
/// as reported only. Starts the fact when the report has not been heard: the closure carries the report time.
/// </summary>
public sealed class RecordCaseClosed(AssessmentDbContext db, TimeProvider time, CellLedger cells)
    : IdempotentConsumer<CaseClosed, AssessmentDbContext>(db, time)
{
    protected override async Task HandleAsync(CaseClosed message, CancellationToken cancellationToken)
    {
        if (await Db.CaseFacts.FindAsync([message.CaseId], cancellationToken) is not { } fact)
        {
            fact = CaseFact.Start(message.CaseId, message.DivisionCode.Value, message.GridCode, message.Category, message.ReportedAt);
            Db.CaseFacts.Add(fact);
            await cells.AddAsync(fact, cancellationToken);
        }
        await cells.ChangeAsync(fact, c =>
        {
            c.Placed(message.GridCode, message.Category);
            c.Close(message.OccurredAt, message.Outcome, message.OnTime, message.EscalationLevel);
        }, cancellationToken);
    }
}

/// <summary>
/// A case went up a tier: the highest level it reached is kept (it counts in no cell; the explanation shows it). An
/// escalation carries no report time, so one heard before the case's report or closure waits for them
/// (<see cref="PrematureEventException"/>): grid publishes the report before any escalation, so the wait is short.
/// </summary>
public sealed class RecordCaseEscalated(AssessmentDbContext db, TimeProvider time, CellLedger cells)
    : IdempotentConsumer<CaseEscalated, AssessmentDbContext>(db, time)
{
    protected override async Task HandleAsync(CaseEscalated message, CancellationToken cancellationToken)
    {
        var fact = await Db.CaseFacts.FindAsync([message.CaseId], cancellationToken)
            ?? throw new PrematureEventException($"Case {message.CaseId} escalated to level {message.Level} before its report was heard.");
        await cells.ChangeAsync(fact, c => c.Escalated(message.Level), cancellationToken);
    }
}
