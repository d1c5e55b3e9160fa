using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Closing;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Deciding;

public static class FirstContactEndpoints
{
    public static RouteGroupBuilder MapFirstContact(this RouteGroupBuilder journeys)
    {
        journeys.MapPost("/{journeyId:guid}/agreement", Agree).WithName("RecordAgreement")
            .WithSummary("The person agreed to social prescribing at first contact (871731000000106, once per episode).");
        journeys.MapPost("/{journeyId:guid}/decline", Decline).WithName("RecordDecline")
            .WithSummary("The person declined at first contact (871711000000103); the journey closes.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return journeys;
    }

    private static Task<JourneyResult> Agree(Guid journeyId, RecordAgreement? command,
        HttpContext http, JourneyCommands commands) =>
        commands.ExecuteAsync(http, journeyId, "RecordAgreement", (journey, now) => FirstContactDecider.Agree(journey, command ?? new RecordAgreement(null), http.User.UserId(), now));

    /// <summary>
    /// 409 (problem+json) when the decision is not due, or over a safeguarding concern triage has not confirmed without
    /// <c>closeWithUnconfirmedConcernReason</c> (HAZ-001 C9: a decline closes the journey).
    /// </summary>
    private static async Task<JourneyResult> Decline(Guid journeyId, RecordDecline command,
        HttpContext http, JourneyCommands commands, IDocumentStore store)
    {
        // Read first, as closure does: a concern raised meanwhile has no state here, so it counts as unconfirmed.
        var confirmations = await ClosureEndpoints.ConfirmationsOfAsync(store, journeyId, http.RequestAborted);
        return await commands.ExecuteAsync(http, journeyId, "RecordDecline",
            (journey, now) => FirstContactDecider.Decline(journey, confirmations, command, http.User.UserId(), now));
    }
}
