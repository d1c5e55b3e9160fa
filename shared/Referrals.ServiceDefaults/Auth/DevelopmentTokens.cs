using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;

namespace Referrals.ServiceDefaults.Auth;

/// <summary>
/// Mints tokens signed with the development key, for local runs and tests only. Production validates tokens from an
/// OpenID Connect authority (Auth:Authority) and never accepts this key.
/// </summary>
public static class DevelopmentTokens
{
    public const string Issuer = "https://referrals.local/development";
    public const string Audience = "referrals";

    /// <summary>The well-known development key (also in each service's appsettings.Development.json). Never use in production.</summary>
    public const string DefaultKey = "cmVmZXJyYWxzLWRldmVsb3BtZW50LWtleS1ub3QtZm9yLXByb2R1Y3Rpb24tdXNlIQ==";

    public static string Create(string signingKeyBase64, string subject, IEnumerable<string> roles,
        IEnumerable<KeyValuePair<string, string>>? claims = null, TimeSpan? lifetime = null, string? name = null)
    {
        var all = new List<Claim> { new(ReferralsClaims.Subject, subject), new(ReferralsClaims.Name, name ?? subject) };
        all.AddRange(roles.Select(r => new Claim(ReferralsClaims.Role, r)));
        all.AddRange((claims ?? []).Select(c => new Claim(c.Key, c.Value)));
        var credentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(signingKeyBase64)),
            SecurityAlgorithms.HmacSha256);
        var now = DateTime.UtcNow;
        var token = new JwtSecurityToken(Issuer, Audience, all, now.AddMinutes(-1), now.Add(lifetime ?? TimeSpan.FromHours(8)), credentials);
        return new JwtSecurityTokenHandler().WriteToken(token);
    }
}
