using Microsoft.EntityFrameworkCore;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Activities.Shared;

/// <summary>
/// Acts done for a volunteer (sign up, withdraw, check in or out): a volunteer does them only as themselves; an admin,
/// team leader or partner system does them for volunteers of its scope, and that is audited with who did it.
/// </summary>
public static class ActingFor
{
    /// <summary>The volunteer named, or, when none is, the one the caller's login is.</summary>
    public static Guid VolunteerOrSelf(this Caller caller, Guid? named, string field = "volunteerId") =>
        named ?? caller.VolunteerId ?? throw new DomainValidationException(field, "Name the volunteer (your login is linked to none).");

    /// <summary>
    /// Whether the caller may act for <paramref name="volunteerId"/>: always for their own volunteer record; a role that
    /// acts only for itself naming anyone else gets 404 and nothing is written. An admin, team leader or partner may act
    /// for volunteers of its scope, and the act is queued for the audit trail (it commits with the change); for a
    /// volunteer beyond its scope the answer is false, and the caller answers exactly as for a volunteer it never heard
    /// of, so nothing tells the two apart.
    /// </summary>
    public static async Task<bool> MayActForAsync(this ActivityServices s, Guid volunteerId)
    {
        // The hot path (a volunteer's own check-in) reads nothing more.
        if (s.Caller.VolunteerId == volunteerId)
        {
            return true;
        }
        if (s.Caller.ActsOnlyForSelf)
        {
            throw new NotFoundException($"No volunteer {volunteerId}.");
        }
        var known = await s.Db.Volunteers.AsNoTracking().SingleOrDefaultAsync(v => v.Id == volunteerId, s.CancellationToken);
        if (known is null)
        {
            // Nobody to act for: the act finds no one and writes nothing.
            return true;
        }
        if (!s.Caller.Covers(known.DivisionCode))
        {
            return false;
        }
        if (s.Caller.EnsureActsFor(volunteerId, known.DivisionCode) == OnBehalf.Other)
        {
            AuditTrail.RecordOnBehalf(s.Http, s.Db, "activities", volunteerId, s.Time.GetUtcNow());
        }
        return true;
    }
}
