using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Data;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Messaging;

namespace PracticeMesh.Grid.People;

/// <summary>
/// Keeps the people identity publishes (<see cref="PersonChanged"/>): the latest by when it happened wins, whatever the
/// order of arrival, and a copy changes nothing. A person deactivated or activated ends no assignment, but counts as no
/// worker meanwhile, so the villages where they hold a grid have their coverage checked again.
/// </summary>
public sealed class RecordPersonChanged(GridDbContext db, TimeProvider time) : IdempotentConsumer<PersonChanged, GridDbContext>(db, time)
{
    protected override async Task HandleAsync(PersonChanged message, CancellationToken cancellationToken)
    {
        var person = await Db.People.FindAsync([message.PersonId], cancellationToken);
        if (person is null)
        {
            // Nobody can have assigned a person not heard of yet: no coverage moves.
            Db.People.Add(KnownPerson.From(message));
            return;
        }
        if (!person.Apply(message))
        {
            return;
        }
        var now = Time.GetUtcNow();
        var today = ChinaTime.Today(now);
        var villages = await Db.Assignments.AsNoTracking()
            .Where(a => a.PersonId == person.Id && a.Duty == GridDuty.Worker && (a.Until == null || a.Until >= today))
            .Select(a => a.DivisionCode).Distinct().ToListAsync(cancellationToken);
        foreach (var village in villages)
        {
            await CoverageTracker.RecheckAsync(Db, village, now, cancellationToken);
        }
    }
}
