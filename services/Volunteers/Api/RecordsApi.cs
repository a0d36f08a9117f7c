using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Volunteers.Data;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Api;

public sealed record IssueCertificateRequest(DateOnly? From, DateOnly? To);

/// <summary>The issued certificate; the verification code is shown once, here, and stored only as a keyed hash.</summary>
public sealed record IssuedCertificateResponse(Guid Id, string Serial, string VerificationCode, DateOnly From, DateOnly To, decimal TotalHours, string PdfUrl);

/// <summary>What anyone may learn by verifying a certificate: masked identity and the certified figures.</summary>
public sealed record CertificateVerificationResponse(string Serial, string Name, string IdCardNumber, string HomeStationCode, DateOnly From, DateOnly To,
    decimal TotalHours, int Entries, DateTimeOffset IssuedAt);

public sealed record AchievementRequest(string? Title, string? Issuer, DateOnly? On);

public sealed record AchievementResponse(Guid Id, AchievementKind Kind, string Title, string? Issuer, DateOnly On, DateTimeOffset RecordedAt);

/// <summary>Service-record certificates (志愿服务记录证明), trainings and commendations.</summary>
public static class RecordsApi
{
    /// <summary>Who issued a certificate a volunteer took for themselves.</summary>
    public const string SelfIssued = "本人申领 (self-service)";

