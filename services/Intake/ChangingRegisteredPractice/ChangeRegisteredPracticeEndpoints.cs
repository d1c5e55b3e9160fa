using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Referrals.EventStore;
using Referrals.Intake.Http;
using Referrals.Intake.Referrals;
using Referrals.Intake.Submitting;
using Referrals.ServiceDefaults.Auth;

namespace Referrals.Intake.ChangingRegisteredPractice;

public sealed class RegisteredPracticeBody
{
    public string? RegisteredPracticeOds { get; init; }
}

public sealed record RegisteredPracticeResponse(Guid PersonId, int ReferralsChanged);

public static class ChangeRegisteredPracticeEndpoints
{
    /// <summary>Team leads (for people referred to their programmes) and data protection officers.</summary>
    public const string ChangerPolicy = "intake-registered-practice-changer";

    public static readonly string[] ChangerRoles = [Roles.TeamLead, Roles.DataProtectionOfficer];

    public static IEndpointRouteBuilder MapChangeRegisteredPractice(this IEndpointRouteBuilder app)
    {
        app.MapPost("/people/{personId:guid}/registered-practice", ChangeAsync)
            .RequireAuthorization(ChangerPolicy)
            .WithName("ChangeRegisteredPractice")
            .WithTags("Referrals")
            .WithSummary("Record that the person moved to another GP practice: every referral of the person takes it, and gp-records is told (RegisteredPracticeChanged).")
            .Accepts<RegisteredPracticeBody>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Ok<RegisteredPracticeResponse>, ProblemHttpResult>> ChangeAsync(Guid personId, HttpContext http,
        IDocumentStore store, DocumentStore documents, TimeProvider time, IOptions<BodyLimits> limits, IOptions<SubmissionOptions> options,
        CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync<RegisteredPracticeBody>(http.Request, limits.Value.MaxBodyBytes, ct);
        var errors = new FieldErrors();
        var practice = ReferralValidator.ValidateOds(errors, "registeredPracticeOds", body.RegisteredPracticeOds);
        errors.ThrowIfAny();

        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var known = await session.QueryAsync<Referral>("person_id = ?", [personId], ct);
            if (known.Count == 0 || !MayChange(http.User, known))
            {
                return PersonNotFound();
            }

            // Decided on the streams as fetched for writing, so a change committed meanwhile is a conflict, not overwritten.
            var streams = new Dictionary<Guid, IEventStream<Referral>>();
            foreach (var referral in known)
            {
                streams[referral.Id] = await session.Events.FetchForWriting<Referral>(referral.Id, ct);
            }

            var decision = ChangeRegisteredPracticeDecider.Decide(streams.Values.Select(s => s.Aggregate).OfType<Referral>().ToList(),
                await documents.IsErasedAsync(personId, ct), new ChangeRegisteredPractice(personId, practice!.Value, http.User.UserId()),
                time.GetUtcNow());
            if (decision.Message is not { } message)
            {
                return TypedResults.Ok(new RegisteredPracticeResponse(personId, 0));
            }

            foreach (var recorded in decision.Events)
            {
                streams[recorded.ReferralId].AppendOne(recorded);
            }

            // The source is a referral that takes an event in this commit, so the message's (stream, version) is new.
            session.Outbox.Publish(message, decision.Events[0].ReferralId);
            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (ConcurrencyException) when (attempt < options.Value.MaxAttempts)
            {
                // Another service's status update, or another change of practice, committed meanwhile: decide again.
                continue;
            }

            return TypedResults.Ok(new RegisteredPracticeResponse(personId, decision.Events.Count));
        }
    }

    /// <summary>A data protection officer acts for every person; a team lead only for people referred to one of its programmes.</summary>
    private static bool MayChange(ClaimsPrincipal user, IEnumerable<Referral> referrals) =>
        user.IsInRole(Roles.DataProtectionOfficer) ||
        (user.IsInRole(Roles.TeamLead) && referrals.Any(r => user.Programmes().Contains(r.ProgrammeId, StringComparer.Ordinal)));

    /// <summary>A person outside the caller's programmes is "not found": their existence is not disclosed.</summary>
    private static ProblemHttpResult PersonNotFound() =>
        TypedResults.Problem(title: "Person not found", statusCode: StatusCodes.Status404NotFound);
}
