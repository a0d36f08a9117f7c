using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Activities.Lifecycle;
using PracticeMesh.Activities.Shared;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.ServiceDefaults.Tabular;

namespace PracticeMesh.Activities.Records;

public sealed record SummaryRequest(string? Summary);

public sealed record AttachmentResponse(Guid Id, AttachmentKind Kind, string FileName, string ContentType, long Size, DateTimeOffset UploadedAt)
{
    public static AttachmentResponse From(RecordAttachment a) => new(a.Id, a.Kind, a.FileName, a.ContentType, a.Size, a.UploadedAt);
}

public sealed record RecordResponse(Guid ActivityId, string? Summary, DateTimeOffset? SummaryUpdatedAt, IReadOnlyList<AttachmentResponse> Attachments);

/// <summary>
/// Records (资料留存): an activity's summary and its attachments (photos, sign-in sheets), and the sign-in sheet
/// exported as XLSX from the attendance itself.
/// </summary>
public static class RecordsApi
{
    /// <summary>The longest summary kept.</summary>
    public const int MaxSummaryLength = 5000;

    public static RouteGroupBuilder MapRecordsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{id:guid}/records", GetAsync).WithName("GetActivityRecords")
            .WithSummary("An activity's summary and the list of its attachments").RequireAuthorization(ApiScopes.ActivitiesRead);
        api.MapPut("/{id:guid}/records/summary", PutSummaryAsync).WithName("PutActivitySummary")
            .WithRequestExample("""{"summary":"到场群众35人, 宣讲党的二十届四中全会精神"}""")
            .WithSummary("Keep (or replace) the activity's summary").RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapPost("/{id:guid}/records/attachments", UploadAsync).WithName("UploadActivityAttachment")
            .WithSummary("Attach a file: multipart/form-data (one file) or the raw body with ?fileName=; ?kind=Photo|SignInSheet|Other")
            .WithDescription("Allowed types and the size limit come from Activities:RecordContentTypes and Activities:RecordMaxBytes; another type is 415, a larger file 413, and nothing is kept.")
            .DisableAntiforgery().RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapGet("/{id:guid}/records/attachments/{attachmentId:guid}", DownloadAsync).WithName("DownloadActivityAttachment")
            .RequireAuthorization(ApiScopes.ActivitiesRead);
        api.MapDelete("/{id:guid}/records/attachments/{attachmentId:guid}", DeleteAsync).WithName("DeleteActivityAttachment")
            .RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapGet("/{id:guid}/sign-in-sheet", SignInSheetAsync).WithName("ExportSignInSheet")
            .WithSummary("The sign-in sheet (签到表) as XLSX: who signed up, checked in and out, and the hours credited")
            .RequireAuthorization(ApiScopes.ActivitiesRead);
        return api;
    }

    public static async Task<Ok<RecordResponse>> GetAsync(Guid id, [AsParameters] ActivityServices s)
    {
        await EnsureActivityAsync(s, id);
        var record = await s.Db.ActivityRecords.AsNoTracking().SingleOrDefaultAsync(r => r.ActivityId == id, s.CancellationToken);
        var attachments = await s.Db.RecordAttachments.AsNoTracking().Where(a => a.ActivityId == id).ToListAsync(s.CancellationToken);
        return TypedResults.Ok(new RecordResponse(id, record?.Summary, record?.UpdatedAt,
            attachments.OrderBy(a => a.UploadedAt).Select(AttachmentResponse.From).ToList()));
    }

    public static async Task<Ok<RecordResponse>> PutSummaryAsync(Guid id, SummaryRequest request, [AsParameters] ActivityServices s)
    {
        await EnsureActivityAsync(s, id);
        var summary = request.Summary?.Trim() ?? "";
        if (summary.Length is 0 or > MaxSummaryLength)
        {
            throw new DomainValidationException("summary", $"A summary of 1 to {MaxSummaryLength} characters is required.");
        }
        var now = s.Time.GetUtcNow();
        var record = await s.Db.ActivityRecords.SingleOrDefaultAsync(r => r.ActivityId == id, s.CancellationToken);
        if (record is null)
        {
            record = new ActivityRecord { ActivityId = id };
            s.Db.ActivityRecords.Add(record);
        }
        record.Summary = summary;
        record.UpdatedAt = now;
        await s.Db.SaveChangesAsync(s.CancellationToken);
        return await GetAsync(id, s);
    }

    public static async Task<IResult> UploadAsync(Guid id, string? kind, string? fileName, [AsParameters] ActivityServices s, IRecordStore store)
    {
        var division = await EnsureActivityAsync(s, id);
        var request = s.Http.Request;
        var attachmentKind = AttachmentKind.Photo;
        if (kind is not null && (!Enum.TryParse(kind, ignoreCase: true, out attachmentKind) || !Enum.IsDefined(attachmentKind)))
        {
            throw new DomainValidationException("kind", "Photo, SignInSheet or Other.");
        }
        var max = s.Options.RecordMaxBytes;
        if (request.ContentLength > (request.HasFormContentType ? max + 64 * 1024 : max))
        {
            return TooLarge(max);
        }
        string? contentType;
        Stream body;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(s.CancellationToken);
            if (form.Files.Count != 1)
            {
                throw new DomainValidationException("file", "Send exactly one file.");
            }
            var file = form.Files[0];
            (contentType, fileName, body) = (file.ContentType, file.FileName, file.OpenReadStream());
        }
        else
        {
            (contentType, body) = (request.ContentType, request.Body);
        }
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is null || !s.Options.RecordContentTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            return Unsupported(s.Options);
        }
        var name = Path.GetFileName(fileName?.Trim() ?? "");
        if (name.Length is 0 or > 200)
        {
            throw new DomainValidationException("fileName", "A file name of 1 to 200 characters is required.");
        }
        // Read whole, at most one byte past the limit: the limit is known before anything is stored.
        using var content = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(buffer, s.CancellationToken)) > 0)
        {
            content.Write(buffer, 0, read);
            if (content.Length > max)
            {
                return TooLarge(max);
            }
        }
        if (content.Length == 0)
        {
            throw new DomainValidationException("file", "The file is empty.");
        }
        if (!LooksLike(mediaType, content.GetBuffer().AsSpan(0, (int)Math.Min(content.Length, 8))))
        {
            // A declared type the bytes do not bear out is refused like a type not allowed.
            return Unsupported(s.Options, $"The file is not {mediaType}.");
        }
        var now = s.Time.GetUtcNow();
        var attachment = new RecordAttachment
        {
            Id = TownshipGuid.New(division, now), ActivityId = id, Kind = attachmentKind, FileName = name, ContentType = mediaType, Size = content.Length,
            UploadedAt = now,
        };
        attachment.StorageKey = $"{id:N}/{attachment.Id:N}";
        content.Position = 0;
        try
        {
            await store.PutAsync(attachment.StorageKey, content, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return StoreUnavailable(s.Http);
        }
        try
        {
            s.Db.RecordAttachments.Add(attachment);
            await s.Db.SaveChangesAsync(s.CancellationToken);
        }
        catch
        {
            // The row was not written, so neither may the file stay: no orphan in the store.
            await ForgetAsync(store, attachment.StorageKey);
            throw;
        }
        return TypedResults.Created($"/api/v1/activities/{id}/records/attachments/{attachment.Id}", AttachmentResponse.From(attachment));
    }

    public static async Task<IResult> DownloadAsync(Guid id, Guid attachmentId, [AsParameters] ActivityServices s, IRecordStore store)
    {
        await EnsureActivityAsync(s, id);
        var attachment = await s.Db.RecordAttachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == attachmentId && a.ActivityId == id, s.CancellationToken)
            ?? throw new NotFoundException($"No attachment {attachmentId}.");
        Stream? content;
        try
        {
            content = await store.GetAsync(attachment.StorageKey, s.CancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return StoreUnavailable(s.Http);
        }
        return content is null
            ? throw new NotFoundException($"The file of attachment {attachmentId} is missing from the record store.")
            : TypedResults.File(content, attachment.ContentType, attachment.FileName);
    }

    public static async Task<NoContent> DeleteAsync(Guid id, Guid attachmentId, [AsParameters] ActivityServices s, IRecordStore store)
    {
        await EnsureActivityAsync(s, id);
        var attachment = await s.Db.RecordAttachments.SingleOrDefaultAsync(a => a.Id == attachmentId && a.ActivityId == id, s.CancellationToken)
            ?? throw new NotFoundException($"No attachment {attachmentId}.");
        s.Db.RecordAttachments.Remove(attachment);
        await s.Db.SaveChangesAsync(s.CancellationToken);
        // The row first: a file left by a failed delete is only unreferenced, never a listed attachment without its file.
        await ForgetAsync(store, attachment.StorageKey);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> SignInSheetAsync(Guid id, [AsParameters] ActivityServices s)
    {
        var activity = await s.Db.FindActivityAsync(id, s.Caller, s.CancellationToken);
        var ids = activity.SignUps.Select(x => x.VolunteerId).ToList();
        var names = await s.Db.Volunteers.AsNoTracking().Where(v => ids.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.DisplayName, s.CancellationToken);
        static string? Local(DateTimeOffset? at) => at?.ToOffset(ChinaTime.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var rows = activity.SignUps.OrderBy(x => x.Position).Select((x, i) => new Dictionary<string, object?>
        {
            ["no"] = i + 1,
            ["volunteer"] = names.GetValueOrDefault(x.VolunteerId),
            ["volunteerId"] = x.VolunteerId.ToString(),
            ["status"] = x.Status.ToString(),
            ["signedUpAt"] = Local(x.SignedUpAt),
            ["checkedInAt"] = Local(x.CheckedInAt),
            ["checkInMethod"] = x.CheckInMethod?.ToString(),
            ["checkedOutAt"] = Local(x.CheckedOutAt),
            ["checkOutMethod"] = x.CheckOutMethod?.ToString(),
            ["hours"] = x.CreditedHours,
            ["note"] = x.AttendanceNote,
        }).ToList();
        var stream = new MemoryStream();
        await MiniExcelLibs.MiniExcel.SaveAsAsync(stream, rows, sheetName: "签到表", cancellationToken: s.CancellationToken);
        return TypedResults.File(stream.ToArray(), TabularFile.XlsxType, $"sign-in-{activity.StartsAt.ToOffset(ChinaTime.Offset):yyyyMMdd}-{id:N}.xlsx");
    }

    /// <summary>The activity's division, when it exists and the caller covers it.</summary>
    private static async Task<DivisionCode> EnsureActivityAsync(ActivityServices s, Guid id)
    {
        var activity = await s.Db.Activities.AsNoTracking().Where(a => a.Id == id).Select(a => new { a.DivisionCode }).SingleOrDefaultAsync(s.CancellationToken);
        if (activity is null || !s.Caller.Covers(activity.DivisionCode))
        {
            throw new NotFoundException($"No activity {id}.");
        }
        return activity.DivisionCode;
    }

    /// <summary>Removes a file no row refers to; if the store refuses, the file stays unreferenced rather than failing the request.</summary>
    private static async Task ForgetAsync(IRecordStore store, string key)
    {
        try
        {
            await store.DeleteAsync(key, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing lists it; a later clean-up of the folder may remove it.
        }
    }

    /// <summary>The record store's disk is full or unreachable: the request may succeed later.</summary>
    private static IResult StoreUnavailable(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "5";
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The record store is unavailable.",
            detail: "Attachments cannot be read or kept just now; retry later.");
    }

    private static IResult TooLarge(long max) => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The file is too large.",
        detail: $"An attachment has at most {max} bytes (Activities:RecordMaxBytes).");

    private static IResult Unsupported(ActivitiesOptions options, string? why = null) => TypedResults.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType, title: "This type of file is not kept.",
        detail: $"{why} Accepted: {string.Join(", ", options.RecordContentTypes)} (Activities:RecordContentTypes).".TrimStart());

    /// <summary>The first bytes of the common record types; a type without a known signature is taken as declared.</summary>
    private static bool LooksLike(string mediaType, ReadOnlySpan<byte> head) => mediaType switch
    {
        "image/jpeg" => head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]),
        "image/png" => head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]),
        "image/webp" => head.StartsWith("RIFF"u8),
        "application/pdf" => head.StartsWith("%PDF"u8),
        TabularFile.XlsxType => head.StartsWith("PK"u8),
        _ => true,
    };
}
