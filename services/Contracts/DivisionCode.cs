using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PracticeMesh.Contracts;

/// <summary>The tier a division code names.</summary>
public enum DivisionTier
{
    /// <summary>县 county: 6 digits; the county centre (新时代文明实践中心).</summary>
    County = 6,
    /// <summary>乡镇 township: 9 digits; a practice institute (实践所).</summary>
    Township = 9,
    /// <summary>村/社区 village or community: 12 digits; a practice station (实践站).</summary>
    Village = 12,
}

/// <summary>
/// A national statistical division code (统计用区划代码) of 6, 9 or 12 digits.
/// A shorter code is a prefix of every code under it, so "everything in township X"
/// is a prefix match. Codes of another length, or with a zero province part, are refused.
/// </summary>
[JsonConverter(typeof(DivisionCodeJsonConverter))]
public readonly record struct DivisionCode : IParsable<DivisionCode>, IComparable<DivisionCode>
{
    private readonly string? _value;

    private DivisionCode(string value) => _value = value;

    /// <summary>The digits of the code.</summary>
    public string Value => _value ?? throw new InvalidOperationException("An uninitialised DivisionCode has no value.");

    public DivisionTier Tier => (DivisionTier)Value.Length;

    /// <summary>The code of the tier above, or null for a county.</summary>
    public DivisionCode? Parent => Tier switch
    {
        DivisionTier.Village => new DivisionCode(Value[..9]),
        DivisionTier.Township => new DivisionCode(Value[..6]),
        _ => null,
    };

    /// <summary>The county this code lies in (itself for a county code).</summary>
    public DivisionCode County => new(Value[..6]);

    /// <summary>
    /// The township (乡镇) this code lies in: itself for a township, the first 9 digits of a village; a county code
    /// lies in no township and stands for itself.
    /// </summary>
    public DivisionCode Township => Tier == DivisionTier.Village ? new(Value[..9]) : this;

    /// <summary>True when this code is <paramref name="ancestorOrSelf"/> or lies under it.</summary>
    public bool IsWithin(DivisionCode ancestorOrSelf) => Value.StartsWith(ancestorOrSelf.Value, StringComparison.Ordinal);

    /// <summary>True when this code lies under a bare prefix such as a division scope ("3213", "321324104").</summary>
    public bool IsWithin(string prefix) => Value.StartsWith(prefix, StringComparison.Ordinal);

    public static DivisionCode Parse(string s) => Parse(s, null);

    public static DivisionCode Parse(string s, IFormatProvider? provider) =>
        TryParse(s, out var code, out var error) ? code : throw new FormatException(error);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out DivisionCode result) =>
        TryParse(s, out result, out _);

    public static bool TryParse([NotNullWhen(true)] string? s, out DivisionCode result) => TryParse(s, out result, out _);

    /// <summary>Parses a code and says why a bad one is refused.</summary>
    public static bool TryParse([NotNullWhen(true)] string? s, out DivisionCode result, out string error)
    {
        result = default;
        if (string.IsNullOrWhiteSpace(s))
        {
            error = "A division code is required.";
            return false;
        }
        s = s.Trim();
        if (s.Length is not (6 or 9 or 12))
        {
            error = $"A division code has 6 (county), 9 (township) or 12 (village) digits; '{s}' has {s.Length} characters.";
            return false;
        }
        foreach (var c in s)
        {
            if (c is < '0' or > '9')
            {
                error = $"A division code has digits only; '{s}' does not.";
                return false;
            }
        }
        // Province codes run from 11 to 82; the county part of a real county is never 0000.
        var province = (s[0] - '0') * 10 + (s[1] - '0');
        if (province is < 11 or > 82)
        {
            error = $"'{s}' does not start with a province code (11-82).";
            return false;
        }
        if (s.AsSpan(2, 4).SequenceEqual("0000"))
        {
            error = $"'{s}' names a province, not a county or a place in one.";
            return false;
        }
        if (s.Length >= 9 && s.AsSpan(6, 3).SequenceEqual("000"))
        {
            error = $"'{s}' has a township part of 000.";
            return false;
        }
        if (s.Length == 12 && s.AsSpan(9, 3).SequenceEqual("000"))
        {
            error = $"'{s}' has a village part of 000.";
            return false;
        }
        result = new DivisionCode(s);
        error = string.Empty;
        return true;
    }

    public int CompareTo(DivisionCode other) => string.CompareOrdinal(Value, other.Value);

    public override string ToString() => _value ?? string.Empty;

    public static implicit operator string(DivisionCode code) => code.Value;
}

public sealed class DivisionCodeJsonConverter : JsonConverter<DivisionCode>
{
    public override DivisionCode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return DivisionCode.TryParse(text, out var code, out var error) ? code : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, DivisionCode value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
