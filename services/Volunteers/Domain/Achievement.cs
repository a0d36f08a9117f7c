using PracticeMesh.Contracts;

namespace PracticeMesh.Volunteers.Domain;

public enum AchievementKind
{
    /// <summary>培训</summary>
    Training,
    /// <summary>表彰 (e.g. 优秀志愿者)</summary>
    Commendation,
}

/// <summary>A training attended or a commendation received, recorded per volunteer (seed: 培训, 考核, 表彰).</summary>
public sealed class Achievement
{
    private Achievement() { }

    public Guid Id { get; private set; }
    public Guid VolunteerId { get; private set; }
    public DivisionCode DivisionCode { get; private set; }
    public AchievementKind Kind { get; private set; }
    public string Title { get; private set; } = "";
    /// <summary>Who ran the training or gave the commendation.</summary>
    public string? Issuer { get; private set; }
    public DateOnly On { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
    public string? RecordedBy { get; private set; }

    public static Achievement Record(Volunteer volunteer, AchievementKind kind, string? title, string? issuer, DateOnly? on, string? recordedBy, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var trimmed = title?.Trim() ?? "";
        if (trimmed.Length is 0 or > 200)
        {
            errors["title"] = ["A title of 1 to 200 characters is required."];
        }
        if (issuer?.Trim().Length > 100)
        {
            errors["issuer"] = ["At most 100 characters."];
        }
        HourLedgerEntry.ValidateDay(on, now, errors);
        if (errors.ContainsKey("servedOn"))
        {
            errors.Remove("servedOn");
            errors["on"] = ["The date is required and cannot be in the future."];
        }
        HourLedgerEntry.ThrowIfAny(errors);
        return new Achievement
        {
            Id = Guid.CreateVersion7(now),
            VolunteerId = volunteer.Id,
            DivisionCode = volunteer.DivisionCode,
            Kind = kind,
            Title = trimmed,
            Issuer = string.IsNullOrWhiteSpace(issuer) ? null : issuer.Trim(),
            On = on!.Value,
            RecordedAt = now,
            RecordedBy = recordedBy,
        };
    }
}
