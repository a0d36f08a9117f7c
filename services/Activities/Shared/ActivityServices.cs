using PracticeMesh.Activities.Data;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Activities.Shared;

/// <summary>
/// What nearly every handler of the service needs, bound with <c>[AsParameters]</c> so a handler's signature names
/// only its own inputs (route values, body) and the few services peculiar to it.
/// </summary>
public sealed record ActivityServices(
    ActivitiesDbContext Db, Caller Caller, TimeProvider Time, ActivitiesOptions Options, HttpContext Http, CancellationToken CancellationToken);
