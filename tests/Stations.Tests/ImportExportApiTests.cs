using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MiniExcelLibs;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Stations.Tests;

/// <summary>Bulk import and export of station lists: CSV and XLSX, row-by-row errors, all or nothing, idempotent.</summary>
public sealed class ImportExportApiTests(StationsFactory factory) : IClassFixture<StationsFactory>
{
    private const string Path = StationsClient.Path;
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private HttpClient CityWideClient() => factory.CreateClient(PracticeMeshRoles.Partner, "3213", ApiScopes.All);

    [Fact]
    public async Task A_csv_imports_a_county_in_any_order_and_a_second_import_changes_nothing()
    {
        using var client = CityWideClient();
        // Children before parents, a unit station, a location and quoted names.
        var csv = """
            code,name,kind,parentCode,address,latitude,longitude
            321361104201-S01,青阳中学实践站,School,321361104201,,,
            321361104201,"大楼社区新时代文明实践站",Community,321361104,"青阳镇大楼街1号, 二楼",33.47,118.21
            321361104,青阳镇新时代文明实践所,Institute,,,,
            321361,泗洪县新时代文明实践中心,CountyCentre,,,,
            """;

        var first = await ImportAsync(client, csv, "text/csv", HttpStatusCode.OK);
        var second = await ImportAsync(client, csv, "text/csv", HttpStatusCode.OK);

        Assert.Equal(4, first.GetProperty("created").GetInt32());
        Assert.Equal(0, second.GetProperty("created").GetInt32());
        Assert.Equal(0, second.GetProperty("updated").GetInt32());
        Assert.Equal(4, second.GetProperty("unchanged").GetInt32());
        var station = await client.GetAsync($"{Path}/321361104201", HttpStatusCode.OK);
        Assert.Equal("青阳镇大楼街1号, 二楼", station.GetProperty("address").GetString());
        Assert.Equal(118.21, station.GetProperty("longitude").GetDouble());
        Assert.Equal(4, (await client.GetAsync<List<JsonElement>>($"{Path}?under=321361")).Count);
        await factory.PublishedAsync<StationRegistered>(e => e.StationCode == "321361104201-S01");
        // The subtree cache sees the imported sites.
        var tree = await client.GetAsync($"{Path}/321361/subtree", HttpStatusCode.OK);
        Assert.Equal("321361104", tree.GetProperty("children")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_changed_row_updates_the_site_and_publishes_StationUpdated()
    {
        using var client = CityWideClient();
        await client.RegisterTreeAsync("321362");

        var result = await ImportAsync(client, "code,name,kind\n321362104201,新名字,Village\n321362104,site 321362104,Institute\n", "text/csv", HttpStatusCode.OK);

        Assert.Equal(1, result.GetProperty("updated").GetInt32());
        Assert.Equal(1, result.GetProperty("unchanged").GetInt32());
        Assert.Equal("新名字", (await client.GetAsync($"{Path}/321362104201", HttpStatusCode.OK)).GetProperty("name").GetString());
        await factory.PublishedAsync<StationUpdated>(e => e.StationCode == "321362104201" && e.Name == "新名字");
    }

    [Fact]
    public async Task Bad_rows_are_reported_by_row_and_column_and_nothing_is_imported()
    {
        using var client = CityWideClient();
        await client.RegisterTreeAsync("321363");
        var csv = """
            code,name,kind,parentCode,latitude,longitude
            321363104202,好的站,Village,,,
            3213631042,坏代码,Village,,,
            321363104203,,Village,,,
            321363104204,错类型,Castle,,,
            321363104205,错上级,Village,321363105,,
            321363104206,坐标,Village,,north,118.2
            321363104202,重复,Village,,,
            321363104209-S01,无上级,School,,,
            321363104201,改类型,Community,,,
            """;

        var problem = await ImportAsync(client, csv, "text/csv", HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        foreach (var key in new[] { "rows[3].code", "rows[4].name", "rows[5].kind", "rows[6].parentCode", "rows[7].latitude", "rows[8].code", "rows[9].parentCode", "rows[10].kind" })
        {
            Assert.True(errors.TryGetProperty(key, out _), $"{key} missing: {errors}");
        }
        Assert.False(errors.TryGetProperty("rows[2].code", out _));
        // All or nothing: the good row was not registered either.
        await client.GetAsync($"{Path}/321363104202", HttpStatusCode.NotFound);
        Assert.Equal("site 321363104201", (await client.GetAsync($"{Path}/321363104201", HttpStatusCode.OK)).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("name,kind\nx,Village\n", "rows[1].code")]
    [InlineData("code,name,kind\n", "rows[1].code")]
    [InlineData("code,name,kind\n321364,a,CountyCentre,extra\n", "rows[2].code")]
    public async Task A_malformed_csv_is_400_naming_row_and_column(string csv, string key)
    {
        using var client = CityWideClient();

        var problem = await ImportAsync(client, csv, "text/csv", HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(key, out _), problem.ToString());
        await client.GetAsync($"{Path}/321364", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unsupported_body_is_415_and_an_unreadable_workbook_is_400()
    {
        using var client = CityWideClient();

        await ImportAsync(client, "{}", "application/json", HttpStatusCode.UnsupportedMediaType);
        var problem = await ImportAsync(client, "not a zip", Xlsx, HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("file", out _), problem.ToString());
    }

    [Fact]
    public async Task Rows_outside_the_callers_division_are_errors_and_nothing_is_imported()
    {
        using var county = factory.CreateClient();
        await county.EnsureTreeAsync("321324");
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324104");

        var problem = await ImportAsync(township, "code,name,kind\n321324104205,ours,Village\n321324105,not ours,Institute\n", "text/csv", HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("rows[3].code", out _), problem.ToString());
        await county.GetAsync($"{Path}/321324104205", HttpStatusCode.NotFound);
        using var volunteer = factory.CreateClient(PracticeMeshRoles.Volunteer, "321324104201");
        await ImportAsync(volunteer, "code,name,kind\n321324104206,x,Village\n", "text/csv", HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task An_export_imports_back_unchanged_into_the_same_registry(string format)
    {
        using var client = CityWideClient();
        var county = format == "csv" ? "321365" : "321366";
        await client.RegisterTreeAsync(county);
        await client.RegisterAsync($"{county}104201-M01", "Mobile", "流动实践站, 一号");
        await client.PutAsync($"{Path}/{county}104201", new { name = "站", address = "村部", latitude = 33.47, longitude = 118.21 }, HttpStatusCode.OK);

        using var export = await client.GetAsync($"{Path}/export?under={county}&format={format}");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var bytes = await export.Content.ReadAsByteArrayAsync();
        Assert.Equal(format == "csv" ? "text/csv" : Xlsx, export.Content.Headers.ContentType?.MediaType);

        var result = await ImportAsync(client, bytes, format == "csv" ? "text/csv" : Xlsx, HttpStatusCode.OK);

        Assert.Equal(4, result.GetProperty("unchanged").GetInt32());
        Assert.Equal(0, result.GetProperty("created").GetInt32() + result.GetProperty("updated").GetInt32());
        if (format == "xlsx")
        {
            var rows = MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
            Assert.Equal(4, rows.Count);
            Assert.Equal("流动实践站, 一号", rows[3]["name"]);
        }
    }

    [Fact]
    public async Task An_xlsx_imports_like_a_csv_and_reports_bad_rows_by_row_and_column()
    {
        using var client = CityWideClient();
        var good = Workbook(
            new() { ["code"] = "321367", ["name"] = "中心", ["kind"] = "CountyCentre" },
            new() { ["code"] = "321367104", ["name"] = "所", ["kind"] = "Institute" });
        var bad = Workbook(
            new() { ["code"] = "321367104201", ["name"] = "站", ["kind"] = "Village" },
            new() { ["code"] = "321367104202", ["name"] = "站", ["kind"] = "Hamlet" });

        var result = await ImportAsync(client, good, Xlsx, HttpStatusCode.OK);
        var problem = await ImportAsync(client, bad, Xlsx, HttpStatusCode.BadRequest);

        Assert.Equal(2, result.GetProperty("created").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty("rows[3].kind", out _), problem.ToString());
        await client.GetAsync($"{Path}/321367104201", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_export_format_is_400()
    {
        using var client = CityWideClient();

        var problem = await client.GetAsync($"{Path}/export?under=3213&format=pdf", HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("format", out _), problem.ToString());
    }

    private static byte[] Workbook(params Dictionary<string, object>[] rows)
    {
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, rows.ToList());
        return stream.ToArray();
    }

    private static Task<JsonElement> ImportAsync(HttpClient client, string body, string contentType, HttpStatusCode expected) =>
        ImportAsync(client, Encoding.UTF8.GetBytes(body), contentType, expected);

    private static async Task<JsonElement> ImportAsync(HttpClient client, byte[] body, string contentType, HttpStatusCode expected)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await client.PostAsync($"{Path}/import", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"import: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
