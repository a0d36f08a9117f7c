using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Volunteers.Domain;

public enum VolunteerStatus { Pending, Approved, Rejected, Suspended }

/// <summary>What a registration (实名注册) carries, as the caller sent it.</summary>
public sealed record Registration(
    string? Name,
    string? IdCardNumber,
    string? Mobile,
    PoliticalStatus? PoliticalStatus,
    IReadOnlyList<VolunteerCategory>? Categories,
    IReadOnlyList<string>? Skills,
    string? HomeStationCode);

/// <summary>
/// A registered volunteer (志愿者). Review (审核) moves a registration from pending to approved or rejected; an
/// approved volunteer can be suspended and reinstated. The ID card number and phone are kept encrypted, with a
/// keyed hash of the ID number for finding a second registration of the same person, and a masked copy for display.
/// </summary>
public sealed class Volunteer
{
    public const int MaxSkills = 20;
    public const int MaxSkillLength = 30;

    private Volunteer() { }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>The division code of the volunteer's home station; for a unit station, its place's code.</summary>
    public DivisionCode DivisionCode { get; private set; }
    /// <summary>
    /// The sign-in account (identity's person id, the token's subject) that registered itself; null for a registration
    /// an admin made. Identity links that login to this record when it is approved.
    /// </summary>
    public Guid? PersonId { get; private set; }
    /// <summary>The home station's code when it is a unit station (school, enterprise, agency, mobile: 321324104201-S01); null for a place's own station.</summary>
    public string? UnitStationCode { get; private set; }

    /// <summary>The code of the volunteer's home station, as the stations registry names it.</summary>
    public string HomeStationCode => UnitStationCode ?? DivisionCode.Value;
    public VolunteerStatus Status { get; private set; }
    public string? RejectionReason { get; private set; }
    public string? SuspensionReason { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }
    public DateTimeOffset? ReviewedAt { get; private set; }
    public DateTimeOffset? SuspendedAt { get; private set; }

    public string IdCardHash { get; private set; } = "";
    public string IdCardCipher { get; private set; } = "";
    public string IdCardMasked { get; private set; } = "";
    public string MobileCipher { get; private set; } = "";
    public string MobileMasked { get; private set; } = "";
    public DateOnly BirthDate { get; private set; }
    public Sex Sex { get; private set; }
    public PoliticalStatus PoliticalStatus { get; private set; }
    /// <summary>Categories as ",Cadre,Student," so a category filter is a plain LIKE on every database.</summary>
    public string CategoryList { get; private set; } = ",";
    /// <summary>Skills, one per line.</summary>
    public string SkillList { get; private set; } = "";
    /// <summary>The highest star level reached; only ever rises, so each level is announced once.</summary>
    public int StarLevel { get; private set; }

