using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Referrals.Intake.Webhooks;

/// <summary>
/// Signing secrets and signatures in the Standard Webhooks form (https://www.standardwebhooks.com): the secret is
/// <c>whsec_</c> + base64 key bytes; each request carries <c>webhook-id</c>, <c>webhook-timestamp</c> (Unix seconds) and
/// <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of "{id}.{timestamp}.{body}"&gt;</c>. Secrets are derived, not stored:
/// HMAC(service key, organisation + secret version), so rotating is re-registering (a new version).
/// </summary>
public sealed class WebhookSecrets
{
    public const string Prefix = "whsec_";
    private readonly byte[] _key;

    public WebhookSecrets(string base64Key)
    {
        _key = Convert.FromBase64String(base64Key);
        if (_key.Length < 32)
        {
            throw new InvalidOperationException("Intake:Webhooks:SecretKey must be a base64 key of at least 256 bits.");
        }
    }

    public byte[] KeyFor(string organisationId, int version) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"webhook-secret\n{organisationId}\n{version}")));

    /// <summary>The secret the organisation verifies signatures with.</summary>
    public string SecretFor(string organisationId, int version) => Prefix + Convert.ToBase64String(KeyFor(organisationId, version));

    public static string Sign(byte[] key, string id, long timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(key,
            Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}.{timestamp}.{body}"))));

    /// <summary>Verifies a signature header (space-separated list) with a <c>whsec_</c> secret, as a receiver does.</summary>
    public static bool Verify(string secret, string id, long timestamp, string body, string signatureHeader)
    {
        var key = Convert.FromBase64String(secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret);
        var expected = Encoding.ASCII.GetBytes(Sign(key, id, timestamp, body));
        return signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(candidate => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), expected));
    }
}
