using PracticeMesh.ServiceDefaults.Tabular;
using System.Globalization;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Volunteers.Domain;

/// <summary>A valid row of an import: the volunteer it would register.</summary>
public sealed record ImportCandidate(int Row, Volunteer Volunteer);

/// <summary>
/// Checks a bulk import of volunteers (the same fields as a registration, one person a row). Every row is checked and
/// every error is reported by row and column; nothing is registered unless there are none. Duplicates are found by
/// the keyed hash of the ID number: twice in one file is an error, someone already registered is left as they are,
/// so importing the same file twice changes nothing.
/// </summary>
public static class VolunteerImport
{
    public const int MaxRows = 10_000;
    public static readonly IReadOnlyList<string> Columns = ["name", "idCardNumber", "mobile", "politicalStatus", "categories", "skills", "homeStationCode"];
    private static readonly string[] Required = ["name", "idCardNumber", "mobile", "politicalStatus", "homeStationCode"];
    /// <summary>Separators inside the categories and skills cells (a comma would need quoting in a CSV).</summary>
    private static readonly char[] ListSeparators = [';', '|', '、', '；'];

    /// <summary>
    /// The columns of an export: the import's, with the ID number always masked, and what the service adds.
    /// An export is a report, not an import file: its masked ID numbers do not import.
    /// </summary>
    public static readonly IReadOnlyList<string> ExportColumns =
        ["id", .. Columns, "status", "sex", "birthYear", "starLevel", "registeredAt"];

    /// <summary>The key of an error in the problem details: <c>rows[7].mobile</c> is row 7, column mobile.</summary>
    public static string ErrorKey(int row, string column) => TabularFile.ErrorKey(row, column);

    /// <param name="header">The file's column names, as given.</param>
    /// <param name="ensureMayCreateIn">The caller's check for creating in a division; throws <see cref="ForbiddenException"/> outside it.</param>
    public static IReadOnlyList<ImportCandidate> Check(IReadOnlyList<string> header, IReadOnlyList<ImportRow> rows,
        Action<DivisionCode> ensureMayCreateIn, PersonalDataProtector protector, DateTimeOffset now)
    {
        var errors = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var column in Required.Where(c => !header.Contains(c, StringComparer.OrdinalIgnoreCase)))
        {
            errors[ErrorKey(1, column)] = [$"The header has no '{column}' column; the columns are {string.Join(", ", Columns)}."];
        }
        if (rows.Count == 0)
        {
            errors[ErrorKey(1, "name")] = ["The file has no rows under its header."];
        }
        if (rows.Count > MaxRows)
        {
            errors[ErrorKey(MaxRows + 2, "name")] = [$"At most {MaxRows} rows in one import."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(new Dictionary<string, string[]>(errors));
        }

        var candidates = new List<ImportCandidate>();
        var firstRowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var rowErrors = new Dictionary<string, string>();
            var political = ParsePolitical(Cell(row, "politicalStatus"), rowErrors);
            var categories = ParseCategories(Cell(row, "categories"), rowErrors);
            var skills = List(Cell(row, "skills"));
            if (StationCode.TryParse(Cell(row, "homeStationCode"), out var home))
            {
                try
                {
                    ensureMayCreateIn(home.Place);
                }
                catch (ForbiddenException ex)
                {
                    rowErrors["homeStationCode"] = ex.Message;
                }
            }
            Volunteer? volunteer = null;
            try
            {
                volunteer = Volunteer.Register(new Registration(Cell(row, "name"), Cell(row, "idCardNumber"), Cell(row, "mobile"),
                    political, categories, skills, Cell(row, "homeStationCode")), protector, now);
            }
            catch (DomainValidationException ex)
            {
                foreach (var (field, messages) in ex.Errors)
                {
                    // A cell already found wrong keeps its own, more precise message.
                    rowErrors.TryAdd(Columns.Contains(field) ? field : "name", string.Join(" ", messages));
                }
            }
            if (volunteer is not null && rowErrors.Count == 0)
            {
                if (firstRowOf.TryGetValue(volunteer.IdCardHash, out var first))
                {
                    rowErrors["idCardNumber"] = $"The same ID number is already on row {first}; a person registers once.";
                }
                else
                {
                    firstRowOf[volunteer.IdCardHash] = row.Row;
                    candidates.Add(new ImportCandidate(row.Row, volunteer));
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
        return candidates;
    }

    /// <summary>
    /// The cells of one volunteer in an export, in <see cref="ExportColumns"/> order. The ID number is always masked;
    /// the mobile is masked unless <paramref name="mobile"/> gives it in full (an entitled admin's audited export).
    /// </summary>
    public static string?[] ExportCells(Volunteer v, string? mobile = null) =>
    [
        v.Id.ToString(), v.Name, v.IdCardMasked, mobile ?? v.MobileMasked, v.PoliticalStatus.ToString(),
        string.Join(';', v.Categories), string.Join(';', v.Skills), v.HomeStationCode,
        v.Status.ToString(), v.Sex.ToString(), v.BirthDate.Year.ToString(CultureInfo.InvariantCulture),
        v.StarLevel.ToString(CultureInfo.InvariantCulture), v.RegisteredAt.ToString("O", CultureInfo.InvariantCulture),
    ];

    private static PoliticalStatus? ParsePolitical(string? text, Dictionary<string, string> errors)
    {
        if (text is null)
        {
            return null;
        }
        if (!char.IsAsciiDigit(text[0]) && Enum.TryParse<PoliticalStatus>(text, true, out var status))
        {
            return status;
        }
        errors["politicalStatus"] = $"Unknown political status '{text}'; one of {string.Join(", ", Enum.GetNames<PoliticalStatus>())}.";
        return null;
    }

    private static List<VolunteerCategory> ParseCategories(string? text, Dictionary<string, string> errors)
    {
        var categories = new List<VolunteerCategory>();
        foreach (var token in List(text))
        {
            if (!char.IsAsciiDigit(token[0]) && Enum.TryParse<VolunteerCategory>(token, true, out var category))
            {
                categories.Add(category);
            }
            else
            {
                errors["categories"] = $"Unknown category '{token}'; categories are separated by ';' and are {string.Join(", ", Enum.GetNames<VolunteerCategory>())}.";
            }
        }
        return categories;
    }

    private static List<string> List(string? text) =>
        text is null ? [] : [.. text.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static int RowOf(string key) => int.Parse(key.AsSpan(5, key.IndexOf(']') - 5), CultureInfo.InvariantCulture);

    private static string? Cell(ImportRow row, string column) =>
        row.Cells.TryGetValue(column, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
