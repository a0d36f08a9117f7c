using System.Globalization;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Assessment.Domain;

/// <summary>A station's activity record for one calendar month (China Standard Time, <see cref="ChinaTime"/>): the monthly cadence indicator.</summary>
public sealed class StationMonth
{
    private StationMonth() { }

    public string StationCode { get; private set; } = "";
    /// <summary>"yyyy-MM".</summary>
    public string Month { get; private set; } = "";
    public DivisionCode DivisionCode { get; private set; }
    public int CompletedActivities { get; private set; }
    public int ParticipantCount { get; private set; }
    /// <summary>The volunteers' credited time in the unit of <see cref="ServiceTime"/>: the sum of the activities' credits, exactly.</summary>
    public int VolunteerHundredths { get; private set; }
    /// <summary>Bumped by every count: two completions of one station's month counted at once cannot both save over the same total.</summary>
    public int Version { get; private set; }

    public decimal VolunteerHours => new ServiceTime(VolunteerHundredths).Hours;

    public static string MonthOf(DateTimeOffset at) => at.ToOffset(ChinaTime.Offset).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static StationMonth Start(string stationCode, DivisionCode division, string month) =>
        new() { StationCode = stationCode, DivisionCode = division, Month = month };

    /// <summary>Counts a completed activity with each participant's credited time (as the event carries it).</summary>
    public void AddCompletedActivity(IReadOnlyCollection<ServiceTime> credits)
    {
        CompletedActivities++;
        Version++;
        ParticipantCount += credits.Count;
        VolunteerHundredths += ServiceTime.Sum(credits).Hundredths;
    }

    /// <summary>
    /// A completed activity's presences were corrected afterwards: its volunteers and hours change, the activity
    /// count does not. Applied in whatever order it arrives with the completion, the month's totals come out the same.
    /// </summary>
    public void AdjustCompletedActivity(int participantsDelta, ServiceTime delta)
    {
        Version++;
        ParticipantCount += participantsDelta;
        VolunteerHundredths += delta.Hundredths;
    }
}
