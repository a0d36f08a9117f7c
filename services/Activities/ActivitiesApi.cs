using PracticeMesh.Activities.Attendance;
using PracticeMesh.Activities.Data;
using PracticeMesh.Activities.Lecturers;
using PracticeMesh.Activities.Lifecycle;
using PracticeMesh.Activities.Orders;
using PracticeMesh.Activities.Plans;
using PracticeMesh.Activities.Ratings;
using PracticeMesh.Activities.Records;
using PracticeMesh.Activities.Series;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Activities;

/// <summary>The service's one route group; each topic maps its own endpoints into it.</summary>
public static class ActivitiesApi
{
    /// <summary>The most rows a list answers with.</summary>
    public const int MaxListItems = 1000;

    public static IEndpointRouteBuilder MapActivitiesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/activities").WithTags("Activities")
            .RequireAuthorization()
            .AuditAdminWrites<RouteGroupBuilder, ActivitiesDbContext>("activities");
        api.MapLifecycleApi();
        api.MapAttendanceApi();
        api.MapRatingsApi();
        api.MapOrdersApi();
        api.MapPlansApi();
        api.MapSeriesApi();
        api.MapLecturersApi();
        api.MapRecordsApi();
        return endpoints;
    }
}
