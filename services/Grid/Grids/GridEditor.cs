using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;
using PracticeMesh.Contracts;
using PracticeMesh.Contracts.Events.V1;
using PracticeMesh.Grid.Data;
using PracticeMesh.Grid.Domain;
using PracticeMesh.Grid.People;
using PracticeMesh.ServiceDefaults;
using PracticeMesh.ServiceDefaults.Data;
using PracticeMesh.ServiceDefaults.Security;

namespace PracticeMesh.Grid.Grids;

/// <summary>A new grid as drawn: where it goes and what it is.</summary>
public sealed record GridDraft(int Serial, string? Name, int Households, int Population, Polygon? Boundary, string Field = "boundary");

/// <summary>
/// Every change to grids: drawing, describing, splitting, merging and retiring. Each one checks the boundaries against
/// their neighbours and parent, keeps a history row per grid touched, publishes <see cref="GridCreated"/> and
/// <see cref="GridRetired"/> through the outbox in the same transaction, and drops this process's locating index.
/// </summary>
public sealed class GridEditor(GridDbContext db, NtsGridIndex index, GridWriteGate gate, Caller caller, TimeProvider time)
{
    public async Task<GridCell> CreateAsync(string? villageCode, string? parentCode, GridDraft draft, CancellationToken cancellationToken)
    {
        if (DivisionCode.TryParse(villageCode, out var village))
        {
            caller.EnsureMayCreateIn(village);
        }
        return await SerializedAsync(villageCode, async () =>
        {
            var parent = string.IsNullOrWhiteSpace(parentCode) ? null : await FindAsync(parentCode.Trim(), cancellationToken);
            var now = time.GetUtcNow();
            var grid = GridCell.Create(villageCode, parent, draft.Serial, draft.Name, now, draft.Households, draft.Population, draft.Boundary);
            await EnsureVillageOpenAsync(grid.DivisionCode, cancellationToken);
            await CheckPlacementAsync([(grid, draft.Field)], parent, excluded: [], cancellationToken);
            Add(grid, now, predecessors: []);
            await SaveAsync(cancellationToken);
            return grid;
        }, cancellationToken);
    }

    public Task<GridCell> UpdateAsync(string code, string? name, int households, int population, Polygon? boundary, int? expectedVersion,
        CancellationToken cancellationToken) =>
        SerializedAsync(code, () => UpdateUnderGateAsync(code, name, households, population, boundary, expectedVersion, cancellationToken), cancellationToken);

    private async Task<GridCell> UpdateUnderGateAsync(string code, string? name, int households, int population, Polygon? boundary, int? expectedVersion,
        CancellationToken cancellationToken)
    {
        var grid = await FindAsync(code, cancellationToken, tracked: true);
        if (expectedVersion is { } expected && expected != grid.Version)
        {
            throw new ConflictException($"Grid {code} is at version {grid.Version}, not {expected}: it was changed meanwhile; reload and try again.");
        }
        grid.Update(name, households, population, boundary);
        var parent = grid.ParentCode is null ? null : await FindAsync(grid.ParentCode, cancellationToken);
        await CheckPlacementAsync([(grid, "boundary")], parent, excluded: [grid.Code], cancellationToken);
        await CheckChildrenStayInsideAsync(grid, cancellationToken);
        db.Set<GridChange>().Add(GridChange.Of(grid, GridChangeKind.Updated, time.GetUtcNow(), caller.Subject, caller.Name));
        await SaveAsync(cancellationToken);
        return grid;
    }

    /// <summary>Splits a grid into new ones in its place (same village, level and parent); the old one is retired naming them.</summary>
    public Task<IReadOnlyList<GridCell>> SplitAsync(string code, IReadOnlyList<GridDraft> parts, string? reason, CancellationToken cancellationToken)
    {
        if (parts.Count < 2)
        {
            throw new DomainValidationException("parts", "A split makes at least two grids.");
        }
        return SerializedAsync(code, () => SplitUnderGateAsync(code, parts, reason, cancellationToken), cancellationToken);
    }

