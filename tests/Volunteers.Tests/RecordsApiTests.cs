using System.Net;
using System.Text;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.TestSupport;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>Service-record certificates with anonymous verification; trainings and commendations.</summary>
public sealed class RecordsApiTests(VolunteersFactory factory) : IClassFixture<VolunteersFactory>
{
    private const string Path = VolunteerClient.Path;

    [Fact]
    public async Task A_certificate_is_a_pdf_with_a_serial_that_anyone_can_verify_with_its_code_seeing_masked_data_only()
    {
        using var admin = factory.CreateClient();
        var id = await admin.RegisterApprovedAsync("欧阳娜娜");
        var idCard = (await admin.GetAsync($"{Path}/{id}/personal-data", HttpStatusCode.OK)).GetProperty("idCardNumber").GetString()!;
        await admin.PostAsync($"{Path}/{id}/hours/credits", new { hours = 3, servedOn = "2026-02-10", reason = "补录" }, HttpStatusCode.Created);
        await admin.PostAsync($"{Path}/{id}/hours/credits", new { hours = 2, servedOn = "2026-03-01", reason = "补录" }, HttpStatusCode.Created);

        var issued = await admin.PostAsync($"{Path}/{id}/certificates", new { from = "2026-01-01", to = "2026-02-28" }, HttpStatusCode.Created);
        var serial = issued.GetProperty("serial").GetString()!;
        var code = issued.GetProperty("verificationCode").GetString()!;
        Assert.Equal(3m, issued.GetProperty("totalHours").GetDecimal());
        Assert.StartsWith("321324-2026-", serial);

        using var response = await admin.GetAsync(issued.GetProperty("pdfUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pdf = await response.Content.ReadAsByteArrayAsync();
        var text = Encoding.ASCII.GetString(pdf);
        Assert.StartsWith("%PDF-1.4", text);
        Assert.EndsWith("%%EOF\n", text);
        Assert.Contains("STSong-Light", text);
        Assert.DoesNotContain(Hex(idCard), text);
        Assert.Contains(Hex(serial), text);

        using var anonymous = factory.CreateAnonymousClient();
        var verified = await anonymous.GetAsync($"{Path}/certificates/verify?serial={serial}&code={code.ToLowerInvariant()}", HttpStatusCode.OK);
        Assert.Equal("欧***", verified.GetProperty("name").GetString());
        Assert.Equal($"{idCard[..4]}**********{idCard[^4..]}", verified.GetProperty("idCardNumber").GetString());
        Assert.Equal(3m, verified.GetProperty("totalHours").GetDecimal());
        Assert.DoesNotContain(idCard, verified.ToString());
        await anonymous.GetAsync($"{Path}/certificates/verify?serial={serial}&code=WRONGCODE2", HttpStatusCode.NotFound);
        await anonymous.GetAsync($"{Path}/certificates/verify?serial=321324-2026-NOTHERE0&code={code}", HttpStatusCode.NotFound);
        await anonymous.GetAsync($"{Path}/certificates/verify", HttpStatusCode.NotFound);
        // Anonymous callers reach nothing else.
        using var refused = await anonymous.GetAsync($"{Path}/{id}");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private static string Hex(string text) => string.Concat(text.Select(c => ((int)c).ToString("X4")));

    [Fact]
    public async Task Certificates_are_refused_for_bad_periods_pending_volunteers_and_outside_the_division()
    {
        using var admin = factory.CreateClient();
        var id = await admin.RegisterApprovedAsync();
        var pending = await admin.RegisterAsync("待审");
        using var otherTownship = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");

        await admin.PostAsync($"{Path}/{id}/certificates", new { from = "2026-03-01", to = "2026-02-01" }, HttpStatusCode.BadRequest);
        await admin.PostAsync($"{Path}/{id}/certificates", new { from = "2026-03-01", to = "2027-01-01" }, HttpStatusCode.BadRequest);
        await admin.PostAsync($"{Path}/{id}/certificates", new { to = "2026-02-01" }, HttpStatusCode.BadRequest);
        await admin.PostAsync($"{Path}/{pending}/certificates", new { from = "2026-01-01", to = "2026-02-01" }, HttpStatusCode.Conflict);
        await otherTownship.PostAsync($"{Path}/{id}/certificates", new { from = "2026-01-01", to = "2026-02-01" }, HttpStatusCode.NotFound);
        await admin.GetAsync($"{Path}/{id}/certificates/{Guid.NewGuid()}/pdf", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Trainings_and_commendations_are_recorded_per_volunteer()
    {
        using var admin = factory.CreateClient();
        var id = await admin.RegisterApprovedAsync();

        await admin.PostAsync($"{Path}/{id}/trainings", new { title = "应急救护培训", issuer = "县红十字会", on = "2026-02-20" }, HttpStatusCode.Created);
        await admin.PostAsync($"{Path}/{id}/commendations", new { title = "优秀志愿者", issuer = "县文明办", on = "2026-01-15" }, HttpStatusCode.Created);
        await admin.PostAsync($"{Path}/{id}/trainings", new { title = " ", on = "2026-02-20" }, HttpStatusCode.BadRequest);
        await admin.PostAsync($"{Path}/{id}/trainings", new { title = "未来", on = "2027-02-20" }, HttpStatusCode.BadRequest);

        var trainings = await admin.GetAsync($"{Path}/{id}/trainings", HttpStatusCode.OK);
        Assert.Equal("应急救护培训", trainings.EnumerateArray().Single().GetProperty("title").GetString());
        var commendations = await admin.GetAsync($"{Path}/{id}/commendations", HttpStatusCode.OK);
        Assert.Equal("优秀志愿者", commendations.EnumerateArray().Single().GetProperty("title").GetString());
        using var otherTownship = factory.CreateClient(PracticeMeshRoles.TownshipAdmin, "321324105");
        await otherTownship.GetAsync($"{Path}/{id}/trainings", HttpStatusCode.NotFound);
    }
}
