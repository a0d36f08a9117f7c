using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Activities.Data;
using PracticeMesh.Activities.Lecturers;
using PracticeMesh.Activities.Lifecycle;
using PracticeMesh.Activities.Shared;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Activities.Series;

/// <summary>A repeating activity: what each occurrence is, its time of day (China time, "HH:mm") and its recurrence.</summary>
public sealed record CreateSeriesRequest(
    string? StationCode, string? Title, ActivityCategory Category, int Capacity, string? StartTime, string? EndTime, Recurrence? Recurrence,
    Guid? TeamId = null, PracticePlatform? Platform = null, string? Venue = null, string? Lecturer = null, Guid? LecturerId = null,
    string? Audience = null, string? Content = null, bool IsMobile = false, string? Place = null, double? Latitude = null, double? Longitude = null,
    bool Publish = false);

/// <summary>A change of the series: every field left out (null) stays as it is.</summary>
public sealed record ChangeSeriesRequest(
    string? Title = null, int? Capacity = null, string? StartTime = null, string? EndTime = null, string? Venue = null, string? Place = null,
    double? Latitude = null, double? Longitude = null, string? Lecturer = null, Guid? LecturerId = null, string? Audience = null, string? Content = null);

public sealed record SeriesResponse(
    Guid Id, string StationCode, SeriesFrequency Frequency, IReadOnlyList<DayOfWeek> Weekdays, int? DayOfMonth, DateOnly FirstDate, DateOnly? Until,
    int? Count, string StartTime, string EndTime, string Title, ActivityCategory Category, int Capacity, string? Venue, string? Place, string? Lecturer,
    Guid? LecturerId, DateTimeOffset? CancelledAt, string? CancelReason, IReadOnlyList<ActivitySummary> Occurrences)
{
    public static SeriesResponse From(ActivitySeries s, IEnumerable<Activity> occurrences, DateTimeOffset now) => new(
        s.Id, s.StationCode, s.Frequency, s.Weekdays, s.DayOfMonth, s.FirstDate, s.Until, s.Count, Time(s.StartTime), Time(s.EndTime), s.Title, s.Category,
        s.Capacity, s.Venue, s.Place, s.Lecturer, s.LecturerId, s.CancelledAt, s.CancelReason,
        occurrences.OrderBy(a => a.StartsAt).Select(a => ActivitySummary.From(a, now)).ToList());

    private static string Time(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>
/// Repeating activities (a weekly patrol, a monthly visit day): one series, its occurrences ordinary activities. A
/// change reaches the occurrences not yet started; cancelling the series cancels those, never what was held.
/// </summary>
public static class SeriesApi
{
    public static RouteGroupBuilder MapSeriesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/series", CreateAsync).WithName("CreateActivitySeries")
            .WithRequestExample("""{"stationCode":"321324104201","title":"平安巡逻","category":"ConvenienceService","capacity":10,"startTime":"19:00","endTime":"21:00","recurrence":{"frequency":"Weekly","weekdays":["Tuesday","Friday"],"firstDate":"2030-03-12","count":20},"publish":true}""")
            .WithSummary("Create a repeating activity (weekly on weekdays or monthly on a day, until a date or for a count) with its occurrences")
            .RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapGet("/series/{id:guid}", GetAsync).WithName("GetActivitySeries").RequireAuthorization(ApiScopes.ActivitiesRead);
        api.MapPatch("/series/{id:guid}", ChangeAsync).WithName("ChangeActivitySeries")
            .WithRequestExample("""{"startTime":"18:30","endTime":"20:30","venue":"村委会门口"}""")
            .WithSummary("Change time, place, title or capacity: the occurrences not yet started follow, held ones stay")
            .RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapPost("/series/{id:guid}/publish", PublishAsync).WithName("PublishActivitySeries")
            .WithSummary("Announce every draft occurrence not yet started").RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapPost("/series/{id:guid}/cancel", CancelAsync).WithRequestExample("""{"reason":"巡逻改由网格员承担"}""").WithName("CancelActivitySeries")
            .WithSummary("Cancel the series: every occurrence not yet started is cancelled (ActivityCancelled each)")
            .RequireAuthorization(ApiScopes.ActivitiesWrite);
        return api;
    }

    public static async Task<Created<SeriesResponse>> CreateAsync(CreateSeriesRequest request, [AsParameters] ActivityServices s, AcceptedDates dates)
    {
        var now = s.Time.GetUtcNow();
        var recurrence = request.Recurrence ?? throw new DomainValidationException("recurrence", "A series has a recurrence.");
        dates.Ensure(("recurrence.firstDate", recurrence.FirstDate), ("recurrence.until", recurrence.Until));
        var (startTime, endTime) = Times(request.StartTime, request.EndTime);
        var days = recurrence.Dates(ChinaTime.Today(now), s.Options.SeriesMaxOccurrences, s.Options.SeriesMaxDays);
        var station = await LifecycleApi.StationForNewActivityAsync(s, request.StationCode, request.TeamId);
        var lecturer = request.LecturerId is { } lecturerId
            ? (await LecturersApi.ForStationAsync(s.Db, lecturerId, station.DivisionCode, s.CancellationToken)).Name
            : request.Lecturer;
        var template = new ActivityDetails(request.Title, request.Category, default, default, request.Capacity, request.TeamId, request.Platform,
            request.Venue, lecturer, request.Audience, request.Content, null, request.IsMobile, request.Place, request.Latitude, request.Longitude,
            request.LecturerId);
        var series = ActivitySeries.Create(TownshipGuid.New(station.DivisionCode, now), station.Code, station.DivisionCode, recurrence, startTime, endTime, template, now);
        // Every occurrence is checked before anything is added: one bad one and nothing is written.
        var occurrences = days.Select(day => Activity.Create(station, series.OccurrenceOn(day), now)).ToList();
        foreach (var occurrence in occurrences)
        {
            occurrence.JoinSeries(series.Id);
            if (request.Publish)
            {
                s.Db.AddEvent(occurrence.Publish(now, s.Options.AnnounceDaysAhead, station), now);
            }
        }
        s.Db.Series.Add(series);
        s.Db.Activities.AddRange(occurrences);
        await s.Db.SaveChangesAsync(s.CancellationToken);
        return TypedResults.Created($"/api/v1/activities/series/{series.Id}", SeriesResponse.From(series, occurrences, now));
    }

    public static async Task<Ok<SeriesResponse>> GetAsync(Guid id, [AsParameters] ActivityServices s)
    {
        var (series, occurrences) = await FindAsync(s, id, tracking: false);
        return TypedResults.Ok(SeriesResponse.From(series, occurrences, s.Time.GetUtcNow()));
    }

    public static async Task<Ok<SeriesResponse>> ChangeAsync(Guid id, ChangeSeriesRequest request, [AsParameters] ActivityServices s)
    {
        var now = s.Time.GetUtcNow();
        var (series, occurrences) = await FindAsync(s, id);
        series.EnsureNotCancelled();
        var (startTime, endTime) = Times(request.StartTime ?? Format(series.StartTime), request.EndTime ?? Format(series.EndTime));
        var lecturer = request.Lecturer ?? series.Lecturer;
        var lecturerId = request.Lecturer is not null && request.LecturerId is null ? null : request.LecturerId ?? series.LecturerId;
        if (request.LecturerId is { } named)
        {
            lecturer = (await LecturersApi.ForStationAsync(s.Db, named, series.DivisionCode, s.CancellationToken)).Name;
        }
        var template = new ActivityDetails(request.Title ?? series.Title, series.Category, default, default, request.Capacity ?? series.Capacity,
            series.TeamId, series.Platform, request.Venue ?? series.Venue, lecturer, request.Audience ?? series.Audience, request.Content ?? series.Content,
            null, series.IsMobile, request.Place ?? series.Place, request.Latitude ?? series.Latitude, request.Longitude ?? series.Longitude, lecturerId);
        series.Change(startTime, endTime, template, now);
        // Checked even when no occurrence is left to follow, so the series never holds what an activity may not.
        Activity.Validate(series.OccurrenceOn(series.FirstDate));
        // Held and started occurrences keep what they were; each one to come takes the new description on its own date.
        foreach (var occurrence in occurrences.Where(o => o.IsUpcoming(now)))
        {
            occurrence.Revise(series.OccurrenceOn(ActivitySeries.DayOf(occurrence.StartsAt)) with { FestivalTag = occurrence.FestivalTag }, now);
        }
        await s.Db.SaveOrConflictAsync(s.CancellationToken);
        return TypedResults.Ok(SeriesResponse.From(series, occurrences, now));
    }

    public static async Task<Ok<SeriesResponse>> PublishAsync(Guid id, [AsParameters] ActivityServices s)
    {
        var now = s.Time.GetUtcNow();
        var (series, occurrences) = await FindAsync(s, id);
        series.EnsureNotCancelled();
        var station = await s.Db.Stations.AsNoTracking().SingleOrDefaultAsync(st => st.Code == series.StationCode, s.CancellationToken);
        foreach (var occurrence in occurrences.Where(o => o.Status == ActivityStatus.Draft && o.IsUpcoming(now)))
        {
            s.Db.AddEvent(occurrence.Publish(now, s.Options.AnnounceDaysAhead, station), now);
        }
        await s.Db.SaveOrConflictAsync(s.CancellationToken);
        return TypedResults.Ok(SeriesResponse.From(series, occurrences, now));
    }

    public static async Task<Ok<SeriesResponse>> CancelAsync(Guid id, CancelRequest request, [AsParameters] ActivityServices s)
    {
        var now = s.Time.GetUtcNow();
        var (series, occurrences) = await FindAsync(s, id);
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > 500)
        {
            throw new DomainValidationException("reason", "A reason of 1 to 500 characters is required.");
        }
        series.Cancel(reason, now);
        foreach (var occurrence in occurrences.Where(o => o.IsUpcoming(now)))
        {
            s.Db.AddEvent(occurrence.Cancel(reason, now), now);
        }
        await s.Db.SaveOrConflictAsync(s.CancellationToken);
        return TypedResults.Ok(SeriesResponse.From(series, occurrences, now));
    }

    private static async Task<(ActivitySeries Series, List<Activity> Occurrences)> FindAsync(ActivityServices s, Guid id, bool tracking = true)
    {
        var query = tracking ? s.Db.Series : s.Db.Series.AsNoTracking();
        var series = await query.SingleOrDefaultAsync(x => x.Id == id, s.CancellationToken);
        if (series is null || !s.Caller.Covers(series.DivisionCode))
        {
            throw new NotFoundException($"No series {id}.");
        }
        var activities = tracking ? s.Db.Activities : s.Db.Activities.AsNoTracking();
        var occurrences = await activities.Include(a => a.SignUps).Where(a => a.SeriesId == id).OrderBy(a => a.StartsAt)
            .ToListAsync(s.CancellationToken);
        return (series, occurrences);
    }

    private static (TimeOnly Start, TimeOnly End) Times(string? start, string? end)
    {
        var errors = new Dictionary<string, string[]>();
        if (!TryTime(start, out var startTime))
        {
            errors["startTime"] = ["A time of day, HH:mm (China time)."];
        }
        if (!TryTime(end, out var endTime))
        {
            errors["endTime"] = ["A time of day, HH:mm (China time)."];
        }
        else if (errors.Count == 0 && endTime <= startTime)
        {
            errors["endTime"] = ["An occurrence ends after it starts, on the same day."];
        }
        return errors.Count > 0 ? throw new DomainValidationException(errors) : (startTime, endTime);
    }

    private static bool TryTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text?.Trim(), ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    private static string Format(TimeOnly time) => time.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
