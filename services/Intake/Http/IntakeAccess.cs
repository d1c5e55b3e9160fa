using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.Intake.Submitting;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.Http;

/// <summary>Who may use intake's referrer endpoints, and the organisation checks every one of them makes.</summary>
public static class IntakeAccess
{
    /// <summary>
    /// Referrers (staff of a practice or agency, through a portal) and clinical systems (a GP system calling the API or
    /// FHIR endpoint for its practice). Link workers and other roles cannot submit on a practice's behalf.
    /// </summary>
    public const string ReferrerPolicy = "intake-referrer";

    public static readonly string[] ReferrerRoles = [Roles.Referrer, Roles.ClinicalSystem];

    public static bool ActsFor(this ClaimsPrincipal user, string organisationId) =>
        user.ReferrerOrganisations().Contains(organisationId, StringComparer.Ordinal);

    /// <summary>
    /// The organisations the user acts for as a referrer: its ODS codes and agency ids, never the placeholder that
    /// self-referrals are filed under (<see cref="ReferralValidator.SelfReferralOrganisation"/>). That placeholder has the
    /// shape of an ODS code, and a sign-in carrying it must not open every self-referral (HAZ-019).
    /// </summary>
    public static IReadOnlyList<string> ReferrerOrganisations(this ClaimsPrincipal user) =>
        user.OrganisationIds().Where(o => !string.Equals(o, ReferralValidator.SelfReferralOrganisation, StringComparison.Ordinal)).ToList();

    /// <summary>
    /// The one organisation a request acts for: the one named (which the token must carry) or, when the token carries
    /// exactly one, that one.
    /// </summary>
    public static string SingleOrganisation(this ClaimsPrincipal user, string? named)
    {
        var organisations = user.ReferrerOrganisations();
        if (named is not null)
        {
            var upper = named.Trim().ToUpperInvariant();
            return organisations.Contains(upper, StringComparer.Ordinal)
                ? upper
                : throw RequestValidationException.For("organisationId", "Your sign-in does not act for this organisation.");
        }

        return organisations.Count switch
        {
            1 => organisations[0],
            0 => throw RequestValidationException.For("organisationId", "Your sign-in names no organisation (ODS code or agency id)."),
            _ => throw RequestValidationException.For("organisationId", "Your sign-in acts for several organisations: name one."),
        };
    }

    public static ProblemHttpResult NotYourOrganisation() => TypedResults.Problem(
        title: "You can only refer as your own organisation",
        detail: "The referring organisation must be one your sign-in acts for (its ODS code or agency id).",
        statusCode: StatusCodes.Status403Forbidden);

    /// <summary>Another organisation's referral is "not found": its existence is not disclosed.</summary>
    public static ProblemHttpResult ReferralNotFound() =>
        TypedResults.Problem(title: "Referral not found", statusCode: StatusCodes.Status404NotFound);
}
