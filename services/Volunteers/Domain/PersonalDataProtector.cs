using System.Security.Cryptography;
using System.Text;

namespace PracticeMesh.Volunteers.Domain;

/// <summary>
/// Protects ID card numbers and phones at rest: AES-256-GCM with the row's id as associated data (a ciphertext
/// copied to another row does not decrypt), and a keyed HMAC-SHA256 for finding duplicates without decrypting.
/// Both keys derive from the one configured data key, so rotating it is one setting.
/// </summary>
public sealed class PersonalDataProtector
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _encryptionKey;
    private readonly byte[] _lookupKey;

    public PersonalDataProtector(byte[] dataKey)
    {
        if (dataKey.Length != 32)
        {
            throw new ArgumentException("The data key must be 32 bytes.", nameof(dataKey));
        }
        _encryptionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, dataKey, 32, info: "practicemesh-volunteers-encryption"u8.ToArray());
        _lookupKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, dataKey, 32, info: "practicemesh-volunteers-lookup"u8.ToArray());
    }

    /// <summary>A stable keyed hash for exact-match lookups (duplicates); not reversible without the key.</summary>
    public string LookupHash(string value) => Convert.ToHexStringLower(HMACSHA256.HashData(_lookupKey, Encoding.UTF8.GetBytes(value)));

    public string Encrypt(string plaintext, Guid owner)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[1 + NonceSize + TagSize + plain.Length];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_encryptionKey, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(1 + NonceSize + TagSize), output.AsSpan(1 + NonceSize, TagSize), owner.ToByteArray());
        return Convert.ToBase64String(output);
    }

    public string Decrypt(string ciphertext, Guid owner)
    {
        var input = Convert.FromBase64String(ciphertext);
        if (input.Length < 1 + NonceSize + TagSize || input[0] != FormatVersion)
        {
            throw new CryptographicException("Unknown personal-data format.");
        }
        var plain = new byte[input.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(_encryptionKey, TagSize);
        aes.Decrypt(input.AsSpan(1, NonceSize), input.AsSpan(1 + NonceSize + TagSize), input.AsSpan(1 + NonceSize, TagSize), plain, owner.ToByteArray());
        return Encoding.UTF8.GetString(plain);
    }
}
