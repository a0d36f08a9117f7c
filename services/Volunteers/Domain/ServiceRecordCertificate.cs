using System.Security.Cryptography;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Volunteers.Domain;

/// <summary>
/// A service-record certificate (志愿服务记录证明): a snapshot of a volunteer's hours over a period, with a serial
/// number and a verification code anyone can check. The snapshot keeps only masked personal data.
/// </summary>
public sealed class ServiceRecordCertificate
{
    private const string CodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private ServiceRecordCertificate() { }

    public Guid Id { get; private set; }
    /// <summary>County code, year and a random part: unique (an index) and not guessable from its neighbours.</summary>
    public string Serial { get; private set; } = "";
    /// <summary>Stored as a keyed hash: the code is a secret shared only with the certificate's holder.</summary>
    public string VerificationHash { get; private set; } = "";
    public Guid VolunteerId { get; private set; }
    public DivisionCode DivisionCode { get; private set; }
    public string MaskedName { get; private set; } = "";
    public string MaskedIdCard { get; private set; } = "";
    public DateOnly From { get; private set; }
    public DateOnly To { get; private set; }
    public int TotalHundredths { get; private set; }
    public int EntryCount { get; private set; }
    public DateTimeOffset IssuedAt { get; private set; }
    public string IssuedBy { get; private set; } = "";

    public decimal TotalHours => new ServiceTime(TotalHundredths).Hours;

    public static (ServiceRecordCertificate Certificate, string VerificationCode) Issue(Volunteer volunteer, DateOnly? from, DateOnly? to,
        IReadOnlyCollection<HourLedgerEntry> entries, string issuedBy, PersonalDataProtector protector, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (from is null)
        {
            errors["from"] = ["The period's first day is required."];
        }
        if (to is null || to > ChinaTime.Today(now) || (from is not null && to < from))
        {
            errors["to"] = ["The period's last day is required, not before its first day and not in the future."];
        }
        HourLedgerEntry.ThrowIfAny(errors);
        if (volunteer.Status is VolunteerStatus.Pending or VolunteerStatus.Rejected)
        {
            throw new ConflictException("Only an approved (or suspended) volunteer's record can be certified.");
        }
        var code = RandomNumberGenerator.GetString(CodeAlphabet, 10);
        var certificate = new ServiceRecordCertificate
        {
            Id = Guid.CreateVersion7(now),
            Serial = $"{volunteer.DivisionCode.County}-{ChinaTime.Today(now).Year}-{RandomNumberGenerator.GetString(CodeAlphabet, 8)}",
            VerificationHash = protector.LookupHash("certificate:" + code),
            VolunteerId = volunteer.Id,
            DivisionCode = volunteer.DivisionCode,
            MaskedName = MaskName(volunteer.Name),
            MaskedIdCard = volunteer.IdCardMasked,
            From = from!.Value,
            To = to!.Value,
            TotalHundredths = entries.Sum(e => e.Hundredths),
            EntryCount = entries.Count(e => e.Kind != LedgerEntryKind.Correction),
            IssuedAt = now,
            IssuedBy = issuedBy,
        };
        return (certificate, code);
    }

    public bool Verifies(string? code, PersonalDataProtector protector) =>
        !string.IsNullOrWhiteSpace(code) && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(protector.LookupHash("certificate:" + code.Trim().ToUpperInvariant())),
            System.Text.Encoding.ASCII.GetBytes(VerificationHash));

    /// <summary>王芳 → 王*; 欧阳娜娜 → 欧***.</summary>
    public static string MaskName(string name) => name.Length <= 1 ? name : name[..1] + new string('*', name.Length - 1);
}
