using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PracticeMesh.Assessment.Data;
using PracticeMesh.Assessment.Facts;
using PracticeMesh.Assessment.Measures;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Assessment.Tests.Publishing;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Assessment.Tests.Honours;

/// <summary>
/// Outstanding volunteers and teams (评优) with the default scheme's criteria: volunteers with 40 h and 6 activities in
/// the year, never suspended, never corrected down; teams with 12 activities, 70 % of members taking part and residents
/// rating them 4 or more. Each test seeds a year of its own through the cell ledger, as the consumers keep the facts.
/// Run on SQLite (the standalone host) and on PostgreSQL (the distributed services).
/// </summary>
public abstract class HonoursTests(ServiceFactory<AssessmentModule> factory)
{
    private const string Station = "321324104201";

    private sealed record Seeded(Guid Qualified, Guid Suspended, Guid CorrectedDown, Guid BelowHours, Guid OtherCounty, Guid Team, Guid ThinTeam);

    [Fact]
    public async Task Candidates_are_the_volunteers_and_teams_meeting_every_criterion_with_their_figures()
    {
        var seeded = await SeedYearAsync(2023);
        using var client = factory.CreateClient();

        var candidates = await client.GetAsync("/api/v1/assessment/honours/321324/2023/candidates", HttpStatusCode.OK);
        var volunteers = candidates.GetProperty("volunteers").EnumerateArray().ToList();
        var only = Assert.Single(volunteers);
        Assert.Equal(seeded.Qualified, only.GetProperty("volunteerId").GetGuid());
        Assert.Equal((50m, 6), (only.GetProperty("hours").GetDecimal(), only.GetProperty("activities").GetInt32()));
        var team = Assert.Single(candidates.GetProperty("teams").EnumerateArray());
        Assert.Equal(seeded.Team, team.GetProperty("teamId").GetGuid());
        Assert.Equal((12, 4, 3, 0.75m, 5m), (team.GetProperty("activities").GetInt32(), team.GetProperty("members").GetInt32(),
            team.GetProperty("participants").GetInt32(), team.GetProperty("participation").GetDecimal(), team.GetProperty("averageRating").GetDecimal()));
        Assert.Equal(40m, candidates.GetProperty("criteria").GetProperty("volunteers").GetProperty("minHours").GetDecimal());

        // Another year knows nothing of these.
        var other = await client.GetAsync("/api/v1/assessment/honours/321324/2022/candidates", HttpStatusCode.OK);
        Assert.Equal(0, other.GetProperty("volunteers").GetArrayLength());
    }

