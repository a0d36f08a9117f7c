namespace PracticeMesh.ServiceDefaults;

/// <summary>A division code prefix from a query string ("everything under ..."): digits only, at most 12.</summary>
public static class DivisionPrefix
{
    /// <summary>Returns the prefix, or null when none was given; a malformed one is a 400 naming <paramref name="field"/>.</summary>
    public static string? Validate(string? prefix, string field)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return null;
        }
        if (prefix.Length > 12 || !prefix.All(char.IsAsciiDigit))
        {
            throw new DomainValidationException(field, "A division code prefix has 1 to 12 digits.");
        }
        return prefix;
    }
}
