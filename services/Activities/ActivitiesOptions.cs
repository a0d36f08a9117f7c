namespace PracticeMesh.Activities;

/// <summary>
/// The service's rules that a county may tune (section <c>Activities</c>). The announcement lead, the hour cap and the
/// rating window are county defaults, not seed rules (docs/county-settings.md); the cadence numbers are the seed's.
/// </summary>
public sealed class ActivitiesOptions
{
    /// <summary>An activity is announced at least this many days ahead; later is allowed but flagged. County default: 3.</summary>
    public int AnnounceDaysAhead { get; set; } = 3;
    /// <summary>No volunteer is credited more than this for one activity. County default: 8 h.</summary>
    public decimal MaxCreditedHoursPerActivity { get; set; } = 8m;
    /// <summary>A location check-in counts within this distance of the venue or the mobile activity's place.</summary>
    public double CheckInRadiusMeters { get; set; } = 200;
    /// <summary>The venue screen shows a new QR token this often.</summary>
    public TimeSpan QrRotation { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>A QR token is accepted for this long after it was shown (covers a slow scan).</summary>
    public TimeSpan QrLifetime { get; set; } = TimeSpan.FromSeconds(90);
    /// <summary>The HMAC key that signs QR tokens (base64, at least 32 bytes). Every replica needs the same one.</summary>
    public string? QrSigningKey { get; set; }
    /// <summary>Without a <see cref="QrSigningKey"/>, let this one process make its own: the standalone demo and tests only.</summary>
    public bool UseDevelopmentKey { get; set; }
    /// <summary>Residents may rate an activity for this many days after its completion. County default: 14.</summary>
    public int RatingWindowDays { get; set; } = 14;
    /// <summary>Concentrated activities a station holds per month (seed: 2).</summary>
    public int StationActivitiesPerMonth { get; set; } = 2;
    /// <summary>Activities a team holds per year (seed: 12).</summary>
    public int TeamActivitiesPerYear { get; set; } = 12;
    /// <summary>Share of a team's registered volunteers who take part in a year (seed: 70 %).</summary>
    public decimal TeamParticipationRate { get; set; } = 0.7m;

    /// <summary>Stops the host at start when a county setting cannot be used, rather than at the first request it affects.</summary>
    public ActivitiesOptions EnsureUsable()
    {
        var problems = new List<string>();
        if (AnnounceDaysAhead is < 0 or > 60)
        {
            problems.Add($"Activities:AnnounceDaysAhead is 0 to 60 days (has {AnnounceDaysAhead}).");
        }
        // An activity lasts at most 24 h, so a larger cap would cap nothing.
        if (MaxCreditedHoursPerActivity is <= 0 or > 24)
        {
            problems.Add($"Activities:MaxCreditedHoursPerActivity is more than 0 and at most 24 hours (has {MaxCreditedHoursPerActivity}).");
        }
        if (RatingWindowDays is < 1 or > 366)
        {
            problems.Add($"Activities:RatingWindowDays is 1 to 366 days (has {RatingWindowDays}).");
        }
        return problems.Count == 0 ? this : throw new InvalidOperationException(string.Join(" ", problems));
    }
    /// <summary>
    /// A county default, not a seed rule: an order not accepted this long after it was placed goes up a tier (to the
    /// township's institute), and again after as long once more (to the county centre).
    /// </summary>
    public TimeSpan OrderAcceptWithin { get; set; } = TimeSpan.FromDays(2);
    /// <summary>A county default, not a seed rule: an accepted order not done this long after it was placed goes up a tier likewise.</summary>
    public TimeSpan OrderCompleteWithin { get; set; } = TimeSpan.FromDays(7);
    /// <summary>How often each replica looks for late orders.</summary>
    public TimeSpan OrderSweepInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>
    /// Count a sub-team's (分队) activities for its parent team in the team cadence as well as for itself, where the
    /// county reckons teams that way (default off: each team counts only its own).
    /// </summary>
    public bool TeamCadenceCountsSubTeams { get; set; }
    /// <summary>A repeating activity (series) has at most this many occurrences.</summary>
    public int SeriesMaxOccurrences { get; set; } = 60;
    /// <summary>A series' occurrences fall within this many days of its first date.</summary>
    public int SeriesMaxDays { get; set; } = 366;
    /// <summary>
    /// Where activity records' attachments (photos, sign-in sheets) are kept: a local folder (the standalone host's data
    /// folder, a persistent volume on Kubernetes). Unset: <c>records</c> under <c>Database:DataDirectory</c>.
    /// </summary>
    public string? RecordsDirectory { get; set; }
    /// <summary>An attachment is at most this many bytes (the gateway's <c>Gateway:MaxRequestBodyBytes</c> must allow it too).</summary>
    public long RecordMaxBytes { get; set; } = 5 * 1024 * 1024;
    /// <summary>The content types an attachment may have.</summary>
    public string[] RecordContentTypes { get; set; } =
        ["image/jpeg", "image/png", "image/webp", "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"];
}