    public static void MapRecordsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/{id:guid}/certificates", IssueAsync).WithName("IssueServiceRecordCertificate")
            .WithSummary("Issue a service-record certificate for a period; the answer carries the serial and the one-time verification code")
            .WithDescription("Example: {\"from\":\"2026-01-01\",\"to\":\"2026-03-01\"}. An admin issues one for a volunteer their division covers; a volunteer takes their own (also at /me/certificates).")
            .RequireAuthorization(VolunteerPolicies.WriteOrSelf);
        api.MapGet("/{id:guid}/certificates/{certificateId:guid}/pdf", PdfAsync).WithName("GetServiceRecordCertificatePdf")
            .RequireAuthorization(VolunteerPolicies.ReadOrSelf);
        api.MapGet("/certificates/verify", VerifyAsync).WithName("VerifyServiceRecordCertificate")
            .WithSummary("Anyone can check a certificate by serial and verification code; the answer shows masked data only")
            .WithDescription("Example: ?serial=321324-2026-ABCD2345&code=K7M2P9Q4R8. A wrong pair is 404, whichever part is wrong.")
            .AllowAnonymous();
        foreach (var (kind, path) in new[] { (AchievementKind.Training, "trainings"), (AchievementKind.Commendation, "commendations") })
        {
            api.MapPost($"/{{id:guid}}/{path}", (Guid id, AchievementRequest request, VolunteersDbContext db, Caller caller, AcceptedDates dates,
                    TimeProvider time, CancellationToken ct) => RecordAsync(id, kind, request, db, caller, dates, time, ct))
                .WithName($"Record{kind}").WithDescription("Example: {\"title\":\"应急救护培训\",\"issuer\":\"县红十字会\",\"on\":\"2026-02-20\"}.")
                .RequireAuthorization(ApiScopes.VolunteersWrite);
            api.MapGet($"/{{id:guid}}/{path}", (Guid id, VolunteersDbContext db, Caller caller, CancellationToken ct) => ListAsync(id, kind, db, caller, ct))
                .WithName($"List{kind}s").RequireAuthorization(VolunteerPolicies.ReadOrSelf);
        }
    }

    public static async Task<Created<IssuedCertificateResponse>> IssueAsync(Guid id, IssueCertificateRequest request, VolunteersDbContext db, Caller caller,
        PersonalDataProtector protector, AcceptedDates dates, TimeProvider time, CancellationToken cancellationToken)
    {
        dates.Ensure(("from", request.From), ("to", request.To));
        var now = time.GetUtcNow();
        var (volunteer, onBehalf) = await VolunteersApi.FindActingForAsync(id, db, caller, cancellationToken);
        // A volunteer takes their own record of service; for anyone else, an admin issues it (and is audited doing so).
        var issuedBy = onBehalf == OnBehalf.Self ? SelfIssued : VolunteersApi.RequireApprover(caller).Name;
        var entries = request.From is { } from && request.To is { } to
            ? await EntriesAsync(db, volunteer.Id, from, to, cancellationToken)
            : [];
        var (certificate, code) = ServiceRecordCertificate.Issue(volunteer, request.From, request.To, entries, issuedBy, protector, now);
        db.Certificates.Add(certificate);
        await db.SaveChangesAsync(cancellationToken);
        var pdf = $"/api/v1/volunteers/{id}/certificates/{certificate.Id}/pdf";
        return TypedResults.Created(pdf, new IssuedCertificateResponse(certificate.Id, certificate.Serial, code, certificate.From, certificate.To, certificate.TotalHours, pdf));
    }

    public static async Task<FileContentHttpResult> PdfAsync(Guid id, Guid certificateId, VolunteersDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var (volunteer, _) = await VolunteersApi.FindActingForAsync(id, db, caller, cancellationToken);
        var certificate = await db.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Id == certificateId && c.VolunteerId == volunteer.Id, cancellationToken)
            ?? throw new NotFoundException($"No certificate {certificateId}.");
        var entries = await EntriesAsync(db, volunteer.Id, certificate.From, certificate.To, cancellationToken);
        var lines = new List<CertificatePdf.Line>
        {
            new("志愿服务记录证明", 20, 150),
            new("Volunteer Service Record Certificate", 10, 150),
            new($"编号 Serial: {certificate.Serial}"),
            new($"姓名 Name: {volunteer.Name}    身份证号 ID: {certificate.MaskedIdCard}"),
            new($"所属实践站 Home station: {volunteer.HomeStationCode}"),
            new($"期间 Period: {certificate.From:yyyy-MM-dd} — {certificate.To:yyyy-MM-dd}"),
            new($"累计服务时长 Total hours: {certificate.TotalHours:0.##} h    记录 Entries: {certificate.EntryCount}"),
            new("日期 Date        时长 Hours   组织单位 Organiser   类别 Kind", 10),
        };
        lines.AddRange(entries.Select(e => new CertificatePdf.Line(
            $"{ChinaTime.Today(e.ServedOn):yyyy-MM-dd}   {e.Hours,7:0.##}   {e.DivisionCode}   {e.Kind}{(e.ActivityId is { } a ? " " + a.ToString()[..8] : "")}", 9, 10)));
        lines.Add(new($"出具 Issued: {certificate.IssuedAt.ToOffset(ChinaTime.Offset):yyyy-MM-dd} by {certificate.IssuedBy}", 10));
        lines.Add(new("验证 Verify: GET /api/v1/volunteers/certificates/verify?serial=…&code=…", 9));
        return TypedResults.File(CertificatePdf.Render(lines), "application/pdf", $"{certificate.Serial}.pdf");
    }

    public static async Task<Ok<CertificateVerificationResponse>> VerifyAsync(string? serial, string? code, VolunteersDbContext db,
        PersonalDataProtector protector, CancellationToken cancellationToken)
    {
        var certificate = string.IsNullOrWhiteSpace(serial) ? null
            : await db.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Serial == serial.Trim().ToUpperInvariant(), cancellationToken);
        // One answer for an unknown serial and a wrong code, so serials cannot be probed.
        if (certificate is null || !certificate.Verifies(code, protector))
        {
            throw new NotFoundException("No certificate with this serial and verification code.");
        }
        return TypedResults.Ok(new CertificateVerificationResponse(certificate.Serial, certificate.MaskedName, certificate.MaskedIdCard,
            certificate.DivisionCode.Value, certificate.From, certificate.To, certificate.TotalHours, certificate.EntryCount, certificate.IssuedAt));
    }

    public static async Task<Created<AchievementResponse>> RecordAsync(Guid id, AchievementKind kind, AchievementRequest request, VolunteersDbContext db,
        Caller caller, AcceptedDates dates, TimeProvider time, CancellationToken cancellationToken)
    {
        dates.Ensure("on", request.On);
        var volunteer = await VolunteersApi.FindAsync(id, db, caller, cancellationToken);
        var achievement = Achievement.Record(volunteer, kind, request.Title, request.Issuer, request.On, caller.Name ?? caller.Subject, time.GetUtcNow());
        db.Achievements.Add(achievement);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/volunteers/{id}/{(kind == AchievementKind.Training ? "trainings" : "commendations")}", From(achievement));
    }

    public static async Task<Ok<List<AchievementResponse>>> ListAsync(Guid id, AchievementKind kind, VolunteersDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var (volunteer, _) = await VolunteersApi.FindActingForAsync(id, db, caller, cancellationToken);
        var rows = await db.Achievements.AsNoTracking().Where(a => a.VolunteerId == volunteer.Id && a.Kind == kind).OrderBy(a => a.On).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(From).ToList());
    }

    private static AchievementResponse From(Achievement a) => new(a.Id, a.Kind, a.Title, a.Issuer, a.On, a.RecordedAt);

    private static async Task<List<HourLedgerEntry>> EntriesAsync(VolunteersDbContext db, Guid volunteerId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var start = ChinaTime.Day(from).Start;
        var end = ChinaTime.Day(to).End;
        return await db.HourLedger.AsNoTracking().Where(e => e.VolunteerId == volunteerId && e.ServedOn >= start && e.ServedOn < end)
            .OrderBy(e => e.ServedOn).ToListAsync(cancellationToken);
    }
}