    [Fact]
    public async Task Confirming_someone_who_is_not_a_candidate_is_refused_and_stores_nothing()
    {
        var seeded = await SeedYearAsync(2024);
        using var client = factory.CreateClient();

        var problem = await client.PostAsync("/api/v1/assessment/honours/321324/2024/confirm",
            new { volunteerIds = new[] { seeded.Qualified, seeded.Suspended, seeded.CorrectedDown }, teamIds = new[] { seeded.ThinTeam } }, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        var named = errors.GetProperty("volunteerIds")[0].GetString()!;
        Assert.Contains(seeded.Suspended.ToString(), named);
        Assert.Contains(seeded.CorrectedDown.ToString(), named);
        Assert.DoesNotContain(seeded.Qualified.ToString(), named);
        Assert.Contains(seeded.ThinTeam.ToString(), errors.GetProperty("teamIds")[0].GetString());
        await client.PostAsync("/api/v1/assessment/honours/321324/2024/confirm", new { volunteerIds = new[] { seeded.BelowHours } }, HttpStatusCode.BadRequest);
        await client.PostAsync("/api/v1/assessment/honours/321324/2024/confirm", new { volunteerIds = new[] { seeded.OtherCounty } }, HttpStatusCode.BadRequest);
        await client.PostAsync("/api/v1/assessment/honours/321324/2024/confirm", new { }, HttpStatusCode.BadRequest);

        await client.GetAsync("/api/v1/assessment/honours/321324/2024", HttpStatusCode.NotFound);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AssessmentDbContext>();
        Assert.False(await db.HonourEntries.AnyAsync(e => e.Year == 2024));
    }

    [Fact]
    public async Task The_county_confirms_once_with_an_audit_record_and_a_second_confirmation_is_refused()
    {
        var seeded = await SeedYearAsync(2025);
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");
        await township.PostAsync("/api/v1/assessment/honours/321324/2025/confirm", new { volunteerIds = new[] { seeded.Qualified } }, HttpStatusCode.Forbidden);
        using var client = factory.CreateClient();

        var created = await client.PostAsync("/api/v1/assessment/honours/321324/2025/confirm",
            new { volunteerIds = new[] { seeded.Qualified }, teamIds = new[] { seeded.Team } }, HttpStatusCode.Created);
        Assert.Equal(seeded.Qualified, Assert.Single(created.GetProperty("volunteers").EnumerateArray()).GetProperty("id").GetGuid());
        await factory.PublishedAsync<AuditRecorded>(a => a.Service == "assessment" && a.Action == "POST /api/v1/assessment/honours/321324/2025/confirm");

        await client.PostAsync("/api/v1/assessment/honours/321324/2025/confirm", new { volunteerIds = new[] { seeded.Qualified } }, HttpStatusCode.Conflict);
        var confirmed = await township.GetAsync("/api/v1/assessment/honours/321324/2025", HttpStatusCode.OK);
        var volunteer = Assert.Single(confirmed.GetProperty("volunteers").EnumerateArray());
        Assert.Equal(50m, volunteer.GetProperty("figures").GetProperty("hours").GetDecimal());
        Assert.Equal(seeded.Team, Assert.Single(confirmed.GetProperty("teams").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(JsonValueKind.String, confirmed.GetProperty("confirmedBy").ValueKind);
        // Reading the candidates of the whole county is the county's, not a township's.
        await township.GetAsync("/api/v1/assessment/honours/321324/2025/candidates", HttpStatusCode.NotFound);
    }

    /// <summary>
    /// A year of facts: five volunteers with 50 h (40 for one) over 6 activities, one suspended for a month, one corrected
    /// down once, one of another county; a team with 12 rated activities and 3 of its 4 members taking part, and a team
    /// with 12 activities and 2 of 4 taking part.
    /// </summary>
    private async Task<Seeded> SeedYearAsync(int year)
    {
        var seeded = new Seeded(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        DateTimeOffset In(int month, int day = 10) => new(year, month, day, 1, 0, 0, TimeSpan.Zero);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AssessmentDbContext>();
        var ledger = scope.ServiceProvider.GetRequiredService<CellLedger>();
        var ct = CancellationToken.None;

        async Task VolunteerAsync(Guid id, string station, int hundredths, bool correctDown = false)
        {
            db.VolunteerFacts.Add(VolunteerFact.From(id, $"志愿者{id.ToString()[..4]}", DivisionCode.Parse(station[..12]), station, ["Cadre"], In(1, 2)));
            var entry = HoursFact.From(Guid.NewGuid(), id, null, null, new ServiceTime(hundredths), In(5));
            db.HoursFacts.Add(entry);
            await ledger.AddAsync(entry, ct);
            for (var month = 1; month <= 6; month++)
            {
                var part = ParticipationFact.Start(Guid.NewGuid(), id, station, null, In(month));
                db.ParticipationFacts.Add(part);
                await ledger.ChangeAsync(part, p => p.Credit(new ServiceTime(200)), ct);
                if (correctDown && month == 3)
                {
                    await ledger.ChangeAsync(part, p => p.Correct(new ServiceTime(-50)), ct);
                }
            }
        }
        await VolunteerAsync(seeded.Qualified, Station, 5000);
        await VolunteerAsync(seeded.Suspended, Station, 6000);
        db.VolunteerStatusFacts.Add(VolunteerStatusFact.From(Guid.NewGuid(), seeded.Suspended, In(6), suspended: true));
        db.VolunteerStatusFacts.Add(VolunteerStatusFact.From(Guid.NewGuid(), seeded.Suspended, In(7), suspended: false));
        await VolunteerAsync(seeded.CorrectedDown, Station, 7000, correctDown: true);
        await VolunteerAsync(seeded.BelowHours, Station, 3999);
        await VolunteerAsync(seeded.OtherCounty, "321325104201", 9000);

        async Task TeamAsync(Guid team, int takingPart)
        {
            db.TeamFacts.Add(TeamFact.From(team, $"服务队{team.ToString()[..4]}", DivisionCode.Parse(Station), Station, TeamTier.Village, TeamType.General, In(1, 1)));
            var members = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToList();
            foreach (var member in members)
            {
                db.TeamMembershipFacts.Add(TeamMembershipFact.From(Guid.NewGuid(), team, member, In(1, 3), joined: true));
            }
            // A fifth who left before the year ended is no member at its end.
            var left = Guid.NewGuid();
            db.TeamMembershipFacts.Add(TeamMembershipFact.From(Guid.NewGuid(), team, left, In(1, 3), joined: true));
            db.TeamMembershipFacts.Add(TeamMembershipFact.From(Guid.NewGuid(), team, left, In(11, 3), joined: false));
            for (var month = 1; month <= 12; month++)
            {
                var activity = ActivityFact.Start(Guid.NewGuid(), Station, DivisionCode.Parse(Station), team, ActivityCategory.Culture, In(month));
                db.ActivityFacts.Add(activity);
                await ledger.ChangeAsync(activity, a => a.Complete(In(month).AddHours(2), takingPart), ct);
                var rating = RatingFact.From(Guid.NewGuid(), RatingSource.Activity, activity.ActivityId, Station, team, 5, In(month).AddHours(3));
                db.RatingFacts.Add(rating);
                await ledger.AddAsync(rating, ct);
                if (month <= takingPart)
                {
                    var part = ParticipationFact.Start(activity.ActivityId, members[month - 1], Station, team, In(month));
                    db.ParticipationFacts.Add(part);
                    await ledger.ChangeAsync(part, p => p.Credit(new ServiceTime(150)), ct);
                }
            }
        }
        await TeamAsync(seeded.Team, 3);
        await TeamAsync(seeded.ThinTeam, 2);
        await db.SaveChangesAsync(ct);
        return seeded;
    }
}

public sealed class SqliteHonoursTests(AssessmentFactory factory) : HonoursTests(factory), IClassFixture<AssessmentFactory>;

/// <summary>The publishing fixture on PostgreSQL: honours do not use its scripted scores.</summary>
public sealed class PostgresHonoursTests(PostgresPublishingFactory factory) : HonoursTests(factory), IClassFixture<PostgresPublishingFactory>;
