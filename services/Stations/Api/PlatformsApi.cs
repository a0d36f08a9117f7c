using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;
using PracticeMesh.Stations.Data;
using PracticeMesh.Stations.Domain;

namespace PracticeMesh.Stations.Api;

public sealed record AddVenueRequest(PracticePlatform Platform, string? Name, string? Address, int? Capacity, string? OpeningHours, double? Latitude, double? Longitude);

public sealed record VenueResponse(Guid Id, string StationCode, PracticePlatform Platform, string Name, string? Address, int? Capacity, string? OpeningHours, double? Latitude, double? Longitude)
{
    public static VenueResponse From(Venue v) => new(v.Id, v.StationCode, v.Platform, v.Name, v.Address, v.Capacity, v.OpeningHours, v.Latitude, v.Longitude);
}

/// <summary>One of the five platforms at a site and the venues it has opened up for it.</summary>
public sealed record PlatformResponse(PracticePlatform Platform, List<VenueResponse> Venues);

/// <summary>The five platforms (五大平台) and their venues, and the map export.</summary>
public static class PlatformsApi
{
    public const string GeoJsonContentType = "application/geo+json";

    public static RouteGroupBuilder MapPlatformsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{code}/platforms", PlatformsAsync).WithName("GetStationPlatforms")
            .WithSummary("The five platforms of a site (theory lectures, education, culture, science, health and sport) with their venues")
            .RequireAuthorization(ApiScopes.StationsRead);
        api.MapPost("/{code}/venues", AddVenueAsync).WithName("AddStationVenue")
            .WithSummary("Add a venue to one of a site's five platforms")
            .WithDescription("Example: {\"platform\":\"Culture\",\"name\":\"农家书屋\",\"address\":\"王集村村部一楼\",\"capacity\":40,\"openingHours\":\"周二至周日 8:30-17:30\",\"latitude\":33.47,\"longitude\":118.21}.")
            .RequireAuthorization(ApiScopes.StationsWrite);
        api.MapDelete("/{code}/venues/{id:guid}", RemoveVenueAsync).WithName("RemoveStationVenue")
            .WithSummary("Remove a venue from a site's platform")
            .RequireAuthorization(ApiScopes.StationsWrite);
        api.MapGet("/geojson", GeoJsonAsync).WithName("ExportStationsGeoJson")
            .WithSummary("Sites and venues under a prefix as a GeoJSON FeatureCollection for maps (located ones only)")
            .WithDescription("Example: ?under=321324104. Each feature's properties carry type (station or venue), code, name, kind or platform.")
            .Produces(StatusCodes.Status200OK, contentType: GeoJsonContentType)
            .RequireAuthorization(ApiScopes.StationsRead);
        return api;
    }

    public static async Task<Ok<List<PlatformResponse>>> PlatformsAsync(string code, StationsDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var station = await StationsApi.FindAsync(code, db, caller, cancellationToken, tracked: false);
        var venues = (await db.Venues.AsNoTracking().Where(v => v.StationCode == station.Code).ToListAsync(cancellationToken)).ToLookup(v => v.Platform);
        return TypedResults.Ok(Enum.GetValues<PracticePlatform>()
            .Select(p => new PlatformResponse(p, venues[p].OrderBy(v => v.AddedAt).Select(VenueResponse.From).ToList())).ToList());
    }

    public static async Task<Created<VenueResponse>> AddVenueAsync(
        string code, AddVenueRequest request, StationsDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var station = await StationsApi.FindAsync(code, db, caller, cancellationToken);
        var venue = Venue.Add(station, request.Platform, request.Name, request.Address, request.Capacity, request.OpeningHours, request.Latitude, request.Longitude, now);
        if (await db.Venues.AnyAsync(v => v.StationCode == station.Code && v.Platform == venue.Platform && v.Name == venue.Name, cancellationToken))
        {
            throw new ConflictException($"{station.Code} already has a {venue.Platform} venue named {venue.Name}.");
        }
        db.Venues.Add(venue);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/stations/{station.Code}/venues/{venue.Id}", VenueResponse.From(venue));
    }

    public static async Task<NoContent> RemoveVenueAsync(string code, Guid id, StationsDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var station = await StationsApi.FindAsync(code, db, caller, cancellationToken);
        var venue = await db.Venues.SingleOrDefaultAsync(v => v.Id == id && v.StationCode == station.Code, cancellationToken)
            ?? throw new NotFoundException($"No venue {id} at {station.Code}.");
        db.Venues.Remove(venue);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>RFC 7946 GeoJSON: positions are [longitude, latitude], WGS 84. Sites and venues without a location are left out.</summary>
    public static async Task<ContentHttpResult> GeoJsonAsync(string? under, StationsDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var features = new JsonArray();
        if (caller.ListPrefix(under) is { } prefix)
        {
            var stations = await db.Stations.AsNoTracking()
                .Where(s => s.Code.StartsWith(prefix) && s.Latitude != null && s.Longitude != null)
                .OrderBy(s => s.Code).ToListAsync(cancellationToken);
            foreach (var s in stations)
            {
                features.Add(Feature(s.Longitude!.Value, s.Latitude!.Value, new JsonObject
                {
                    ["type"] = "station", ["code"] = s.Code, ["name"] = s.Name, ["kind"] = s.Kind.ToString(),
                    ["status"] = s.Status.ToString(), ["address"] = s.Address,
                }));
            }
            var venues = await db.Venues.AsNoTracking()
                .Where(v => v.StationCode.StartsWith(prefix) && v.Latitude != null && v.Longitude != null)
                .OrderBy(v => v.StationCode).ThenBy(v => v.AddedAt).ToListAsync(cancellationToken);
            foreach (var v in venues)
            {
                features.Add(Feature(v.Longitude!.Value, v.Latitude!.Value, new JsonObject
                {
                    ["type"] = "venue", ["id"] = v.Id.ToString(), ["stationCode"] = v.StationCode, ["name"] = v.Name,
                    ["platform"] = v.Platform.ToString(), ["address"] = v.Address, ["capacity"] = v.Capacity, ["openingHours"] = v.OpeningHours,
                }));
            }
        }
        var collection = new JsonObject { ["type"] = "FeatureCollection", ["features"] = features };
        return TypedResults.Content(collection.ToJsonString(), GeoJsonContentType);
    }

    private static JsonObject Feature(double longitude, double latitude, JsonObject properties) => new()
    {
        ["type"] = "Feature",
        ["geometry"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(longitude, latitude) },
        ["properties"] = properties,
    };
}
