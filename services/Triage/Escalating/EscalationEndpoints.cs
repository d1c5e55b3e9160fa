using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Http;
using Referrals.Triage.Common;

namespace Referrals.Triage.Escalating;

/// <summary>
/// GET /escalations/{escalationId}: the chain, where it has reached and who acknowledged it. <see cref="RepeatRound"/> is the
/// round of the current step once nobody acknowledged by the end of the chain (0 before). <see cref="LinkedReferralId"/>:
/// the referral, linked to the open journey, whose risk opened it (trigger LinkedReferral), if the open referral is known.
/// </summary>
public sealed record EscalationView(
    Guid EscalationId,
    Guid ReferralId,
    Guid JourneyId,
    string ProgrammeId,
    EscalationTrigger Trigger,
    EscalationState State,
    IReadOnlyList<string> Indicators,
    bool OutsideRotaHours,
    int CurrentStep,
    IReadOnlyList<EscalationRecipient> CurrentRecipients,
    DateTimeOffset? AcknowledgeBy,
    DateTimeOffset? NextStepDueAt,
    IReadOnlyList<EscalationStep> Chain,
    IReadOnlyList<EscalationStepReached> History,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    int ConfigurationVersion,
    DateTimeOffset OpenedAt,
    long Version,
    int RepeatRound,
    Guid? LinkedReferralId = null)
{
    public static EscalationView From(Escalation e) => new(e.Id, e.ReferralId, e.JourneyId, e.ProgrammeId, e.Trigger, e.State, e.Indicators,
        e.OutsideRotaHours, e.CurrentStep, e.CurrentRecipients, e.AcknowledgeBy, e.NextStepDueAt, e.Chain, e.History, e.AcknowledgedBy,
        e.AcknowledgedAt, e.ConfigurationVersion, e.OpenedAt, e.Version, e.RepeatRound, e.LinkedReferralId);
}

public static class EscalationEndpoints
{
    public static IEndpointRouteBuilder MapEscalationEndpoints(this IEndpointRouteBuilder app)
    {
        var escalations = app.MapGroup("/escalations").WithTags("Escalations").RequireAuthorization(Policies.Practitioner);
        escalations.MapGet("/{escalationId:guid}", GetAsync).WithSummary("An escalation and its chain.");
        escalations.MapPost("/{escalationId:guid}/acknowledge", AcknowledgeAsync)
            .WithSummary("The duty worker (or anyone the chain reached) or a team lead of the programme acknowledges: the chain stops.");
        return app;
    }

    private static async Task<Results<Ok<EscalationView>, NotFound, ForbidHttpResult>> GetAsync(Guid escalationId, ClaimsPrincipal user,
        HttpContext http, IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var escalation = await session.LoadAsync<Escalation>(escalationId, ct);
        if (escalation is null)
        {
            return TypedResults.NotFound();
        }

        if (!user.WorksIn(escalation.ProgrammeId))
        {
            return TypedResults.Forbid();
        }

        http.Response.SetETag(escalation.Version);
        return TypedResults.Ok(EscalationView.From(escalation));
    }

    private static async Task<Results<Ok<EscalationView>, NotFound, ForbidHttpResult>> AcknowledgeAsync(Guid escalationId, ClaimsPrincipal user,
        HttpContext http, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        // Locked, so the deadline timer and this acknowledgement are applied one after the other, never interleaved.
        var stream = await session.Events.FetchForExclusiveWriting<Escalation>(escalationId, ct);
        if (stream.Aggregate is not { } escalation)
        {
            return TypedResults.NotFound();
        }

        if (!user.WorksIn(escalation.ProgrammeId))
        {
            return TypedResults.Forbid();
        }

        var teamLead = user.IsInRole(Roles.TeamLead);
        var who = teamLead ? user.UserId() : user.LinkWorkerId() ?? user.UserId();
        var events = EscalationDecider.Acknowledge(escalation, who, teamLead ? Roles.TeamLead : Roles.LinkWorker, teamLead, clock.GetUtcNow());
        var updated = EscalationWorkflow.Apply(session, stream, events);
        await session.SaveChangesAsync(ct);
        updated.Version = stream.StartingVersion + events.Count;
        http.Response.SetETag(updated.Version);
        return TypedResults.Ok(EscalationView.From(updated));
    }
}
