using PracticeMesh.ServiceDefaults.Tabular;
using System.Globalization;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Stations.Domain;

/// <summary>What an import does: the sites it registers and updates, and how many rows were already so.</summary>
public sealed record ImportPlan(IReadOnlyList<Station> Created, IReadOnlyList<Station> Updated, int Unchanged);

/// <summary>
/// Plans a bulk import of a county's station list. Every row is checked (code, kind, parent, fields) and every
/// error is reported by row and column; the plan is applied only when there are none, so nothing is half-imported.
/// A row whose site exists with the same values changes nothing, so importing the same file twice changes nothing.
/// </summary>
public static class StationImport
{
    public const int MaxRows = 10_000;
    public static readonly IReadOnlyList<string> Columns = ["code", "name", "kind", "parentCode", "address", "latitude", "longitude"];
    private static readonly string[] Required = ["code", "name", "kind"];

    /// <summary>The key of an error in the problem details: <c>rows[7].kind</c> is row 7, column kind.</summary>
    public static string ErrorKey(int row, string column) => TabularFile.ErrorKey(row, column);

    /// <param name="header">The file's column names, as given.</param>
    /// <param name="existing">Every registered site of the counties the file names, tracked, by code.</param>
    /// <param name="covers">Whether the caller reaches a division: rows outside it are errors.</param>
    public static ImportPlan Plan(IReadOnlyList<string> header, IReadOnlyList<ImportRow> rows, IReadOnlyDictionary<string, Station> existing,
        Func<DivisionCode, bool> covers, DateTimeOffset now)
    {
        var errors = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var column in Required.Where(c => !header.Contains(c, StringComparer.OrdinalIgnoreCase)))
        {
            errors[ErrorKey(1, column)] = [$"The header has no '{column}' column; the columns are {string.Join(", ", Columns)}."];
        }
        if (rows.Count == 0)
        {
            errors[ErrorKey(1, "code")] = ["The file has no rows under its header."];
        }
        if (rows.Count > MaxRows)
        {
            errors[ErrorKey(MaxRows + 2, "code")] = [$"At most {MaxRows} rows in one import."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(new Dictionary<string, string[]>(errors));
        }

        // Parents first, so a file can hold an institute and its stations in any order.
        var parsed = new List<(ImportRow Row, StationCode Code)>();
        var firstRowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!StationCode.TryParse(Cell(row, "code"), out var code, out var error))
            {
                errors[ErrorKey(row.Row, "code")] = [error];
            }
            else if (!covers(code.Place))
            {
                errors[ErrorKey(row.Row, "code")] = [$"{code} is outside your division scope."];
            }
            else if (firstRowOf.TryGetValue(code.Value, out var first))
            {
                errors[ErrorKey(row.Row, "code")] = [$"{code} is already on row {first}."];
            }
            else
            {
                firstRowOf[code.Value] = row.Row;
                parsed.Add((row, code));
            }
        }

        var known = new Dictionary<string, Station>(existing, StringComparer.Ordinal);
        var created = new List<Station>();
        var updated = new List<Station>();
        var unchanged = 0;
        foreach (var (row, code) in parsed.OrderBy(p => Depth(p.Code)).ThenBy(p => p.Row.Row))
        {
            var rowErrors = new Dictionary<string, string>();
            var kindText = Cell(row, "kind");
            StationKind? kind = !string.IsNullOrWhiteSpace(kindText) && !char.IsAsciiDigit(kindText[0]) && Enum.TryParse<StationKind>(kindText, true, out var k) ? k : null;
            if (kind is null)
            {
                rowErrors["kind"] = $"Unknown kind '{kindText}'; one of {string.Join(", ", Enum.GetNames<StationKind>())}.";
            }
            var parentCode = Station.ParentCodeOf(code);
            if (Cell(row, "parentCode") is { Length: > 0 } givenParent && givenParent != (parentCode ?? ""))
            {
                rowErrors["parentCode"] = parentCode is null ? "A county centre has no parent." : $"'{givenParent}' is not the parent of {code}; its parent is {parentCode}.";
            }
            var latitude = Number(row, "latitude", rowErrors);
            var longitude = Number(row, "longitude", rowErrors);
            if (rowErrors.Count == 0)
            {
                try
                {
                    known.TryGetValue(code.Value, out var station);
                    // A column the file leaves out keeps what the site has; an empty cell clears it.
                    var name = Cell(row, "name");
                    var address = Has(row, "address") ? Cell(row, "address") : station?.Address;
                    var lat = Has(row, "latitude") ? latitude : station?.Latitude;
                    var lon = Has(row, "longitude") ? longitude : station?.Longitude;
                    if (station is null)
                    {
                        var parent = parentCode is null ? null : known.GetValueOrDefault(parentCode);
                        station = Station.Register(code.Value, name, kind!.Value, parent, now);
                        station.Describe(name, address, lat, lon);
                        known[station.Code] = station;
                        created.Add(station);
                    }
                    else if (station.Kind != kind)
                    {
                        rowErrors["kind"] = $"{code} is registered as {station.Kind}; a site's kind never changes.";
                    }
                    else if (station.Matches(name, address, lat, lon))
                    {
                        unchanged++;
                    }
                    else
                    {
                        station.Update(name, address, lat, lon, now);
                        if (!created.Contains(station) && !updated.Contains(station))
                        {
                            updated.Add(station);
                        }
                    }
                }
                catch (DomainValidationException ex)
                {
                    foreach (var (field, messages) in ex.Errors)
                    {
                        rowErrors[Columns.Contains(field) ? field : "code"] = string.Join(" ", messages);
                    }
                }
                catch (ConflictException ex)
                {
                    // A closed site, or a closed parent.
                    rowErrors["code"] = ex.Message;
                }
            }
            foreach (var (column, message) in rowErrors)
            {
                errors[ErrorKey(row.Row, column)] = [message];
            }
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(new Dictionary<string, string[]>(errors.OrderBy(e => RowOf(e.Key)).ThenBy(e => e.Key, StringComparer.Ordinal)));
        }
        return new ImportPlan(created, updated, unchanged);
    }

    /// <summary>The cells of one site in an export, in <see cref="Columns"/> order; an import of them changes nothing.</summary>
    public static string?[] ExportCells(Station s) =>
    [
        s.Code, s.Name, s.Kind.ToString(), s.ParentCode, s.Address,
        s.Latitude?.ToString("R", CultureInfo.InvariantCulture), s.Longitude?.ToString("R", CultureInfo.InvariantCulture),
    ];

    private static int Depth(StationCode code) => code.Place.Tier switch
    {
        DivisionTier.County => 0,
        DivisionTier.Township => 1,
        _ => 2,
    } + (code.IsUnit ? 1 : 0);

    private static int RowOf(string key) => int.Parse(key.AsSpan(5, key.IndexOf(']') - 5), CultureInfo.InvariantCulture);

    private static bool Has(ImportRow row, string column) => row.Cells.ContainsKey(column);

    private static string? Cell(ImportRow row, string column) =>
        row.Cells.TryGetValue(column, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static double? Number(ImportRow row, string column, Dictionary<string, string> errors)
    {
        if (Cell(row, column) is not { } text)
        {
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }
        errors[column] = $"'{text}' is not a number.";
        return null;
    }
}
