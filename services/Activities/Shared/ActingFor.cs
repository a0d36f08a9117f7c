using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
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
    /// Lets the act through for the caller's own volunteer record, or for another within the caller's right, then
    /// queues the audit record of the act on behalf (it commits with the change). A volunteer naming someone else gets
    /// 404 and nothing is written. <paramref name="placeDivision"/> (the activity's) stands for a volunteer not heard of
    /// here, whom no act will find anyway.
    /// </summary>
    public static async Task<OnBehalf> EnsureActsForAsync(this ActivityServices s, Guid volunteerId, DivisionCode placeDivision)
    {
        // The hot path (a volunteer's own check-in) reads nothing more.
        if (s.Caller.VolunteerId == volunteerId || s.Caller.ActsOnlyForSelf)
        {
            return s.Caller.EnsureActsFor(volunteerId, placeDivision);
        }
        var known = await s.Db.Volunteers.AsNoTracking().SingleOrDefaultAsync(v => v.Id == volunteerId, s.CancellationToken);
        var onBehalf = s.Caller.EnsureActsFor(volunteerId, known?.DivisionCode ?? placeDivision);
        if (onBehalf == OnBehalf.Other)
        {
            AuditTrail.RecordOnBehalf(s.Http, s.Db, "activities", volunteerId, s.Time.GetUtcNow());
        }
        return onBehalf;
    }
}
