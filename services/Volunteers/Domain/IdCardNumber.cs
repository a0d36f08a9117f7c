using System.Globalization;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Volunteers.Domain;

public enum Sex { Female, Male }

/// <summary>
/// A resident identity card number (居民身份证号码, GB 11643-1999): 6-digit address code, 8-digit birth date,
/// 3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character (0-9 or X).
/// </summary>
public readonly record struct IdCardNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    private IdCardNumber(string value, DateOnly birthDate, Sex sex) => (Value, BirthDate, Sex) = (value, birthDate, sex);

    public string Value { get; }
    public DateOnly BirthDate { get; }
    public Sex Sex { get; }

    /// <summary>Shown everywhere but the explicit personal-data view: the region and the last four only.</summary>
    public string Masked => Mask(Value);

    public static string Mask(string value) => value.Length == 18 ? $"{value[..4]}**********{value[^4..]}" : new string('*', value.Length);

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }
        return CheckCharacters[sum % 11];
    }

    /// <summary>
    /// Parses a number, refusing a wrong length, non-digits, an impossible or future birth date, and a wrong
    /// check character. <paramref name="today"/> bounds the birth date.
    /// </summary>
    public static bool TryParse(string? text, DateOnly today, out IdCardNumber number, out string error)
    {
        number = default;
        var value = text?.Trim().ToUpperInvariant() ?? "";
        if (value.Length != 18 || !!value.AsSpan(0, 17).ContainsAnyExceptInRange('0', '9') || !(char.IsAsciiDigit(value[17]) || value[17] == 'X'))
        {
            error = "An ID card number has 17 digits and a check character (0-9 or X).";
            return false;
        }
        if (value[0] == '0' || value.StartsWith("00", StringComparison.Ordinal))
        {
            error = "The ID card number's region code is not valid.";
            return false;
        }
        if (!DateOnly.TryParseExact(value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            || birth.Year < 1900 || birth > today)
        {
            error = "The birth date in the ID card number is impossible.";
            return false;
        }
        if (CheckCharacter(value) != value[17])
        {
            error = "The ID card number's check character is wrong.";
            return false;
        }
        number = new IdCardNumber(value, birth, (value[16] - '0') % 2 == 1 ? Sex.Male : Sex.Female);
        error = "";
        return true;
    }
}

/// <summary>A mainland mobile number: 11 digits, 1 then 3-9.</summary>
public static class MobileNumber
{
    public static bool TryNormalize(string? text, out string number)
    {
        number = text?.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal) ?? "";
        if (number.StartsWith("+86", StringComparison.Ordinal))
        {
            number = number[3..];
        }
        return number.Length == 11 && !number.AsSpan().ContainsAnyExceptInRange('0', '9') && number[0] == '1' && number[1] is >= '3' and <= '9';
    }

    public static string Mask(string number) => PersonalDataMask.Mobile(number);
}
