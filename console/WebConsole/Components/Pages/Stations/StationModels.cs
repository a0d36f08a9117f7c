using PracticeMesh.WebConsole.Api;

namespace PracticeMesh.WebConsole.Components.Pages.Stations;

// The stations API's answers as the pages read them (enums arrive as their names).

public sealed record SixHavesStationSummary(string StationCode, string Name, string Kind, int PassedItems, int EvidencedItems, int RequiredItems, bool Compliant);

public sealed record SixHavesReport(int Sites, int Compliant, List<SixHavesStationSummary> Stations);

public sealed record StaffingRow(string StationCode, string Name, string Kind, int StaffCount, int? RequiredMin, int? RequiredMax, bool Met,
    bool AboveUsualRange, string? HeadName, string? DeputyName);

public sealed record StaffingReport(int Sites, int Met, int Unmet, int AboveUsualRange, List<StaffingRow> Stations);

public sealed record StationInfo(Guid Id, string Code, string DivisionCode, string Tier, string Name, string Kind, string? ParentCode, string Status,
    string? Address, double? Latitude, double? Longitude, DateTimeOffset RegisteredAt);

public sealed record VerificationInfo(string Verdict, string? Remark, string? VerifiedBy, string? VerifierName, string? VerifierDivision, DateTimeOffset VerifiedAt);

public sealed record SixHavesItem(string Item, string Label, string? EvidenceText, List<string> Attachments, DateTimeOffset? EvidenceAt, VerificationInfo? Verification);

public sealed record SixHavesChecklist(string StationCode, int PassedItems, int EvidencedItems, int RequiredItems, bool Compliant, List<SixHavesItem> Items);

public sealed record StaffMember(Guid Id, string Name, string Role, string? Post, DateTimeOffset AddedAt);

public sealed record Roster(StaffingRow Staffing, List<StaffMember> Members);

/// <summary>One site of the tree as the list shows it: how deep it sits, its six haves and its staffing (none for the county centre).</summary>
public sealed record StationTreeRow(int Depth, string Code, string Name, string Kind, string Status, SixHavesStationSummary? SixHaves, StaffingRow? Staffing);

public static class StationTree
{
    /// <summary>The tree in reading order (each site followed by the sites under it), joined with the two reports.</summary>
    public static List<StationTreeRow> Flatten(DivisionNames.StationNode root, SixHavesReport sixHaves, StaffingReport staffing)
    {
        var six = sixHaves.Stations.ToDictionary(s => s.StationCode, StringComparer.Ordinal);
        var staff = staffing.Stations.ToDictionary(s => s.StationCode, StringComparer.Ordinal);
        var rows = new List<StationTreeRow>();
        void Add(DivisionNames.StationNode node, int depth)
        {
            rows.Add(new StationTreeRow(depth, node.Code, node.Name, node.Kind, node.Status, six.GetValueOrDefault(node.Code), staff.GetValueOrDefault(node.Code)));
            foreach (var child in node.Children)
            {
                Add(child, depth + 1);
            }
        }
        Add(root, 0);
        return rows;
    }
}
