using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PracticeMesh.Identity.Data;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Standalone;

/// <summary>
/// The demo county at the size of a real one (<c>Demo:Stations</c>, e.g. 400): 泗洪县's centre, 20 township institutes
/// and their village and community stations with real-looking 12-digit codes under 321324, a map position and a grid
/// each; volunteers (most approved, some waiting for review) with hours this year; a team per township with a service
/// menu; activities held over the year and orders and grid cases waiting — so every page of the console has a county's
/// worth of data. Written through the public API as the small demo is (the stations and volunteers by their import
/// endpoints), on top of it: the small demo's sites keep their names. The data is the same on every run (a fixed seed).
/// </summary>
/// <remarks>
/// Activities already held are announced after the fact (the API flags them as late), so the activities service does
/// not count them towards the monthly rule, exactly as it would not count a real county's records entered afterwards.
/// </remarks>
public sealed class EnlargedDemoCounty(HttpClient http, int stations, TimeProvider time, ILogger logger)
{
    public const string Setting = "Demo:Stations";
    private const string County = "321324";
    private const int Parallelism = 4;
    private const int VolunteersPerStation = 4;

    /// <summary>Twenty of 泗洪县's townships by code; 104 and 105 are the small demo's.</summary>
    private static readonly (string Code, string Name)[] Townships =
    [
        ("101", "上塘镇"), ("102", "魏营镇"), ("103", "临淮镇"), ("104", "青阳镇"), ("105", "双沟镇"), ("106", "半城镇"), ("107", "孙园镇"),
        ("108", "梅花镇"), ("109", "归仁镇"), ("110", "金锁镇"), ("111", "朱湖镇"), ("112", "界集镇"), ("113", "太平镇"), ("114", "龙集镇"),
        ("115", "四河乡"), ("116", "峰山乡"), ("117", "天岗湖乡"), ("118", "车门乡"), ("119", "瑶沟乡"), ("120", "石集乡"),
    ];

    /// <summary>The small demo's sites keep their names and kinds, and stand inside their own grids (which the lattice below avoids).</summary>
    private static readonly Dictionary<string, (string Name, string Kind, double Lon, double Lat)> SmallDemo = new()
    {
        ["321324104201"] = ("大楼社区新时代文明实践站", "Community", 118.225, 33.455),
        ["321324104202"] = ("王集村新时代文明实践站", "Village", 118.2025, 33.4525),
        ["321324105201"] = ("双沟村新时代文明实践站", "Village", 118.4075, 33.3075),
    };

    /// <summary>The small demo's grid squares (south-west corner and size), which the villages' grids must not overlap.</summary>
    private static readonly (double Lon, double Lat, double Size)[] SmallDemoGrids =
        [(118.200, 33.450, 0.020), (118.220, 33.450, 0.010), (118.400, 33.300, 0.015)];

    private static readonly string[] Surnames = ["王", "李", "张", "陈", "刘", "杨", "赵", "孙", "周", "吴", "徐", "朱", "胡", "高", "林", "何", "郭", "马", "罗", "梁"];
    private static readonly string[] PlaceSuffixes = ["集", "庄", "圩", "湖", "岗", "桥", "河", "沟", "楼", "台", "营", "湾"];
    private static readonly string[] GivenNames = ["芳", "洋", "静", "伟", "敏", "强", "磊", "娜", "军", "丽", "勇", "艳", "杰", "涛", "明", "霞", "超", "平", "刚", "燕"];
    private static readonly string[] VolunteerCategories = ["Cadre", "PartyApplicant", "Teacher", "Student", "Retiree", "LeagueApplicant"];
    private static readonly string[] PoliticalStatuses = ["PartyMember", "LeagueMember", "Masses", "Masses"];
    private static readonly (string Category, string Title)[] ActivityKinds =
    [
        ("Theory", "理论宣讲进村组"), ("Policy", "惠民政策解读会"), ("Law", "法律明白人讲堂"), ("Culture", "广场文艺演出"),
        ("Science", "农技知识培训"), ("CivilityGuidance", "移风易俗倡议活动"), ("ConvenienceService", "便民服务日"), ("HealthAndSport", "义诊与健康讲座"),
    ];
    private static readonly (string Category, string Description)[] CaseKinds =
    [
        ("sanitation", "路边垃圾堆积"), ("road-damage", "村道路面破损"), ("public-facility", "路灯不亮"), ("safety-hazard", "河边护栏缺失"),
        ("dispute", "邻里宅基地纠纷"), ("help-request", "独居老人需要帮扶"), ("other", "广场健身器材松动"),
    ];

