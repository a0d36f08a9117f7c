namespace PracticeMesh.Activities.Attendance;

/// <summary>A resident's interest in attending (separate from volunteers' sign-ups, and with no capacity).</summary>
public sealed class ResidentInterest
{
    public Guid ActivityId { get; set; }
    public string ResidentId { get; set; } = "";
    public DateTimeOffset RegisteredAt { get; set; }
}
