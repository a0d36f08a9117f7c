using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Benchmarks.SideBySide;

/// <summary>A confirmed place not checked in yet: one check-in to make.</summary>
public readonly record struct PendingCheckIn(Guid ActivityId, Guid VolunteerId);

/// <summary>
/// Activities under way now with confirmed volunteers, for benchmarks that send QR check-ins. The activities are
/// created and published through the API; approved volunteers (the read model VolunteerApproved feeds) and their
/// sign-ups are written straight into the activities database, because neither is what is measured and hundreds of
/// thousands of them through the API would take longer than the measurement.
/// </summary>
public sealed class CheckInSeed
{
    private const string VolunteerAccount = "bench.volunteer";
    private const string VolunteerPassword = "PracticeMesh-bench-1";

    private readonly ProcessPlatform _platform;
    private readonly HttpClient _admin;
    private int _positions;

    private CheckInSeed(ProcessPlatform platform, HttpClient admin, IReadOnlyList<Guid> activities, string volunteerToken)
    {
        _platform = platform;
        _admin = admin;
        Activities = activities;
        VolunteerToken = volunteerToken;
    }

    /// <summary>The activities under way, each at its own village station.</summary>
    public IReadOnlyList<Guid> Activities { get; }

    /// <summary>A team leader account of the county (it checks in for any volunteer there), as the phones scanning the code sign in.</summary>
    public string VolunteerToken { get; }

    public string ConnectionString => RealServers.PostgresDatabase(_platform.DatabaseOf("activities"));

