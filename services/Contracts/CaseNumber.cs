using System.Security.Cryptography;

namespace PracticeMesh.Contracts;

/// <summary>
/// A grid case's number (案件编号), what a resident, a hotline or a partner's Open311 <c>service_request_id</c> quotes:
/// the report's date in China time, the township of the case, and five random base-32 characters
/// (<c>20261130-321324104-K7Q2M</c>). Like <see cref="TownshipGuid"/> it names its township, so the gateway sends a
/// request carrying only a number to the township's grid cell with no lookup. Numbers made before township cells
/// (<c>20261130-K7Q2M</c>) name none and stay on the primary cell.
/// </summary>
public static class CaseNumber
{
    private const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    /// <summary>The longest number: 8 + 1 + 9 + 1 + 5 characters.</summary>
    public const int MaxLength = 24;

    /// <summary>A new number for a case of <paramref name="division"/> (a village; its township is kept) reported on <paramref name="day"/>.</summary>
    public static string New(DivisionCode division, DateOnly day)
    {
        Span<char> tail = stackalloc char[5];
        for (var i = 0; i < tail.Length; i++)
        {
            tail[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        var township = division.Tier == DivisionTier.County ? "" : division.Township.Value + "-";
        return $"{day:yyyyMMdd}-{township}{tail}";
    }

    /// <summary>The township a number names, or null (an older number, or text that is no case number).</summary>
    public static DivisionCode? TownshipOf(string? number)
    {
        if (number is not { Length: MaxLength } || number[8] != '-' || number[18] != '-'
            || !number.AsSpan(0, 8).ContainsOnlyDigits() || !number.AsSpan(19).ContainsOnlyBase32())
        {
            return null;
        }
        return DivisionCode.TryParse(number.Substring(9, 9), out var code) && code.Tier == DivisionTier.Township ? code : null;
    }

    private static bool ContainsOnlyDigits(this ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');

    private static bool ContainsOnlyBase32(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }
}
