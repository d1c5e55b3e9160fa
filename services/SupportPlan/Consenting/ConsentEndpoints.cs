using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Consenting;

public static class ConsentEndpoints
{
    public static RouteGroupBuilder MapConsent(this RouteGroupBuilder journeys)
    {
        journeys.MapPost("/{journeyId:guid}/consent", (Guid journeyId, ChangeConsent command, HttpContext http, JourneyCommands commands) =>
                commands.ExecuteAsync(http, journeyId, "ChangeConsent", (j, now) => ConsentDecider.Change(j, command, http.User.UserId(), now)))
            .WithName("ChangeConsent").WithSummary("Change the sharing scope with the GP (Full, CodedOnly, None) or withdraw consent.");
        return journeys;
    }
}
