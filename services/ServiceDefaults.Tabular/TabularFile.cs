using System.Globalization;
using CsvHelper;
using Microsoft.AspNetCore.Http;
using MiniExcelLibs;

namespace PracticeMesh.ServiceDefaults.Tabular;

/// <summary>One data row of an imported file: its row number as a spreadsheet shows it, and its cells by column.</summary>
public sealed record ImportRow(int Row, IReadOnlyDictionary<string, string?> Cells);

/// <summary>
/// Reads CSV and XLSX imports into rows keyed by the import's own column names (header cells matched
/// case-insensitively, unknown columns ignored), so every importing service validates rows the same way.
/// </summary>
public static class TabularFile
{
    public const string CsvType = "text/csv";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>
    /// Reads an import from a request body sent as CSV (<c>text/csv</c> or <c>application/csv</c>) or XLSX. Returns
    /// null for any other content type (the caller answers 415); a file over <paramref name="maxBytes"/> is a 400.
    /// </summary>
    public static async Task<(List<string> Header, List<ImportRow> Rows)?> ReadRequestAsync(
        HttpRequest request, IReadOnlyList<string> columnsKnown, long maxBytes, CancellationToken cancellationToken)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not (CsvType or "application/csv" or XlsxType))
        {
            return null;
        }
        var tooLarge = $"A file has at most {maxBytes / 1024 / 1024} MB.";
        if (request.ContentLength > maxBytes)
        {
            throw new DomainValidationException("file", tooLarge);
        }
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        if (body.Length > maxBytes)
        {
            throw new DomainValidationException("file", tooLarge);
        }
        body.Position = 0;
        return mediaType == XlsxType ? ReadXlsx(body, columnsKnown) : ReadCsv(body, columnsKnown);
    }

    /// <summary>The problem-details key of a cell: <c>rows[7].kind</c>.</summary>
    public static string ErrorKey(int row, string column) => $"rows[{row}].{column}";

    public static (List<string> Header, List<ImportRow> Rows) ReadCsv(Stream body, IReadOnlyList<string> columnsKnown)
    {
        try
        {
            using var reader = CsvReader.Create(body, new CsvReaderOptions(), leaveOpen: true);
            reader.ReadHeader();
            var header = reader.Headers.Select(h => h.Trim()).ToList();
            var columns = Canonical(header, columnsKnown);
            var rows = new List<ImportRow>();
            while (reader.Read())
            {
                // Row 1 is the header, so the first record is row 2.
                var row = (int)reader.RowNumber + 1;
                if (reader.FieldCount != header.Count)
                {
                    throw new DomainValidationException(ErrorKey(row, columnsKnown[0]),
                        $"Row {row} has {reader.FieldCount} fields; the header has {header.Count}.");
                }
                var cells = new Dictionary<string, string?>(StringComparer.Ordinal);
                for (var i = 0; i < header.Count; i++)
                {
                    if (columns[i] is { } column)
                    {
                        cells[column] = reader.GetStringOrNull(i);
                    }
                }
                rows.Add(new ImportRow(row, cells));
            }
            return (header, rows);
        }
        catch (Exception ex) when (ex is not (DomainValidationException or OperationCanceledException))
        {
            throw new DomainValidationException("file", $"The file is not readable CSV: {ex.Message}");
        }
    }

    public static (List<string> Header, List<ImportRow> Rows) ReadXlsx(Stream body, IReadOnlyList<string> columnsKnown)
    {
        try
        {
            var records = MiniExcel.Query(body, useHeaderRow: true, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
            var header = records.FirstOrDefault()?.Keys.Select(k => k.Trim()).ToList() ?? [];
            var columns = Canonical(header, columnsKnown);
            var rows = records.Select((record, index) =>
            {
                var cells = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var (key, column) in record.Keys.Zip(columns))
                {
                    if (column is not null)
                    {
                        cells[column] = Convert.ToString(record[key], CultureInfo.InvariantCulture);
                    }
                }
                return new ImportRow(index + 2, cells);
            }).Where(r => r.Cells.Values.Any(v => !string.IsNullOrWhiteSpace(v))).ToList();
            return (header, rows);
        }
        catch (Exception ex) when (ex is not (DomainValidationException or OperationCanceledException))
        {
            throw new DomainValidationException("file", $"The file is not a readable XLSX workbook: {ex.Message}");
        }
    }

    /// <summary>Maps each header cell to the import column it names (case-insensitive), or null for a column the import ignores.</summary>
    private static List<string?> Canonical(List<string> header, IReadOnlyList<string> columnsKnown) =>
        header.Select(h => columnsKnown.FirstOrDefault(c => string.Equals(c, h, StringComparison.OrdinalIgnoreCase))).ToList();
}
