using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PracticeMesh.Contracts;
using PracticeMesh.ServiceDefaults;

namespace PracticeMesh.Grid.Open311;

/// <summary>
/// An Open311 API key of a partner client (a county hotline, a city-management system, an app): what lets it post
/// service requests. The key is shown once, when made; only its SHA-256 hash is kept. A key is written
/// <c>{id}.{secret}</c>: the id finds the row, the secret's hash is compared in constant time.
/// </summary>
public sealed class Open311ApiKey
{
    private const int SecretBytes = 32;

    private Open311ApiKey() { }

    public Guid Id { get; private set; }
    /// <summary>The partner's client id at the identity service (its cases carry it as PartnerClientId).</summary>
    public string ClientId { get; private set; } = "";
    public string Name { get; private set; } = "";
    /// <summary>Where the partner may report: a county, township or village code prefix.</summary>
    public DivisionCode Division { get; private set; }
    /// <summary>SHA-256 of the whole key.</summary>
    public byte[] Hash { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }
    public string? CreatedBy { get; private set; }
    /// <summary>Revoked keys stay on record (cases name their client) and are refused.</summary>
    public DateTimeOffset? RevokedAt { get; private set; }
    public int Version { get; private set; }

    public bool Active => RevokedAt is null;

    /// <summary>A new key for <paramref name="clientId"/>, and the key itself (to show once).</summary>
    public static (Open311ApiKey Key, string Secret) Create(string? clientId, string? name, string? division, string? createdBy, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var client = clientId?.Trim() ?? "";
        if (client.Length is 0 or > 100)
        {
            errors["clientId"] = ["A client id of 1 to 100 characters is required."];
        }
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 100)
        {
            errors["name"] = ["A name of 1 to 100 characters is required."];
        }
        if (!DivisionCode.TryParse(division, out var code, out var codeError))
        {
            errors["division"] = [codeError];
        }
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
        var id = Guid.CreateVersion7(now);
        var secret = $"{id:N}.{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes))}";
        return (new Open311ApiKey
        {
            Id = id,
            ClientId = client,
            Name = trimmed,
            Division = code,
            Hash = HashOf(secret),
            CreatedAt = now,
            CreatedBy = createdBy,
        }, secret);
    }

    /// <summary>The row id a presented key names, when it is shaped like one of ours.</summary>
    public static bool TryReadId(string? presented, out Guid id)
    {
        id = Guid.Empty;
        var dot = presented?.IndexOf('.') ?? -1;
        return dot == 32 && Guid.TryParseExact(presented.AsSpan(0, dot), "N", out id);
    }

    /// <summary>True when <paramref name="presented"/> is this key; compared in constant time.</summary>
    public bool Matches(string presented) => CryptographicOperations.FixedTimeEquals(HashOf(presented), Hash);

    public void Revoke(DateTimeOffset now)
    {
        if (RevokedAt is null)
        {
            RevokedAt = now;
            Version++;
        }
    }

    /// <summary>The key's state for the other grid cells (<see cref="Contracts.Events.V1.Open311KeyChanged"/>).</summary>
    public Contracts.Events.V1.Open311KeyChanged Changed(DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), now, Division, Id, ClientId, Name, Hash, CreatedAt, CreatedBy, RevokedAt, Version);

    /// <summary>
    /// Takes the state another cell issued or revoked the key to, when it is newer than the one held (or the key is
    /// new here); false for a copy or an older state.
    /// </summary>
    public static bool Mirror(ref Open311ApiKey? held, Contracts.Events.V1.Open311KeyChanged changed)
    {
        if (held is not null && changed.Version <= held.Version)
        {
            return false;
        }
        held ??= new Open311ApiKey { Id = changed.KeyId };
        held.ClientId = changed.ClientId;
        held.Name = changed.Name;
        held.Division = changed.DivisionCode;
        held.Hash = changed.Hash;
        held.CreatedAt = changed.CreatedAt;
        held.CreatedBy = changed.CreatedBy;
        held.RevokedAt = changed.RevokedAt;
        held.Version = changed.Version;
        return true;
    }

    private static byte[] HashOf(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

internal sealed class Open311ApiKeyMapping : IEntityTypeConfiguration<Open311ApiKey>
{
    public void Configure(EntityTypeBuilder<Open311ApiKey> entity)
    {
        entity.ToTable("open311_keys");
        entity.HasKey(k => k.Id);
        entity.Property(k => k.ClientId).HasMaxLength(100);
        entity.Property(k => k.Name).HasMaxLength(100);
        entity.Property(k => k.Hash).HasMaxLength(32);
        entity.Property(k => k.CreatedBy).HasMaxLength(100);
        entity.Property(k => k.Version).IsConcurrencyToken();
        entity.Ignore(k => k.Active);
        entity.HasIndex(k => k.ClientId);
    }
}
