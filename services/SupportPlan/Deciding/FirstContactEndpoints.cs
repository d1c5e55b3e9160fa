using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Deciding;

public static class FirstContactEndpoints
{
    public static RouteGroupBuilder MapFirstContact(this RouteGroupBuilder journeys)
    {
        journeys.MapPost("/{journeyId:guid}/agreement", Agree).WithName("RecordAgreement")
            .WithSummary("The person agreed to social prescribing at first contact (871731000000106, once per episode).");
        journeys.MapPost("/{journeyId:guid}/decline", Decline).WithName("RecordDecline")
            .WithSummary("The person declined at first contact (871711000000103); the journey closes.");
        return journeys;
    }

    private static Task<JourneyResult> Agree(Guid journeyId, RecordAgreement? command,
        HttpContext http, JourneyCommands commands) =>
        commands.ExecuteAsync(http, journeyId, "RecordAgreement", (journey, now) => FirstContactDecider.Agree(journey, command ?? new RecordAgreement(null), http.User.UserId(), now));

    private static Task<JourneyResult> Decline(Guid journeyId, RecordDecline command,
        HttpContext http, JourneyCommands commands) =>
        commands.ExecuteAsync(http, journeyId, "RecordDecline", (journey, now) => FirstContactDecider.Decline(journey, command, http.User.UserId(), now));
}
