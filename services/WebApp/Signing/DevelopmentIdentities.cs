using System.Globalization;
using Referrals.ServiceDefaults.Auth;

namespace Referrals.WebApp.Signing;

/// <summary>A person the development sign-in page can sign in as (triage's development seed).</summary>
public sealed record DevelopmentIdentity(string Id, string DisplayName, string Role, int? Tier, string Programme, string Description)
{
    public string CreateToken(string signingKey) =>
        DevelopmentTokens.Create(signingKey, Id, [Role], Claims(), TimeSpan.FromHours(8), DisplayName);

    private List<KeyValuePair<string, string>> Claims()
    {
        var claims = new List<KeyValuePair<string, string>> { new(ReferralsClaims.Programme, Programme) };
        if (Role == Roles.LinkWorker)
        {
            claims.Add(new(ReferralsClaims.LinkWorkerId, Id));
            claims.Add(new(ReferralsClaims.Tier, (Tier ?? 1).ToString(CultureInfo.InvariantCulture)));
        }

        return claims;
    }
}

public sealed class DevelopmentIdentities(IReadOnlyList<DevelopmentIdentity> all, string? signingKey)
{
    public IReadOnlyList<DevelopmentIdentity> All { get; } = all;

    public string? SigningKey { get; } = signingKey;

    public DevelopmentIdentity? Find(string? id) => All.FirstOrDefault(i => i.Id == id);

    public static DevelopmentIdentities From(IConfiguration configuration) => new(
    [
        new("lw-nl-01", "Amira Shah", Roles.LinkWorker, 1, "north-leeds", "Link worker (tier 1), north Leeds, practices B86001 and B86002"),
        new("lw-nl-02", "Ben Clarke", Roles.LinkWorker, 1, "north-leeds", "Link worker (tier 1), north Leeds, practices B86003 and B86004"),
        new("lw-nl-03", "Chloe Evans", Roles.LinkWorker, 2, "north-leeds", "Link worker coach (tier 2), north Leeds, all practices"),
        new("lw-nl-04", "Dev Patel", Roles.LinkWorker, 3, "north-leeds", "Psychosocial link worker (tier 3), north Leeds, all practices"),
        new("tl-nl-01", "Team lead (north Leeds)", Roles.TeamLead, null, "north-leeds", "Team lead, north Leeds"),
        new("lw-eb-01", "Erin Walsh", Roles.LinkWorker, 1, "east-bradford", "Link worker (tier 1), east Bradford"),
        new("tl-eb-01", "Team lead (east Bradford)", Roles.TeamLead, null, "east-bradford", "Team lead, east Bradford"),
    ], configuration["Auth:DevelopmentSigningKey"]);
}