    private readonly Random _random = new(16);

    /// <summary>A site and its map position; a village's grid is a square of <c>GridSize</c> around it.</summary>
    private sealed record Site(string Code, string Name, string Kind, double Lon, double Lat, double GridSize = 0)
    {
        /// <summary>Its own grid: the small demo's sites have theirs, and a square overlapping them is left out.</summary>
        public bool HasNewGrid => Code.Length == 12 && !SmallDemo.ContainsKey(Code)
            && !SmallDemoGrids.Any(g => Overlaps(g, (Lon - GridSize / 2, Lat - GridSize / 2, GridSize)));

        /// <summary>The place's name: the site's name without the network's words.</summary>
        public string Place => Name.Replace("新时代文明实践中心", "", StringComparison.Ordinal).Replace("新时代文明实践所", "", StringComparison.Ordinal)
            .Replace("新时代文明实践站", "", StringComparison.Ordinal);
    }

    /// <summary>Loads the county unless it is there already (its last township's institute exists). True when loaded now.</summary>
    public async Task<bool> LoadAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var villagesPerTownship = Math.Max(1, (int)Math.Ceiling(stations / (double)Townships.Length));
        var sites = Sites(villagesPerTownship);
        var villages = sites.Where(s => s.Code.Length == 12).ToList();
        if ((await http.GetAsync($"/api/v1/stations/{villages[^1].Code}", ct)).StatusCode == HttpStatusCode.OK)
        {
            return false;
        }
        var today = ChinaTime.Today(time.GetUtcNow());

        await ImportAsync("/api/v1/stations/import", ["code", "name", "kind", "address", "latitude", "longitude"],
            sites.Select(s => new[] { s.Code, s.Name, s.Kind, $"江苏省宿迁市泗洪县{Township(s.Code)}{(s.Code.Length == 12 ? s.Place : "")}", F(s.Lat), F(s.Lon) }), ct);
        logger.LogInformation("Enlarged demo county: {Count} sites imported", sites.Count);

        await ParallelAsync(villages.Where(v => v.HasNewGrid), async (village, token) =>
        {
            var households = 120 + int.Parse(village.Code[^3..], CultureInfo.InvariantCulture) * 7 % 300;
            await DemoApi.PostEventuallyAsync(http, "/api/v1/grid/grids", new
            {
                villageCode = village.Code, serial = 1, name = $"{village.Place}第一网格", households, population = households * 3 + 40,
                boundary = DemoApi.Square(village.Lon - village.GridSize / 2, village.Lat - village.GridSize / 2, village.GridSize),
            }, token, HttpStatusCode.BadRequest);
        }, ct);