    public IReadOnlyList<VolunteerCategory> Categories =>
        [.. CategoryList.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<VolunteerCategory>)];

    public IReadOnlyList<string> Skills => SkillList.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static string CategoryToken(VolunteerCategory category) => $",{category},";

    /// <param name="personId">The person registering themselves (自助注册), or null when an admin registers someone.</param>
    public static Volunteer Register(Registration registration, PersonalDataProtector protector, DateTimeOffset now, Guid? personId = null)
    {
        var errors = new Dictionary<string, string[]>();
        var name = registration.Name?.Trim() ?? "";
        if (name.Length is 0 or > 50)
        {
            errors["name"] = ["A real name of 1 to 50 characters is required."];
        }
        if (!Domain.IdCardNumber.TryParse(registration.IdCardNumber, ChinaTime.Today(now), out var idCard, out var idError))
        {
            errors["idCardNumber"] = [idError];
        }
        if (!MobileNumber.TryNormalize(registration.Mobile, out var mobile))
        {
            errors["mobile"] = ["A mobile number has 11 digits and starts with 13 to 19."];
        }
        if (registration.PoliticalStatus is not { } political || !Enum.IsDefined(political))
        {
            errors["politicalStatus"] = ["Political status is required (PartyMember, LeagueMember, Masses or Other)."];
        }
        var categories = (registration.Categories ?? []).Distinct().Order().ToList();
        if (categories.Any(c => !Enum.IsDefined(c)))
        {
            errors["categories"] = ["Unknown category."];
        }
        var skills = (registration.Skills ?? []).Select(s => s?.Trim() ?? "").Where(s => s.Length > 0).Distinct().ToList();
        if (skills.Count > MaxSkills || skills.Any(s => s.Length > MaxSkillLength || s.Contains('\n')))
        {
            errors["skills"] = [$"At most {MaxSkills} skills of at most {MaxSkillLength} characters."];
        }
        if (!StationCode.TryParse(registration.HomeStationCode, out var home, out var codeError))
        {
            errors["homeStationCode"] = [codeError];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        var id = Guid.CreateVersion7(now);
        return new Volunteer
        {
            Id = id,
            Name = name,
            PersonId = personId,
            DivisionCode = home.Place,
            UnitStationCode = home.IsUnit ? home.Value : null,
            Status = VolunteerStatus.Pending,
            RegisteredAt = now,
            IdCardHash = protector.LookupHash(idCard.Value),
            IdCardCipher = protector.Encrypt(idCard.Value, id),
            IdCardMasked = idCard.Masked,
            MobileCipher = protector.Encrypt(mobile, id),
            MobileMasked = MobileNumber.Mask(mobile),
            BirthDate = idCard.BirthDate,
            Sex = idCard.Sex,
            PoliticalStatus = registration.PoliticalStatus!.Value,
            CategoryList = "," + string.Concat(categories.Select(c => $"{c},")),
            SkillList = string.Join('\n', skills),
        };
    }

    public VolunteerApproved Approve(DateTimeOffset now)
    {
        if (Status != VolunteerStatus.Pending)
        {
            throw new ConflictException($"Only a pending registration can be approved; this one is {Status.ToString().ToLowerInvariant()}.");
        }
        Status = VolunteerStatus.Approved;
        ReviewedAt = now;
        return new VolunteerApproved(Guid.CreateVersion7(now), now, DivisionCode, Id, Name, PersonId, HomeStationCode, [.. Categories.Select(c => c.ToString())]);
    }

    public void Reject(string? reason, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainValidationException("reason", "A rejection needs a reason.");
        }
        if (Status != VolunteerStatus.Pending)
        {
            throw new ConflictException($"Only a pending registration can be rejected; this one is {Status.ToString().ToLowerInvariant()}.");
        }
        Status = VolunteerStatus.Rejected;
        RejectionReason = Truncate(reason.Trim(), 500);
        ReviewedAt = now;
    }

    public VolunteerSuspended Suspend(string? reason, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainValidationException("reason", "A suspension needs a reason.");
        }
        if (Status != VolunteerStatus.Approved)
        {
            throw new ConflictException($"Only an approved volunteer can be suspended; this one is {Status.ToString().ToLowerInvariant()}.");
        }
        Status = VolunteerStatus.Suspended;
        SuspensionReason = Truncate(reason.Trim(), 500);
        SuspendedAt = now;
        return new VolunteerSuspended(Guid.CreateVersion7(now), now, DivisionCode, Id, SuspensionReason);
    }

    public VolunteerReinstated Reinstate(DateTimeOffset now)
    {
        if (Status != VolunteerStatus.Suspended)
        {
            throw new ConflictException($"Only a suspended volunteer can be reinstated; this one is {Status.ToString().ToLowerInvariant()}.");
        }
        Status = VolunteerStatus.Approved;
        SuspensionReason = null;
        SuspendedAt = null;
        return new VolunteerReinstated(Guid.CreateVersion7(now), now, DivisionCode, Id);
    }

    /// <summary>Raises the star level to what <paramref name="totalHundredths"/> earns; the event when it rose.</summary>
    public StarLevelReached? UpdateStarLevel(long totalHundredths, StarLadder ladder, DateTimeOffset now)
    {
        var level = ladder.LevelFor(totalHundredths);
        if (level <= StarLevel)
        {
            return null;
        }
        StarLevel = level;
        return new StarLevelReached(Guid.CreateVersion7(now), now, DivisionCode, Id, level, new ServiceTime((int)totalHundredths).Hours);
    }

    public string RevealIdCardNumber(PersonalDataProtector protector) => protector.Decrypt(IdCardCipher, Id);

    public string RevealMobile(PersonalDataProtector protector) => protector.Decrypt(MobileCipher, Id);

    public VolunteerRegistered ToRegisteredEvent(DateTimeOffset now) => new(Guid.CreateVersion7(now), now, DivisionCode, Id, Name, PersonId);

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
