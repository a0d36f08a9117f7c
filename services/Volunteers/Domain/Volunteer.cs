using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Volunteers.Domain;

public enum VolunteerStatus { Pending, Approved, Rejected, Suspended }

/// <summary>A registered volunteer (志愿者). Review (审核) moves a registration from pending to approved or rejected.</summary>
public sealed class Volunteer
{
    private Volunteer() { }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>The division code of the volunteer's home station.</summary>
    public DivisionCode DivisionCode { get; private set; }
    public VolunteerStatus Status { get; private set; }
    public string? RejectionReason { get; private set; }
    public DateTimeOffset RegisteredAt { get; private set; }
    public DateTimeOffset? ReviewedAt { get; private set; }

    public static Volunteer Register(string? name, string? homeStationCode, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 50)
        {
            errors["name"] = ["A real name of 1 to 50 characters is required."];
        }
        if (!DivisionCode.TryParse(homeStationCode, out var division, out var codeError))
        {
            errors["homeStationCode"] = [codeError];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        return new Volunteer
        {
            Id = Guid.CreateVersion7(now),
            Name = trimmed,
            DivisionCode = division,
            Status = VolunteerStatus.Pending,
            RegisteredAt = now,
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
        return new VolunteerApproved(Guid.CreateVersion7(now), now, DivisionCode, Id, Name);
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
        RejectionReason = reason.Trim();
        ReviewedAt = now;
    }

    public VolunteerRegistered ToRegisteredEvent(DateTimeOffset now) => new(Guid.CreateVersion7(now), now, DivisionCode, Id, Name);
}
