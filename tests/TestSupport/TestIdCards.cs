using System.Security.Cryptography;

namespace PracticeMesh.TestSupport;

/// <summary>
/// Registration data for volunteers in end-to-end runs. The real servers keep their data between runs and a person
/// registers once, so each call makes a fresh, valid ID card number (GB 11643 check character) and phone.
/// </summary>
public static class TestIdCards
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    public static string Next()
    {
        var birth = new DateOnly(1950, 1, 1).AddDays(RandomNumberGenerator.GetInt32(365 * 50));
        var first17 = $"321324{birth:yyyyMMdd}{RandomNumberGenerator.GetInt32(1000):D3}";
        var sum = first17.Select((c, i) => (c - '0') * Weights[i]).Sum();
        return first17 + "10X98765432"[sum % 11];
    }

    public static string Mobile() => $"139{RandomNumberGenerator.GetInt32(100_000_000):D8}";

    /// <summary>A complete registration body for <paramref name="name"/> at <paramref name="homeStationCode"/>.</summary>
    public static object Registration(string name, string homeStationCode) => new
    {
        name, idCardNumber = Next(), mobile = Mobile(), politicalStatus = "Masses", categories = new[] { "Other" }, homeStationCode,
    };
}
