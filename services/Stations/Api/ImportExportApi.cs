using System.Globalization;
using System.Text;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.ServiceDefaults.Tabular;
using PracticeMesh.Stations.Data;
using PracticeMesh.Stations.Domain;

namespace PracticeMesh.Stations.Api;

public sealed record ImportResult(int Created, int Updated, int Unchanged);

/// <summary>Bulk import and export of a county's station list, as CSV or XLSX, with the same columns both ways.</summary>
public static class ImportExportApi
{
    public const string CsvType = TabularFile.CsvType;
    public const string XlsxType = TabularFile.XlsxType;
    private const long MaxBytes = 10 * 1024 * 1024;

    public static RouteGroupBuilder MapImportExportApi(this RouteGroupBuilder api)
    {
        api.MapPost("/import", ImportAsync).WithName("ImportStations")
            .WithSummary("Import a station list (CSV or XLSX body): every row checked, all or nothing, errors named by row and column")
            .WithDescription($"Columns: {string.Join(",", StationImport.Columns)} (code, name and kind required; a column left out keeps what a site has). Example CSV:\ncode,name,kind\n321324104,青阳镇新时代文明实践所,Institute\n321324104201-S01,青阳中学实践站,School\nAn existing site with the same values is unchanged, so importing a file twice changes nothing. Errors are keyed rows[N].column.")
            .Accepts<string>(CsvType, XlsxType)
            .RequireAuthorization(ApiScopes.StationsWrite);
        api.MapGet("/export", ExportAsync).WithName("ExportStations")
            .WithSummary("Export the sites under a prefix as CSV or XLSX, in the import's columns")
            .WithDescription("Example: ?under=321324&format=xlsx (format csv by default).")
            .Produces<byte[]>(StatusCodes.Status200OK, CsvType, XlsxType)
            .RequireAuthorization(ApiScopes.StationsRead);
        return api;
    }

    public static async Task<Results<Ok<ImportResult>, StatusCodeHttpResult>> ImportAsync(
        HttpRequest request, StationsDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (await TabularFile.ReadRequestAsync(request, StationImport.Columns, MaxBytes, cancellationToken) is not { } file)
        {
            return TypedResults.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }
        var (header, rows) = file;

        var counties = rows.Select(r => r.Cells.GetValueOrDefault("code")?.Trim())
            .Where(c => c is { Length: >= 6 } && c[..6].All(char.IsAsciiDigit)).Select(c => c![..6]).Distinct().ToList();
        var existing = new Dictionary<string, Station>(StringComparer.Ordinal);
        foreach (var county in counties)
        {
            foreach (var station in await db.Stations.Where(s => s.Code.StartsWith(county)).ToListAsync(cancellationToken))
            {
                existing[station.Code] = station;
            }
        }
        var plan = StationImport.Plan(header, rows, existing, caller.Covers, now);

        foreach (var station in plan.Created)
        {
            db.Stations.Add(station);
            db.AddEvent(station.ToRegisteredEvent(now), now);
        }
        foreach (var station in plan.Updated)
        {
            db.AddEvent(station.ToUpdatedEvent(now), now);
        }
        foreach (var county in plan.Created.Concat(plan.Updated).Select(s => s.DivisionCode.County.Value).Distinct())
        {
            await StationTreeCache.BumpAsync(db, county, now, cancellationToken);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new ConflictException("Another request registered some of these sites meanwhile; import the file again.");
        }
        return TypedResults.Ok(new ImportResult(plan.Created.Count, plan.Updated.Count, plan.Unchanged));
    }

    public static async Task<FileContentHttpResult> ExportAsync(string? under, string? format, StationsDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var xlsx = format?.Trim().ToLowerInvariant() switch
        {
            null or "" or "csv" => false,
            "xlsx" => true,
            _ => throw new DomainValidationException("format", "The format is csv or xlsx."),
        };
        var prefix = caller.ListPrefix(under);
        var stations = prefix is null
            ? []
            : await db.Stations.AsNoTracking().Where(s => s.Code.StartsWith(prefix)).OrderBy(s => s.Code).ToListAsync(cancellationToken);
        var name = $"stations-{prefix ?? under}";
        using var output = new MemoryStream();
        if (xlsx)
        {
            var sheet = stations.Select(s => StationImport.Columns.Zip(StationImport.ExportCells(s))
                .ToDictionary(c => c.First, c => (object?)c.Second)).ToList();
            if (sheet.Count == 0)
            {
                // An empty sheet still carries the header, so it can be filled in and imported.
                sheet.Add(StationImport.Columns.ToDictionary(c => c, _ => (object?)null));
            }
            await MiniExcel.SaveAsAsync(output, sheet, cancellationToken: cancellationToken);
            return TypedResults.File(output.ToArray(), XlsxType, name + ".xlsx");
        }
        using (var writer = CsvWriter.Create(output, new CsvWriterOptions(), leaveOpen: true))
        {
            writer.WriteHeader([.. StationImport.Columns]);
            foreach (var station in stations)
            {
                writer.WriteRecord(StationImport.ExportCells(station).Select(c => c ?? "").ToArray());
            }
            writer.Flush();
        }
        return TypedResults.File(output.ToArray(), CsvType + "; charset=utf-8", name + ".csv");
    }
}
