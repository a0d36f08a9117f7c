namespace PracticeMesh.Assessment.Measures;

/// <summary>
/// A volunteer's or team's standing changed in a year (<see cref="Year"/> 0: in every year it has figures, as when its
/// home station becomes known): written in the same transaction as the change, so the leaderboards (Redis sorted sets,
/// or the process's own in the standalone host) are brought up to date from the database after it commits, and a
/// crash between the two only delays them.
/// </summary>
public sealed class LeaderboardMark
{
    private LeaderboardMark() { }

    public long Id { get; private set; }
    public SubjectKind Kind { get; private set; }
    public string Subject { get; private set; } = "";
    public int Year { get; private set; }

    public static LeaderboardMark For(SubjectKind kind, string subject, int year) => new() { Kind = kind, Subject = subject, Year = year };
}
