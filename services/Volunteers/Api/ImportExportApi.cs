using System.Globalization;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.ServiceDefaults.Tabular;
using PracticeMesh.Volunteers.Data;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Api;

/// <param name="Created">Volunteers registered by this import (pending review, like any registration).</param>
/// <param name="AlreadyRegistered">Rows whose person (by ID number) was already registered; left as they are.</param>
public sealed record VolunteerImportResult(int Created, int AlreadyRegistered);

/// <summary>
/// Bulk import of volunteers from CSV or XLSX, and export of a search as CSV or XLSX. The file handling follows the
/// stations registry's import (same content types, size limit, errors keyed rows[N].column).
/// </summary>
public static class ImportExportApi
{
    public const string CsvType = TabularFile.CsvType;
    public const string XlsxType = TabularFile.XlsxType;
    private const long MaxBytes = 10 * 1024 * 1024;

    public static void MapImportExportApi(this RouteGroupBuilder api)
    {
        api.MapPost("/import", ImportAsync).WithName("ImportVolunteers")
            .WithSummary("Import volunteers (CSV or XLSX body): every row checked, all or nothing, errors named by row and column")
            .WithDescription($"Columns: {string.Join(",", VolunteerImport.Columns)} (categories and skills separated by ';'). Example CSV:\nname,idCardNumber,mobile,politicalStatus,categories,skills,homeStationCode\n王芳,321324199003070025,13851234567,PartyMember,Cadre;Teacher,政策宣讲,321324104201\nEach imported volunteer is registered pending review. A person already registered (by ID number) is left as they are, so importing a file twice changes nothing. Errors are keyed rows[N].column.")
            .Accepts<string>(CsvType, XlsxType)
            .RequireAuthorization(ApiScopes.VolunteersWrite);
        api.MapGet("/export", ExportAsync).WithName("ExportVolunteers")
            .WithSummary("Export the volunteers a search finds as CSV or XLSX; ID numbers always masked, mobiles masked unless an admin asks otherwise")
            .WithDescription($"Example: ?under=321324104&category=Cadre&status=Approved&format=xlsx (format csv by default; the search's filters q, station, teamId, category, status). Columns: {string.Join(",", VolunteerImport.ExportColumns)}. unmasked=true (admins only, audited) gives full mobile numbers; full ID numbers never leave in an export.")
            .Produces<byte[]>(StatusCodes.Status200OK, CsvType, XlsxType)
            .RequireAuthorization(ApiScopes.VolunteersRead);
    }

    public static async Task<Results<Ok<VolunteerImportResult>, StatusCodeHttpResult>> ImportAsync(HttpRequest request, VolunteersDbContext db,
        Caller caller, PersonalDataProtector protector, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (await TabularFile.ReadRequestAsync(request, VolunteerImport.Columns, MaxBytes, cancellationToken) is not { } file)
        {
            return TypedResults.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }
        var (header, rows) = file;

        var candidates = VolunteerImport.Check(header, rows, caller.EnsureMayCreateIn, protector, now);
        // County-wide, whatever the caller's scope, as registration does; the answer names nobody.
        var registered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in candidates.Select(c => c.Volunteer.IdCardHash).Chunk(1000))
        {
            registered.UnionWith(await db.Volunteers.Where(v => chunk.Contains(v.IdCardHash)).Select(v => v.IdCardHash).ToListAsync(cancellationToken));
        }
        var created = candidates.Where(c => !registered.Contains(c.Volunteer.IdCardHash)).Select(c => c.Volunteer).ToList();
        foreach (var volunteer in created)
        {
            db.Volunteers.Add(volunteer);
            db.AddEvent(volunteer.ToRegisteredEvent(now), now);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new ConflictException("Another request registered some of these people meanwhile; import the file again.");
        }
        return TypedResults.Ok(new VolunteerImportResult(created.Count, candidates.Count - created.Count));
    }

    public static async Task<FileContentHttpResult> ExportAsync(HttpContext http, VolunteersDbContext db, Caller caller, PersonalDataProtector protector,
        TimeProvider time, string? under, string? format, bool? unmasked, string? q, string? station, Guid? teamId, VolunteerCategory? category,
        VolunteerStatus? status, CancellationToken cancellationToken)
    {
        var xlsx = format?.Trim().ToLowerInvariant() switch
        {
            null or "" or "csv" => false,
            "xlsx" => true,
            _ => throw new DomainValidationException("format", "The format is csv or xlsx."),
        };
        var full = unmasked == true;
        if (full && (caller.Role is not { } role || !PracticeMeshRoles.Admins.Contains(role)))
        {
            throw new ForbiddenException("Only a county, township or station admin may export unmasked mobile numbers.");
        }
        var prefix = caller.ListPrefix(under);
        var volunteers = prefix is null
            ? []
            : await VolunteersApi.Filter(db, prefix, q, station, teamId, category, status)
                .OrderBy(v => v.DivisionCode).ThenBy(v => v.Name).ThenBy(v => v.Id).ToListAsync(cancellationToken);
        if (full)
        {
            // The admin's scope covers every volunteer listed (the list stops at it); the view is recorded before the data leaves.
            var now = time.GetUtcNow();
            db.AddEvent(AuditTrail.Record(http, "volunteers", now,
                $"exported unmasked mobile numbers of {volunteers.Count} volunteers under {prefix ?? under}"), now);
            await db.SaveChangesAsync(cancellationToken);
        }
        var cells = volunteers.Select(v => VolunteerImport.ExportCells(v, full ? v.RevealMobile(protector) : null));
        var name = $"volunteers-{prefix ?? under}";
        using var output = new MemoryStream();
        if (xlsx)
        {
            var sheet = cells.Select(row => VolunteerImport.ExportColumns.Zip(row).ToDictionary(c => c.First, c => (object?)c.Second)).ToList();
            if (sheet.Count == 0)
            {
                sheet.Add(VolunteerImport.ExportColumns.ToDictionary(c => c, _ => (object?)null));
            }
            await MiniExcel.SaveAsAsync(output, sheet, cancellationToken: cancellationToken);
            return TypedResults.File(output.ToArray(), XlsxType, name + ".xlsx");
        }
        using (var writer = CsvWriter.Create(output, new CsvWriterOptions(), leaveOpen: true))
        {
            writer.WriteHeader([.. VolunteerImport.ExportColumns]);
            foreach (var row in cells)
            {
                writer.WriteRecord(row.Select(c => c ?? "").ToArray());
            }
            writer.Flush();
        }
        return TypedResults.File(output.ToArray(), CsvType + "; charset=utf-8", name + ".csv");
    }
}
