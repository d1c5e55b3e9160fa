using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Referrals.Intake.Http;
using Referrals.Intake.Referrals;

namespace Referrals.Intake.Submitting;

public sealed record SubmissionResponse(Guid ReferralId, ReferralStatus Status, bool Replayed);

public static class SubmitReferralEndpoints
{
    public static IEndpointRouteBuilder MapSubmitReferral(this IEndpointRouteBuilder app)
    {
        app.MapPost("/referrals", SubmitAsync)
            .RequireAuthorization(IntakeAccess.ReferrerPolicy)
            .WithName("SubmitReferral")
            .WithTags("Referrals")
            .WithSummary("Submit a referral (JSON). 202 with Location; an Idempotency-Key makes retries safe. 409 when the date of birth or " +
                         "family name differs from the details held for the NHS number, unless Referrals-Identity-Confirmed: true.")
            .Accepts<ReferralRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    private static async Task<Results<Accepted<SubmissionResponse>, ProblemHttpResult>> SubmitAsync(
        HttpContext http, ReferralValidator validator, SubmissionHandler handler, IOptions<BodyLimits> limits, CancellationToken ct)
    {
        var key = IdempotencyKey.Read(http.Request);
        var identityConfirmed = IdentityConfirmation.Read(http.Request);
        var request = await JsonBody.ReadAsync<ReferralRequest>(http.Request, limits.Value.MaxBodyBytes, ct);
        var command = validator.Validate(request, ReferralChannel.Api, ValidationRules.Api);
        if (!http.User.ActsFor(command.OrganisationId))
        {
            return IntakeAccess.NotYourOrganisation();
        }

        var result = await handler.SubmitAsync(command, key, identityConfirmed, ct);
        return TypedResults.Accepted($"/referrals/{result.ReferralId}", new SubmissionResponse(result.ReferralId, result.Status, result.Replayed));
    }
}
