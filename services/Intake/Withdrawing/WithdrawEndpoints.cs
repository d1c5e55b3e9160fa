using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Referrals.EventStore;
using Referrals.Intake.Http;
using Referrals.Intake.People;
using Referrals.Intake.Referrals;
using Referrals.Intake.Releasing;
using Referrals.Intake.Retention;
using Referrals.Intake.Submitting;
using Referrals.Intake.Webhooks;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Http;

namespace Referrals.Intake.Withdrawing;

public sealed class WithdrawRequest
{
    public string? Reason { get; init; }
}

public sealed record WithdrawResponse(Guid ReferralId, ReferralStatus Status);

public static class WithdrawEndpoints
{
    public const int ReasonLength = 1000;

    public static IEndpointRouteBuilder MapWithdrawReferral(this IEndpointRouteBuilder app)
    {
        app.MapPost("/referrals/{id:guid}/withdraw", WithdrawAsync)
            .RequireAuthorization(IntakeAccess.ReferrerPolicy)
            .WithName("WithdrawReferral")
            .WithTags("Referrals")
            .WithSummary("Withdraw your organisation's referral, with a reason. If-Match (the ETag) is honoured: 412 when it is stale.")
            .Accepts<WithdrawRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    private static async Task<Results<Ok<WithdrawResponse>, ProblemHttpResult>> WithdrawAsync(Guid id, HttpContext http, IDocumentStore store,
        WebhookScheduler webhooks, RetentionScheduler retention, LinkedReferralRelease release, TimeProvider time, IOptions<BodyLimits> limits, IOptions<SubmissionOptions> options, CancellationToken ct)
    {
        var expectedVersion = http.Request.ExpectedVersion();
        var body = await JsonBody.ReadAsync<WithdrawRequest>(http.Request, limits.Value.MaxBodyBytes, ct);
        var errors = new FieldErrors();
        var reason = errors.Text("reason", body.Reason, ReasonLength, required: true, multiline: true);
        errors.ThrowIfAny();

        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var stream = expectedVersion is { } version
                ? await session.Events.FetchForWriting<Referral>(id, version, ct)
                : await session.Events.FetchForWriting<Referral>(id, ct);
            var referral = stream.Aggregate;
            if (referral is null || !http.User.ActsFor(referral.OrganisationId))
            {
                return IntakeAccess.ReferralNotFound();
            }

            var now = time.GetUtcNow();
            var decision = WithdrawDecider.Decide(referral, new WithdrawReferral(id, referral.OrganisationId, reason!, http.User.UserId(), expectedVersion), now);
            stream.AppendMany(decision.Events);
            if (decision.EndsJourney && referral.PersonIndexId is { } indexId)
            {
                // Locked as a submission locks it, for the release of the journey's linked referrals (HAZ-007).
                var person = await session.Events.FetchForExclusiveWriting<PersonIndexEntry>(indexId, ct);
                var ended = PersonIndexDecider.EndJourney(person.Aggregate, referral.ProgrammeId, referral.JourneyId,
                    JourneyEndReason.Withdrawn, now);
                person.AppendMany(ended);
                foreach (var end in ended.OfType<JourneyEnded>())
                {
                    // Withdrawn before support-plan opened the journey: nobody took it on; its linked referrals go on. (After
                    // that, support-plan's closure as withdrawn releases them, HAZ-007 C9.)
                    await release.ReleaseAsync(session, person, person.Aggregate?.Apply(end), end, id, now, ct);
                }
            }

            session.Outbox.Publish(decision.Message, id);
            var after = decision.Events.Aggregate(referral, (r, e) => r.Then(e)) with { Version = stream.CurrentVersion };
            retention.OnChanged(session, referral, after);
            await webhooks.ScheduleAsync(session, after, now, ct);
            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (ConcurrencyException ex) when (attempt < options.Value.MaxAttempts && (ex.StreamId != id || expectedVersion is null))
            {
                // A submission for the same person, a change to a linked referral being released, or a status update from
                // another service, committed meanwhile. Only this referral's own version answers to If-Match; without it the
                // referrer asked to withdraw the referral, not a version of it: decide again on fresh state.
                continue;
            }

            http.Response.SetETag(after.Version);
            return TypedResults.Ok(new WithdrawResponse(id, after.Status));
        }
    }
}
