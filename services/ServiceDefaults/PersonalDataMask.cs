namespace PracticeMesh.ServiceDefaults;

/// <summary>
/// How personal data is shown to those who may see a record but not the person's data itself: one rule for every
/// service (volunteers, care recipients, lecturers), so a phone number looks the same masked wherever it appears.
/// </summary>
public static class PersonalDataMask
{
    /// <summary>A mainland mobile number as 138****1234; anything else entirely starred.</summary>
    public static string Mobile(string number) => number.Length == 11 ? $"{number[..3]}****{number[^4..]}" : new string('*', number.Length);
}
