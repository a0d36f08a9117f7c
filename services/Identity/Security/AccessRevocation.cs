using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Identity.Data;
using PracticeMesh.Identity.Domain;

namespace PracticeMesh.Identity.Security;

/// <summary>Why a person's earlier tokens stop counting (the <c>Reason</c> of AccessRevoked).</summary>
public static class RevocationReasons
{
    public const string Deactivated = "deactivated";
    public const string AccessChanged = "role or division changed";
    public const string VolunteerLinked = "linked to a volunteer";
    public const string VolunteerUnlinked = "unlinked from its volunteer";
    public const string VolunteerSuspended = "volunteer suspended";
}

public static class AccessRevocation
{
    /// <summary>
    /// Queues AccessRevoked for <paramref name="person"/> in the context's outbox, so it commits with the change that
    /// caused it: every service then refuses the person's tokens issued before <paramref name="now"/>, and the person
    /// signs in or refreshes to get one that says what holds now. <paramref name="division"/> is where the person was,
    /// when the change moved them (their current division otherwise).
    /// </summary>
    public static void Revoke(IdentityDbContext db, Person person, string reason, DateTimeOffset now, DivisionCode? division = null) =>
        db.AddEvent(new AccessRevoked(Guid.CreateVersion7(now), now, division ?? person.Division, person.Id.ToString(), now, reason), now);
}
