using System.Data;
using CsvHelper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using MiniExcelLibs;

namespace PracticeMesh.ServiceDefaults.Tabular;

/// <summary>The formats a table is exported in.</summary>
public enum TabularFormat { Csv, Xlsx }

/// <summary>
/// Writes a table (column headers, then rows of values) as CSV or XLSX, for every report a service offers for
/// download. CSV is UTF-8 with a byte order mark, which is how Excel knows the file is UTF-8 and shows Chinese
/// headers rather than mojibake; text that a spreadsheet would run as a formula is escaped. Numbers stay numbers in
/// both (invariant culture in CSV, numeric cells in XLSX), so the sheets can be summed and charted.
/// </summary>
public static class TabularExport
{
    /// <summary>The format a query names (<c>csv</c>, the default, or <c>xlsx</c>), or a 400 naming <paramref name="field"/>.</summary>
    public static TabularFormat ParseFormat(string? format, string field = "format") => format?.Trim().ToLowerInvariant() switch
    {
        null or "" or "csv" => TabularFormat.Csv,
        "xlsx" => TabularFormat.Xlsx,
        _ => throw new DomainValidationException(field, "The format is csv or xlsx."),
    };

    /// <summary>The table as a download named <paramref name="name"/> plus the format's extension.</summary>
    public static async Task<FileContentHttpResult> FileAsync(TabularFormat format, string name, IReadOnlyList<string> columns,
        IEnumerable<IReadOnlyList<object?>> rows, string sheetName, CancellationToken cancellationToken) =>
        format == TabularFormat.Xlsx
            ? TypedResults.File(await XlsxAsync(columns, rows, sheetName, cancellationToken), TabularFile.XlsxType, name + ".xlsx")
            : TypedResults.File(Csv(columns, rows), TabularFile.CsvType + "; charset=utf-8", name + ".csv");

    public static byte[] Csv(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows)
    {
        using var output = new MemoryStream();
        using (var writer = CsvWriter.Create(output, new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape }, leaveOpen: true))
        {
            writer.WriteHeader([.. columns]);
            foreach (var row in rows)
            {
                foreach (var value in row)
                {
                    writer.WriteField(value);
                }
                writer.EndRecord();
            }
            writer.Flush();
        }
        return output.ToArray();
    }

    public static async Task<byte[]> XlsxAsync(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows, string sheetName,
        CancellationToken cancellationToken)
    {
        // A DataTable rather than dictionaries: a table with no rows still carries its header.
        using var table = new DataTable(sheetName);
        foreach (var column in columns)
        {
            table.Columns.Add(column, typeof(object));
        }
        foreach (var row in rows)
        {
            table.Rows.Add([.. row.Select(v => v ?? DBNull.Value)]);
        }
        using var output = new MemoryStream();
        await MiniExcel.SaveAsAsync(output, table, sheetName: sheetName, excelType: ExcelType.XLSX, cancellationToken: cancellationToken);
        return output.ToArray();
    }
}
