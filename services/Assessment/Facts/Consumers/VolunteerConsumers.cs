using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Measures;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.Assessment.Facts.Consumers;

/// <summary>
/// An approved volunteer: home station and categories decide whose per-head hours they count in and which station's
/// leaderboard shows them. Their hours may have arrived first, so every year of their standing is marked for the
/// leaderboards (year 0). A publisher older than the home station field names only the division: its code is the home.
/// </summary>
public sealed class RecordVolunteerApproved(AssessmentDbContext db, TimeProvider time, CellLedger cells)
    : IdempotentConsumer<VolunteerApproved, AssessmentDbContext>(db, time)
{
    protected override async Task HandleAsync(VolunteerApproved message, CancellationToken cancellationToken)
    {
        // Approval is once per volunteer (a suspension is a status fact, not a new approval): a second statement changes nothing.
        if (await Db.VolunteerFacts.FindAsync([message.VolunteerId], cancellationToken) is not null)
        {
            return;
        }
        Db.VolunteerFacts.Add(VolunteerFact.From(message.VolunteerId, message.DisplayName, message.DivisionCode,
            message.HomeStationCode ?? message.DivisionCode.Value, message.Categories ?? [], message.OccurredAt));
        cells.Mark(SubjectKind.Volunteer, message.VolunteerId.ToString(), 0);
    }
}

/// <summary>A suspension, kept by its event: standing at an instant is the latest suspension or reinstatement before it.</summary>
public sealed class RecordVolunteerSuspended(AssessmentDbContext db, TimeProvider time)
    : IdempotentConsumer<VolunteerSuspended, AssessmentDbContext>(db, time)
{
    protected override Task HandleAsync(VolunteerSuspended message, CancellationToken cancellationToken)
    {
        Db.VolunteerStatusFacts.Add(VolunteerStatusFact.From(message.EventId, message.VolunteerId, message.OccurredAt, suspended: true));
        return Task.CompletedTask;
    }
}

/// <summary>A reinstatement, kept by its event beside the suspensions.</summary>
public sealed class RecordVolunteerReinstated(AssessmentDbContext db, TimeProvider time)
    : IdempotentConsumer<VolunteerReinstated, AssessmentDbContext>(db, time)
{
    protected override Task HandleAsync(VolunteerReinstated message, CancellationToken cancellationToken)
    {
        Db.VolunteerStatusFacts.Add(VolunteerStatusFact.From(message.EventId, message.VolunteerId, message.OccurredAt, suspended: false));
        return Task.CompletedTask;
    }
}

/// <summary>A team and its home station: whose activities and members it is ranked among. Its activities may come first: every year is marked.</summary>
public sealed class RecordTeamCreated(AssessmentDbContext db, TimeProvider time, CellLedger cells)
    : IdempotentConsumer<TeamCreated, AssessmentDbContext>(db, time)
{
    protected override async Task HandleAsync(TeamCreated message, CancellationToken cancellationToken)
    {
        if (await Db.TeamFacts.FindAsync([message.TeamId], cancellationToken) is not null)
        {
            return;
        }
        Db.TeamFacts.Add(TeamFact.From(message.TeamId, message.Name, message.DivisionCode, message.HomeStationCode, message.Tier, message.Type, message.OccurredAt));
        cells.Mark(SubjectKind.Team, message.TeamId.ToString(), 0);
    }
}

/// <summary>A join, kept by its event: membership at an instant is the latest join or leave of the pair before it.</summary>
public sealed class RecordTeamMemberJoined(AssessmentDbContext db, TimeProvider time)
    : IdempotentConsumer<TeamMemberJoined, AssessmentDbContext>(db, time)
{
    protected override Task HandleAsync(TeamMemberJoined message, CancellationToken cancellationToken)
    {
        Db.TeamMembershipFacts.Add(TeamMembershipFact.From(message.EventId, message.TeamId, message.VolunteerId, message.OccurredAt, joined: true));
        return Task.CompletedTask;
    }
}

/// <summary>A departure, kept by its event beside the joins: one heard before its join is kept all the same, as membership is read by time.</summary>
public sealed class RecordTeamMemberLeft(AssessmentDbContext db, TimeProvider time)
    : IdempotentConsumer<TeamMemberLeft, AssessmentDbContext>(db, time)
{
    protected override Task HandleAsync(TeamMemberLeft message, CancellationToken cancellationToken)
    {
        Db.TeamMembershipFacts.Add(TeamMembershipFact.From(message.EventId, message.TeamId, message.VolunteerId, message.OccurredAt, joined: false));
        return Task.CompletedTask;
    }
}

/// <summary>
/// A ledger entry (activities, care visits, by hand, corrections): the volunteer's hours in the month it was written,
/// which the leaderboards and the per-head hours read. Immutable: a correction is an entry of its own.
/// </summary>
public sealed class RecordHoursCredited(AssessmentDbContext db, TimeProvider time, CellLedger cells)
    : IdempotentConsumer<HoursCredited, AssessmentDbContext>(db, time)
{
    protected override async Task HandleAsync(HoursCredited message, CancellationToken cancellationToken)
    {
        // One fact per ledger entry, whatever event carried it.
        if (await Db.HoursFacts.FindAsync([message.LedgerEntryId], cancellationToken) is not null)
        {
            return;
        }
        var fact = HoursFact.From(message.LedgerEntryId, message.VolunteerId, message.ActivityId, message.CareVisitId, ServiceTime.FromHours(message.Hours), message.OccurredAt);
        Db.HoursFacts.Add(fact);
        await cells.AddAsync(fact, cancellationToken);
    }
}

/// <summary>A care visit (走访), counted for the recipient's station (the event's division) in the month of the visit.</summary>
public sealed class RecordCareVisitRecorded(AssessmentDbContext db, TimeProvider time, CellLedger cells)
    : IdempotentConsumer<CareVisitRecorded, AssessmentDbContext>(db, time)
{
    protected override async Task HandleAsync(CareVisitRecorded message, CancellationToken cancellationToken)
    {
        if (await Db.CareVisitFacts.FindAsync([message.VisitId], cancellationToken) is not null)
        {
            return;
        }
        var fact = CareVisitFact.From(message.VisitId, message.DivisionCode.Value, message.VolunteerId, message.VisitedOn, ServiceTime.FromHours(message.Hours));
        Db.CareVisitFacts.Add(fact);
        await cells.AddAsync(fact, cancellationToken);
    }
}
