using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Facts;
using PracticeMesh.Assessment.Measures;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests.Scoring;

/// <summary>
/// Builds the facts scores are computed from. Activities arrive as the real events through the service's consumers;
/// the facts whose consumers are not part of this tree yet are written here, in this one place, through the context
/// and the cell ledger exactly as a consumer writes them (the fact and its cells in one save), so switching a method to
/// delivering its event changes nothing else.
/// </summary>
internal sealed class ScoringFacts(ServiceFactory<AssessmentModule> factory)
{
    public static readonly DateTimeOffset Before = new(2025, 12, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>One moment in China time: 2026-<paramref name="month"/>-<paramref name="day"/> 10:00.</summary>
    public static DateTimeOffset On(int month, int day) => new(2026, month, day, 10, 0, 0, TimeSpan.FromHours(8));

    public async Task<ActivityCompleted> ActivityAsync(string station, DateTimeOffset startsAt, Guid? team = null, bool? announcedLate = null,
        params (Guid Volunteer, decimal Hours)[] participants)
    {
        var participantList = participants.Select(p => new ActivityParticipant(p.Volunteer, p.Hours)).ToList();
        var completed = new ActivityCompleted(Guid.NewGuid(), startsAt.AddHours(2), DivisionCode.Parse(station[..12]), Guid.NewGuid(), station, team,
            ActivityCategory.Culture, startsAt, startsAt.AddHours(2), participantList, participantList.Count + 3);
        await factory.DeliverAsync([completed]);
        if (announcedLate is { } late)
        {
            await WriteAsync(async (db, cells) =>
            {
                var fact = await db.ActivityFacts.FindAsync(completed.ActivityId) ?? throw new InvalidOperationException("The activity was not recorded.");
                await cells.ChangeAsync(fact, a => a.Announced(startsAt.AddDays(late ? -1 : -7), late), CancellationToken.None);
            });
        }
        return completed;
    }

    public Task StationAsync(string code, string name, StationKind kind = StationKind.Village, DateTimeOffset? registeredAt = null) =>
        WriteAsync((db, _) =>
        {
            db.StationFacts.Add(StationFact.From(code, StationCode.Parse(code).Place, name, kind, null, registeredAt ?? Before));
            return Task.CompletedTask;
        });

    public Task SixHavesAsync(string station, DateTimeOffset at, bool compliant) =>
        WriteAsync((db, _) =>
        {
            db.SixHavesFacts.Add(SixHavesFact.From(Guid.NewGuid(), station, at, compliant ? 6 : 4, 6, compliant));
            return Task.CompletedTask;
        });

    public Task StaffingAsync(string station, DateTimeOffset at, int staff, bool met) =>
        WriteAsync((db, _) =>
        {
            db.StaffingFacts.Add(StaffingFact.From(Guid.NewGuid(), station, at, staff, 2, met));
            return Task.CompletedTask;
        });

    public async Task<Guid> VolunteerAsync(string homeStation, params string[] categories)
    {
        var id = Guid.NewGuid();
        await WriteAsync((db, _) =>
        {
            db.VolunteerFacts.Add(VolunteerFact.From(id, "志愿者", StationCode.Parse(homeStation).Place, homeStation, categories, Before));
            return Task.CompletedTask;
        });
        return id;
    }

    public async Task<Guid> TeamAsync(string homeStation, string name)
    {
        var id = Guid.NewGuid();
        await WriteAsync((db, _) =>
        {
            db.TeamFacts.Add(TeamFact.From(id, name, StationCode.Parse(homeStation).Place, homeStation, TeamTier.Village, TeamType.General, Before));
            return Task.CompletedTask;
        });
        return id;
    }

    public Task MembershipAsync(Guid team, Guid volunteer, DateTimeOffset at, bool joined = true) =>
        WriteAsync((db, _) =>
        {
            db.TeamMembershipFacts.Add(TeamMembershipFact.From(Guid.NewGuid(), team, volunteer, at, joined));
            return Task.CompletedTask;
        });

    public Task HoursAsync(Guid volunteer, decimal hours, DateTimeOffset at) =>
        AddAsync(HoursFact.From(Guid.NewGuid(), volunteer, null, null, ServiceTime.FromHours(hours), at));

    public Task RatingAsync(string station, int score, DateTimeOffset at) =>
        AddAsync(RatingFact.From(Guid.NewGuid(), RatingSource.Activity, Guid.NewGuid(), station, null, score, at));

    public Task OrderAsync(string station, DateTimeOffset completedAt, bool overdue) =>
        AddAsync(OrderFact.From(Guid.NewGuid(), station, null, Guid.NewGuid(), completedAt, overdue));

    public Task CareVisitAsync(string station, DateTimeOffset at) =>
        AddAsync(CareVisitFact.From(Guid.NewGuid(), station, Guid.NewGuid(), DateOnly.FromDateTime(at.DateTime), ServiceTime.FromHours(1m)));

    public Task CaseAsync(string station, DateTimeOffset reportedAt, DateTimeOffset? closedAt = null, bool onTime = true) =>
        WriteAsync(async (db, cells) =>
        {
            var fact = CaseFact.Start(Guid.NewGuid(), station, null, "环境卫生", reportedAt);
            db.CaseFacts.Add(fact);
            await cells.AddAsync(fact, CancellationToken.None);
            if (closedAt is { } closed)
            {
                await cells.ChangeAsync(fact, c => c.Close(closed, CaseOutcome.Resolved, onTime, 0), CancellationToken.None);
            }
        });

    private Task AddAsync<TFact>(TFact fact) where TFact : class, IContributingFact =>
        WriteAsync(async (db, cells) =>
        {
            db.Add(fact);
            await cells.AddAsync(fact, CancellationToken.None);
        });

    private async Task WriteAsync(Func<AssessmentDbContext, CellLedger, Task> write)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AssessmentDbContext>();
        await write(db, scope.ServiceProvider.GetRequiredService<CellLedger>());
        await db.SaveChangesAsync();
    }
}