    private async Task<IReadOnlyList<GridCell>> SplitUnderGateAsync(string code, IReadOnlyList<GridDraft> parts, string? reason, CancellationToken cancellationToken)
    {
        var old = await FindAsync(code, cancellationToken, tracked: true);
        await EnsureNoActiveChildrenAsync([old], cancellationToken);
        var parent = old.ParentCode is null ? null : await FindAsync(old.ParentCode, cancellationToken);
        var now = time.GetUtcNow();
        var created = parts.Select(p => GridCell.Create(old.DivisionCode.Value, parent, p.Serial, p.Name, now, p.Households, p.Population,
            p.Boundary, predecessors: [old.Code])).ToList();
        EnsureDistinctCodes(created);
        await CheckPlacementAsync([.. created.Zip(parts, (g, p) => (g, p.Field))], parent, excluded: [old.Code], cancellationToken);
        var successors = created.Select(g => g.Code).ToList();
        Retire(old, GridChangeKind.Split, reason, now, successors);
        foreach (var grid in created)
        {
            Add(grid, now, predecessors: [old.Code]);
        }
        await SaveAsync(cancellationToken);
        return created;
    }

    /// <summary>
    /// Merges grids of one village, level and parent into a new one; its households and population are their sums and
    /// its boundary their union unless given.
    /// </summary>
    public Task<GridCell> MergeAsync(IReadOnlyList<string> codes, GridDraft draft, bool boundaryGiven, bool countsGiven, string? reason,
        CancellationToken cancellationToken)
    {
        var distinct = codes.Select(c => c.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count < 2)
        {
            throw new DomainValidationException("codes", "A merge takes at least two grids.");
        }
        return SerializedAsync(distinct[0], () => MergeUnderGateAsync(distinct, draft, boundaryGiven, countsGiven, reason, cancellationToken), cancellationToken);
    }

    private async Task<GridCell> MergeUnderGateAsync(List<string> distinct, GridDraft draft, bool boundaryGiven, bool countsGiven, string? reason,
        CancellationToken cancellationToken)
    {
        var sources = new List<GridCell>();
        foreach (var code in distinct)
        {
            sources.Add(await FindAsync(code, cancellationToken, tracked: true));
        }
        if (sources.Select(s => (s.DivisionCode, s.Level, s.ParentCode)).Distinct().Count() > 1)
        {
            throw new DomainValidationException("codes", "Only grids of one village, level and parent grid merge.");
        }
        await EnsureNoActiveChildrenAsync(sources, cancellationToken);
        var first = sources[0];
        var parent = first.ParentCode is null ? null : await FindAsync(first.ParentCode, cancellationToken);
        var boundary = draft.Boundary;
        if (!boundaryGiven && sources.All(s => s.BoundaryGeoJson is not null))
        {
            // Neighbours' union is one polygon; grids that do not touch leave a multipolygon, which a grid cannot be.
            boundary = new UnaryUnionOp(sources.Select(s => NtsGridIndex.ParseGeoJson(s.BoundaryGeoJson!)).ToList()).Union() as Polygon
                ?? throw new DomainValidationException("boundary", "The grids do not form one area; give the merged grid's boundary.");
            boundary.SRID = GridGeometry.Srid;
        }
        var (households, population) = countsGiven ? (draft.Households, draft.Population) : (sources.Sum(s => s.Households), sources.Sum(s => s.Population));
        var now = time.GetUtcNow();
        var merged = GridCell.Create(first.DivisionCode.Value, parent, draft.Serial, draft.Name, now, households, population, boundary, predecessors: distinct);
        await CheckPlacementAsync([(merged, "boundary")], parent, excluded: distinct, cancellationToken);
        foreach (var source in sources)
        {
            Retire(source, GridChangeKind.Merged, reason, now, [merged.Code]);
        }
        Add(merged, now, predecessors: distinct);
        await SaveAsync(cancellationToken);
        return merged;
    }

    public Task<GridCell> RetireAsync(string code, string? reason, CancellationToken cancellationToken) =>
        SerializedAsync(code, async () =>
        {
            var grid = await FindAsync(code, cancellationToken, tracked: true);
            await EnsureNoActiveChildrenAsync([grid], cancellationToken);
            Retire(grid, GridChangeKind.Retired, reason, time.GetUtcNow(), []);
            await SaveAsync(cancellationToken);
            return grid;
        }, cancellationToken);

