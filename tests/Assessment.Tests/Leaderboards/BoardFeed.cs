using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Facts;
using PracticeMesh.Assessment.Leaderboards;
using PracticeMesh.Assessment.Measures;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests.Leaderboards;

/// <summary>
/// Writes facts into a host's store the way its consumers do (the fact and the cells it moves, with their marks, in one
/// save through <see cref="CellLedger"/>), and reads its boards over HTTP.
/// </summary>
public sealed class BoardFeed(IServiceProvider services)
{
    public const string Boards = "/api/v1/assessment/leaderboards";

    /// <summary>Ids that sort as their number says, so a tie's order (descending id, as Redis orders one) is known.</summary>
    public static Guid Id(int n) => Guid.Parse($"{n:x8}-{Guid.NewGuid().ToString()[9..]}");

    private static int _county = Random.Shared.Next(1000, 8000);

    /// <summary>A county code no other test of this run uses, so tests sharing a host never meet on a board.</summary>
    public static string County() => $"32{Interlocked.Increment(ref _county)}";

    public async Task VolunteerAsync(Guid id, string name, string homeStation)
    {
        await WriteAsync(async (db, _) =>
        {
            db.VolunteerFacts.Add(VolunteerFact.From(id, name, DivisionCode.Parse(homeStation[..12]), homeStation, [], DateTimeOffset.UtcNow));
            await Task.CompletedTask;
        });
    }

    public async Task TeamAsync(Guid id, string name, string homeStation)
    {
        await WriteAsync(async (db, _) =>
        {
            db.TeamFacts.Add(TeamFact.From(id, name, DivisionCode.Parse(homeStation[..12]), homeStation, TeamTier.Village, TeamType.General, DateTimeOffset.UtcNow));
            await Task.CompletedTask;
        });
    }

    /// <summary>A ledger entry (hours credited, or taken away when negative), as the HoursCredited consumer keeps it.</summary>
    public Task CreditAsync(Guid volunteer, decimal hours, DateTimeOffset at) => WriteAsync(async (db, ledger) =>
    {
        var fact = HoursFact.From(Guid.NewGuid(), volunteer, null, null, ServiceTime.FromHours(hours), at);
        db.HoursFacts.Add(fact);
        await ledger.AddAsync(fact, CancellationToken.None);
    });

    public Task MarkAsync(SubjectKind kind, string subject, int year) => WriteAsync((db, ledger) =>
    {
        ledger.Mark(kind, subject, year);
        return Task.CompletedTask;
    });

    public async Task<int> MarksAsync(string subject)
    {
        using var scope = services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AssessmentDbContext>().LeaderboardMarks.CountAsync(m => m.Subject == subject);
    }

    public async Task WriteAsync(Func<AssessmentDbContext, CellLedger, Task> write)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AssessmentDbContext>();
        await write(db, scope.ServiceProvider.GetRequiredService<CellLedger>());
        await db.SaveChangesAsync();
    }

    /// <summary>Polls a board until it answers <paramref name="expected"/> (the projector runs in the background).</summary>
    public static Task<List<T>> BoardAsync<T>(HttpClient client, string query, IReadOnlyList<T> expected) =>
        HttpAssertions.EventuallyAsync(async () =>
        {
            var board = await client.GetAsync<List<T>>(query);
            return board.SequenceEqual(expected) ? board : null;
        }, $"{query} to answer {string.Join(", ", expected)}");

    public static VolunteerPlace Place(int rank, Guid id, string name, string station, decimal hours) => new(rank, id, name, station, hours);
}
