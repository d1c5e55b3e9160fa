using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Closing;

/// <summary>What closing the journey now would involve: the closing measures still due, and the summary the GP would get.</summary>
public sealed record ClosurePrompt(IReadOnlyList<Instrument> ClosingMeasuresDue, bool HomeVisitCheckedIn, int FailedAttemptsSinceLastContact,
    Integration.ClosingSummary Summary);

public static class ClosureEndpoints
{
    public static RouteGroupBuilder MapClosure(this RouteGroupBuilder journeys)
    {
        journeys.MapGet("/{journeyId:guid}/closure-prompt", Prompt).WithName("GetClosurePrompt")
            .WithSummary("Before closing: the closing outcome measures due and the closing summary for the GP.");
        journeys.MapPost("/{journeyId:guid}/closure", (Guid journeyId, CloseJourney command, HttpContext http, JourneyCommands commands) =>
                commands.ExecuteAsync(http, journeyId, "CloseJourney", (j, now) => ClosureDecider.Close(j, command, commands.Policy, http.User.UserId(), now)))
            .WithName("CloseJourney").WithSummary("A planned discharge with its reason; the closing summary goes to the GP.");
        return journeys;
    }

    private static async Task<Results<Ok<ClosurePrompt>, ProblemHttpResult>> Prompt(Guid journeyId, HttpContext http, JourneyReads reads)
    {
        var read = await reads.ReadAsync(http, journeyId, "GetClosurePrompt");
        return read.Journey is { } journey
            ? TypedResults.Ok(new ClosurePrompt(journey.ClosingMeasuresDue, journey.OpenVisit is not null, journey.FailedAttemptsSinceLastContact,
                JourneyEffects.ClosingSummaryFor(journey)))
            : read.Refusal!;
    }
}
