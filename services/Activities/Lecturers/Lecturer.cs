using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Activities.Lecturers;

/// <summary>
/// A lecturer (宣讲员, 百姓名嘴) in a division's pool: the county's, a township's or a station's. Activities of the
/// stations under that division may name them.
/// </summary>
public sealed class Lecturer
{
    private Lecturer() { }

    public Guid Id { get; private set; }
    /// <summary>The division whose pool holds the lecturer (6, 9 or 12 digits).</summary>
    public DivisionCode DivisionCode { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>What they speak on (政策理论, 家风家训, 法律 ...), each 1 to 50 characters.</summary>
    public List<string> Topics { get; private set; } = [];
    /// <summary>Kept for the organisers' own call; answered only masked.</summary>
    public string? Phone { get; private set; }
    public bool Active { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public string? MaskedPhone => Phone is null ? null : PersonalDataMask.Mobile(Phone);

    public static Lecturer Create(DivisionCode division, string? name, IReadOnlyList<string>? topics, string? phone, DateTimeOffset now)
    {
        var lecturer = new Lecturer { Id = TownshipGuid.New(division, now), DivisionCode = division, Active = true, CreatedAt = now };
        lecturer.Change(name, topics, phone, true, now);
        return lecturer;
    }

    public void Change(string? name, IReadOnlyList<string>? topics, string? phone, bool active, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 50)
        {
            errors["name"] = ["A name of 1 to 50 characters is required."];
        }
        var cleanTopics = (topics ?? []).Select(t => t?.Trim() ?? "").ToList();
        if (cleanTopics.Count > 20 || cleanTopics.Any(t => t.Length is 0 or > 50))
        {
            errors["topics"] = ["At most 20 topics of 1 to 50 characters each."];
        }
        var cleanPhone = string.IsNullOrWhiteSpace(phone) ? null : phone.Trim();
        if (cleanPhone is not null && (cleanPhone.Length is < 5 or > 20 || !cleanPhone.All(c => char.IsAsciiDigit(c) || c == '-')))
        {
            errors["phone"] = ["A phone number is 5 to 20 digits (dashes allowed)."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        Name = trimmed;
        Topics = cleanTopics.Distinct().ToList();
        Phone = cleanPhone;
        Active = active;
        UpdatedAt = now;
    }
}
