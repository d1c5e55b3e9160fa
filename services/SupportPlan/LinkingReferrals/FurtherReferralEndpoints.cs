using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.LinkingReferrals;

public static class FurtherReferralEndpoints
{
    public static RouteGroupBuilder MapFurtherReferrals(this RouteGroupBuilder journeys)
    {
        journeys.MapPost("/{journeyId:guid}/further-referrals/{referralId:guid}/acknowledge", Acknowledge).WithName("AcknowledgeFurtherReferral")
            .WithSummary("The journey's worker or a team lead read a further referral linked to the journey; the caseload stops marking it. Honours If-Match.");
        return journeys;
    }

    /// <summary>Whoever may write the journey (its worker, a team lead of its programme): the default rules, If-Match honoured.</summary>
    private static Task<JourneyResult> Acknowledge(Guid journeyId, Guid referralId, HttpContext http, JourneyCommands commands) =>
        commands.ExecuteAsync(http, journeyId, "AcknowledgeFurtherReferral",
            (journey, now) => FurtherReferralDecider.Acknowledge(journey, referralId, http.User.UserId(), now));
}
