using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Http;
using Referrals.SupportPlan.GpRecords;
using Referrals.SupportPlan.Registering;
using Referrals.SupportPlan.Safeguarding;

namespace Referrals.SupportPlan.Journeys;

/// <summary>Which journey a referral was recorded against (support-plan decides: it may be a reopened journey).</summary>
public sealed record ReferralJourney(Guid ReferralId, Guid JourneyId, bool Reopened);

public static class JourneyEndpoints
{
    /// <summary>GET /referrals/{referralId}/journey: the referral → journey map, for links from a referral to its journey.</summary>
    public static IEndpointRouteBuilder MapReferralJourney(this IEndpointRouteBuilder app)
    {
        app.MapGet("/referrals/{referralId:guid}/journey", FindByReferral).RequireAuthorization(Policies.Practitioner).WithTags("Journeys")
            .WithName("GetJourneyOfReferral").WithSummary("The journey a referral was recorded against (new or reopened).");
        return app;
    }

    private static async Task<Results<Ok<ReferralJourney>, ProblemHttpResult>> FindByReferral(Guid referralId, HttpContext http, IDocumentStore store,
        JourneyReads reads)
    {
        await using var session = store.QuerySession();
        if (await session.LoadAsync<ReferralJourneyLink>(referralId, http.RequestAborted) is not { } link)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No journey is recorded for this referral (yet)");
        }

        var read = await reads.ReadAsync(http, link.JourneyId, "GetJourneyOfReferral");
        return read.Journey is null ? read.Refusal! : TypedResults.Ok(new ReferralJourney(referralId, link.JourneyId, link.Reopened));
    }

    public static RouteGroupBuilder MapJourney(this RouteGroupBuilder journeys)
    {
        journeys.MapGet("/{journeyId:guid}", Get).WithName("GetJourney")
            .WithSummary("The whole journey; the ETag is its version (send it back in If-Match when changing it).");
        return journeys;
    }

    private static async Task<Results<Ok<JourneyView>, ProblemHttpResult>> Get(Guid journeyId, HttpContext http, JourneyReads reads, IDocumentStore store)
    {
        var read = await reads.ReadAsync(http, journeyId, "GetJourney");
        if (read.Journey is not { } journey)
        {
            return read.Refusal!;
        }

        http.Response.SetETag(journey.Version);
        await using var session = store.QuerySession();
        return TypedResults.Ok(JourneyView.Of(journey, await ConcernConfirmation.OfAsync(session, [journey], http.RequestAborted),
            await GpRecordDelivery.OfAsync(session, journey.Id, http.RequestAborted)));
    }
}
