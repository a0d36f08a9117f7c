using System.Globalization;
using System.Text;
using PracticeMesh.Activities.Lifecycle;

namespace PracticeMesh.Activities.Plans;

/// <summary>A minimal RFC 5545 writer: enough for phone calendars to subscribe to a station's or township's activities.</summary>
public static class ICalendar
{
    public static string Write(string name, IEnumerable<Activity> activities, DateTimeOffset now)
    {
        var text = new StringBuilder();
        void Line(string line)
        {
            // Lines fold at 75 octets; folding by characters at 60 keeps multi-byte Chinese safely under the limit.
            for (var i = 0; i < line.Length; i += 60)
            {
                text.Append(i == 0 ? "" : " ").Append(line.AsSpan(i, Math.Min(60, line.Length - i))).Append("\r\n");
            }
        }
        Line("BEGIN:VCALENDAR");
        Line("VERSION:2.0");
        Line("PRODID:-//PracticeMesh//Activities//ZH");
        Line("CALSCALE:GREGORIAN");
        Line("METHOD:PUBLISH");
        Line($"X-WR-CALNAME:{Escape(name)}");
        Line("X-WR-TIMEZONE:Asia/Shanghai");
        foreach (var a in activities)
        {
            Line("BEGIN:VEVENT");
            Line($"UID:{a.Id}@practicemesh");
            Line($"DTSTAMP:{Utc(now)}");
            Line($"DTSTART:{Utc(a.StartsAt)}");
            Line($"DTEND:{Utc(a.EndsAt)}");
            Line($"SUMMARY:{Escape(a.Title)}");
            if ((a.Venue ?? a.Place) is { } place)
            {
                Line($"LOCATION:{Escape(place)}");
            }
            if (a.Latitude is { } lat && a.Longitude is { } lon)
            {
                Line($"GEO:{lat.ToString(CultureInfo.InvariantCulture)};{lon.ToString(CultureInfo.InvariantCulture)}");
            }
            var description = string.Join("\n", new[] { a.Content, a.Lecturer is null ? null : $"主讲: {a.Lecturer}", a.Audience is null ? null : $"对象: {a.Audience}" }.OfType<string>());
            if (description.Length > 0)
            {
                Line($"DESCRIPTION:{Escape(description)}");
            }
            Line($"CATEGORIES:{a.Category}");
            Line($"STATUS:{(a.Status == ActivityStatus.Cancelled ? "CANCELLED" : "CONFIRMED")}");
            Line("END:VEVENT");
        }
        Line("END:VCALENDAR");
        return text.ToString();
    }

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\").Replace(";", "\\;").Replace(",", "\\,").Replace("\r", "").Replace("\n", "\\n");
}
