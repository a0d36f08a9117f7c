namespace PracticeMesh.ServiceDefaults.Security;

/// <summary>
/// The subjects whose tokens issued before a time are refused in this process (<c>AccessRevoked</c>: a person
/// deactivated, their role, division or volunteer link changed, their volunteer suspended). Checked on every request
/// by the bearer handler, so a lookup is a read of an immutable dictionary, no lock and no database call; the rare
/// changes (the consumer, the refresh from each module's database) swap in a new one.
/// </summary>
public sealed class AccessRevocations
{
    private readonly Lock _gate = new();
    private volatile Dictionary<string, DateTimeOffset> _notBefore = new(StringComparer.Ordinal);

    /// <summary>How many subjects are held (for tests and diagnostics).</summary>
    public int Count => _notBefore.Count;

    /// <summary>The not-before held for <paramref name="subject"/>, or null.</summary>
    public DateTimeOffset? NotBefore(string subject) => _notBefore.TryGetValue(subject, out var notBefore) ? notBefore : null;

    /// <summary>
    /// True when a token of <paramref name="subject"/> issued at <paramref name="issuedAt"/> no longer counts. A token's
    /// <c>iat</c> is in whole seconds, so one issued in the same second as a revocation counts as issued before it:
    /// when in doubt, refuse (the client signs in or refreshes again a moment later). A token without <c>iat</c>
    /// (<see cref="DateTime.MinValue"/>) of a revoked subject is refused too.
    /// </summary>
    public bool Refuses(string? subject, DateTime issuedAt)
    {
        var current = _notBefore;
        return current.Count > 0 && subject is not null && current.TryGetValue(subject, out var notBefore)
            && new DateTimeOffset(DateTime.SpecifyKind(issuedAt, DateTimeKind.Utc)) < notBefore;
    }

    /// <summary>Raises <paramref name="subject"/>'s not-before to <paramref name="notBefore"/> unless a later one is held.</summary>
    public void Revoke(string subject, DateTimeOffset notBefore) => Merge([(subject, notBefore)], forgetBefore: null);

    /// <summary>
    /// Merges rows read from a database (each subject keeps the later not-before) and forgets subjects whose not-before
    /// is older than <paramref name="forgetBefore"/>: every token issued before then has expired.
    /// </summary>
    public void Merge(IEnumerable<(string Subject, DateTimeOffset NotBefore)> entries, DateTimeOffset? forgetBefore)
    {
        lock (_gate)
        {
            var current = _notBefore;
            Dictionary<string, DateTimeOffset>? next = null;
            foreach (var (subject, notBefore) in entries)
            {
                if ((next ?? current).TryGetValue(subject, out var known) && known >= notBefore)
                {
                    continue;
                }
                next ??= new Dictionary<string, DateTimeOffset>(current, StringComparer.Ordinal);
                next[subject] = notBefore;
            }
            if (forgetBefore is { } threshold && (next ?? current).Values.Any(v => v < threshold))
            {
                next ??= new Dictionary<string, DateTimeOffset>(current, StringComparer.Ordinal);
                foreach (var stale in next.Where(e => e.Value < threshold).Select(e => e.Key).ToList())
                {
                    next.Remove(stale);
                }
            }
            if (next is not null)
            {
                _notBefore = next;
            }
        }
    }
}
