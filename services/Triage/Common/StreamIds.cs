using System.Security.Cryptography;
using System.Text;

namespace Referrals.Triage.Common;

/// <summary>
/// Deterministic stream ids for streams keyed by a natural key, so that "first writer wins" and replays are idempotent.
/// None of these keys is personal data, so a plain hash (not the blind index) is enough.
/// </summary>
public static class StreamIds
{
    /// <summary>The configuration stream of a programme (its version is the configuration version decisions record).</summary>
    public static Guid Programme(string programmeId) => Derive("programme", programmeId);

    /// <summary>The escalation a referral's own triage opened (concerns raised later use the concern id).</summary>
    public static Guid EscalationForReferral(Guid referralId) => Derive("escalation:referral", referralId.ToString("N"));

    private static Guid Derive(string purpose, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(purpose + "\n" + key));
        // RFC 9562 version 8 (custom) with the variant bits set, so the value is a well-formed UUID.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
