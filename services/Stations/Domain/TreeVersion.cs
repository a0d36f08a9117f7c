namespace PracticeMesh.Stations.Domain;

/// <summary>
/// The version of one county's tree. Every change to a site in the county writes a new version in the same
/// transaction, and cached tree reads are keyed by it, so no replica serves a tree older than the database's.
/// </summary>
public sealed class TreeVersion
{
    private TreeVersion() { }

    /// <summary>The county's 6-digit code.</summary>
    public string County { get; private set; } = "";
    public Guid Version { get; private set; }
    public DateTimeOffset ChangedAt { get; private set; }

    public static TreeVersion Start(string county, DateTimeOffset now) => new() { County = county, Version = Guid.CreateVersion7(now), ChangedAt = now };

    // A fresh id rather than a counter: two concurrent changes need only differ from the version they replaced.
    public void Bump(DateTimeOffset now)
    {
        Version = Guid.CreateVersion7(now);
        ChangedAt = now;
    }
}