        var volunteerIds = await VolunteersAsync(villages, today, ct);
        var teams = await TeamsAsync(volunteerIds, ct);
        var activities = await ActivitiesAsync(villages, teams, today, ct);
        var (orders, cases) = (await OrdersAsync(teams, ct), await CasesAsync(villages, ct));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  enlarged demo county loaded: {sites.Count} sites ({villages.Count} stations), {volunteerIds.Values.Sum(v => v.Count)} volunteers, {teams.Count} teams, {activities} activities, {orders} orders, {cases} grid cases in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s"));
        return true;
    }

    /// <summary>The centre, the institutes and each township's villages on a lattice: townships 5 × 4 blocks, villages within.</summary>
    private static List<Site> Sites(int villagesPerTownship)
    {
        var sites = new List<Site> { new(County, "泗洪县新时代文明实践中心", "CountyCentre", 118.216, 33.476) };
        var columns = (int)Math.Ceiling(Math.Sqrt(villagesPerTownship));
        var (blockLon, blockLat) = (0.12, 0.10);
        var cell = Math.Min(blockLon, blockLat) / Math.Max(columns, 1);
        for (var t = 0; t < Townships.Length; t++)
        {
            var (code, name) = Townships[t];
            var (west, south) = (117.95 + (t % 5) * blockLon, 33.20 + (t / 5) * blockLat);
            sites.Add(new($"{County}{code}", $"{name}新时代文明实践所", "Institute", west + blockLon / 2, south + blockLat / 2));
            for (var v = 0; v < villagesPerTownship; v++)
            {
                var villageCode = $"{County}{code}{201 + v:000}";
                var (lon, lat) = (west + (v % columns + 0.5) * cell, south + (v / columns + 0.5) * cell);
                if (SmallDemo.TryGetValue(villageCode, out var known))
                {
                    sites.Add(new(villageCode, known.Name, known.Kind, known.Lon, known.Lat));
                    continue;
                }
                var (siteName, kind) = v == 0
                        ? ($"{name[..^1]}社区新时代文明实践站", "Community")
                        : ($"{Surnames[(t * 7 + v) % Surnames.Length]}{PlaceSuffixes[(t + v * 5) % PlaceSuffixes.Length]}村新时代文明实践站", "Village");
                sites.Add(new(villageCode, siteName, kind, lon, lat, cell * 0.6));
            }
        }
        return sites;
    }

    /// <summary>Volunteers imported per station, nine in ten approved (the rest wait in the review queue), with hours credited this year.</summary>
    private async Task<Dictionary<string, List<Guid>>> VolunteersAsync(List<Site> villages, DateOnly today, CancellationToken ct)
    {
        var rows = new List<string[]>();
        var index = 0;
        foreach (var village in villages)
        {
            for (var n = 0; n < VolunteersPerStation; n++, index++)
            {
                var birth = new DateOnly(1960, 1, 1).AddDays(index % 16000);
                rows.Add(
                [
                    Surnames[(index * 3) % Surnames.Length] + GivenNames[(index * 7 + index / 20) % GivenNames.Length],
                    IdCardNumber($"{County}{birth:yyyyMMdd}{500 + index / 16000:000}"),
                    $"137{10_000_000 + index}",
                    PoliticalStatuses[index % PoliticalStatuses.Length],
                    VolunteerCategories[index % VolunteerCategories.Length],
                    index % 3 == 0 ? "政策宣讲" : "",
                    village.Code,
                ]);
            }
        }
        // The volunteers service learns of the new stations from events: until then their codes are unknown (400).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ImportAsync("/api/v1/volunteers/import", ["name", "idCardNumber", "mobile", "politicalStatus", "categories", "skills", "homeStationCode"], rows, ct);
                break;
            }
            catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.BadRequest && attempt < 100)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
            }
        }

        var pending = new List<(Guid Id, string Station)>();
        for (var offset = 0; ; offset += 200)
        {
            var page = await DemoApi.GetAsync(http, $"/api/v1/volunteers?under={County}&status=Pending&offset={offset}&limit=200", ct);
            pending.AddRange(page.EnumerateArray().Select(v => (v.GetProperty("id").GetGuid(), v.GetProperty("homeStationCode").GetString()!)));
            if (page.GetArrayLength() < 200)
            {
                break;
            }
        }
        var approved = pending.Where((_, i) => i % 10 != 9).ToList();
        var hours = approved.Select(v => (v.Id, Credits: Enumerable.Range(0, _random.Next(0, 4))
            .Select(_ => (Hours: _random.Next(2, 9), Day: new DateOnly(today.Year, 1, 1).AddDays(_random.Next(0, today.DayOfYear - 1)))).ToList())).ToDictionary(v => v.Id, v => v.Credits);
        await ParallelAsync(approved, async (volunteer, token) =>
        {
            await DemoApi.PostAsync(http, $"/api/v1/volunteers/{volunteer.Id}/approve", new { }, token);
            foreach (var (h, day) in hours[volunteer.Id])
            {
                await DemoApi.PostAsync(http, $"/api/v1/volunteers/{volunteer.Id}/hours/credits", new { hours = h, servedOn = day, reason = "补录服务时长" }, token);
            }
        }, ct);
        return approved.GroupBy(v => v.Station[..9]).ToDictionary(g => g.Key, g => g.Select(v => v.Id).ToList());
    }

    /// <summary>A volunteer team per township at its institute, led by one of its volunteers, with a few members.</summary>
    private async Task<List<(Guid Id, string Township)>> TeamsAsync(Dictionary<string, List<Guid>> volunteers, CancellationToken ct)
    {
        var teams = new List<(Guid, string)>();
        foreach (var (code, name) in Townships)
        {
            var township = County + code;
            var members = volunteers.GetValueOrDefault(township) ?? [];
            var team = await DemoApi.PostAsync(http, "/api/v1/volunteers/teams", new
            {
                name = $"{name}新时代文明实践志愿服务队", tier = "Township", type = "General", homeStationCode = township,
                leaderVolunteerId = members.Count > 0 ? members[0] : (Guid?)null,
            }, ct);
            var id = team.GetProperty("id").GetGuid();
            foreach (var member in members.Skip(1).Take(6))
            {
                await DemoApi.PostAsync(http, $"/api/v1/volunteers/teams/{id}/members", new { volunteerId = member }, ct);
            }
            teams.Add((id, township));
        }
        return teams;
    }

    /// <summary>
    /// The year so far: at each station 0 to 3 activities a month, held, announced and completed with residents counted;
    /// each township team holds one a month at its institute. Those still to come this month are announced ahead.
    /// </summary>
    private async Task<int> ActivitiesAsync(List<Site> villages, List<(Guid Id, string Township)> teams, DateOnly today, CancellationToken ct)
    {
        var plans = new List<(string Station, Guid? Team, DateOnly Day, int Kind, bool Held)>();
        foreach (var village in villages)
        {
            for (var month = 1; month <= today.Month; month++)
            {
                var count = _random.Next(100) switch { < 15 => 0, < 40 => 1, < 85 => 2, _ => 3 };
                for (var n = 0; n < count; n++)
                {
                    var day = new DateOnly(today.Year, month, 1 + _random.Next(0, 27));
                    plans.Add((village.Code, null, day, _random.Next(ActivityKinds.Length), day < today));
                }
            }
        }
        foreach (var (team, township) in teams)
        {
            for (var month = 1; month <= today.Month; month++)
            {
                var day = new DateOnly(today.Year, month, 10 + _random.Next(0, 10));
                plans.Add((township, team, day, _random.Next(ActivityKinds.Length), day < today));
            }
        }
        // A few more ahead, announced in time, so calendars and the phone view have something to sign up for.
        foreach (var village in villages.Where((_, i) => i % 4 == 0))
        {
            plans.Add((village.Code, null, today.AddDays(4 + _random.Next(0, 20)), _random.Next(ActivityKinds.Length), false));
        }
        var residents = plans.Select(_ => _random.Next(12, 60)).ToList();
        await ParallelAsync(plans.Select((p, i) => (Plan: p, Residents: residents[i])), async (item, token) =>
        {
            var (station, team, day, kind, held) = item.Plan;
            var startsAt = new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)), ChinaTime.Offset);
            if (!held && startsAt <= time.GetUtcNow())
            {
                startsAt = time.GetUtcNow().AddDays(4);
            }
            var activity = await DemoApi.PostEventuallyAsync(http, "/api/v1/activities", new
            {
                stationCode = station, title = ActivityKinds[kind].Title, category = ActivityKinds[kind].Category, startsAt, endsAt = startsAt.AddHours(2),
                capacity = 30, teamId = team,
            }, token);
            var id = activity.GetProperty("id").GetGuid();
            await DemoApi.PostAsync(http, $"/api/v1/activities/{id}/publish", new { }, token);
            if (held)
            {
                await DemoApi.PostAsync(http, $"/api/v1/activities/{id}/complete", new { residentAttendees = item.Residents }, token);
            }
        }, ct);
        return plans.Count;
    }

    /// <summary>Each township team offers two services; the demo resident orders from 青阳镇's menu and asks for a few wishes.</summary>
    private async Task<int> OrdersAsync(List<(Guid Id, string Township)> teams, CancellationToken ct)
    {
        var menu = new List<(Guid Item, string Township)>();
        foreach (var (team, township) in teams)
        {
            foreach (var (title, category) in new[] { ("上门理发", "ConvenienceService"), ("政策上门解读", "Policy") })
            {
                var item = await DemoApi.PostEventuallyAsync(http, "/api/v1/activities/menu-items",
                    new { teamId = team, title, description = "每月为行动不便的老人提供", category }, ct);
                menu.Add((item.GetProperty("id").GetGuid(), township));
            }
        }
        var resident = DemoAccounts.People.Single(p => p.UserName == "resident");
        using var residentHttp = new HttpClient { BaseAddress = http.BaseAddress };
        residentHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await DemoApi.PasswordTokenAsync(residentHttp, resident.UserName, DemoAccounts.Password, ct));
        var orders = 0;
        foreach (var (item, _) in menu.Where(m => resident.Division.StartsWith(m.Township, StringComparison.Ordinal)))
        {
            for (var n = 0; n < 4; n++, orders++)
            {
                await DemoApi.PostAsync(residentHttp, "/api/v1/activities/orders", new { menuItemId = item, details = $"家中老人行动不便，希望第{n + 1}周上门" }, ct);
            }
        }
        foreach (var wish in new[] { "作业辅导", "旧手机使用教学", "代购药品" })
        {
            await DemoApi.PostAsync(residentHttp, "/api/v1/activities/orders", new { title = wish, details = $"微心愿：{wish}", stationCode = resident.Division }, ct);
            orders++;
        }
        return orders;
    }

    /// <summary>A grid case at every other village, reported inside its grid; some accepted, a few rejected, the rest new.</summary>
    private async Task<int> CasesAsync(List<Site> villages, CancellationToken ct)
    {
        var reported = villages.Where((v, i) => i % 2 == 0 && (v.HasNewGrid || SmallDemo.ContainsKey(v.Code))).Select((v, i) => (Village: v, Kind: CaseKinds[i % CaseKinds.Length], Step: i % 5)).ToList();
        await ParallelAsync(reported, async (item, token) =>
        {
            var (village, (category, description), step) = item;
            var reportedCase = await DemoApi.PostAsync(http, "/api/v1/grid/cases", new
            {
                category, description, address = village.Place, villageCode = village.Code, latitude = village.Lat, longitude = village.Lon,
            }, token);
            var id = reportedCase.GetProperty("id").GetGuid();
            if (step is 1 or 2)
            {
                await DemoApi.PostAsync(http, $"/api/v1/grid/cases/{id}/accept", new { remark = "属实，立案" }, token);
            }
            else if (step == 3)
            {
                await DemoApi.PostAsync(http, $"/api/v1/grid/cases/{id}/reject", new { reason = "不属于网格事项" }, token);
            }
        }, ct);
        return reported.Count;
    }

    private async Task ImportAsync(string path, string[] header, IEnumerable<string[]> rows, CancellationToken ct)
    {
        var csv = new StringBuilder().AppendLine(string.Join(',', header));
        foreach (var row in rows)
        {
            csv.AppendLine(string.Join(',', row));
        }
        using var content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv");
        using var response = await http.PostAsync(path, content, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}", null, response.StatusCode);
        }
    }

    private static Task ParallelAsync<T>(IEnumerable<T> items, Func<T, CancellationToken, ValueTask> body, CancellationToken ct) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, body);

    private static bool Overlaps((double Lon, double Lat, double Size) a, (double Lon, double Lat, double Size) b) =>
        a.Lon < b.Lon + b.Size && b.Lon < a.Lon + a.Size && a.Lat < b.Lat + b.Size && b.Lat < a.Lat + a.Size;

    private static string Township(string code) => Townships.FirstOrDefault(t => code.Length >= 9 && t.Code == code[6..9]).Name ?? "";

    private static string F(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>A GB 11643 citizen ID number: the 17 digits given and their check character.</summary>
    private static string IdCardNumber(string first17)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = first17.Select((c, i) => (c - '0') * weights[i]).Sum();
        return first17 + "10X98765432"[sum % 11];
    }
}

