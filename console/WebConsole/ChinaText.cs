using System.Globalization;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.WebConsole;

/// <summary>
/// How the console writes a moment: in China time (<see cref="ChinaTime"/>), whatever the server's or the browser's
/// zone, with the same digits in both languages.
/// </summary>
public static class ChinaText
{
    /// <summary>To the minute (2026-03-05 14:30); <paramref name="none"/> for no time.</summary>
    public static string Minute(DateTimeOffset? at, string none = "") => at is { } t ? Format(t, "yyyy-MM-dd HH:mm") : none;

    /// <summary>The China day (2026-03-05); <paramref name="none"/> for no time.</summary>
    public static string Day(DateTimeOffset? at, string none = "") => at is { } t ? Format(t, "yyyy-MM-dd") : none;

    /// <summary>In a format of the page's own (M月d日 HH:mm, HH:mm).</summary>
    public static string Format(DateTimeOffset at, string format) => at.ToOffset(ChinaTime.Offset).ToString(format, CultureInfo.InvariantCulture);
}
