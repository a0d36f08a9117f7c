using System.Globalization;
using CsvHelper;
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
