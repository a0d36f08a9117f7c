using System.Diagnostics.CodeAnalysis;
using PracticeMesh.Contracts.Events.V1;

namespace PracticeMesh.Contracts;

/// <summary>
/// The code that names a practice site, as the stations registry gives it and every service takes it. A centre,
/// institute, village or community station is named by its division code (321324, 321324104, 321324104201). A unit
/// station (school, enterprise, agency, mobile 流动实践站) is named by its place's division code, a kind letter and a
/// two-digit serial: <c>321324104201-S01</c> is the first school station in that village. The place's code stays a
/// prefix, so prefix queries and division scopes cover unit stations too: a service checks scope on
/// <see cref="Place"/> and keys its rows on <see cref="Value"/>.
/// </summary>
public readonly record struct StationCode(DivisionCode Place, StationKind? UnitKind, int Serial) : IParsable<StationCode>
{
    /// <summary>The longest code: 12 digits, a dash, a letter and two digits.</summary>
    public const int MaxLength = 16;

    public bool IsUnit => UnitKind is not null;

    /// <summary>
    /// True for a practice station (实践站): a village or community station, or a unit station. The county centre and the
    /// township institutes are practice sites but not stations, so rules made for stations (two activities a month) skip them.
    /// </summary>
    public bool IsStation => IsUnit || Place.Tier == DivisionTier.Village;

    public string Value => UnitKind is { } kind ? $"{Place.Value}-{Letter(kind)}{Serial:00}" : Place.Value;

    public override string ToString() => Value;

    /// <summary>True when the site lies under a bare prefix such as a division scope ("3213", "321324104").</summary>
    public bool IsWithin(string prefix) => Place.IsWithin(prefix);

    public static bool IsUnitKind(StationKind kind) => kind is StationKind.School or StationKind.Enterprise or StationKind.Agency or StationKind.Mobile;

    public static char Letter(StationKind kind) => kind switch
    {
        StationKind.School => 'S',
        StationKind.Enterprise => 'E',
        StationKind.Agency => 'A',
        StationKind.Mobile => 'M',
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only unit stations have a kind letter."),
    };

    private static StationKind? KindOf(char letter) => letter switch
    {
        'S' => StationKind.School,
        'E' => StationKind.Enterprise,
        'A' => StationKind.Agency,
        'M' => StationKind.Mobile,
        _ => null,
    };

    public static StationCode ForUnit(DivisionCode place, StationKind kind, int serial) => new(place, kind, serial);

    public static StationCode Parse(string s) => Parse(s, null);

    public static StationCode Parse(string s, IFormatProvider? provider) =>
        TryParse(s, out var code, out var error) ? code : throw new FormatException(error);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out StationCode result) =>
        TryParse(s, out result, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, out StationCode result) => TryParse(s, out result, out _);

    /// <summary>Parses a division code or a unit station code, and says why a bad one is refused.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out StationCode code, out string error)
    {
        code = default;
        text = text?.Trim();
        var dash = text?.IndexOf('-') ?? -1;
        if (dash < 0)
        {
            if (!DivisionCode.TryParse(text, out var division, out error))
            {
                error = $"{error} A unit station adds a kind letter and a serial (321324104201-S01).";
                return false;
            }
            code = new StationCode(division, null, 0);
            return true;
        }
        if (!DivisionCode.TryParse(text![..dash], out var place, out var placeError))
        {
            error = $"A unit station code is a division code, a dash, a kind letter and a serial (321324104201-S01): {placeError}";
            return false;
        }
        var suffix = text[(dash + 1)..];
        if (suffix.Length != 3 || KindOf(char.ToUpperInvariant(suffix[0])) is not { } kind
            || !char.IsAsciiDigit(suffix[1]) || !char.IsAsciiDigit(suffix[2]) || suffix[1..] == "00")
        {
            error = $"A unit station code ends in a kind letter (S school, E enterprise, A agency, M mobile) and a serial 01-99, e.g. {place}-S01; '{text}' does not.";
            return false;
        }
        code = new StationCode(place, kind, int.Parse(suffix[1..], System.Globalization.CultureInfo.InvariantCulture));
        error = string.Empty;
        return true;
    }
}
