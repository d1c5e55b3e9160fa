using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Referrals.EventStore;
using Referrals.Intake.Auditing;
using Referrals.Intake.Erasure;
using Referrals.Intake.Http;
using Referrals.Intake.Referrals;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Problems;

namespace Referrals.Intake.RequestingErasure;

public sealed class ErasureRequestBody
{
    public ErasureGround? Ground { get; init; }
}

public sealed record ErasureRequestView(
    Guid ErasureRequestId,
    Guid PersonId,
    ErasureOrigin Origin,
    ErasureGround Ground,
    ErasureState State,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    string? ReviewedBy,
    string? ReviewReason,
    ErasureRefusalGround? LegalGround,
    DateTimeOffset? ReviewedAt,
    DateTimeOffset? ExecutedAt)
{
    public static ErasureRequestView Of(ErasureRequest r) => new(r.Id, r.PersonId, r.Origin, r.Ground, r.State, r.RequestedBy, r.RequestedAt,
        r.ReviewedBy, r.ReviewReason, r.RefusalGround, r.ReviewedAt, r.ExecutedAt);
}

public static class RequestErasureEndpoints
{
    /// <summary>
    /// Who may raise a request (a data-protection officer reviews it): an officer for anyone; team leads and link workers for
    /// people referred to one of their programmes; a referrer for people its organisation referred. Programme admins and
    /// clinical systems have no part in it.
    /// </summary>
    public const string RequesterPolicy = "erasure-requester";

    public static readonly string[] RequesterRoles = [Roles.DataProtectionOfficer, Roles.TeamLead, Roles.LinkWorker, Roles.Referrer];

    public static IEndpointRouteBuilder MapRequestErasure(this IEndpointRouteBuilder app)
    {
        app.MapPost("/people/{personId:guid}/erasure-requests", RequestAsync)
            .RequireAuthorization(RequesterPolicy)
            .WithName("RequestErasure")
            .WithTags("Data protection")
            .WithSummary("Ask for a person's personal data to be erased (UK GDPR Article 17); a data-protection officer reviews it.")
            .Accepts<ErasureRequestBody>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        app.MapGet("/erasure-requests/{id:guid}", GetAsync)
            .RequireAuthorization(Roles.DataProtectionOfficer)
            .WithName("GetErasureRequest")
            .WithTags("Data protection")
            .WithSummary("An erasure request and its review.");
        return app;
    }

    private static async Task<Created<ErasureRequestView>> RequestAsync(Guid personId, HttpContext http, IDocumentStore store,
        DocumentStore documents, DataProtectionAudit audit, TimeProvider time, IOptions<BodyLimits> limits, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync<ErasureRequestBody>(http.Request, limits.Value.MaxBodyBytes, ct);
        if (body.Ground is not { } ground)
        {
            throw RequestValidationException.For("ground", "Give the ground of the request (UK GDPR Article 17(1)).");
        }

        await using var session = store.LightweightSession();
        // A person the caller may not act for is answered as an unknown one: the endpoint must not tell whether intake
        // holds (or has erased) a person id.
        var known = (await session.QueryAsync<Referral>("person_id = ?", [personId], ct)).Any(r => MayRequestFor(http.User, r));
        var erased = known && await documents.IsErasedAsync(personId, ct);
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7();
        var actor = http.User.UserId();
        var events = RequestErasureDecider.Decide(known, erased, new RequestErasure(id, personId, ground, actor), now);
        session.Events.StartStream<ErasureRequest>(id, [.. events]);
        audit.Record(session, personId, DataProtectionStep.ErasureRequested, actor, now, id, ground.ToString());
        await session.SaveChangesAsync(ct);
        var request = ErasureRequest.Create((ErasureRequested)events[0]);
        return TypedResults.Created($"/erasure-requests/{id}", ErasureRequestView.Of(request));
    }

    private static bool MayRequestFor(ClaimsPrincipal user, Referral referral) =>
        user.IsInRole(Roles.DataProtectionOfficer) ||
        ((user.IsInRole(Roles.TeamLead) || user.IsInRole(Roles.LinkWorker)) && user.Programmes().Contains(referral.ProgrammeId, StringComparer.Ordinal)) ||
        // As everywhere in intake, a referrer acts for its own organisations only, never the placeholder self-referrals
        // are filed under (HAZ-019): a sign-in naming SELF must not raise the erasure of every self-referred person.
        (user.IsInRole(Roles.Referrer) && user.ActsFor(referral.OrganisationId));

    private static async Task<Results<Ok<ErasureRequestView>, ProblemHttpResult>> GetAsync(Guid id, IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var request = await session.Events.AggregateStreamAsync<ErasureRequest>(id, ct: ct);
        return request is null
            ? TypedResults.Problem(title: "Erasure request not found", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(ErasureRequestView.Of(request));
    }
}
