using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.Activities.Data;
using PracticeMesh.Activities.Shared;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Http;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Activities.Lecturers;

public sealed record LecturerRequest(string? DivisionCode, string? Name, IReadOnlyList<string>? Topics, string? Phone, bool Active = true);

/// <summary>A lecturer as anyone who may read activities sees them: the phone masked.</summary>
public sealed record LecturerResponse(Guid Id, string DivisionCode, string Name, IReadOnlyList<string> Topics, string? Phone, bool Active)
{
    public static LecturerResponse From(Lecturer l) => new(l.Id, l.DivisionCode.Value, l.Name, l.Topics, l.MaskedPhone, l.Active);
}

/// <summary>The lecturer pools (宣讲员库, 百姓名嘴): per division, named by activities of the stations under it.</summary>
public static class LecturersApi
{
    private const string LecturerExample = """{"divisionCode":"321324104","name":"张老师","topics":["政策理论","家风家训"],"phone":"13800001234"}""";

    public static RouteGroupBuilder MapLecturersApi(this RouteGroupBuilder api)
    {
        api.MapPost("/lecturers", CreateAsync).WithName("CreateLecturer")
            .WithRequestExample(LecturerExample)
            .WithSummary("Add a lecturer (宣讲员) to a division's pool").RequireAuthorization(ApiScopes.ActivitiesWrite);
        api.MapGet("/lecturers", ListAsync).WithName("ListLecturers")
            .WithSummary("The lecturers a division may name: its own pool, the pools under it and those above it (?topic=, ?includeInactive=)")
            .RequireAuthorization(ApiScopes.ActivitiesRead);
        api.MapGet("/lecturers/{id:guid}", GetAsync).WithName("GetLecturer").RequireAuthorization(ApiScopes.ActivitiesRead);
        api.MapPut("/lecturers/{id:guid}", ChangeAsync).WithName("ChangeLecturer")
            .WithRequestExample(LecturerExample)
            .WithSummary("Change a lecturer's name, topics, phone or whether they are active").RequireAuthorization(ApiScopes.ActivitiesWrite);
        return api;
    }

    public static async Task<Created<LecturerResponse>> CreateAsync(LecturerRequest request, [AsParameters] ActivityServices s)
    {
        if (!DivisionCode.TryParse(request.DivisionCode, out var division, out var error))
        {
            throw new DomainValidationException("divisionCode", error);
        }
        s.Caller.EnsureMayCreateIn(division);
        var lecturer = Lecturer.Create(division, request.Name, request.Topics, request.Phone, s.Time.GetUtcNow());
        lecturer.Change(request.Name, request.Topics, request.Phone, request.Active, lecturer.CreatedAt);
        s.Db.Lecturers.Add(lecturer);
        await s.Db.SaveChangesAsync(s.CancellationToken);
        return TypedResults.Created($"/api/v1/activities/lecturers/{lecturer.Id}", LecturerResponse.From(lecturer));
    }

    public static async Task<Ok<List<LecturerResponse>>> ListAsync([AsParameters] ActivityServices s, string? under, string? topic, bool includeInactive = false)
    {
        var prefix = s.Caller.ListPrefix(under);
        if (prefix is null)
        {
            return TypedResults.Ok(new List<LecturerResponse>());
        }
        // The pools above the division count too: a station names the county's and its township's lecturers.
        var above = new[] { 6, 9 }.Where(n => prefix.Length > n).Select(n => prefix[..n]).ToList();
        var lecturers = await s.Db.Lecturers.AsNoTracking()
            .Where(l => ((string)l.DivisionCode).StartsWith(prefix) || above.Contains((string)l.DivisionCode))
            .Where(l => includeInactive || l.Active)
            .OrderBy(l => l.Name).Take(ActivitiesApi.MaxListItems).ToListAsync(s.CancellationToken);
        var wanted = topic?.Trim();
        return TypedResults.Ok(lecturers.Where(l => string.IsNullOrEmpty(wanted) || l.Topics.Any(t => t.Contains(wanted, StringComparison.OrdinalIgnoreCase)))
            .Select(LecturerResponse.From).ToList());
    }

    public static async Task<Ok<LecturerResponse>> GetAsync(Guid id, [AsParameters] ActivityServices s) =>
        TypedResults.Ok(LecturerResponse.From(await FindAsync(s.Db, id, s.Caller, s.CancellationToken, reading: true)));

    public static async Task<Ok<LecturerResponse>> ChangeAsync(Guid id, LecturerRequest request, [AsParameters] ActivityServices s)
    {
        var lecturer = await FindAsync(s.Db, id, s.Caller, s.CancellationToken);
        lecturer.Change(request.Name, request.Topics, request.Phone, request.Active, s.Time.GetUtcNow());
        await s.Db.SaveChangesAsync(s.CancellationToken);
        return TypedResults.Ok(LecturerResponse.From(lecturer));
    }

    /// <summary>
    /// The lecturer an activity at <paramref name="station"/> names: active, and in the pool of the station or of a
    /// division above it. Anything else is a 400 on <c>lecturerId</c>, so nothing is written.
    /// </summary>
    public static async Task<Lecturer> ForStationAsync(ActivitiesDbContext db, Guid lecturerId, DivisionCode station, CancellationToken cancellationToken)
    {
        var lecturer = await db.Lecturers.AsNoTracking().SingleOrDefaultAsync(l => l.Id == lecturerId, cancellationToken);
        if (lecturer is null || !station.IsWithin(lecturer.DivisionCode))
        {
            throw new DomainValidationException("lecturerId", "No such lecturer in the pools of this station, its township or its county.");
        }
        return lecturer.Active ? lecturer : throw new DomainValidationException("lecturerId", $"{lecturer.Name} is no longer an active lecturer.");
    }

    /// <param name="reading">A pool above the caller's division is readable (they may name its lecturers), not changeable.</param>
    private static async Task<Lecturer> FindAsync(ActivitiesDbContext db, Guid id, Caller caller, CancellationToken cancellationToken, bool reading = false)
    {
        var lecturer = await db.Lecturers.SingleOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (lecturer is null || !(caller.Covers(lecturer.DivisionCode) || reading && caller.DivisionScope.StartsWith(lecturer.DivisionCode.Value, StringComparison.Ordinal)))
        {
            throw new NotFoundException($"No lecturer {id}.");
        }
        return lecturer;
    }
}
