using System.Text.RegularExpressions;
using MassTransit;

namespace PracticeMesh.ServiceDefaults.Messaging;

/// <summary>
/// Queue names of one township cell (实践所 cell) of a service: today's kebab-case names with <c>-cell-{cell}</c>
/// appended (<c>record-activity-completed-cell-b</c>). Two cells of one service then each have their own queue bound
/// to every event, so each cell receives every event instead of the two splitting one queue between them.
/// </summary>
public sealed partial class CellEndpointNameFormatter(string cell) : IEndpointNameFormatter
{
    private static readonly IEndpointNameFormatter Inner = KebabCaseEndpointNameFormatter.Instance;

    private readonly string _suffix = Suffix(cell);

    /// <summary><paramref name="name"/> as the cell's queue: unchanged when <paramref name="cell"/> is empty.</summary>
    public static string Apply(string name, string? cell) => string.IsNullOrWhiteSpace(cell) ? name : name + Suffix(cell);

    private static string Suffix(string cell)
    {
        var trimmed = cell.Trim();
        if (!CellName().IsMatch(trimmed))
        {
            throw new InvalidOperationException(
                $"Messaging:Cell \"{cell}\" is not a cell name: lower-case letters and digits, words joined by '-', at most 30 characters (e.g. \"b\").");
        }
        return $"-cell-{trimmed}";
    }

    [GeneratedRegex("^(?=.{1,30}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex CellName();

    public string Separator => Inner.Separator;

    public string TemporaryEndpoint(string tag) => Inner.TemporaryEndpoint(tag);

    public string Consumer<T>() where T : class, IConsumer => Inner.Consumer<T>() + _suffix;

    public string Message<T>() where T : class => Inner.Message<T>() + _suffix;

    public string Saga<T>() where T : class, ISaga => Inner.Saga<T>() + _suffix;

    public string ExecuteActivity<T, TArguments>() where T : class, IExecuteActivity<TArguments> where TArguments : class =>
        Inner.ExecuteActivity<T, TArguments>() + _suffix;

    public string CompensateActivity<T, TLog>() where T : class, ICompensateActivity<TLog> where TLog : class =>
        Inner.CompensateActivity<T, TLog>() + _suffix;

    public string SanitizeName(string name) => Inner.SanitizeName(name);
}
