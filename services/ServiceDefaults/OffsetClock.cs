using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace PracticeMesh.ServiceDefaults;

/// <summary>
/// The system clock moved by an offset kept in a file (<c>Testing:ClockOffsetFile</c>, a <see cref="TimeSpan"/> such as
/// <c>2.04:00:00</c>), read again whenever the file's write time changes. End-to-end tests run services as processes
/// and cannot inject a clock; they let a service's days pass by writing the file. Only a test's environment names it:
/// no appsettings file or manifest does, so a deployed service runs on the system clock.
/// </summary>
public sealed class OffsetClock(string file) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTime _readWriteTime;
    private TimeSpan _offset;

    public const string Setting = "Testing:ClockOffsetFile";

    /// <summary>The clock a host registers: this one when the setting names a file, else the system's.</summary>
    public static TimeProvider FromConfiguration(IConfiguration configuration) =>
        configuration[Setting] is { Length: > 0 } file ? new OffsetClock(file) : System;

    public TimeSpan Offset
    {
        get
        {
            var written = File.Exists(file) ? File.GetLastWriteTimeUtc(file) : default;
            lock (_gate)
            {
                if (written != _readWriteTime)
                {
                    _readWriteTime = written;
                    _offset = written == default ? TimeSpan.Zero : Read();
                }
                return _offset;
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    private TimeSpan Read()
    {
        try
        {
            return TimeSpan.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, out var offset) ? offset : _offset;
        }
        catch (IOException)
        {
            // Being written: the next read (its write time moves again) takes it.
            _readWriteTime = default;
            return _offset;
        }
    }
}
