using System.Security.Claims;

namespace Referrals.ServiceDefaults.Auth;

public static class Roles
{
    public const string Referrer = "referrer";
    public const string LinkWorker = "link-worker";
    public const string TeamLead = "team-lead";
    public const string ProgrammeAdmin = "programme-admin";
    public const string ClinicalSystem = "clinical-system";
    public const string DataProtectionOfficer = "data-protection-officer";

    public static readonly IReadOnlyList<string> All =
        [Referrer, LinkWorker, TeamLead, ProgrammeAdmin, ClinicalSystem, DataProtectionOfficer];
}

/// <summary>Claim names in the platform's tokens (kept short and unmapped, as issued).</summary>
public static class ReferralsClaims
{
    public const string Role = "role";
    public const string Subject = "sub";
    public const string Name = "name";

    /// <summary>The organisation's ODS code(s): referrers and clinical systems.</summary>
    public const string OdsCode = "ods";

    /// <summary>A registered agency id, for referrers without an ODS code.</summary>
    public const string AgencyId = "agency";

    /// <summary>Programme id(s) the user works in.</summary>
    public const string Programme = "programme";

    public const string LinkWorkerId = "link_worker_id";
    public const string Tier = "tier";
}

public static class ClaimsPrincipalExtensions
{
    public static IReadOnlyList<string> OdsCodes(this ClaimsPrincipal user) =>
        user.FindAll(ReferralsClaims.OdsCode).Select(c => c.Value.ToUpperInvariant()).ToList();

    /// <summary>Every organisation the user acts for: ODS codes and agency ids.</summary>
    public static IReadOnlyList<string> OrganisationIds(this ClaimsPrincipal user) =>
        user.OdsCodes().Concat(user.FindAll(ReferralsClaims.AgencyId).Select(c => c.Value.ToUpperInvariant())).ToList();

    public static IReadOnlyList<string> Programmes(this ClaimsPrincipal user) =>
        user.FindAll(ReferralsClaims.Programme).Select(c => c.Value).ToList();

    public static string? LinkWorkerId(this ClaimsPrincipal user) => user.FindFirst(ReferralsClaims.LinkWorkerId)?.Value;

    public static string UserId(this ClaimsPrincipal user) => user.FindFirst(ReferralsClaims.Subject)?.Value ?? "unknown";

    public static int? Tier(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirst(ReferralsClaims.Tier)?.Value, out var tier) ? tier : null;
}
