using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Safeguarding;

namespace Referrals.SupportPlan.Closing;

/// <summary>
/// What closing the journey now would involve: the reasons it may close with, the closing measures still due, the safeguarding
/// concerns triage has not confirmed (closing over one needs <c>closeWithUnconfirmedConcernReason</c>), the further referrals
/// nobody has read (closing waits until each is acknowledged), and the summary the GP would get.
/// </summary>
public sealed record ClosurePrompt(IReadOnlyList<Instrument> ClosingMeasuresDue, bool HomeVisitCheckedIn, int FailedAttemptsSinceLastContact,
    Integration.ClosingSummary Summary, IReadOnlyList<ClosureReason> Reasons, IReadOnlyList<UnconfirmedConcern> UnconfirmedConcerns,
    IReadOnlyList<UnacknowledgedFurtherReferral> UnacknowledgedFurtherReferrals);

/// <summary>A concern triage has not confirmed: its id and when it was raised only (its words are on the journey, for those who may read them).</summary>
public sealed record UnconfirmedConcern(Guid ConcernId, DateTimeOffset RaisedAt);

/// <summary>A further referral nobody has acknowledged: its id and when intake linked it only (its words are on the journey).</summary>
public sealed record UnacknowledgedFurtherReferral(Guid ReferralId, DateTimeOffset LinkedAt);

public static class ClosureEndpoints
{
    public static RouteGroupBuilder MapClosure(this RouteGroupBuilder journeys)
    {
        journeys.MapGet("/{journeyId:guid}/closure-prompt", Prompt).WithName("GetClosurePrompt")
            .WithSummary("Before closing: the reasons allowed, the closing outcome measures due, the safeguarding concerns triage has not confirmed, the further referrals nobody has read and the closing summary for the GP.");
        journeys.MapPost("/{journeyId:guid}/closure", Close).WithName("CloseJourney")
            .WithSummary("A planned discharge with its reason; the closing summary goes to the GP.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return journeys;
    }

    /// <summary>
    /// 409 (problem+json) for a reason the journey's state does not allow (any, for a journey triage found not eligible: it
    /// was never opened), a concern triage has not confirmed without
    /// <c>closeWithUnconfirmedConcernReason</c>, a further referral nobody has acknowledged, closing measures due, or a home
    /// visit still checked in.
    /// </summary>
    private static async Task<JourneyResult> Close(Guid journeyId, CloseJourney command, HttpContext http, JourneyCommands commands, IDocumentStore store)
    {
        // Read before the journey is fetched for writing: a concern raised meanwhile has no state here, so it counts as
        // unconfirmed (a refusal to retry, never a closure over it), and a confirmation is never taken back.
        var confirmations = await ConfirmationsOfAsync(store, journeyId, http.RequestAborted);
        return await commands.ExecuteAsync(http, journeyId, "CloseJourney",
            (j, now) => ClosureDecider.Close(j, confirmations, command, commands.Policy, http.User.UserId(), now));
    }

    private static async Task<Results<Ok<ClosurePrompt>, ProblemHttpResult>> Prompt(Guid journeyId, HttpContext http, JourneyReads reads, JourneyCommands commands, IDocumentStore store)
    {
        var read = await reads.ReadAsync(http, journeyId, "GetClosurePrompt");
        if (read.Journey is not { } journey)
        {
            return read.Refusal!;
        }

        await using var session = store.QuerySession();
        var confirmations = await ConcernConfirmation.OfAsync(session, [journey], http.RequestAborted);
        return TypedResults.Ok(new ClosurePrompt(journey.ClosingMeasuresDue, journey.OpenVisit is not null, journey.FailedAttemptsSinceLastContact,
            JourneyEffects.ClosingSummaryFor(journey), ClosureDecider.ReasonsFor(journey, commands.Policy),
            [.. ClosureDecider.UnconfirmedConcerns(journey, confirmations).Select(c => new UnconfirmedConcern(c.ConcernId, c.RaisedAt))],
            [.. ClosureDecider.UnacknowledgedFurtherReferrals(journey).Select(f => new UnacknowledgedFurtherReferral(f.ReferralId, f.LinkedAt))]));
    }

    /// <summary>
    /// The confirmation state of the journey's concerns, read before a command that closes it fetches the journey for writing.
    /// </summary>
    internal static async Task<IReadOnlyDictionary<Guid, ConcernConfirmation>> ConfirmationsOfAsync(IDocumentStore store, Guid journeyId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<Journey>(journeyId, ct) is { } journey
            ? await ConcernConfirmation.OfAsync(session, [journey], ct)
            : new Dictionary<Guid, ConcernConfirmation>();
    }
}
