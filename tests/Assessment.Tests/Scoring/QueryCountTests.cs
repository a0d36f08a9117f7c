using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Assessment.Periods;
using PracticeMesh.Assessment.Schemes;
using PracticeMesh.Assessment.Scoring;
using static PracticeMesh.Assessment.Tests.Scoring.ScoringFacts;

namespace PracticeMesh.Assessment.Tests.Scoring;

/// <summary>A ranking is a fixed number of set-based queries, however many stations it ranks.</summary>
public sealed class QueryCountTests(AssessmentFactory factory) : IClassFixture<AssessmentFactory>
{
    [Fact]
    public async Task A_township_of_six_stations_is_ranked_with_as_many_queries_as_one_of_two()
    {
        var facts = new ScoringFacts(factory);
        foreach (var (township, stations) in new[] { ("321324111", 2), ("321324112", 6) })
        {
            for (var i = 1; i <= stations; i++)
            {
                var code = $"{township}2{i:00}";
                await facts.StationAsync(code, $"村{i}");
                var team = await facts.TeamAsync(code, "队");
                var member = await facts.VolunteerAsync(code, "Cadre");
                await facts.MembershipAsync(team, member, On(1, 1));
                await facts.ActivityAsync(code, On(3, 3), team, announcedLate: false, (member, 2m));
                await facts.HoursAsync(member, 2m, On(3, 3));
            }
        }

        var (small, smallCount) = await CountQueriesAsync(AssessmentTier.Station, "321324111");
        var (large, largeCount) = await CountQueriesAsync(AssessmentTier.Station, "321324112");
        var (_, countyCount) = await CountQueriesAsync(AssessmentTier.Institute, "321324");

        Assert.Equal((2, 6), (small.Count, large.Count));
        Assert.Equal(smallCount, largeCount);
        Assert.Equal(smallCount, countyCount);
        Assert.InRange(largeCount, 1, 12);
    }

    private async Task<(IReadOnlyList<RankedScore> Ranked, int Queries)> CountQueriesAsync(AssessmentTier tier, string under)
    {
        using var scope = factory.Services.CreateScope();
        var calculator = scope.ServiceProvider.GetRequiredService<IScoreCalculator>();
        using var counter = new CommandCounter();
        var ranked = await counter.RunAsync(() => calculator.RankAsync(tier, Period.ForMonth(2026, 3), under, CancellationToken.None));
        return (ranked, counter.Count);
    }

    /// <summary>Counts the database commands EF Core runs in this test's own flow (other tests run in parallel in the process).</summary>
    private sealed class CommandCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private static readonly AsyncLocal<CommandCounter?> Current = new();
        private readonly List<IDisposable> _subscriptions = [];
        private int _count;

        public CommandCounter() => _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));

        public int Count => _count;

        public async Task<T> RunAsync<T>(Func<Task<T>> work)
        {
            Current.Value = this;
            try
            {
                return await work();
            }
            finally
            {
                Current.Value = null;
            }
        }

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(listener.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuted.Name && Current.Value == this)
            {
                Interlocked.Increment(ref _count);
            }
        }

        public void OnCompleted() { }

        public void OnError(Exception error) { }

        public void Dispose()
        {
            lock (_subscriptions)
            {
                _subscriptions.ForEach(s => s.Dispose());
            }
        }
    }
}
