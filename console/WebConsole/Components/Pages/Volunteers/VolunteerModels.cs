namespace PracticeMesh.WebConsole.Components.Pages.Volunteers;

// The volunteers API's answers as the pages read them. The ID number and phone arrive masked; the pages show them as given.

public sealed record VolunteerRow(Guid Id, string Name, string HomeStationCode, string Status, string IdCardNumber, string Mobile, string Sex, int BirthYear,
    string PoliticalStatus, List<string> Categories, List<string> Skills, int StarLevel, DateTimeOffset RegisteredAt, DateTimeOffset? ReviewedAt,
    string? RejectionReason);

/// <summary>A volunteer behind on their yearly hours (done below the share of required hours the year so far asks for).</summary>
public sealed record VolunteerObligation(Guid VolunteerId, string Name, string HomeStationCode, int Year, decimal RequiredHours, decimal DoneHours,
    decimal ShortHours, decimal ExpectedByNowHours, bool Behind);

public sealed record LedgerEntry(Guid Id, string Kind, Guid? ActivityId, decimal Hours, DateTimeOffset ServedOn, DateTimeOffset RecordedAt,
    string? Reason, string? ApprovedBy, Guid? CorrectsEntryId);

public sealed record HourLedger(Guid VolunteerId, decimal TotalHours, int StarLevel, List<LedgerEntry> Entries);

public sealed record CorrectionRequestRow(Guid Id, Guid VolunteerId, Guid? EntryId, DateOnly? ServedOn, decimal Hours, string Reason, string Status,
    DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt, string? DecidedBy, string? DecisionReason);

/// <summary>The search a list is showing, as the API's query string.</summary>
public sealed record VolunteerFilter(string Under, string? Name, string? Status, string? Category)
{
    public string Query(int offset, int limit)
    {
        var query = $"under={Uri.EscapeDataString(Under)}";
        if (!string.IsNullOrWhiteSpace(Name))
        {
            query += $"&q={Uri.EscapeDataString(Name.Trim())}";
        }
        if (!string.IsNullOrEmpty(Status))
        {
            query += $"&status={Status}";
        }
        if (!string.IsNullOrEmpty(Category))
        {
            query += $"&category={Category}";
        }
        return $"/api/v1/volunteers?{query}&offset={offset}&limit={limit}";
    }
}
