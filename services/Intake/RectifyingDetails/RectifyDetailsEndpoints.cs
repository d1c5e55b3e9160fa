using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Referrals.EventStore;
using Referrals.Intake.Auditing;
using Referrals.Intake.Http;
using Referrals.Intake.People;
using Referrals.Intake.Referrals;
using Referrals.Intake.Submitting;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.RectifyingDetails;

public sealed class RectificationBody
{
    public PersonRequest? Person { get; init; }
}

public sealed record RectificationResponse(Guid PersonId, int ReferralsCorrected);

public static class RectifyDetailsEndpoints
{
    public static IEndpointRouteBuilder MapRectifyDetails(this IEndpointRouteBuilder app)
    {
        app.MapPost("/people/{personId:guid}/rectification", RectifyAsync)
            .RequireAuthorization(Roles.DataProtectionOfficer)
            .WithName("RectifyPersonDetails")
            .WithTags("Data protection")
            .WithSummary("Correct a person's details in every referral; every other service applies the correction (PersonDetailsRectified). " +
                         "An NHS number added where none was held indexes the person under it with their open journeys; 409 when it is held for another person.")
            .Accepts<RectificationBody>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Ok<RectificationResponse>, ProblemHttpResult>> RectifyAsync(Guid personId, HttpContext http,
        IDocumentStore store, DocumentStore documents, BlindIndex blindIndex, ReferralValidator validator, DataProtectionAudit audit,
        TimeProvider time, IOptions<BodyLimits> limits, IOptions<SubmissionOptions> options, ILoggerFactory loggers, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync<RectificationBody>(http.Request, limits.Value.MaxBodyBytes, ct);
        var errors = new FieldErrors();
        var details = validator.ValidatePerson(errors, body.Person);
        errors.ThrowIfAny();

        var actor = http.User.UserId();
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var ids = (await session.QueryAsync<Referral>("person_id = ?", [personId], ct)).Select(r => r.Id).ToList();
            if (ids.Count == 0)
            {
                return TypedResults.Problem(title: "Person not found", statusCode: StatusCodes.Status404NotFound);
            }

            // Decided on the streams as fetched for writing, so a referral that changes meanwhile (a journey closing) fails
            // the version check and the rectification is decided again, never on a stale view of which journeys are open.
            var streams = new Dictionary<Guid, IEventStream<Referral>>();
            foreach (var id in ids)
            {
                streams[id] = await session.Events.FetchForWriting<Referral>(id, ct);
            }

            var referrals = streams.Values.Select(s => s.Aggregate).OfType<Referral>().ToList();
            var command = new RectifyDetails(personId, details!, actor);
            // An NHS number added is indexed as a submission indexes it: under the entry's lock, and a brand-new entry by
            // the version check (first writer wins), so a rectification and a referral for the number never both claim it.
            var index = RectifyDetailsDecider.AddedNhsNumber(referrals, command) is { } added
                ? await session.Events.FetchForExclusiveWriting<PersonIndexEntry>(blindIndex.ComputeGuid("nhs-number", added), ct)
                : null;
            var now = time.GetUtcNow();
            RectificationDecision decision;
            try
            {
                decision = RectifyDetailsDecider.Decide(referrals, await documents.IsErasedAsync(personId, ct), command, now,
                    index is null ? null : new IndexEntryRead(index.Id, index.Aggregate));
            }
            catch (DomainRuleException) when (index?.Aggregate?.PersonId is not null)
            {
                // Ids only: the officer needs both records found to merge them.
                loggers.CreateLogger(typeof(RectifyDetailsEndpoints)).LogWarning(
                    "Rectification of person {PersonId} refused: the NHS number added is indexed to person {OtherPersonId}",
                    personId, index.Aggregate.PersonId);
                throw;
            }

            foreach (var correction in decision.Events)
            {
                streams[correction.ReferralId].AppendOne(correction);
            }

            foreach (var indexed in decision.ReferralsIndexed)
            {
                streams[indexed.ReferralId].AppendOne(indexed);
            }

            index?.AppendMany(decision.PersonIndexEvents);
            if (decision.Message is not { } message)
            {
                return TypedResults.Ok(new RectificationResponse(personId, 0));
            }

            var outcome = $"{decision.Events.Count} referrals" + (decision.PersonIndexEvents.Count > 0 ? ", NHS number indexed" : "");
            audit.Record(session, personId, DataProtectionStep.DetailsRectified, actor, now, outcome: outcome);
            session.Outbox.Publish(message, audit.StreamIdFor(personId));
            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (ConcurrencyException) when (attempt < Math.Max(1, options.Value.MaxAttempts))
            {
                // A referral of the person changed, or a referral or another rectification claimed the NHS number first:
                // decide again on what it wrote (the number now held for another person is refused).
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 10 + Math.Min(attempt, 10) * 5)), ct);
                continue;
            }

            return TypedResults.Ok(new RectificationResponse(personId, decision.Events.Count));
        }
    }
}
