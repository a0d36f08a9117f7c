using System.Security.Cryptography;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>Registration and review (审核), without a web host.</summary>
public class VolunteerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 1, 0, 0, TimeSpan.Zero);
    internal static readonly PersonalDataProtector Protector = new(RandomNumberGenerator.GetBytes(32));

    private static Registration Valid(string? name = "王芳", string? code = "321324104201", string? idCard = null, string? mobile = "13851234567") =>
        new(name, idCard ?? TestPeople.IdCard(new DateOnly(1990, 3, 7), Sex.Female), mobile, PoliticalStatus.PartyMember,
            [VolunteerCategory.Cadre, VolunteerCategory.Teacher], ["政策宣讲", " 急救 "], code);

    private static Volunteer Register(string name = "王芳") => Volunteer.Register(Valid(name), Protector, Now);

    [Fact]
    public void A_registration_starts_pending_under_its_home_station_with_data_derived_from_the_id_number()
    {
        var volunteer = Volunteer.Register(Valid(" 王芳 ", idCard: TestPeople.IdCard(new DateOnly(1990, 3, 7), Sex.Male)), Protector, Now);

        Assert.Equal("王芳", volunteer.Name);
        Assert.Equal("321324104201", volunteer.DivisionCode.Value);
        Assert.Equal(VolunteerStatus.Pending, volunteer.Status);
        Assert.Null(volunteer.ReviewedAt);
        Assert.Equal(new DateOnly(1990, 3, 7), volunteer.BirthDate);
        Assert.Equal(Sex.Male, volunteer.Sex);
        Assert.Equal([VolunteerCategory.Cadre, VolunteerCategory.Teacher], volunteer.Categories);
        Assert.Equal(["政策宣讲", "急救"], volunteer.Skills);
        Assert.Matches(@"^3213\*{10}\d{3}[\dX]$", volunteer.IdCardMasked);
        Assert.Equal("138****4567", volunteer.MobileMasked);
    }

    [Fact]
    public void Personal_data_is_stored_encrypted_and_only_the_key_reveals_it()
    {
        var idCard = TestPeople.IdCard();
        var volunteer = Volunteer.Register(Valid(idCard: idCard), Protector, Now);

        Assert.DoesNotContain(idCard, volunteer.IdCardCipher);
        Assert.DoesNotContain("13851234567", volunteer.MobileCipher);
        Assert.DoesNotContain(idCard, volunteer.IdCardHash);
        Assert.Equal(idCard, volunteer.RevealIdCardNumber(Protector));
        Assert.Equal("13851234567", volunteer.RevealMobile(Protector));
        Assert.Equal(Protector.LookupHash(idCard), volunteer.IdCardHash);
        var otherKey = new PersonalDataProtector(RandomNumberGenerator.GetBytes(32));
        Assert.ThrowsAny<CryptographicException>(() => volunteer.RevealIdCardNumber(otherKey));
        Assert.NotEqual(otherKey.LookupHash(idCard), volunteer.IdCardHash);
        // Bound to its row: a ciphertext copied to another volunteer does not decrypt.
        Assert.ThrowsAny<CryptographicException>(() => Protector.Decrypt(volunteer.IdCardCipher, Guid.NewGuid()));
    }

    [Theory]
    [InlineData(null, "321324104201", "name")]
    [InlineData("  ", "321324104201", "name")]
    [InlineData("王芳", "32132410420", "homeStationCode")]
    [InlineData("王芳", null, "homeStationCode")]
    public void A_bad_registration_names_the_field(string? name, string? code, string field)
    {
        var ex = Assert.Throws<DomainValidationException>(() => Volunteer.Register(Valid(name, code), Protector, Now));
        Assert.Equal([field], ex.Errors.Keys);
    }

    [Theory]
    [InlineData("12345678901")]
    [InlineData("12851234567")]
    [InlineData("1385123456")]
    [InlineData("")]
    [InlineData(null)]
    public void A_bad_mobile_is_refused(string? mobile)
    {
        var ex = Assert.Throws<DomainValidationException>(() => Volunteer.Register(Valid(mobile: mobile), Protector, Now));
        Assert.Equal(["mobile"], ex.Errors.Keys);
    }

    [Fact]
    public void Political_status_is_required()
    {
        var ex = Assert.Throws<DomainValidationException>(() => Volunteer.Register(Valid() with { PoliticalStatus = null }, Protector, Now));
        Assert.Equal(["politicalStatus"], ex.Errors.Keys);
    }

    [Fact]
    public void Approving_a_pending_registration_yields_VolunteerApproved()
    {
        var volunteer = Register();
        var later = Now.AddHours(2);

        var approved = volunteer.Approve(later);

        Assert.Equal(VolunteerStatus.Approved, volunteer.Status);
        Assert.Equal(later, volunteer.ReviewedAt);
        Assert.Equal(volunteer.Id, approved.VolunteerId);
        Assert.Equal("王芳", approved.DisplayName);
        Assert.Equal("321324104201", approved.DivisionCode.Value);
    }

    [Fact]
    public void A_review_happens_once()
    {
        var approved = Register();
        approved.Approve(Now);
        var rejected = Register("李强");
        rejected.Reject("Not a resident", Now);

        Assert.Throws<ConflictException>(() => approved.Approve(Now));
        Assert.Throws<ConflictException>(() => approved.Reject("Changed my mind", Now));
        Assert.Throws<ConflictException>(() => rejected.Approve(Now));
        Assert.Throws<ConflictException>(() => rejected.Reject("Again", Now));
        Assert.Equal(VolunteerStatus.Approved, approved.Status);
        Assert.Equal(VolunteerStatus.Rejected, rejected.Status);
    }

    [Fact]
    public void A_rejection_keeps_its_reason()
    {
        var volunteer = Register("李强");

        volunteer.Reject("  Duplicate registration ", Now);

        Assert.Equal(VolunteerStatus.Rejected, volunteer.Status);
        Assert.Equal("Duplicate registration", volunteer.RejectionReason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void A_rejection_needs_a_reason_and_leaves_the_registration_pending(string? reason)
    {
        var volunteer = Register("李强");

        var ex = Assert.Throws<DomainValidationException>(() => volunteer.Reject(reason, Now));

        Assert.Equal(["reason"], ex.Errors.Keys);
        Assert.Equal(VolunteerStatus.Pending, volunteer.Status);
    }

    [Fact]
    public void Only_an_approved_volunteer_is_suspended_and_only_a_suspended_one_reinstated()
    {
        var volunteer = Register();
        Assert.Throws<ConflictException>(() => volunteer.Suspend("x", Now));
        volunteer.Approve(Now);
        Assert.Throws<DomainValidationException>(() => volunteer.Suspend(" ", Now));
        Assert.Throws<ConflictException>(() => volunteer.Reinstate(Now));

        var suspended = volunteer.Suspend("长期未参加活动", Now);

        Assert.Equal((VolunteerStatus.Suspended, volunteer.Id, "长期未参加活动"), (volunteer.Status, suspended.VolunteerId, suspended.Reason));
        Assert.IsType<VolunteerReinstated>(volunteer.Reinstate(Now));
        Assert.Equal(VolunteerStatus.Approved, volunteer.Status);
    }

    [Fact]
    public void Star_levels_rise_once_per_threshold()
    {
        var volunteer = Register();
        var ladder = new StarLadder();

        Assert.Null(volunteer.UpdateStarLevel(99 * 100, ladder, Now));
        Assert.Equal(1, volunteer.UpdateStarLevel(100 * 100, ladder, Now)!.StarLevel);
        Assert.Null(volunteer.UpdateStarLevel(150 * 100, ladder, Now));
        Assert.Equal(3, volunteer.UpdateStarLevel(650 * 100, ladder, Now)!.StarLevel);
        Assert.Null(volunteer.UpdateStarLevel(10 * 100, ladder, Now));
        Assert.Equal(3, volunteer.StarLevel);
    }
}

public class IdCardNumberTests
{
    private static readonly DateOnly Today = new(2026, 3, 4);

    [Theory]
    [InlineData("11010519491231002X", 1949, 12, 31, Sex.Female)]
    [InlineData("11010519491231002x", 1949, 12, 31, Sex.Female)]
    public void Parses_a_valid_number_and_derives_birth_date_and_sex(string text, int year, int month, int day, Sex sex)
    {
        Assert.True(IdCardNumber.TryParse(text, Today, out var number, out var error), error);
        Assert.Equal(new DateOnly(year, month, day), number.BirthDate);
        Assert.Equal(sex, number.Sex);
        Assert.Equal("1101**********002X", number.Masked);
    }

    [Theory]
    [InlineData("110105194912310021", "check")]
    [InlineData("11010519491331002X", "birth")]
    [InlineData("11010519490230002X", "birth")]
    [InlineData("11010518991231002X", "birth")]
    [InlineData("11010520301231002X", "birth")]
    [InlineData("1101051949123100", "17 digits")]
    [InlineData("11010519491231A02X", "17 digits")]
    [InlineData("01010519491231002X", "region")]
    public void Refuses_bad_numbers(string text, string reason)
    {
        Assert.False(IdCardNumber.TryParse(text, Today, out _, out var error));
        Assert.Contains(reason, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Generated_test_numbers_are_valid()
    {
        for (var i = 0; i < 50; i++)
        {
            Assert.True(IdCardNumber.TryParse(TestPeople.IdCard(), Today, out _, out var error), error);
        }
    }
}
