using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Care;

public enum CareRecipientStatus { Active, Retired }

/// <summary>What an admin writes about a care recipient; null leaves a field as it is on an update.</summary>
public sealed record CareRecipientDetails(string? Name, CareRecipientCategory? Category, string? Address, string? IdCardNumber, string? Mobile);

/// <summary>
/// A person the station serves (帮扶对象): empty-nest or lonely elderly, a family in hardship, a disabled person, a
/// left-behind child. The ID number and phone are optional and kept exactly as volunteers' are: encrypted with the
/// row's id, a keyed hash to find a person registered twice, and only the masked forms shown.
/// </summary>
public sealed class CareRecipient
{
    public const int MaxNameLength = 50;
    public const int MaxAddressLength = 200;

    private CareRecipient() { }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public CareRecipientCategory Category { get; private set; }
    public string Address { get; private set; } = "";
    /// <summary>The village or station whose register holds the person.</summary>
    public DivisionCode DivisionCode { get; private set; }
    public CareRecipientStatus Status { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }
    public DateTimeOffset? UpdatedAt { get; private set; }
    public DateTimeOffset? RetiredAt { get; private set; }
    public string? RetirementReason { get; private set; }

    public string? IdCardHash { get; private set; }
    public string? IdCardCipher { get; private set; }
    public string? IdCardMasked { get; private set; }
    public DateOnly? BirthDate { get; private set; }
    public Sex? Sex { get; private set; }
    public string? MobileCipher { get; private set; }
    public string? MobileMasked { get; private set; }

    public static CareRecipient Register(string? stationCode, CareRecipientDetails details, PersonalDataProtector protector, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (!DivisionCode.TryParse(stationCode, out var station, out var codeError))
        {
            errors["stationCode"] = [codeError];
        }
        var recipient = new CareRecipient { Id = Guid.CreateVersion7(now), DivisionCode = station, Status = CareRecipientStatus.Active, RegisteredAt = now };
        recipient.Apply(details, required: true, protector, now, errors);
        return recipient;
    }

    /// <summary>Changes what is given; an empty ID number or phone removes it. The station stays: a person who moves is retired here and registered there.</summary>
    public void Update(CareRecipientDetails details, PersonalDataProtector protector, DateTimeOffset now)
    {
        EnsureActive();
        Apply(details, required: false, protector, now, []);
        UpdatedAt = now;
    }

    public void Retire(string? reason, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > 500)
        {
            throw new DomainValidationException("reason", "A reason of 1 to 500 characters is required (moved away, passed away, no longer in need).");
        }
        EnsureActive();
        Status = CareRecipientStatus.Retired;
        RetiredAt = now;
        RetirementReason = reason.Trim();
    }

    public void EnsureActive()
    {
        if (Status != CareRecipientStatus.Active)
        {
            throw new ConflictException("This person was retired from the care register.");
        }
    }

    public string? RevealIdCardNumber(PersonalDataProtector protector) => IdCardCipher is null ? null : protector.Decrypt(IdCardCipher, Id);

    public string? RevealMobile(PersonalDataProtector protector) => MobileCipher is null ? null : protector.Decrypt(MobileCipher, Id);

    private void Apply(CareRecipientDetails details, bool required, PersonalDataProtector protector, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        var name = details.Name?.Trim();
        if ((required || name is not null) && name is not { Length: > 0 and <= MaxNameLength })
        {
            errors["name"] = [$"A name of 1 to {MaxNameLength} characters is required."];
        }
        if ((required || details.Category is not null) && (details.Category is not { } category || !Enum.IsDefined(category)))
        {
            errors["category"] = ["A category is required (EmptyNestElderly, LonelyElderly, FamilyInHardship, Disabled, LeftBehindChild or Other)."];
        }
        var address = details.Address?.Trim();
        if ((required || address is not null) && address is not { Length: > 0 and <= MaxAddressLength })
        {
            errors["address"] = [$"An address of 1 to {MaxAddressLength} characters is required."];
        }
        IdCardNumber idCard = default;
        var idCardGiven = !string.IsNullOrWhiteSpace(details.IdCardNumber);
        if (idCardGiven && !IdCardNumber.TryParse(details.IdCardNumber, ChinaTime.Today(now), out idCard, out var idError))
        {
            errors["idCardNumber"] = [idError];
        }
        var mobile = "";
        var mobileGiven = !string.IsNullOrWhiteSpace(details.Mobile);
        if (mobileGiven && !MobileNumber.TryNormalize(details.Mobile, out mobile))
        {
            errors["mobile"] = ["A mobile number has 11 digits and starts with 13 to 19."];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        Name = name ?? Name;
        Category = details.Category ?? Category;
        Address = address ?? Address;
        if (idCardGiven)
        {
            IdCardHash = protector.LookupHash(idCard.Value);
            IdCardCipher = protector.Encrypt(idCard.Value, Id);
            IdCardMasked = idCard.Masked;
            BirthDate = idCard.BirthDate;
            Sex = idCard.Sex;
        }
        else if (details.IdCardNumber is not null)
        {
            (IdCardHash, IdCardCipher, IdCardMasked, BirthDate, Sex) = (null, null, null, null, null);
        }
        if (mobileGiven)
        {
            MobileCipher = protector.Encrypt(mobile, Id);
            MobileMasked = MobileNumber.Mask(mobile);
        }
        else if (details.Mobile is not null)
        {
            (MobileCipher, MobileMasked) = (null, null);
        }
    }
}
