using System.Security.Cryptography;
using System.Text;

namespace Referrals.SharedKernel;

/// <summary>
/// A UUID derived from a name (SHA-256, RFC 9562 version 8 with the variant bits set): the same name always gives the same
/// id, so streams and resources can be found again, and a replay produces the same ids.
/// </summary>
public static class NameBasedGuid
{
    public static Guid Create(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
