using Microsoft.JSInterop;
using PracticeMesh.ServiceDefaults.Tabular;
using PracticeMesh.WebConsole.Api;

namespace PracticeMesh.WebConsole.Components.Shared;

/// <summary>Files the person saves from a page: one the API made (a certificate, the API's own export) or a list as XLSX.</summary>
public static class ConsoleFiles
{
    /// <summary>Hands <paramref name="file"/> to the browser to save as <paramref name="fallbackName"/> unless the API named it.</summary>
    public static async Task SaveAsync(IJSRuntime js, ApiFile file, string fallbackName) =>
        await js.InvokeVoidAsync("practiceMesh.saveFile", file.FileName ?? fallbackName, file.ContentType, Convert.ToBase64String(file.Content));

    /// <summary>
    /// The rows a list shows (every page of its filter, as the caller fetched them) as an XLSX workbook with Chinese
    /// column headings, saved as <paramref name="fileName"/>.
    /// </summary>
    public static async Task SaveXlsxAsync(IJSRuntime js, string fileName, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows,
        CancellationToken cancellationToken = default)
    {
        var bytes = await TabularExport.XlsxAsync(columns, rows, "Sheet1", cancellationToken);
        await js.InvokeVoidAsync("practiceMesh.saveFile", cancellationToken, fileName,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Convert.ToBase64String(bytes));
    }
}
