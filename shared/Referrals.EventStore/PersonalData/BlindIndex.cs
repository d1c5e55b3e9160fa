using System.Security.Cryptography;
using System.Text;

namespace Referrals.EventStore;

/// <summary>
/// Keyed hash of an identifier that must stay searchable (NHS number) without being stored in plain text.
/// The purpose is mixed in so that one identifier gives unrelated indexes in unrelated uses.
/// </summary>
public sealed class BlindIndex
{
    private readonly byte[] _key;

    public BlindIndex(byte[] key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException("A blind-index key needs at least 256 bits.", nameof(key));
        }

        _key = key.ToArray();
    }

    public static BlindIndex FromBase64(string key) => new(Convert.FromBase64String(key));

    public string Compute(string purpose, string normalisedValue)
    {
        var bytes = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose + "\n" + normalisedValue));
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>A stable Guid derived from the index, for streams keyed by a blind index (first writer wins).</summary>
    public Guid ComputeGuid(string purpose, string normalisedValue)
    {
        var bytes = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose + "\n" + normalisedValue));
        return new Guid(bytes.AsSpan(0, 16));
    }
}
