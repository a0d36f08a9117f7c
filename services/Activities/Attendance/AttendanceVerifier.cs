using PracticeMesh.Activities.Lifecycle;
using PracticeMesh.Activities.Shared;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Activities.Attendance;

/// <summary>
/// Decides whether one check-in or check-out is proven, then records it on the activity: a QR token shown at the
/// venue (signed, short-lived, once per volunteer and direction), a location within the radius of the venue or the
/// mobile activity's place, or a station admin's entry by hand with a reason.
/// </summary>
public sealed class AttendanceVerifier(ActivitiesOptions options, QrTokenSigner signer, IQrTokenUseStore used, ILogger<AttendanceVerifier> logger)
{
    /// <summary>QR uses marked in this request (the verifier is scoped), forgotten again if the request records nothing.</summary>
    private readonly List<string> _marked = [];

    /// <summary>The method named, or the one that follows from what is given.</summary>
    public static AttendanceMethod MethodOf(AttendanceBatchItem item) =>
        item.Method ?? (item.Token is not null ? AttendanceMethod.QrToken
            : item.Latitude is not null || item.Longitude is not null ? AttendanceMethod.Location
            : AttendanceMethod.Manual);

    /// <param name="station">The activity's station; needed only for a location check-in.</param>
    /// <param name="volunteerId">Whose attendance: the item's volunteer, or the signed-in one's when the item names none.</param>
    public async Task ApplyAsync(Activity activity, KnownStation? station, AttendanceBatchItem item, Guid volunteerId, DateTimeOffset now, Caller caller)
    {
        var method = MethodOf(item);
        string? note = null;
        string? useKey = null;
        switch (method)
        {
            case AttendanceMethod.QrToken:
                var claims = signer.Validate(item.Token, activity.Id, item.At);
                useKey = $"{activity.Id:N}:{claims.Nonce}:{volunteerId:N}:{item.Kind}";
                break;
            case AttendanceMethod.Location:
                CheckLocation(activity, station, item);
                break;
            case AttendanceMethod.Manual:
                if (caller.Role is not { } role || !PracticeMeshRoles.Admins.Contains(role))
                {
                    throw new ForbiddenException("Only a station admin records attendance by hand; scan the code or share your location.");
                }
                note = item.Reason?.Trim();
                if (string.IsNullOrEmpty(note) || note.Length > 500)
                {
                    throw new DomainValidationException("reason", "Recording attendance by hand needs a reason of 1 to 500 characters.");
                }
                break;
            default:
                throw new DomainValidationException("method", "Unknown method.");
        }
        if (useKey is not null)
        {
            // Marked before recording, atomically in the shared store: two replicas seeing the same replay cannot both accept it.
            var keepFor = activity.EndsAt.AddDays(1) - now;
            if (!await used.TryMarkUsedAsync(useKey, keepFor > options.QrLifetime ? keepFor : options.QrLifetime))
            {
                throw new ConflictException("This QR token was already used for this volunteer; scan the code currently shown.");
            }
            _marked.Add(useKey);
        }
        try
        {
            if (item.Kind == AttendanceKind.CheckIn)
            {
                activity.CheckIn(volunteerId, item.At, now, method, note);
            }
            else
            {
                activity.CheckOut(volunteerId, item.At, now, method, note);
            }
        }
        catch when (useKey is not null)
        {
            // Refused (not signed up, too early…): the token was not used, so the volunteer may scan it again.
            _marked.Remove(useKey);
            await ForgetQuietlyAsync(useKey);
            throw;
        }
    }

    /// <summary>
    /// Forgets every QR use this request marked, when its check-ins were not saved (the database did not answer):
    /// the client's retry with the same token must not be refused as a replay.
    /// </summary>
    public async Task ForgetMarkedAsync()
    {
        foreach (var key in _marked)
        {
            await ForgetQuietlyAsync(key);
        }
        _marked.Clear();
    }

    private async Task ForgetQuietlyAsync(string key)
    {
        try
        {
            await used.ForgetAsync(key);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            // The mark then stands until it expires; the volunteer scans the next code shown.
            logger.LogWarning(ex, "Could not forget a QR token use.");
        }
    }

    private void CheckLocation(Activity activity, KnownStation? station, AttendanceBatchItem item)
    {
        if (item.Latitude is not { } lat || item.Longitude is not { } lon || lat is < -90 or > 90 || lon is < -180 or > 180)
        {
            throw new DomainValidationException("latitude", "A location check-in gives latitude (-90..90) and longitude (-180..180).");
        }
        // A mobile activity is measured from its own place only; a venue activity falls back to the station's location.
        var (centreLat, centreLon) = activity.Latitude is { } aLat && activity.Longitude is { } aLon ? (aLat, aLon)
            : !activity.IsMobile && station is { Latitude: { } sLat, Longitude: { } sLon } ? (sLat, sLon)
            : throw new ConflictException("The activity's place has no coordinates; check in by QR code or with the station admin.");
        var distance = GeoDistance.Meters(lat, lon, centreLat, centreLon);
        if (distance > options.CheckInRadiusMeters)
        {
            throw new DomainValidationException("latitude",
                $"The location is {distance:F0} m from the activity's place; within {options.CheckInRadiusMeters:F0} m is required.");
        }
    }
}
