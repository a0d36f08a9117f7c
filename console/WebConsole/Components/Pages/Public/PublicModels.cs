using System.Text.Json.Serialization;
using PracticeMesh.WebConsole.Api;
using PracticeMesh.WebConsole.Components.Pages.Grid;

namespace PracticeMesh.WebConsole.Components.Pages.Public;

/// <summary>A site of the stations' public directory.</summary>
public sealed record DirectoryEntry(string Code, string Name, string Kind, string? ParentCode)
{
    /// <summary>The division's own name (泗洪县, 青阳镇, 王集村).</summary>
    public string DivisionName => DivisionNames.ShortName(Name);
}

public sealed record PlanActivity(Guid Id, string StationCode, string Title, string Category, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    string Status, string? Venue, string? Place, string? Audience, string? Content);

public sealed record PlanMonth(int Month, IReadOnlyList<PlanActivity> Activities);

public sealed record YearlyPlan(string StationCode, int Year, IReadOnlyList<PlanMonth> Months);

public sealed record MenuItem(Guid Id, Guid TeamId, string TeamName, string StationCode, string Title, string? Description, string Category);

public sealed record PlacedOrder(Guid Id, string StationCode, string Title, string Status);

public sealed record CategoryChoice(string Code, string Name, bool Active);

public sealed record PossibleDuplicate(Guid Id, string Number, double Distance, string Status);

/// <summary>A report as the API answers its reporter: the case with its follow token.</summary>
public sealed record ReportedCase(Guid Id, string Number, string Status, Guid? FollowToken, IReadOnlyList<PossibleDuplicate>? PossibleDuplicates);

/// <summary>An Open311 token lookup: the request the token follows.</summary>
public sealed record Open311Token([property: JsonPropertyName("service_request_id")] string ServiceRequestId, [property: JsonPropertyName("token")] string Token);

/// <summary>An Open311 request as the public sees it: no person, only the problem and where it stands.</summary>
public sealed record Open311Request(
    [property: JsonPropertyName("service_request_id")] string ServiceRequestId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("status_notes")] string? StatusNotes,
    [property: JsonPropertyName("service_name")] string? ServiceName,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("agency_responsible")] string? AgencyResponsible,
    [property: JsonPropertyName("requested_datetime")] DateTimeOffset? RequestedAt,
    [property: JsonPropertyName("updated_datetime")] DateTimeOffset? UpdatedAt,
    [property: JsonPropertyName("expected_datetime")] DateTimeOffset? ExpectedAt,
    [property: JsonPropertyName("address")] string? Address);

/// <summary>How the follow page words a report for the resident who made it.</summary>
public static class FollowWords
{
    /// <summary>The resource key for a case status or a history step, in a resident's words (已收到上报，等待核实立案).</summary>
    public static string Of(string statusOrAction) => $"Follow_{statusOrAction}";

    /// <summary>
    /// What the resident reads about the time limit: the current step's due time while open, whether it has passed;
    /// nothing once the report is finished.
    /// </summary>
    public static (string Key, DateTimeOffset At)? Limit(Open311Request request, DateTimeOffset now) =>
        request.Status != "open" || request.ExpectedAt is not { } due ? null : (due <= now ? "Overdue" : "DueIn", due);

    /// <summary>The history as a resident reads it: every step but the ones that change nothing they would notice.</summary>
    public static IReadOnlyList<GridCaseStep> Visible(IEnumerable<GridCaseStep> history) =>
        [.. history.Where(s => s.Action is not ("ExtensionRequested" or "ExtensionRefused")).OrderBy(s => s.Sequence)];
}
