using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MiniExcelLibs;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>Bulk import and export of volunteers: CSV and XLSX, row-by-row errors, all or nothing, idempotent, masked.</summary>
public sealed class ImportExportApiTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    private const string Path = VolunteerClient.Path;
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private const string Header = "name,idCardNumber,mobile,politicalStatus,categories,skills,homeStationCode";

    private static string Row(string name, string idCard, string mobile, string station = "321324104201", string political = "PartyMember",
        string categories = "Cadre;Teacher", string skills = "政策宣讲;急救") =>
        $"{name},{idCard},{mobile},{political},{categories},{skills},{station}";

    [Fact]
    public async Task A_csv_registers_pending_volunteers_and_a_second_import_changes_nothing()
    {
        using var client = factory.CreateClient();
        var idCard = TestPeople.IdCard();
        var csv = $"{Header}\n{Row("导入甲", idCard, TestPeople.Mobile(), "321324111201")}\n{Row("导入乙", TestPeople.IdCard(), TestPeople.Mobile(), "321324111202", "Masses", "Student", "")}\n";

        var first = await ImportAsync(client, csv, "text/csv", HttpStatusCode.OK);
        var second = await ImportAsync(client, csv, "text/csv", HttpStatusCode.OK);

        Assert.Equal((2, 0), (first.GetProperty("created").GetInt32(), first.GetProperty("alreadyRegistered").GetInt32()));
        Assert.Equal((0, 2), (second.GetProperty("created").GetInt32(), second.GetProperty("alreadyRegistered").GetInt32()));
        var found = await client.GetAsync<List<JsonElement>>($"{Path}?under=321324111");
        Assert.Equal(2, found.Count);
        var jia = found.Single(v => v.GetProperty("name").GetString() == "导入甲");
        Assert.Equal("Pending", jia.GetProperty("status").GetString());
        Assert.Equal(["Cadre", "Teacher"], jia.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["政策宣讲", "急救"], jia.GetProperty("skills").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(IdCardMask(idCard), jia.GetProperty("idCardNumber").GetString());
        var id = jia.GetProperty("id").GetGuid();
        await factory.PublishedAsync<VolunteerRegistered>(e => e.VolunteerId == id);
    }

    [Fact]
    public async Task Someone_registered_before_is_left_as_they_are_and_the_rest_are_created()
    {
        using var client = factory.CreateClient();
        var idCard = TestPeople.IdCard();
        await client.PostAsync(Path, TestPeople.Registration("已注册", "321324112201", idCardNumber: idCard), HttpStatusCode.Created);
        var csv = $"{Header}\n{Row("另一个名字", idCard, TestPeople.Mobile(), "321324112202")}\n{Row("新人", TestPeople.IdCard(), TestPeople.Mobile(), "321324112202")}\n";

        var result = await ImportAsync(client, csv, "text/csv", HttpStatusCode.OK);

        Assert.Equal((1, 1), (result.GetProperty("created").GetInt32(), result.GetProperty("alreadyRegistered").GetInt32()));
        var names = (await client.GetAsync<List<JsonElement>>($"{Path}?under=321324112")).Select(v => v.GetProperty("name").GetString()).Order();
        Assert.Equal(["已注册", "新人"], names);
    }

    [Fact]
    public async Task Bad_rows_are_reported_by_row_and_column_and_nothing_is_written()
    {
        using var client = factory.CreateClient();
        var good = TestPeople.IdCard();
        var valid = TestPeople.IdCard();
        var wrongCheck = valid[..17] + (valid[17] == '0' ? '1' : '0');
        var csv = $"""
            {Header}
            {Row("好人", good, TestPeople.Mobile(), "321324113201")}
            {Row("错校验", wrongCheck, TestPeople.Mobile(), "321324113201")}
            {Row("坏手机", TestPeople.IdCard(), "12345", "321324113201", political: "Anarchist")}
            {Row("坏类别", TestPeople.IdCard(), TestPeople.Mobile(), "321324113201", categories: "Cadre;Astronaut")}
            {Row("重复", good, TestPeople.Mobile(), "321324113201")}
            {Row("", TestPeople.IdCard(), TestPeople.Mobile(), "32132411320")}
            """;

        var problem = await ImportAsync(client, csv, "text/csv", HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        string[] expected = ["rows[3].idCardNumber", "rows[4].mobile", "rows[4].politicalStatus", "rows[5].categories", "rows[6].idCardNumber",
            "rows[7].homeStationCode", "rows[7].name"];
        Assert.Equal(expected, errors.EnumerateObject().Select(e => e.Name));
        Assert.Contains("row 2", errors.GetProperty("rows[6].idCardNumber")[0].GetString());
        // All or nothing: the good row was not registered either.
        Assert.Empty(await client.GetAsync<List<JsonElement>>($"{Path}?under=321324113"));
        // Nothing about the rows' people leaks into the report.
        Assert.DoesNotContain(good, problem.ToString());
    }

    [Fact]
    public async Task A_row_outside_the_callers_division_is_an_error_and_a_caller_without_write_scope_is_refused()
    {
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324114");
        var csv = $"{Header}\n{Row("本镇", TestPeople.IdCard(), TestPeople.Mobile(), "321324114201")}\n{Row("外镇", TestPeople.IdCard(), TestPeople.Mobile(), "321324115201")}\n";

        var problem = await ImportAsync(township, csv, "text/csv", HttpStatusCode.BadRequest);

        Assert.Equal(["rows[3].homeStationCode"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        using var reader = factory.CreateClient(PracticeMeshRoles.CountyAdmin, "321324", [ApiScopes.VolunteersRead]);
        await ImportAsync(reader, csv, "text/csv", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_xlsx_imports_like_a_csv_and_other_types_are_415()
    {
        using var client = factory.CreateClient();
        var good = Workbook(Cells("表格甲", TestPeople.IdCard(), TestPeople.Mobile(), "321324116201"));
        var bad = Workbook(Cells("表格乙", TestPeople.IdCard(), TestPeople.Mobile(), "321324116201"), Cells("表格丙", "123", TestPeople.Mobile(), "321324116201"));

        var result = await ImportAsync(client, good, Xlsx, HttpStatusCode.OK);
        var problem = await ImportAsync(client, bad, Xlsx, HttpStatusCode.BadRequest);

        Assert.Equal(1, result.GetProperty("created").GetInt32());
        Assert.Equal(["rows[3].idCardNumber"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Single(await client.GetAsync<List<JsonElement>>($"{Path}?under=321324116"));
        await ImportAsync(client, "{}"u8.ToArray(), "application/json", HttpStatusCode.UnsupportedMediaType);
        var unreadable = await ImportAsync(client, "not a zip"u8.ToArray(), Xlsx, HttpStatusCode.BadRequest);
        Assert.True(unreadable.GetProperty("errors").TryGetProperty("file", out _), unreadable.ToString());
        var missing = await ImportAsync(client, "name,mobile\n王,13851234567\n", "text/csv", HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("rows[1].idCardNumber", out _), missing.ToString());
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task An_export_masks_personal_data_and_filters_like_the_search(string format)
    {
        using var client = factory.CreateClient();
        var station = format == "csv" ? "321324117201" : "321324117202";
        var idCard = TestPeople.IdCard();
        var mobile = TestPeople.Mobile();
        await ImportAsync(client, $"{Header}\n{Row("导出甲", idCard, mobile, station)}\n{Row("导出乙", TestPeople.IdCard(), TestPeople.Mobile(), station, categories: "Student")}\n",
            "text/csv", HttpStatusCode.OK);

        var rows = await ExportAsync(client, $"under=321324117&station={station}&category=Cadre&format={format}", format);

        var row = Assert.Single(rows);
        Assert.Equal("导出甲", row["name"]);
        Assert.Equal(IdCardMask(idCard), row["idCardNumber"]);
        Assert.Equal($"{mobile[..3]}****{mobile[^4..]}", row["mobile"]);
        Assert.Equal("Cadre;Teacher", row["categories"]);
        Assert.Equal(station, row["homeStationCode"]);
        Assert.Equal("Pending", row["status"]);
    }

    [Fact]
    public async Task An_admin_may_export_full_mobiles_audited_but_never_full_ID_numbers()
    {
        using var client = factory.CreateClient();
        var idCard = TestPeople.IdCard();
        var mobile = TestPeople.Mobile();
        await ImportAsync(client, $"{Header}\n{Row("全号", idCard, mobile, "321324118201")}\n", "text/csv", HttpStatusCode.OK);

        using var response = await client.GetAsync($"{Path}/export?under=321324118&unmasked=true");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(mobile, text);
        Assert.DoesNotContain(idCard, text);
        Assert.Contains(IdCardMask(idCard), text);
        await factory.PublishedAsync<AuditRecorded>(a => a.Detail != null && a.Detail.Contains("exported unmasked mobile numbers") && a.Detail.Contains("321324118"));
        // Not an admin: the request for unmasked data is refused, the masked export is not.
        using var partner = factory.CreateClient(PracticeMeshRoles.Partner, "321324", ApiScopes.All);
        await partner.GetAsync($"{Path}/export?under=321324118&unmasked=true", HttpStatusCode.Forbidden);
        using var masked = await partner.GetAsync($"{Path}/export?under=321324118");
        var maskedText = await masked.Content.ReadAsStringAsync();
        Assert.DoesNotContain(mobile, maskedText);
        Assert.DoesNotContain(idCard, maskedText);
    }

    [Fact]
    public async Task An_export_stops_at_the_callers_division_and_an_unknown_format_is_400()
    {
        using var client = factory.CreateClient();
        await ImportAsync(client, $"{Header}\n{Row("范围甲", TestPeople.IdCard(), TestPeople.Mobile(), "321324119201")}\n{Row("范围乙", TestPeople.IdCard(), TestPeople.Mobile(), "321324120201")}\n",
            "text/csv", HttpStatusCode.OK);
        using var township = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324119");

        var rows = await ExportAsync(township, "under=321324", "csv");

        Assert.Equal(["范围甲"], rows.Select(r => r["name"]));
        var problem = await client.GetAsync($"{Path}/export?format=pdf", HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("format", out _), problem.ToString());
    }

    private static string IdCardMask(string idCard) => $"{idCard[..4]}**********{idCard[^4..]}";

    private static Dictionary<string, object> Cells(string name, string idCard, string mobile, string station) => new()
    {
        ["name"] = name, ["idCardNumber"] = idCard, ["mobile"] = mobile, ["politicalStatus"] = "LeagueMember",
        ["categories"] = "LeagueApplicant", ["skills"] = "", ["homeStationCode"] = station,
    };

    private static byte[] Workbook(params Dictionary<string, object>[] rows)
    {
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, rows.ToList());
        return stream.ToArray();
    }

    private static async Task<List<Dictionary<string, string?>>> ExportAsync(HttpClient client, string query, string format)
    {
        using var response = await client.GetAsync($"{Path}/export?{query}");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(bytes));
        Assert.Equal(format == "csv" ? "text/csv" : Xlsx, response.Content.Headers.ContentType?.MediaType);
        if (format == "xlsx")
        {
            return MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: true).Cast<IDictionary<string, object?>>()
                .Select(r => r.ToDictionary(c => c.Key, c => c.Value?.ToString())).ToList();
        }
        // The export's cells hold no commas or quotes here, so a split reads it.
        var lines = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(c => c.First, c => (string?)c.Second)).ToList();
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
