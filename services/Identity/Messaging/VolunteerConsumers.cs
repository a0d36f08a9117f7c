using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Identity.Data;
using PracticeMesh.Identity.Domain;
using PracticeMesh.Identity.Security;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.Identity.Messaging;

/// <summary>
/// Keeps the approved volunteer, and links the login that registered itself (<see cref="VolunteerApproved.PersonId"/>)
/// to it. The person is made here before they can register, so an approval naming a person not here yet is early: it
/// waits (retried, then the error queue) rather than being dropped, which would leave the login unlinked. A person
/// already linked to another volunteer, or a volunteer another login holds, is left as it is and logged: one login is
/// one volunteer, and an admin sorts out the exception.
/// </summary>
public sealed class LinkApprovedVolunteer(IdentityDbContext db, TimeProvider time, ILogger<LinkApprovedVolunteer> logger)
    : IdempotentConsumer<VolunteerApproved, IdentityDbContext>(db, time)
{
    protected override async Task HandleAsync(VolunteerApproved message, CancellationToken cancellationToken)
    {
        var volunteer = await Db.Volunteers.FindAsync([message.VolunteerId], cancellationToken);
        if (volunteer is null)
        {
            volunteer = new KnownVolunteer(message.VolunteerId, message.DivisionCode);
            Db.Volunteers.Add(volunteer);
        }
        volunteer.Approved(message.OccurredAt, message.DivisionCode, message.DisplayName);

        if (message.PersonId is not { } personId)
        {
            return;
        }
        var person = await Db.People.SingleOrDefaultAsync(p => p.Id == personId, cancellationToken)
            ?? throw new PrematureEventException($"Volunteer {message.VolunteerId} was approved for person {personId}, who is not here yet.");
        if (person.VolunteerId == message.VolunteerId)
        {
            return;
        }
        if (person.VolunteerId is { } other)
        {
            logger.LogWarning("Person {PersonId} is linked to volunteer {Other}; the approval of volunteer {VolunteerId} leaves it so", personId, other, message.VolunteerId);
            return;
        }
        if (await Db.People.AnyAsync(p => p.VolunteerId == message.VolunteerId, cancellationToken))
        {
            logger.LogWarning("Volunteer {VolunteerId} is held by another login; person {PersonId} stays unlinked", message.VolunteerId, personId);
            return;
        }
        person.LinkVolunteer(message.VolunteerId);
        AccessRevocation.Revoke(Db, person, RevocationReasons.VolunteerLinked, Time.GetUtcNow());
    }
}

/// <summary>
/// A suspended volunteer's tokens lose <c>volunteer_id</c>: the linked login's earlier tokens are revoked when the
/// volunteer becomes suspended (judged by when things happened, so a suspension older than a reinstatement already
/// heard changes nothing). A suspension heard before the approval starts the row; no login is linked to it yet.
/// </summary>
public sealed class TrackVolunteerSuspension(IdentityDbContext db, TimeProvider time)
    : IdempotentConsumer<VolunteerSuspended, IdentityDbContext>(db, time)
{
    protected override async Task HandleAsync(VolunteerSuspended message, CancellationToken cancellationToken)
    {
        var volunteer = await Db.Volunteers.FindAsync([message.VolunteerId], cancellationToken);
        if (volunteer is null)
        {
            volunteer = new KnownVolunteer(message.VolunteerId, message.DivisionCode);
            Db.Volunteers.Add(volunteer);
        }
        var wasSuspended = volunteer.IsSuspended;
        volunteer.Suspended(message.OccurredAt);
        if (!wasSuspended && volunteer.IsSuspended
            && await Db.People.SingleOrDefaultAsync(p => p.VolunteerId == message.VolunteerId, cancellationToken) is { } person)
        {
            AccessRevocation.Revoke(Db, person, RevocationReasons.VolunteerSuspended, Time.GetUtcNow());
        }
    }
}

/// <summary>A reinstated volunteer's next token carries <c>volunteer_id</c> again; tokens without it stay valid.</summary>
public sealed class TrackVolunteerReinstatement(IdentityDbContext db, TimeProvider time)
    : IdempotentConsumer<VolunteerReinstated, IdentityDbContext>(db, time)
{
    protected override async Task HandleAsync(VolunteerReinstated message, CancellationToken cancellationToken)
    {
        var volunteer = await Db.Volunteers.FindAsync([message.VolunteerId], cancellationToken);
        if (volunteer is null)
        {
            volunteer = new KnownVolunteer(message.VolunteerId, message.DivisionCode);
            Db.Volunteers.Add(volunteer);
        }
        volunteer.Reinstated(message.OccurredAt);
    }
}