    /// <summary>
    /// Runs one grid write alone in its county: its boundary checks read the neighbours and its save writes after them,
    /// so two writes racing could each pass their check and overlap. On PostgreSQL, one at a time per county across
    /// every replica (a transaction-scoped advisory lock keyed by the county, released at commit or rollback); on
    /// SQLite, the standalone host's one process, one at a time through the process's gate.
    /// </summary>
    private async Task<T> SerializedAsync<T>(string? code, Func<Task<T>> write, CancellationToken cancellationToken)
    {
        if (!db.Spatial)
        {
            using var entered = await gate.EnterAsync(cancellationToken);
            return await write();
        }
        var county = code is { Length: >= 6 } && code[..6].All(char.IsAsciiDigit) ? int.Parse(code[..6], System.Globalization.CultureInfo.InvariantCulture) : 0;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({GridWriteGate.AdvisoryLockSpace}, {county})", cancellationToken);
        var result = await write();
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>A grid the caller reaches, retired or not; 404 otherwise (its existence is not revealed).</summary>
    public async Task<GridCell> FindAsync(string code, CancellationToken cancellationToken, bool tracked = false)
    {
        var query = tracked ? db.Grids : db.Grids.AsNoTracking();
        var grid = await query.SingleOrDefaultAsync(g => g.Code == code, cancellationToken);
        if (grid is null || !caller.Covers(grid.DivisionCode))
        {
            throw new NotFoundException($"No grid {code}.");
        }
        return grid;
    }

    private void Add(GridCell grid, DateTimeOffset now, IReadOnlyList<string> predecessors)
    {
        db.Grids.Add(grid);
        db.Set<GridChange>().Add(GridChange.Of(grid, GridChangeKind.Created, now, caller.Subject, caller.Name, related: predecessors));
        db.AddEvent(new GridCreated(Guid.CreateVersion7(now), now, grid.DivisionCode, grid.Code, grid.Name, grid.Level, grid.ParentCode,
            grid.Households, grid.Population, grid.BoundaryGeoJson is not null, predecessors), now);
    }

    private void Retire(GridCell grid, GridChangeKind kind, string? reason, DateTimeOffset now, IReadOnlyList<string> successors)
    {
        grid.Retire(reason, now, successors);
        db.Set<GridChange>().Add(GridChange.Of(grid, kind, now, caller.Subject, caller.Name, grid.RetiredReason, successors));
        db.AddEvent(new GridRetired(Guid.CreateVersion7(now), now, grid.DivisionCode, grid.Code, successors, grid.RetiredReason!), now);
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            // A grid drawn, split, merged or retired can open or close a coverage gap of its village.
            var villages = db.ChangeTracker.Entries<GridCell>().Where(e => e.State is EntityState.Added or EntityState.Modified)
                .Select(e => e.Entity.DivisionCode).Distinct().ToList();
            foreach (var village in villages)
            {
                await CoverageTracker.RecheckAsync(db, village, time.GetUtcNow(), cancellationToken);
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConflictException("The grid was changed by another request meanwhile; reload and try again.");
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new ConflictException("A grid with that code already exists (codes are never reused, even after a grid is retired).");
        }
        finally
        {
            // Whatever was saved, the standalone host's in-memory index rebuilds from the database on its next lookup.
            index.Invalidate();
        }
    }

    /// <summary>A grid is drawn only in a village the stations registry knows and has not closed.</summary>
    private async Task EnsureVillageOpenAsync(DivisionCode village, CancellationToken cancellationToken)
    {
        var known = await db.Villages.AsNoTracking().SingleOrDefaultAsync(v => v.Code == village, cancellationToken);
        if (known is null)
        {
            throw new DomainValidationException("villageCode", $"Village {village} is not in the stations registry: register its station first.");
        }
        if (known.Closed)
        {
            throw new DomainValidationException("villageCode", $"Village {village}'s station is closed: no new grids are drawn there.");
        }
    }

    /// <summary>A split or merge replaces a grid in place; its level-3 grids would lose their parent, so they go first.</summary>
    private async Task EnsureNoActiveChildrenAsync(IReadOnlyList<GridCell> grids, CancellationToken cancellationToken)
    {
        var codes = grids.Select(g => g.Code).ToList();
        var child = await db.Grids.AsNoTracking().Where(g => g.ParentCode != null && codes.Contains(g.ParentCode) && g.RetiredAt == null)
            .Select(g => g.Code).FirstOrDefaultAsync(cancellationToken);
        if (child is not null)
        {
            throw new ConflictException($"Grid {child} lies inside; retire or redraw the level-3 grids first.");
        }
    }

    private static void EnsureDistinctCodes(IReadOnlyList<GridCell> grids)
    {
        if (grids.Select(g => g.Code).Distinct().Count() != grids.Count)
        {
            throw new DomainValidationException("parts", "Each part needs its own serial.");
        }
    }

    /// <summary>
    /// Level 2: no overlap with another active level-2 grid of the county. Level 3: inside the parent's boundary when it
    /// has one, and no overlap with its siblings. New grids of one request must not overlap each other either.
    /// </summary>
    private async Task CheckPlacementAsync(IReadOnlyList<(GridCell Grid, string Field)> grids, GridCell? parent, IReadOnlyCollection<string> excluded,
        CancellationToken cancellationToken)
    {
        var drawn = grids.Where(g => g.Grid.Boundary is not null).ToList();
        if (drawn.Count == 0)
        {
            return;
        }
        var errors = new Dictionary<string, string[]>();
        var parentShape = parent?.BoundaryGeoJson is { } parentJson ? NtsGridIndex.ParseGeoJson(parentJson) : null;
        var level = drawn[0].Grid.Level;
        var envelope = new Envelope();
        drawn.ForEach(d => envelope.ExpandToInclude(d.Grid.Boundary!.EnvelopeInternal));
        var neighbours = await NeighboursAsync(level, drawn[0].Grid, envelope, excluded.Concat(grids.Select(g => g.Grid.Code)).ToList(), cancellationToken);
        for (var i = 0; i < drawn.Count; i++)
        {
            var (grid, field) = drawn[i];
            var shape = grid.Boundary!;
            if (parentShape is not null && !GridBoundary.Within(shape, parentShape))
            {
                errors[field] = [$"The boundary leaves its parent grid {parent!.Code}."];
                continue;
            }
            var overlapped = neighbours.Where(n => GridBoundary.Overlap(shape, n.Shape)).Select(n => n.Code)
                .Concat(drawn.Take(i).Where(d => GridBoundary.Overlap(shape, d.Grid.Boundary!)).Select(d => d.Grid.Code))
                .ToList();
            if (overlapped.Count > 0)
            {
                errors[field] = [$"The boundary overlaps grid {string.Join(", ", overlapped)} (edges may touch, areas may not)."];
            }
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
    }

    /// <summary>When a level-2 grid's boundary is redrawn, its level-3 grids with boundaries must still lie inside it.</summary>
    private async Task CheckChildrenStayInsideAsync(GridCell grid, CancellationToken cancellationToken)
    {
        if (grid.Level != 2 || grid.Boundary is null)
        {
            return;
        }
        var children = await db.Grids.AsNoTracking().Where(g => g.ParentCode == grid.Code && g.RetiredAt == null && g.BoundaryGeoJson != null)
            .Select(g => new { g.Code, g.BoundaryGeoJson }).ToListAsync(cancellationToken);
        var outside = children.Where(c => !GridBoundary.Within(NtsGridIndex.ParseGeoJson(c.BoundaryGeoJson!), grid.Boundary)).Select(c => c.Code).ToList();
        if (outside.Count > 0)
        {
            throw new DomainValidationException("boundary", $"Grid {string.Join(", ", outside)} would lie outside the new boundary.");
        }
    }

    /// <summary>
    /// The active grids with boundaries a new shape at <paramref name="level"/> must not overlap: on PostgreSQL only
    /// those the GiST index finds near it, elsewhere every one of the county's (or the parent's) with an envelope near it.
    /// </summary>
    private async Task<List<(string Code, Geometry Shape)>> NeighboursAsync(int level, GridCell grid, Envelope near, IReadOnlyCollection<string> excluded,
        CancellationToken cancellationToken)
    {
        var county = grid.DivisionCode.Value[..6];
        var candidates = db.Grids.AsNoTracking().Where(g => g.RetiredAt == null && g.BoundaryGeoJson != null && g.Level == level && !excluded.Contains(g.Code));
        candidates = level == 2 ? candidates.Where(g => g.Code.StartsWith(county)) : candidates.Where(g => g.ParentCode == grid.ParentCode);
        if (db.Spatial)
        {
            var area = GridGeometry.Factory.ToGeometry(near);
            var found = await candidates.Where(g => g.Boundary!.Intersects(area)).Select(g => new { g.Code, g.Boundary }).ToListAsync(cancellationToken);
            return [.. found.Select(n => (n.Code, (Geometry)n.Boundary!))];
        }
        var rows = await candidates.Select(g => new { g.Code, g.BoundaryGeoJson }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.Code, NtsGridIndex.ParseGeoJson(r.BoundaryGeoJson!))).Where(r => r.Item2.EnvelopeInternal.Intersects(near))];
    }
}

/// <summary>The standalone host's one-at-a-time gate for grid writes (see <see cref="GridEditor"/>); PostgreSQL uses an advisory lock instead.</summary>
public sealed class GridWriteGate
{
    /// <summary>The first key of the grid service's two-key advisory locks (the second is the county): "GRID" in ASCII.</summary>
    public const int AdvisoryLockSpace = 0x47524944;

    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        return new Release(_gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
