using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Referrals.EventStore;
using Referrals.Intake.Auditing;
using Referrals.Intake.Http;
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
            .WithSummary("Correct a person's details in every referral; every other service applies the correction (PersonDetailsRectified).")
            .Accepts<RectificationBody>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Ok<RectificationResponse>, ProblemHttpResult>> RectifyAsync(Guid personId, HttpContext http,
        IDocumentStore store, DocumentStore documents, ReferralValidator validator, DataProtectionAudit audit, TimeProvider time,
        IOptions<BodyLimits> limits, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync<RectificationBody>(http.Request, limits.Value.MaxBodyBytes, ct);
        var errors = new FieldErrors();
        var details = validator.ValidatePerson(errors, body.Person);
        errors.ThrowIfAny();

        await using var session = store.LightweightSession();
        var referrals = await session.QueryAsync<Referral>("person_id = ?", [personId], ct);
        if (referrals.Count == 0)
        {
            return TypedResults.Problem(title: "Person not found", statusCode: StatusCodes.Status404NotFound);
        }

        var now = time.GetUtcNow();
        var actor = http.User.UserId();
        var decision = RectifyDetailsDecider.Decide(referrals, await documents.IsErasedAsync(personId, ct),
            new RectifyDetails(personId, details!, actor), now);
        foreach (var correction in decision.Events)
        {
            var stream = await session.Events.FetchForWriting<Referral>(correction.ReferralId, ct);
            stream.AppendOne(correction);
        }

        if (decision.Message is { } message)
        {
            audit.Record(session, personId, DataProtectionStep.DetailsRectified, actor, now, outcome: $"{decision.Events.Count} referrals");
            session.Outbox.Publish(message, audit.StreamIdFor(personId));
            await session.SaveChangesAsync(ct);
        }

        return TypedResults.Ok(new RectificationResponse(personId, decision.Events.Count));
    }
}