    /// <summary>
    /// Creates <paramref name="perStation"/> published activities under way at each of <paramref name="villages"/>
    /// and the volunteer account that checks in; then <see cref="AddSignUpsAsync"/> gives them volunteers.
    /// </summary>
    public static async Task<CheckInSeed> CreateAsync(ProcessPlatform platform, HttpClient admin, IReadOnlyList<string> villages, int perStation)
    {
        var now = DateTimeOffset.UtcNow;
        var activities = new List<Guid>();
        foreach (var village in villages)
        {
            for (var i = 0; i < perStation; i++)
            {
                // Lei Feng day: every station's activities started a few minutes ago and run for the afternoon.
                var startsAt = now.AddMinutes(-10 - i);
                activities.Add(await CreatePublishedAsync(admin, village, $"学雷锋志愿服务 {i + 1}", startsAt, startsAt.AddHours(4)));
            }
        }
        // Created once per platform: a second seed on the same platform signs the existing account in.
        using (var created = await admin.PostAsJsonAsync("/api/v1/identity/people", new
        {
            userName = VolunteerAccount, displayName = "压测志愿者", password = VolunteerPassword, role = "team_leader", division = SideBySideRun.County,
        }))
        {
            if (created.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
            {
                throw new InvalidOperationException($"creating the volunteer account answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
            }
        }
        using var client = platform.CreateClient();
        var token = await PlatformTokens.PasswordAsync(client, VolunteerAccount, VolunteerPassword);
        return new CheckInSeed(platform, admin, activities, token);
    }

    /// <summary>A published activity at <paramref name="station"/> (the activities service answers 404 until it has heard of the station).</summary>
    public static async Task<Guid> CreatePublishedAsync(HttpClient admin, string station, string title, DateTimeOffset startsAt, DateTimeOffset endsAt, int capacity = 400)
    {
        var created = await HttpAssertions.EventuallyAsync(async () =>
        {
            using var response = await admin.PostAsJsonAsync("/api/v1/activities", new
            {
                stationCode = station, title, category = "ConvenienceService", startsAt, endsAt, capacity,
                platform = "Culture", venue = "村文化广场", festivalTag = "LeiFengDay",
            });
            return response.StatusCode == HttpStatusCode.Created ? await response.Content.ReadAsStringAsync() : null;
        }, $"the activities service to learn of station {station}");
        var id = JsonDocument.Parse(created).RootElement.GetProperty("id").GetGuid();
        await admin.PostAsync($"/api/v1/activities/{id}/publish", null, HttpStatusCode.OK);
        return id;
    }

    /// <summary>Gives every activity <paramref name="perActivity"/> more approved volunteers with confirmed places.</summary>
    public async Task AddSignUpsAsync(int perActivity)
    {
        await using var db = new NpgsqlConnection(ConnectionString);
        await db.OpenAsync();
        var activityIds = new List<Guid>();
        var volunteerIds = new List<Guid>();
        var positions = new List<int>();
        foreach (var activity in Activities)
        {
            for (var p = _positions; p < _positions + perActivity; p++)
            {
                activityIds.Add(activity);
                volunteerIds.Add(Guid.CreateVersion7());
                positions.Add(p);
            }
        }
        _positions += perActivity;
        await using (var volunteers = new NpgsqlCommand(
            "INSERT INTO known_volunteers (\"Id\", \"DivisionCode\", \"DisplayName\") SELECT id, a.\"DivisionCode\", '志愿者' FROM unnest($1::uuid[], $2::uuid[]) AS v(id, activity) JOIN activities a ON a.\"Id\" = v.activity", db))
        {
            volunteers.Parameters.AddWithValue(volunteerIds.ToArray());
            volunteers.Parameters.AddWithValue(activityIds.ToArray());
            await volunteers.ExecuteNonQueryAsync();
        }
        await using (var signUps = new NpgsqlCommand(
            "INSERT INTO sign_ups (\"ActivityId\", \"VolunteerId\", \"SignedUpAt\", \"Position\", \"Status\", \"Version\") " +
            "SELECT a, v, now() - interval '1 day', p, 'Confirmed', 0 FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS s(a, v, p)", db))
        {
            signUps.Parameters.AddWithValue(activityIds.ToArray());
            signUps.Parameters.AddWithValue(volunteerIds.ToArray());
            signUps.Parameters.AddWithValue(positions.ToArray());
            await signUps.ExecuteNonQueryAsync();
        }
        await using (var next = new NpgsqlCommand("UPDATE activities SET \"NextPosition\" = $2, \"Capacity\" = GREATEST(\"Capacity\", $2), \"Version\" = \"Version\" + 1 WHERE \"Id\" = ANY($1)", db))
        {
            next.Parameters.AddWithValue(Activities.ToArray());
            next.Parameters.AddWithValue(_positions);
            await next.ExecuteNonQueryAsync();
        }
        await using (var analyze = new NpgsqlCommand("ANALYZE sign_ups; ANALYZE known_volunteers", db))
        {
            await analyze.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Places not checked in yet, interleaved across activities as many venues check in at once.</summary>
    public async Task<List<PendingCheckIn>> PendingAsync()
    {
        await using var db = new NpgsqlConnection(ConnectionString);
        await db.OpenAsync();
        await using var pending = new NpgsqlCommand(
            "SELECT \"ActivityId\", \"VolunteerId\" FROM sign_ups WHERE \"CheckedInAt\" IS NULL AND \"ActivityId\" = ANY($1) ORDER BY \"Position\", \"ActivityId\"", db);
        pending.Parameters.AddWithValue(Activities.ToArray());
        await using var reader = await pending.ExecuteReaderAsync();
        var list = new List<PendingCheckIn>();
        while (await reader.ReadAsync())
        {
            list.Add(new PendingCheckIn(reader.GetGuid(0), reader.GetGuid(1)));
        }
        return list;
    }

    /// <summary>Check-ins stored so far.</summary>
    public async Task<long> CheckedInAsync()
    {
        await using var db = new NpgsqlConnection(ConnectionString);
        await db.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM sign_ups WHERE \"CheckedInAt\" IS NOT NULL", db);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Writes checkins.lua's file for <paramref name="pending"/> with the QR code each venue's screen shows now, and
    /// returns the wrk environment that points the script at it and signs it in as the volunteer account.
    /// </summary>
    public async Task<Dictionary<string, string>> WrkEnvironmentAsync(IReadOnlyList<PendingCheckIn> pending, string file)
    {
        var qr = new Dictionary<Guid, string>();
        foreach (var activity in Activities)
        {
            qr[activity] = (await _admin.GetAsync($"/api/v1/activities/{activity}/qr-token", HttpStatusCode.OK)).GetProperty("token").GetString()!;
        }
        await File.WriteAllLinesAsync(file, pending.Select(p => $"{p.ActivityId} {p.VolunteerId} {qr[p.ActivityId]}"));
        return new Dictionary<string, string> { ["CHECKINS_FILE"] = file, ["BEARER"] = VolunteerToken };
    }
}
