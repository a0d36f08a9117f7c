using PracticeMesh.ServiceDefaults;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Tests;

/// <summary>Registration and review (审核), without a web host.</summary>
public class VolunteerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_registration_starts_pending_under_its_home_station()
    {
        var volunteer = Volunteer.Register(" 王芳 ", "321324104201", Now);

        Assert.Equal("王芳", volunteer.Name);
        Assert.Equal("321324104201", volunteer.DivisionCode.Value);
        Assert.Equal(VolunteerStatus.Pending, volunteer.Status);
        Assert.Null(volunteer.ReviewedAt);
    }

    [Theory]
    [InlineData(null, "321324104201", "name")]
    [InlineData("  ", "321324104201", "name")]
    [InlineData("王芳", "32132410420", "homeStationCode")]
    [InlineData("王芳", null, "homeStationCode")]
    public void A_bad_registration_names_the_field(string? name, string? code, string field)
    {
        var ex = Assert.Throws<DomainValidationException>(() => Volunteer.Register(name, code, Now));
        Assert.Equal([field], ex.Errors.Keys);
    }

    [Fact]
    public void Approving_a_pending_registration_yields_VolunteerApproved()
    {
        var volunteer = Volunteer.Register("王芳", "321324104201", Now);
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
        var approved = Volunteer.Register("王芳", "321324104201", Now);
        approved.Approve(Now);
        var rejected = Volunteer.Register("李强", "321324104201", Now);
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
        var volunteer = Volunteer.Register("李强", "321324104201", Now);

        volunteer.Reject("  Duplicate registration ", Now);

        Assert.Equal(VolunteerStatus.Rejected, volunteer.Status);
        Assert.Equal("Duplicate registration", volunteer.RejectionReason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void A_rejection_needs_a_reason_and_leaves_the_registration_pending(string? reason)
    {
        var volunteer = Volunteer.Register("李强", "321324104201", Now);

        var ex = Assert.Throws<DomainValidationException>(() => volunteer.Reject(reason, Now));

        Assert.Equal(["reason"], ex.Errors.Keys);
        Assert.Equal(VolunteerStatus.Pending, volunteer.Status);
    }
}
