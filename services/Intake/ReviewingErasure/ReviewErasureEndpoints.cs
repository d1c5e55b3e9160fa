using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.Intake.Auditing;
using Referrals.Intake.Erasure;
using Referrals.Intake.Http;
using Referrals.Intake.RequestingErasure;
using Referrals.Intake.Submitting;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.ReviewingErasure;

public sealed class ErasureReviewBody
{
    public ErasureDecision? Decision { get; init; }

    /// <summary>The justification (not notes about the person): it is kept after the erasure, as accountability requires.</summary>
    public string? Reason { get; init; }

    public ErasureRefusalGround? LegalGround { get; init; }
}

public static class ReviewErasureEndpoints
{
    public const int ReasonLength = 1000;

    public static string TimerKey(Guid erasureRequestId) => $"erasure-execution:{erasureRequestId}";

    public static IEndpointRouteBuilder MapReviewErasure(this IEndpointRouteBuilder app)
    {
        app.MapPost("/erasure-requests/{id:guid}/review", ReviewAsync)
            .RequireAuthorization(Roles.DataProtectionOfficer)
            .WithName("ReviewErasure")
            .WithTags("Data protection")
            .WithSummary("Approve an erasure request (it is executed at once in every service), or refuse it on a legal ground.")
            .Accepts<ErasureReviewBody>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Ok<ErasureRequestView>, ProblemHttpResult>> ReviewAsync(Guid id, HttpContext http, IDocumentStore store,
        DataProtectionAudit audit, TimeProvider time, IOptions<BodyLimits> limits, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync<ErasureReviewBody>(http.Request, limits.Value.MaxBodyBytes, ct);
        var errors = new FieldErrors();
        errors.Required("decision", body.Decision);
        var reason = errors.Text("reason", body.Reason, ReasonLength, required: true, multiline: true);
        errors.ThrowIfAny();

        await using var session = store.LightweightSession();
        var stream = await session.Events.FetchForWriting<ErasureRequest>(id, ct);
        if (stream.Aggregate is not { } request)
        {
            return TypedResults.Problem(title: "Erasure request not found", statusCode: StatusCodes.Status404NotFound);
        }

        var now = time.GetUtcNow();
        var actor = http.User.UserId();
        var events = ReviewErasureDecider.Decide(request, new ReviewErasure(id, body.Decision!.Value, reason!, body.LegalGround, actor), now);
        stream.AppendMany(events);
        var after = events.Aggregate(request, (r, e) => r.Then(e));
        if (after.State == ErasureState.Approved)
        {
            audit.Record(session, request.PersonId, DataProtectionStep.ErasureApproved, actor, now, id);
            // Execution is a durable timer due now, committed with the approval: it runs once, even across a restart.
            session.Timers.Schedule(TimerKey(id), now, new ErasureExecutionDue(id, request.PersonId), id);
        }
        else
        {
            audit.Record(session, request.PersonId, DataProtectionStep.ErasureRefused, actor, now, id, after.RefusalGround.ToString());
        }

        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(ErasureRequestView.Of(after));
    }
}
