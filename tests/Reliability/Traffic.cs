using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace PracticeMesh.Reliability;

/// <summary>
/// Every answer the partners got, counted by status code and by the window it was asked in (steady, or the fault
/// under way). A 500, a 502, a 504, a 503 without <c>Retry-After</c> or no answer at all is a failure and is listed
/// with its operation.
/// </summary>
public sealed partial class Traffic
{
    public const string Steady = "steady";

    private readonly ConcurrentDictionary<(string Window, int Status), int> _counts = new();
    private readonly ConcurrentDictionary<(string Window, string Failure), int> _failures = new();
    private readonly List<string> _windows = [Steady];
    private volatile string _window = Steady;

    /// <summary>The window a request starting now is counted in.</summary>
    public string Window
    {
        get => _window;
        set
        {
            lock (_windows)
            {
                if (!_windows.Contains(value))
                {
                    _windows.Add(value);
                }
            }
            _window = value;
        }
    }

    public IReadOnlyList<string> Windows
    {
        get
        {
            lock (_windows)
            {
                return [.. _windows];
            }
        }
    }

    /// <param name="status">0 when no answer came (connection refused or reset, timeout).</param>
    public void Record(string window, HttpMethod method, string path, int status, bool hasRetryAfter)
    {
        _counts.AddOrUpdate((window, status), 1, (_, n) => n + 1);
        if (IsFailure(status, hasRetryAfter))
        {
            var what = status switch
            {
                0 => "no answer",
                503 => "503 without Retry-After",
                _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            _failures.AddOrUpdate((window, $"{what} {method} {Route(path)}"), 1, (_, n) => n + 1);
        }
    }

    public static bool IsFailure(int status, bool hasRetryAfter) => status is 0 or >= 500 && !(status == 503 && hasRetryAfter);

    public int Count(string window, Func<int, bool> status) => _counts.Where(c => c.Key.Window == window && status(c.Key.Status)).Sum(c => c.Value);

    public int Failures(string window) => _failures.Where(f => f.Key.Window == window).Sum(f => f.Value);

    public int TotalFailures => _failures.Values.Sum();

    public IEnumerable<(string Failure, int Count)> FailuresOf(string window) =>
        _failures.Where(f => f.Key.Window == window).OrderByDescending(f => f.Value).Select(f => (f.Key.Failure, f.Value));

    public IEnumerable<(int Status, int Count)> StatusesOf(string window) =>
        _counts.Where(c => c.Key.Window == window).OrderBy(c => c.Key.Status).Select(c => (c.Key.Status, c.Value));

    /// <summary>A path as its operation: ids and division codes replaced by placeholders, query left out.</summary>
    public static string Route(string path)
    {
        var withoutQuery = path.Split('?')[0];
        return Code().Replace(Guid().Replace(withoutQuery, "{id}"), "{code}");
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"(?<=/)\d{6,12}(?=/|$|\.)")]
    private static partial Regex Code();
}