/// <summary>The demo loaders' calls to the public API: an error answer is an exception naming the call and its answer.</summary>
internal static class DemoApi
{
    public static async Task<JsonElement> GetAsync(HttpClient http, string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        return await ReadAsync(response, "GET", path, ct);
    }

    public static async Task<JsonElement> PostAsync(HttpClient http, string path, object body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(path, body, ct);
        return await ReadAsync(response, "POST", path, ct);
    }

    /// <summary>
    /// Activities and grid learn of stations, teams and volunteers from events: just after registering, activities' 404
    /// and grid's 400 (an unknown village, <paramref name="notYet"/>) mean "not yet".
    /// </summary>
    public static async Task<JsonElement> PostEventuallyAsync(HttpClient http, string path, object body, CancellationToken ct, HttpStatusCode notYet = HttpStatusCode.NotFound)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await http.PostAsJsonAsync(path, body, ct);
            if (response.StatusCode != notYet || attempt == 100)
            {
                return await ReadAsync(response, "POST", path, ct);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
    }

    /// <summary>A person's access token by the password grant, from the host's own token endpoint.</summary>
    public static async Task<string> PasswordTokenAsync(HttpClient http, string userName, string password, CancellationToken ct)
    {
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = userName, ["password"] = password,
        }), ct);
        return (await ReadAsync(response, "POST", "/connect/token", ct)).GetProperty("access_token").GetString()!;
    }

    /// <summary>A GeoJSON Polygon, a square with its south-west corner at (<paramref name="lon"/>, <paramref name="lat"/>).</summary>
    public static object Square(double lon, double lat, double size) => new
    {
        type = "Polygon",
        coordinates = new[] { new[] { new[] { lon, lat }, [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat] } },
    };

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string method, string path, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}", null, response.StatusCode);
        }
        return response.Content.Headers.ContentLength == 0 ? default : await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }
}
