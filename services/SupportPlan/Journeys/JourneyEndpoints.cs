using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.ServiceDefaults.Http;

namespace Referrals.SupportPlan.Journeys;

public static class JourneyEndpoints
{
    public static RouteGroupBuilder MapJourney(this RouteGroupBuilder journeys)
    {
        journeys.MapGet("/{journeyId:guid}", Get).WithName("GetJourney")
            .WithSummary("The whole journey; the ETag is its version (send it back in If-Match when changing it).");
        return journeys;
    }

    private static async Task<Results<Ok<JourneyView>, ProblemHttpResult>> Get(Guid journeyId, HttpContext http, JourneyReads reads)
    {
        var read = await reads.ReadAsync(http, journeyId, "GetJourney");
        if (read.Journey is not { } journey)
        {
            return read.Refusal!;
        }

        http.Response.SetETag(journey.Version);
        return TypedResults.Ok(JourneyView.Of(journey));
    }
}
