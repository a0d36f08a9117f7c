namespace PracticeMesh.WebConsole.Components.Pages.Orders;

// The activities API's orders (点单) and menus as the pages read them.

public sealed record ServiceItem(Guid Id, Guid TeamId, string TeamName, string StationCode, string Title, string? Description, string Category);

public sealed record OrderRow(Guid Id, string StationCode, Guid? MenuItemId, bool IsWish, string Title, string? Details, string Status, DateTimeOffset PlacedAt,
    Guid? TeamId, Guid? VolunteerId, DateTimeOffset? DueAt, bool Overdue, DateTimeOffset? DispatchedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? DoneAt,
    int DeclineCount, string? LastDeclineReason, int? Score, string? Comment, int EscalationLevel, string? EscalatedTo);

public sealed record TeamRow(Guid Id, string Name, string HomeStationCode);

/// <summary>
/// The board's three columns: waiting (placed, or declined back), dispatched (dispatched or accepted), done (done or
/// rated). The query string names them in English: ?status=waiting.
/// </summary>
public static class OrderStage
{
    public const string Waiting = "waiting";
    public const string Dispatched = "dispatched";
    public const string Done = "done";

    public static readonly string[] All = [Waiting, Dispatched, Done];

    public static string Of(string status) => status switch
    {
        "Placed" => Waiting,
        "Dispatched" or "Accepted" => Dispatched,
        _ => Done,
    };

    /// <summary>The stage a query string names, or null for none (or one the board does not know).</summary>
    public static string? Parse(string? text) => All.FirstOrDefault(s => s.Equals(text?.Trim(), StringComparison.OrdinalIgnoreCase));
}
