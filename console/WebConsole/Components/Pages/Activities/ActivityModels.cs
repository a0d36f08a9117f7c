using System.Globalization;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.WebConsole.Components.Pages.Activities;

// The activities API's shapes as the pages read them (services/Activities: LifecycleApi, AttendanceApi, PlansApi).
// Enums travel as their names, so they are kept as strings here: a value the API adds later still shows.

/// <summary>A row of the activities list or calendar (the API's ActivitySummary).</summary>
public sealed record ActivityRow(
    Guid Id, string StationCode, string Title, string Category, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Status,
    string? Venue, string? Place, int Capacity, bool LateAnnouncement);

public sealed record SignUpRow(
    Guid VolunteerId, string Status, int Position, DateTimeOffset SignedUpAt, DateTimeOffset? CheckedInAt, DateTimeOffset? CheckedOutAt,
    string? CheckInMethod, string? CheckOutMethod, string? AttendanceNote, decimal? CreditedHours);

/// <summary>One activity with its sign-ups (the API's ActivityResponse).</summary>
public sealed record ActivityDetail(
    Guid Id, string StationCode, string Title, string Category, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Capacity, string Status,
    DateTimeOffset? PublishedAt, bool LateAnnouncement, DateTimeOffset? CompletedAt, string? Venue, string? Place, string? Content,
    DateTimeOffset? CancelledAt, string? CancelReason, int ConfirmedCount, int WaitlistCount, int ResidentAttendeeCount, IReadOnlyList<SignUpRow> SignUps);

/// <summary>The code the venue's screen shows now and when the next one replaces it (the API's QrTokenResponse).</summary>
public sealed record QrToken(string Token, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, DateTimeOffset NextRotationAt);

public sealed record UncountedActivity(Guid Id, string Title, DateTimeOffset StartsAt, string Status, IReadOnlyList<string> Reasons);

/// <summary>A station's month against the 2-a-month rule (the API's StationCadence).</summary>
public sealed record StationCadence(
    string StationCode, string Month, int HeldActivities, int Required, bool Met, int CountedActivities, int AnnounceDaysAhead,
    IReadOnlyList<UncountedActivity>? NotCounted, string? StationName);

/// <summary>
/// The stations of a township or county in a month against the rule (the API's StationCadenceList): how many met it, and
/// those below it.
/// </summary>
public sealed record StationCadenceList(string Under, string Month, int Required, int StationsConsidered, IReadOnlyList<StationCadence> Below,
    int StationsMet);

/// <summary>What the create form sends (the API's CreateActivityRequest).</summary>
public sealed record NewActivity(
    string StationCode, string Title, string Category, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int Capacity,
    string? Venue, string? Content);

public sealed record PresenceCorrection(Guid VolunteerId, DateTimeOffset? CheckedInAt, DateTimeOffset? CheckedOutAt);

public sealed record CorrectionRequest(string Reason, IReadOnlyList<PresenceCorrection> Corrections);

/// <summary>What the activity pages share: paths, China-time months and the API's limits the form checks first.</summary>
public static class ActivityPaths
{
    public const string Base = "/api/v1/activities";

    /// <summary>The API's own limits (Activity.Validate), checked in the form before a round trip.</summary>
    public const int TitleMax = 200;
    public const int CapacityMax = 10_000;
    public static readonly TimeSpan LongestActivity = TimeSpan.FromHours(24);

    public static readonly string[] Categories =
        ["Theory", "Policy", "Law", "Culture", "Science", "CivilityGuidance", "ConvenienceService", "HealthAndSport"];

    public static readonly string[] Statuses = ["Draft", "Published", "Ongoing", "Completed", "Cancelled"];

    /// <summary>The activities of a month in China time, under a division or station (the API answers up to 1000 at once).</summary>
    public static string List(string under, DateOnly month)
    {
        var (from, to) = ChinaTime.Month(month);
        return $"{Base}?under={Uri.EscapeDataString(under)}&from={Uri.EscapeDataString(Iso(from))}&to={Uri.EscapeDataString(Iso(to))}";
    }

    public static string Cadence(string stationCode, DateOnly month) =>
        $"{Base}/cadence/stations/{Uri.EscapeDataString(stationCode)}/{MonthText(month)}";

    public static string CadenceBelow(string under, DateOnly month) =>
        $"{Base}/cadence/stations?under={Uri.EscapeDataString(under)}&month={MonthText(month)}";

    public static string MonthText(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static DateOnly FirstOfMonth(DateTimeOffset now)
    {
        var today = ChinaTime.Today(now);
        return new DateOnly(today.Year, today.Month, 1);
    }

    /// <summary>The value of a datetime-local input for <paramref name="at"/> in China time.</summary>
    public static string LocalInput(DateTimeOffset at) => ChinaText.Format(at, "yyyy-MM-dd'T'HH:mm");

    /// <summary>A datetime-local input's value read as China time; null when it is not a time.</summary>
    public static DateTimeOffset? FromLocalInput(string? value) =>
        DateTime.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, ChinaTime.Offset)
            : null;

    private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
