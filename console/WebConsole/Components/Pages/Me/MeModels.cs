using System.Text.RegularExpressions;
using ZXing;
using ZXing.Common;

namespace PracticeMesh.WebConsole.Components.Pages.Me;

// The shapes of the volunteers' and activities' "me" answers the phone view reads. Enums arrive as their names.

/// <summary>GET /api/v1/volunteers/me: my record (masked), star level, categories and teams.</summary>
public sealed record MyVolunteer(Guid Id, string Name, string HomeStationCode, string Status, int StarLevel,
    IReadOnlyList<string> Categories, bool Linked, DateTimeOffset RegisteredAt);

/// <summary>GET /api/v1/volunteers/me/obligations: my required, done and short hours for a year.</summary>
public sealed record MyObligation(int Year, decimal RequiredHours, decimal DoneHours, decimal ShortHours, decimal ExpectedByNowHours, bool Behind)
{
    /// <summary>Whether any yearly hours are due from me (a category with an obligation).</summary>
    public bool HasObligation => RequiredHours > 0;

    /// <summary>Done over required, 0 to 100 (met is 100 however far beyond).</summary>
    public double Percent => HasObligation ? (double)Math.Min(100m, Math.Round(DoneHours * 100m / RequiredHours, 1)) : 100;

    public bool Met => HasObligation && ShortHours <= 0;
}

/// <summary>GET /api/v1/volunteers/me/hours: my ledger, its total and my star level.</summary>
public sealed record MyHourLedger(decimal TotalHours, int StarLevel, IReadOnlyList<MyLedgerEntry> Entries);

public sealed record MyLedgerEntry(Guid Id, string Kind, Guid? ActivityId, decimal Hours, DateTimeOffset ServedOn, string? Reason);

/// <summary>POST /api/v1/volunteers/me/certificates: the certificate taken, its one-time verification code and its PDF.</summary>
public sealed record MyCertificate(Guid Id, string Serial, string VerificationCode, decimal TotalHours, string PdfUrl);

/// <summary>GET /api/v1/activities/me: my sign-ups this year.</summary>
public sealed record MySignUps(Guid VolunteerId, IReadOnlyList<MySignUp> Items, decimal CreditedHours);

public sealed record MySignUp(Guid ActivityId, string StationCode, string Title, string Category, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    string Status, string? Venue, string? Place, string SignUpStatus, int Position, DateTimeOffset? CheckedInAt, DateTimeOffset? CheckedOutAt,
    decimal? CreditedHours)
{
    /// <summary>A sign-up can be withdrawn until the activity starts (the API's rule).</summary>
    public bool CanWithdraw(DateTimeOffset now) => Status == "Published" && now < StartsAt;

    /// <summary>Check-in opens half an hour before the start and closes at the end (the API's rule).</summary>
    public bool CanCheckIn(DateTimeOffset now) => Status is "Published" or "Ongoing" && CheckedInAt is null
        && SignUpStatus == "Confirmed" && now >= StartsAt.AddMinutes(-30) && now <= EndsAt;
}

/// <summary>GET /api/v1/activities: the activities of my village, to find ones open to sign up.</summary>
public sealed record OpenActivity(Guid Id, string StationCode, string Title, string Category, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    string Status, string? Venue, string? Place, int Capacity);

public sealed record SignUpBody(bool JoinWaitlist = false);

/// <summary>A check-in by the code shown at the venue; without a volunteer id the API takes the signed-in volunteer's own.</summary>
public sealed record CheckInBody(string Token, string Method = "QrToken");

/// <summary>
/// The venue's check-in code: <c>activityId.issuedAtMs.nonce.signature</c> (activities' QrTokenSigner). Its first part
/// names the activity, so one scan says where to check in. Found anywhere in the scanned text, so a code shown as a
/// link still reads.
/// </summary>
public static partial class CheckInCode
{
    [GeneratedRegex(@"(?<activity>[0-9a-fA-F]{32})\.[0-9]{10,16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")]
    private static partial Regex Pattern();

    public static bool TryRead(string? text, out Guid activityId, out string token)
    {
        var match = Pattern().Match(text?.Trim() ?? "");
        if (match.Success && Guid.TryParseExact(match.Groups["activity"].Value, "N", out activityId))
        {
            token = match.Value;
            return true;
        }
        (activityId, token) = (Guid.Empty, "");
        return false;
    }
}

/// <summary>
/// Reads a QR code from a camera frame (greyscale, one byte a pixel) where the phone's browser has no BarcodeDetector.
/// </summary>
public static class QrFrameDecoder
{
    /// <summary>The largest frame accepted: 640 × 480 luminance bytes.</summary>
    public const int MaxFrameBytes = 640 * 480;

    public static string? Decode(byte[] luminance, int width, int height)
    {
        if (width <= 0 || height <= 0 || (long)width * height != luminance.Length || luminance.Length > MaxFrameBytes)
        {
            return null;
        }
        var reader = new BarcodeReaderGeneric
        {
            Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true },
        };
        return reader.Decode(new RGBLuminanceSource(luminance, width, height, RGBLuminanceSource.BitmapFormat.Gray8))?.Text;
    }
}
