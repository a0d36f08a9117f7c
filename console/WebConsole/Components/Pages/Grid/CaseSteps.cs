using PracticeMesh.WebConsole.Api;

namespace PracticeMesh.WebConsole.Components.Pages.Grid;

/// <summary>Which of the API's steps a page offers a person at a case's status (the API decides in the end).</summary>
public static class CaseSteps
{
    public static IReadOnlyList<string> For(string status, SignedInPerson? person, Guid? handlerId)
    {
        if (person is null)
        {
            return [];
        }
        if (person.IsStaff)
        {
            return status switch
            {
                "Reported" => ["accept", "reject"],
                "Accepted" => ["dispatch"],
                "Handled" => ["verify", "reopen"],
                "Verified" => ["close"],
                _ => [],
            };
        }
        // Only the grid worker it was dispatched to marks a case handled, as themselves.
        return status == "Dispatched" && handlerId is { } handler && Guid.TryParse(person.Id, out var me) && me == handler ? ["handle"] : [];
    }
}
