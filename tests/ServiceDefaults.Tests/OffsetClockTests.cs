using Microsoft.Extensions.Configuration;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.ServiceDefaults.Tests;

/// <summary>The clock an end-to-end test moves by writing an offset file; with no file named, the system's.</summary>
public sealed class OffsetClockTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"practicemesh-offset-{Guid.NewGuid():N}.txt");

    [Fact]
    public void Without_the_setting_a_host_keeps_the_system_clock()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build();

        Assert.Same(TimeProvider.System, OffsetClock.FromConfiguration(configuration));
    }

    [Fact]
    public void The_clock_follows_the_offset_file_as_it_is_written()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [OffsetClock.Setting] = _file }).Build();
        var clock = OffsetClock.FromConfiguration(configuration);

        // No file yet: no offset.
        Assert.InRange(clock.GetUtcNow() - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(-5), TimeSpan.FromSeconds(5));

        Write("2.00:00:00", DateTime.UtcNow.AddMinutes(-2));
        Assert.InRange(clock.GetUtcNow() - DateTimeOffset.UtcNow, TimeSpan.FromDays(2) - TimeSpan.FromSeconds(5), TimeSpan.FromDays(2) + TimeSpan.FromSeconds(5));

        // Rewritten: read again; a value that is no TimeSpan keeps the last good one.
        Write("-01:00:00", DateTime.UtcNow.AddMinutes(-1));
        Assert.InRange(clock.GetUtcNow() - DateTimeOffset.UtcNow, TimeSpan.FromHours(-1) - TimeSpan.FromSeconds(5), TimeSpan.FromHours(-1) + TimeSpan.FromSeconds(5));
        Write("soon", DateTime.UtcNow);
        Assert.InRange(clock.GetUtcNow() - DateTimeOffset.UtcNow, TimeSpan.FromHours(-1) - TimeSpan.FromSeconds(5), TimeSpan.FromHours(-1) + TimeSpan.FromSeconds(5));
    }

    /// <summary>Writes the file with a write time of its own, so each write is seen whatever the file system's granularity.</summary>
    private void Write(string text, DateTime writtenAt)
    {
        File.WriteAllText(_file, text);
        File.SetLastWriteTimeUtc(_file, writtenAt);
    }

    public void Dispose() => File.Delete(_file);
}
