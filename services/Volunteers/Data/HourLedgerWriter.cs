using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Data;

/// <summary>
/// Appends ledger entries with their events: HoursCredited for each, StarLevelReached when the new total crosses a
/// threshold. Nothing is saved here; the caller's one SaveChanges commits entry, events and star level together.
/// </summary>
public sealed class HourLedgerWriter(VolunteersDbContext db, StarLadder ladder)
{
    public async Task<int> TotalMinutesAsync(Guid volunteerId, CancellationToken cancellationToken) =>
        await db.HourLedger.Where(e => e.VolunteerId == volunteerId).SumAsync(e => e.Minutes, cancellationToken);

    /// <summary>What the ledger holds for the volunteer on one China day.</summary>
    public async Task<int> MinutesOnDayAsync(Guid volunteerId, DateOnly day, CancellationToken cancellationToken)
    {
        var (start, end) = ChinaTime.Day(day);
        return await db.HourLedger.Where(e => e.VolunteerId == volunteerId && e.ServedOn >= start && e.ServedOn < end)
            .SumAsync(e => e.Minutes, cancellationToken);
    }

    /// <summary>Adds the entry and its events; <paramref name="totalBefore"/> is the volunteer's total without it.</summary>
    public int Append(Volunteer volunteer, HourLedgerEntry entry, int totalBefore, DateTimeOffset now)
    {
        db.HourLedger.Add(entry);
        var total = totalBefore + entry.Minutes;
        db.AddEvent(new HoursCredited(Guid.CreateVersion7(now), now, volunteer.DivisionCode, volunteer.Id, entry.Id,
            entry.ActivityId, entry.Hours, Math.Round(total / 60m, 2)), now);
        if (volunteer.UpdateStarLevel(total, ladder, now) is { } reached)
        {
            db.AddEvent(reached, now);
        }
        return total;
    }
}
