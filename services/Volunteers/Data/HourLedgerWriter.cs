using Microsoft.EntityFrameworkCore;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.Volunteers.Domain;

namespace PracticeMesh.Volunteers.Data;

/// <summary>
/// Appends ledger entries with their events: HoursCredited for each, StarLevelReached when the new total crosses a
/// threshold. Nothing is saved here; the caller's one SaveChanges commits entry, events and star level together.
/// </summary>
public sealed class HourLedgerWriter(VolunteersDbContext db, StarLadder ladder)
{
    public async Task<int> TotalHundredthsAsync(Guid volunteerId, CancellationToken cancellationToken) =>
        await db.HourLedger.Where(e => e.VolunteerId == volunteerId).SumAsync(e => e.Hundredths, cancellationToken);

    /// <summary>What the ledger holds for the volunteer on one China day.</summary>
    public async Task<int> HundredthsOnDayAsync(Guid volunteerId, DateOnly day, CancellationToken cancellationToken)
    {
        var (start, end) = ChinaTime.Day(day);
        return await db.HourLedger.Where(e => e.VolunteerId == volunteerId && e.ServedOn >= start && e.ServedOn < end)
            .SumAsync(e => e.Hundredths, cancellationToken);
    }

    /// <summary>What an entry holds now: its own time and that of the corrections made to it.</summary>
    public async Task<int> NetHundredthsAsync(HourLedgerEntry entry, CancellationToken cancellationToken) =>
        entry.Hundredths + await db.HourLedger.Where(e => e.CorrectsEntryId == entry.Id).SumAsync(e => e.Hundredths, cancellationToken);

    /// <summary>
    /// Appends a correction of <paramref name="corrected"/>, whose net time is <paramref name="netHundredths"/>
    /// (<see cref="NetHundredthsAsync"/>), checked against that entry's and its day's limits.
    /// </summary>
    public async Task<HourLedgerEntry> AppendCorrectionAsync(Volunteer volunteer, HourLedgerEntry corrected, int netHundredths, decimal hours,
        string? reason, Approver approver, Guid? requestId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sameDay = await HundredthsOnDayAsync(volunteer.Id, ChinaTime.Today(corrected.ServedOn), cancellationToken);
        var entry = HourLedgerEntry.Correct(volunteer, corrected, netHundredths, sameDay, hours, reason, approver, requestId, now);
        Append(volunteer, entry, await TotalHundredthsAsync(volunteer.Id, cancellationToken), now);
        return entry;
    }

    /// <summary>Adds the entry and its events; <paramref name="totalBefore"/> is the volunteer's total without it.</summary>
    public int Append(Volunteer volunteer, HourLedgerEntry entry, int totalBefore, DateTimeOffset now)
    {
        db.HourLedger.Add(entry);
        var total = totalBefore + entry.Hundredths;
        db.AddEvent(new HoursCredited(Guid.CreateVersion7(now), now, volunteer.DivisionCode, volunteer.Id, entry.Id,
            entry.ActivityId, entry.Hours, new ServiceTime(total).Hours, entry.CareVisitId), now);
        if (volunteer.UpdateStarLevel(total, ladder, now) is { } reached)
        {
            db.AddEvent(reached, now);
        }
        return total;
    }
}
