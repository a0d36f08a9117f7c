using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace PracticeMesh.Contracts;

/// <summary>
/// Ids that name the township (乡镇) whose data they belong to, so the gateway can send a request that carries only an id
/// to the township cell holding it, with no lookup, and moving a township to another cell moves its ids with it.
/// An RFC 9562 version 8 Guid laid out as version 7 is (48 bits of Unix milliseconds first, so ids still sort by time
/// and index well), with the 9-digit township code as a 30-bit number where version 7 has its first random bits:
/// <code>
/// bytes 0-5   Unix time in milliseconds
/// byte  6     version 8 (high nibble) | township bits 29-26
/// byte  7     township bits 25-18
/// byte  8     variant 10 (two high bits) | township bits 17-12
/// byte  9     township bits 11-4
/// byte  10    township bits 3-0 | 4 random bits
/// bytes 11-15 random (44 random bits in all)
/// </code>
/// A county-level division (6 digits) names no township: its ids are ordinary version 7 Guids.
/// </summary>
public static class TownshipGuid
{
    private const int Version = 8;

    /// <summary>A new id for data of <paramref name="division"/> (a township or a village in it) made at <paramref name="now"/>.</summary>
    public static Guid New(DivisionCode division, DateTimeOffset now)
    {
        if (division.Tier == DivisionTier.County)
        {
            return Guid.CreateVersion7(now);
        }
        var township = uint.Parse(division.Township.Value, NumberStyles.None, CultureInfo.InvariantCulture);
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[10..]);
        var milliseconds = (ulong)now.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        }
        bytes[6] = (byte)((Version << 4) | (int)(township >> 26));
        bytes[7] = (byte)(township >> 18);
        bytes[8] = (byte)(0x80 | ((township >> 12) & 0x3F));
        bytes[9] = (byte)(township >> 4);
        bytes[10] = (byte)(((township & 0x0Fu) << 4) | (bytes[10] & 0x0Fu));
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The township an id names, or null for any other Guid (older random or version 7 ids, county-level data).</summary>
    public static DivisionCode? TownshipOf(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        if (bytes[6] >> 4 != Version || (bytes[8] & 0xC0) != 0x80)
        {
            return null;
        }
        var township = ((uint)(bytes[6] & 0x0F) << 26) | ((uint)bytes[7] << 18) | ((uint)(bytes[8] & 0x3F) << 12)
            | ((uint)bytes[9] << 4) | ((uint)bytes[10] >> 4);
        return DivisionCode.TryParse(township.ToString("D9", CultureInfo.InvariantCulture), out var code) && code.Tier == DivisionTier.Township
            ? code
            : null;
    }

    /// <summary>When an id of either kind (version 7 or 8) was made.</summary>
    public static DateTimeOffset MadeAt(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        var milliseconds = BinaryPrimitives.ReadUInt64BigEndian(bytes) >> 16;
        return DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds);
    }
}
