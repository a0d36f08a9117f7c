namespace PracticeMesh.ServiceDefaults.Data;

/// <summary>
/// A subject (a person's or a partner's <c>sub</c>) whose tokens issued before <see cref="NotBefore"/> are refused, from
/// <c>AccessRevoked</c>. One row per subject, holding the latest not-before heard of.
/// </summary>
public sealed class RevokedSubject
{
    private RevokedSubject() { }

    public RevokedSubject(string subject, DateTimeOffset notBefore)
    {
        Subject = subject;
        NotBefore = notBefore;
    }

    public string Subject { get; private set; } = "";
    public DateTimeOffset NotBefore { get; private set; }
    /// <summary>Bumped by every change: two replicas raising the same row cannot save over each other.</summary>
    public int Version { get; private set; }

    /// <summary>Keeps the later of the two, so revocations heard in any order (or twice) end at the latest.</summary>
    public void Raise(DateTimeOffset notBefore)
    {
        if (notBefore > NotBefore)
        {
            NotBefore = notBefore;
            Version++;
        }
    }
}
