using System.Net;
using System.Net.Http.Headers;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;
using static PracticeMesh.Activities.Tests.Feed;

namespace PracticeMesh.Activities.Tests;

/// <summary>Records (资料留存): the summary, attachments within the configured types and size, and the sign-in sheet as XLSX.</summary>
public sealed class RecordsTests(SmallRecordsFactory factory) : IClassFixture<SmallRecordsFactory>
{
    private const string Station = "321324104251";
    private readonly Feed _feed = new(factory);

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 9, 8, 7, 6];

    private string StoreFolder => Path.Combine(factory.DataDirectory, "records");

    private int FilesKept => Directory.Exists(StoreFolder) ? Directory.GetFiles(StoreFolder, "*", SearchOption.AllDirectories).Length : 0;

    private static ByteArrayContent Raw(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    [Fact]
    public async Task A_station_admin_keeps_a_summary_and_photos_and_refused_files_leave_nothing_behind()
    {
        using var admin = factory.CreateClient(PracticeMeshRoles.StationAdmin, Station);
        using var volunteer = factory.CreateClient(PracticeMeshRoles.Volunteer, Station);
        using var otherTownship = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");
        await _feed.StationAsync(Station);
        var activity = await _feed.ActivityAsync(admin, factory.Clock.GetUtcNow().AddDays(3), station: Station);
        var records = $"{Route}/{activity}/records";

        await admin.SendJsonAsync(HttpMethod.Put, $"{records}/summary", new { summary = "到场群众35人, 宣讲惠民政策" }, HttpStatusCode.OK);
        AssertNamesField(await admin.SendJsonAsync(HttpMethod.Put, $"{records}/summary", new { summary = " " }, HttpStatusCode.BadRequest), "summary");

        var photo = await admin.SendAsync(HttpMethod.Post, $"{records}/attachments?fileName=现场.png", Raw(Png, "image/png"), HttpStatusCode.Created);
        using var form = new MultipartFormDataContent { { Raw(Jpeg, "image/jpeg"), "file", "签到表.jpg" } };
        var sheet = await admin.SendAsync(HttpMethod.Post, $"{records}/attachments?kind=SignInSheet", form, HttpStatusCode.Created);
        Assert.Equal(("签到表.jpg", "SignInSheet", 8L), (sheet.GetProperty("fileName").GetString(), sheet.GetProperty("kind").GetString(),
            sheet.GetProperty("size").GetInt64()));

        // Refused: a type not allowed, bytes that are not what they claim, a file over the limit, no file name; none is kept.
        await admin.SendAsync(HttpMethod.Post, $"{records}/attachments?fileName=a.txt", Raw("hello"u8.ToArray(), "text/plain"), HttpStatusCode.UnsupportedMediaType);
        await admin.SendAsync(HttpMethod.Post, $"{records}/attachments?fileName=a.png", Raw("%PDF-1.7"u8.ToArray(), "image/png"), HttpStatusCode.UnsupportedMediaType);
        var big = new byte[SmallRecordsFactory.MaxBytes + 1];
        Png.CopyTo(big, 0);
        await admin.SendAsync(HttpMethod.Post, $"{records}/attachments?fileName=big.png", Raw(big, "image/png"), HttpStatusCode.RequestEntityTooLarge);
        AssertNamesField(await admin.SendAsync(HttpMethod.Post, $"{records}/attachments", Raw(Png, "image/png"), HttpStatusCode.BadRequest), "fileName");
        await volunteer.SendAsync(HttpMethod.Post, $"{records}/attachments?fileName=v.png", Raw(Png, "image/png"), HttpStatusCode.Forbidden);
        await otherTownship.SendAsync(HttpMethod.Post, $"{records}/attachments?fileName=o.png", Raw(Png, "image/png"), HttpStatusCode.NotFound);
        Assert.Equal(2, FilesKept);

        var listed = await admin.GetAsync(records, HttpStatusCode.OK);
        Assert.Equal("到场群众35人, 宣讲惠民政策", listed.GetProperty("summary").GetString());
        Assert.Equal(["现场.png", "签到表.jpg"], listed.GetProperty("attachments").EnumerateArray().Select(a => a.GetProperty("fileName").GetString()));

        var photoPath = $"{records}/attachments/{photo.GetProperty("id").GetGuid()}";
        using (var download = await volunteer.GetAsync(photoPath))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Png, await download.Content.ReadAsByteArrayAsync());
        }
        await volunteer.SendAsync(HttpMethod.Delete, photoPath, null, HttpStatusCode.Forbidden);
        await admin.SendAsync(HttpMethod.Delete, photoPath, null, HttpStatusCode.NoContent);
        await admin.GetAsync(photoPath, HttpStatusCode.NotFound);
        Assert.Equal(1, FilesKept);
        Assert.Single((await admin.GetAsync(records, HttpStatusCode.OK)).GetProperty("attachments").EnumerateArray());
    }

    [Fact]
    public async Task The_sign_in_sheet_exports_who_signed_up_checked_in_and_out_and_their_hours()
    {
        using var admin = factory.CreateClient();
        await _feed.StationAsync(Station);
        var (present, absent) = (await _feed.VolunteerAsync(Station), await _feed.VolunteerAsync(Station));
        var startsAt = factory.Clock.GetUtcNow().AddDays(3);
        var activity = await _feed.ActivityAsync(admin, startsAt, station: Station);
        await admin.PostAsync($"{Route}/{activity}/sign-ups", new { volunteerId = present }, HttpStatusCode.OK);
        await admin.PostAsync($"{Route}/{activity}/sign-ups", new { volunteerId = absent }, HttpStatusCode.OK);
        await Scheduling.HoldAsync(factory, admin, activity, startsAt, present: present);

        using var response = await admin.GetAsync($"{Route}/{activity}/sign-in-sheet");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var xlsx = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = MiniExcelLibs.MiniExcel.Query(xlsx, useHeaderRow: true).Cast<IDictionary<string, object?>>()
            .ToDictionary(r => Guid.Parse((string)r["volunteerId"]!));
        Assert.Equal(2, rows.Count);
        Assert.Equal("王芳", rows[present]["volunteer"]);
        Assert.Equal(1m, Convert.ToDecimal(rows[present]["hours"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(rows[present]["checkedInAt"]);
        Assert.NotNull(rows[present]["checkedOutAt"]);
        Assert.Null(rows[absent]["checkedInAt"]);
        Assert.Null(rows[absent]["hours"]);
    }
}
