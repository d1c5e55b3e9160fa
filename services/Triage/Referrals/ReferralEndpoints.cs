using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.Contracts;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Http;
using Referrals.ServiceDefaults.Problems;
using Referrals.Triage.Assigning;
using Referrals.Triage.Common;
using Referrals.Triage.Programmes;
using Referrals.Triage.Triaging;

namespace Referrals.Triage.Referrals;

/// <summary>POST /referrals/{referralId}/override: the team lead's decision replaces triage's, with a reason.</summary>
public sealed record OverrideRequest(Tier RequiredTier, Priority Priority, bool? Eligible, string Reason);

/// <summary>POST /referrals/{referralId}/reassign: give the referral to this worker.</summary>
public sealed record ReassignRequest(string LinkWorkerId, string Reason);

/// <summary>A reason the caller gives (decline, hand back); it may describe the person and is stored as personal data.</summary>
public sealed record ReasonRequest(string Reason);

public static class ReferralEndpoints
{
    public const int MaxReasonLength = 2000;

    public static IEndpointRouteBuilder MapReferralEndpoints(this IEndpointRouteBuilder app)
    {
        var referrals = app.MapGroup("/referrals").WithTags("Referrals");

        referrals.MapGet("/{referralId:guid}", GetAsync)
            .RequireAuthorization(Policies.Practitioner)
            .WithSummary("The triage decision, assignment or queue place, and service level of a referral; the ETag is its version.");

        referrals.MapPost("/{referralId:guid}/override", OverrideAsync)
            .RequireAuthorization(Roles.TeamLead)
            .WithSummary("Team lead: overrides the tier, priority and optionally eligibility, with a reason (If-Match optional).");

        referrals.MapPost("/{referralId:guid}/reassign", ReassignAsync)
            .RequireAuthorization(Roles.TeamLead)
            .WithSummary("Team lead: assigns the referral to a named worker (tier never lower; within their capacity).");

        return app;
    }

    private static async Task<Results<Ok<ReferralView>, NotFound, ForbidHttpResult>> GetAsync(Guid referralId, ClaimsPrincipal user,
        HttpContext http, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var referral = await session.LoadAsync<Referral>(referralId, ct);
        if (referral is null)
        {
            return TypedResults.NotFound();
        }

        if (!user.WorksIn(referral.ProgrammeId))
        {
            return TypedResults.Forbid();
        }

        http.Response.SetETag(referral.Version);
        return TypedResults.Ok(await ViewAsync(session, referral, clock.GetUtcNow(), ct));
    }

    private static async Task<Results<Ok<ReferralView>, NotFound, ForbidHttpResult>> OverrideAsync(Guid referralId, OverrideRequest body,
        ClaimsPrincipal user, HttpContext http, OverrideTriage handler, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Errors();
        if (!Enum.IsDefined(body.RequiredTier))
        {
            errors.Add("requiredTier", "LinkWorker, LinkWorkerCoach or PsychosocialLinkWorker.");
        }

        if (!Enum.IsDefined(body.Priority))
        {
            errors.Add("priority", "Routine, High or Urgent.");
        }

        Reason(body.Reason, errors);
        errors.ThrowIfAny();
        var result = await handler.HandleAsync(referralId, body.RequiredTier, body.Priority, body.Eligible, body.Reason.Trim(), user.UserId(),
            user.Programmes(), http.Request.ExpectedVersion(), ct);
        return await RespondAsync(result, http, store, clock, ct);
    }

    private static async Task<Results<Ok<ReferralView>, NotFound, ForbidHttpResult>> ReassignAsync(Guid referralId, ReassignRequest body,
        ClaimsPrincipal user, HttpContext http, ReassignReferral handler, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Errors();
        if (string.IsNullOrWhiteSpace(body.LinkWorkerId))
        {
            errors.Add("linkWorkerId", "Name the worker.");
        }

        Reason(body.Reason, errors);
        errors.ThrowIfAny();
        var result = await handler.HandleAsync(referralId, body.LinkWorkerId.Trim(), body.Reason.Trim(), user.UserId(), user.Programmes(),
            http.Request.ExpectedVersion(), ct);
        return await RespondAsync(result, http, store, clock, ct);
    }

    public static void Reason(string? reason, Errors errors)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add("reason", "A reason is required.");
        }
        else if (reason.Length > MaxReasonLength)
        {
            errors.Add("reason", $"At most {MaxReasonLength} characters.");
        }
    }

    /// <summary>Turns a command result into 200 (with the new version as ETag), 404 or 403.</summary>
    public static async Task<Results<Ok<ReferralView>, NotFound, ForbidHttpResult>> RespondAsync(CommandResult<Referral> result, HttpContext http,
        IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        switch (result.Failure)
        {
            case CommandFailure.NotFound:
                return TypedResults.NotFound();
            case CommandFailure.Forbidden:
                return TypedResults.Forbid();
        }

        var referral = result.Value!;
        await using var session = store.QuerySession();
        http.Response.SetETag(referral.Version);
        return TypedResults.Ok(await ViewAsync(session, referral, clock.GetUtcNow(), ct));
    }

    public static async Task<ReferralView> ViewAsync(IQuerySession session, Referral referral, DateTimeOffset now, CancellationToken ct)
    {
        int? position = null;
        if (referral.Status == ReferralStatus.Queued)
        {
            var entries = await session.QueryAsync<QueueEntry>("data->>'programmeId' = ?", [referral.ProgrammeId], ct);
            position = ProgrammeQueue.PositionOf(ProgrammeQueue.Routine(entries), referral.Id);
        }

        return ReferralView.From(referral, position, now);
    }
}
