using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Reliability;

public sealed record Participation(Guid VolunteerId, decimal Hours);

/// <param name="Month">The station month (yyyy-MM, China time) the assessment counts it in.</param>
public sealed record HeldActivity(int Index, Guid Id, string Station, string Month, IReadOnlyList<Participation> Participants);

/// <summary>An answer the workload cannot go on from (a 400 to a valid request, say): the activity is not completed.</summary>
public sealed class UnexpectedAnswerException(string message) : Exception(message);

/// <summary>
/// The day's work of a county through the gateway: each activity gets 3 to 5 newly registered and approved volunteers,
/// is created at one of the township's stations, published, signed up for, checked in and out of, and completed.
/// Every volunteer serves in one activity only (a volunteer cannot hold two activities at the same time, and every
/// activity of the run is under way now), so each ledger must end with exactly that activity's credit.
/// </summary>
public sealed class Workload(Partner partner, int activities, int workers)
{
    public const string County = "321324";
    public const string Township = "321324104";
    private static readonly string[] Names = ["王芳", "李强", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "周敏"];

    private readonly ConcurrentBag<HeldActivity> _completed = [];
    private readonly ConcurrentBag<string> _abandoned = [];
    private int _next = -1;
    private int _completedCount;

    public IReadOnlyList<string> Villages { get; } = Enumerable.Range(201, 12).Select(n => $"{Township}{n}").ToList();

    public int Target => activities;
    public int CompletedCount => Volatile.Read(ref _completedCount);
    public IReadOnlyCollection<HeldActivity> Completed => _completed;
    /// <summary>Activities the partner could not complete, with why.</summary>
    public IReadOnlyCollection<string> Abandoned => _abandoned;

    public async Task RegisterStationsAsync()
    {
        await RegisterStationAsync(new { code = County, name = "泗洪县新时代文明实践中心", kind = "CountyCentre" });
        await RegisterStationAsync(new { code = Township, name = "青阳镇新时代文明实践所", kind = "Institute" });
        foreach (var village in Villages)
        {
            await RegisterStationAsync(new { code = village, name = $"{village}新时代文明实践站", kind = "Community" });
        }
    }

    public Task RunAsync() => Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync)));

    private async Task WorkAsync()
    {
        int index;
        while ((index = Interlocked.Increment(ref _next)) < activities)
        {
            try
            {
                _completed.Add(await HoldAsync(index));
                Interlocked.Increment(ref _completedCount);
            }
            catch (Exception ex) when (ex is PartnerGaveUpException or UnexpectedAnswerException)
            {
                _abandoned.Add($"activity {index}: {ex.Message}");
            }
        }
    }

    private async Task<HeldActivity> HoldAsync(int index)
    {
        var station = Villages[index % Villages.Count];
        var volunteers = new List<Guid>();
        for (var k = 0; k < 3 + index % 3; k++)
        {
            volunteers.Add(await RegisterApprovedVolunteerAsync(station, index + k));
        }

        // Under way since three hours ago (whole seconds, as a form would send), ending in three hours.
        var startsAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds());
        var created = await partner.EventuallyAsync(
            () => partner.PostAsync("/api/v1/activities", new
            {
                stationCode = station, title = $"新时代文明实践志愿服务 {index}", category = "Policy",
                startsAt, endsAt = startsAt.AddHours(6), capacity = 10,
            }),
            a => a.Status != (int)HttpStatusCode.NotFound, "the activities service to learn of the station");
        Expect(created, "create activity", HttpStatusCode.Created);
        var activityId = created.Json.GetProperty("id").GetGuid();
        var path = $"/api/v1/activities/{activityId}";
        // 409 only when a retried call had already taken effect ("only a draft can be published", "already …").
        Expect(await partner.PostAsync($"{path}/publish"), "publish", HttpStatusCode.OK, HttpStatusCode.Conflict);

        var participants = new List<Participation>();
        foreach (var (volunteer, k) in volunteers.Select((v, k) => (v, k)))
        {
            var signUp = await partner.EventuallyAsync(
                () => partner.PostAsync($"{path}/sign-ups", new { volunteerId = volunteer }),
                a => a.Status != (int)HttpStatusCode.NotFound, "the activities service to learn of the approved volunteer");
            Expect(signUp, "sign up", HttpStatusCode.OK, HttpStatusCode.Conflict);
            var hours = 0.75m + 0.25m * ((index + k) % 8);
            Expect(await partner.PostAsync($"{path}/check-ins", new { volunteerId = volunteer, at = startsAt, reason = "签到表补录" }),
                "check in", HttpStatusCode.OK, HttpStatusCode.Conflict);
            Expect(await partner.PostAsync($"{path}/check-outs", new { volunteerId = volunteer, at = startsAt.AddHours((double)hours), reason = "签到表补录" }),
                "check out", HttpStatusCode.OK, HttpStatusCode.Conflict);
            participants.Add(new Participation(volunteer, hours));
        }
        Expect(await partner.PostAsync($"{path}/complete"), "complete", HttpStatusCode.OK, HttpStatusCode.Conflict);
        var month = startsAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        return new HeldActivity(index, activityId, station, month, participants);
    }

    private async Task<Guid> RegisterApprovedVolunteerAsync(string station, int seed)
    {
        while (true)
        {
            var registered = await partner.PostAsync("/api/v1/volunteers", TestIdCards.Registration(Names[seed % Names.Length], station));
            // 409: that ID number was drawn before (or a retried registration had gone through): register another person.
            if (registered.Is(HttpStatusCode.Conflict))
            {
                continue;
            }
            Expect(registered, "register volunteer", HttpStatusCode.Created);
            var id = registered.Json.GetProperty("id").GetGuid();
            Expect(await partner.PostAsync($"/api/v1/volunteers/{id}/approve"), "approve volunteer", HttpStatusCode.OK, HttpStatusCode.Conflict);
            return id;
        }
    }

    private async Task RegisterStationAsync(object station) =>
        Expect(await partner.PostAsync("/api/v1/stations", station), "register station", HttpStatusCode.Created, HttpStatusCode.Conflict);

    private static void Expect(Answer answer, string what, params HttpStatusCode[] expected)
    {
        if (!expected.Any(answer.Is))
        {
            throw new UnexpectedAnswerException($"{what} answered {answer.Status}: {Partner.Shorten(answer.Body)}");
        }
    }
}
