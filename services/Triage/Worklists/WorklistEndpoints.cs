using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Http;
using Referrals.Triage.Assigning;
using Referrals.Triage.Common;
using Referrals.Triage.Escalating;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;

namespace Referrals.Triage.Worklists;

public static class WorklistEndpoints
{
    public static IEndpointRouteBuilder MapWorklistEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/worklist", GetWorklistAsync)
            .WithTags("Worklists")
            .RequireAuthorization(Roles.LinkWorker)
            .WithSummary("The authenticated link worker's work: escalations waiting for them, then assignments (escalated, priority, longest wait); escalations passed on from them, which they can still acknowledge.");

        var assignments = app.MapGroup("/assignments").WithTags("Worklists").RequireAuthorization(Roles.LinkWorker);
        assignments.MapPost("/{assignmentId:guid}/accept", AcceptAsync)
            .WithSummary("Accept an assignment (your own, or take over a colleague's open offer you could take). If-Match optional.");
        assignments.MapPost("/{assignmentId:guid}/decline", DeclineAsync)
            .WithSummary("Decline an offer with a reason; it is offered to someone else or queued.");
        assignments.MapPost("/{assignmentId:guid}/hand-back", HandBackAsync)
            .WithSummary("Hand back an assignment (offered or accepted) with a reason; it is offered to someone else or queued.");

        app.MapGet("/programmes/{programmeId}/queue", GetProgrammeQueueAsync)
            .WithTags("Worklists")
            .RequireAuthorization(Roles.TeamLead)
            .WithSummary("Team lead: unacknowledged escalations, the queue with positions and waiting times, capacity by worker, offers awaiting a response, missed service levels.");
        return app;
    }

    /// <summary>
    /// Shows only what is in the programmes the token names: a link worker id is tied to a rota's by the programme (the worker
    /// can act on nothing outside it). What waits for the same id elsewhere (the token misses the programme: identity provider
    /// misconfigured or stale) is counted, not shown, so the worklist can say the account is not set up instead of "none".
    /// </summary>
    private static async Task<Results<Ok<WorklistResponse>, ForbidHttpResult>> GetWorklistAsync(ClaimsPrincipal user, IDocumentStore store,
        TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        if (user.LinkWorkerId() is not { } worker)
        {
            return TypedResults.Forbid();
        }

        var logger = loggers.CreateLogger(typeof(WorklistEndpoints));
        var programmes = user.Programmes();
        if (programmes.Count == 0)
        {
            logger.LogWarning("A link worker's token names no programme: their worklist can show no referral or escalation and says the account is not set up");
        }

        bool Shown(string programme) => programmes.Contains(programme, StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        await using var session = store.QuerySession();
        var referrals = (await session.QueryAsync<Referral>("data->>'assignedWorkerId' = ? and data->>'status' in ('Offered', 'Accepted')",
                [worker], ct)).ToLookup(r => Shown(r.ProgrammeId));
        var assigned = QueueEntry.InQueueOrder(referrals[true], r => r.Escalated, r => r.Priority, r => r.SubmittedAt, r => r.Id)
            .Select(r => WorklistItem.From(r, now))
            .ToList();
        // Every open escalation that asked the worker at any step (the current one included), read through the open ones' index.
        var asked = (await session.QueryAsync<Escalation>($"{Escalation.Sql.Open} and {Escalation.Sql.Asked}",
                [Escalation.Sql.AskedParameter(worker)], ct))
            .Select(e => EscalationSummary.ForWorker(e, worker)).OfType<EscalationSummary>().ToList();
        var escalations = asked.Where(e => e.PassedOn is null).ToLookup(e => Shown(e.ProgrammeId));
        foreach (var e in escalations[false])
        {
            logger.LogError("Escalation {EscalationId} of programme {ProgrammeId} waits for a link worker whose token does not name the programme: their worklist cannot show it",
                e.EscalationId, e.ProgrammeId);
        }

        foreach (var r in referrals[false])
        {
            logger.LogWarning("Referral {ReferralId} of programme {ProgrammeId} is with a link worker whose token does not name the programme: their worklist cannot show it",
                r.Id, r.ProgrammeId);
        }

        var shown = escalations[true]
            .OrderBy(e => e.AcknowledgeBy ?? DateTimeOffset.MaxValue).ThenBy(e => e.OpenedAt)
            .ToList();
        // Same programme rule: the worker could not acknowledge one elsewhere, and it is with someone else now.
        var passedOn = asked.Where(e => e.PassedOn is not null && Shown(e.ProgrammeId))
            .OrderBy(e => e.OpenedAt).ThenBy(e => e.EscalationId)
            .ToList();
        return TypedResults.Ok(new WorklistResponse(worker, now, shown, assigned, programmes, escalations[false].Count(), referrals[false].Count())
        {
            EscalationsPassedOn = passedOn,
        });
    }

    private static Task<Results<Ok<ReferralView>, NotFound, ForbidHttpResult>> AcceptAsync(Guid assignmentId, ClaimsPrincipal user,
        HttpContext http, RespondToAssignment handler, IDocumentStore store, TimeProvider clock, CancellationToken ct) =>
        RespondAsync(user, http, store, clock, ct, worker =>
            handler.AcceptAsync(assignmentId, worker, user.Programmes(), http.Request.ExpectedVersion(), ct));

    private static Task<Results<Ok<ReferralView>, NotFound, ForbidHttpResult>> DeclineAsync(Guid assignmentId, ReasonRequest body,
        ClaimsPrincipal user, HttpContext http, RespondToAssignment handler, IDocumentStore store, TimeProvider clock, CancellationToken ct) =>
        RespondAsync(user, http, store, clock, ct, worker =>
        {
            ValidateReason(body);
            return handler.DeclineAsync(assignmentId, worker, user.Programmes(), body.Reason.Trim(), http.Request.ExpectedVersion(), ct);
        });

    private static Task<Results<Ok<ReferralView>, NotFound, ForbidHttpResult>> HandBackAsync(Guid assignmentId, ReasonRequest body,
        ClaimsPrincipal user, HttpContext http, RespondToAssignment handler, IDocumentStore store, TimeProvider clock, CancellationToken ct) =>
        RespondAsync(user, http, store, clock, ct, worker =>
        {
            ValidateReason(body);
            return handler.HandBackAsync(assignmentId, worker, user.Programmes(), body.Reason.Trim(), http.Request.ExpectedVersion(), ct);
        });

    private static void ValidateReason(ReasonRequest body)
    {
        var errors = new Errors();
        ReferralEndpoints.Reason(body.Reason, errors);
        errors.ThrowIfAny();
    }

    private static async Task<Results<Ok<ReferralView>, NotFound, ForbidHttpResult>> RespondAsync(ClaimsPrincipal user, HttpContext http,
        IDocumentStore store, TimeProvider clock, CancellationToken ct, Func<string, Task<CommandResult<Referral>>> command)
    {
        if (user.LinkWorkerId() is not { } worker)
        {
            return TypedResults.Forbid();
        }

        return await ReferralEndpoints.RespondAsync(await command(worker), http, store, clock, ct);
    }

    private static async Task<Results<Ok<ProgrammeQueueResponse>, NotFound, ForbidHttpResult>> GetProgrammeQueueAsync(string programmeId,
        ClaimsPrincipal user, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        if (!user.WorksIn(programmeId))
        {
            return TypedResults.Forbid();
        }

        await using var session = store.QuerySession();
        var programme = await session.LoadAsync<Programme>(StreamIds.Programme(programmeId), ct);
        if (programme is null)
        {
            return TypedResults.NotFound();
        }

        var now = clock.GetUtcNow();
        var entries = await session.QueryAsync<QueueEntry>("data->>'programmeId' = ?", [programmeId], ct);
        var routine = ProgrammeQueue.Routine(entries);
        QueuedReferralView View(QueueEntry e, int? position) => new(position, e.Id, e.Needs.RegisteredPracticeOds, e.Needs.RequiredTier,
            e.Needs.Priority, e.Needs.WaitingSince, ReferralView.Minutes(now - e.Needs.WaitingSince), e.QueuedAt, e.Needs.ExcludedWorkers);

        var caseloads = (await session.QueryAsync<WorkerCaseload>("data->>'programmeId' = ?", [programmeId], ct))
            .ToDictionary(c => c.LinkWorkerId, StringComparer.Ordinal);
        var workers = programme.LinkWorkers.OrderBy(w => w.LinkWorkerId, StringComparer.Ordinal).Select(w =>
        {
            var caseload = caseloads.GetValueOrDefault(w.LinkWorkerId) ?? WorkerCaseload.Empty(programmeId, w.LinkWorkerId);
            var intake = caseload.YearlyIntake(now);
            return new WorkerCapacityView(w.LinkWorkerId, w.DisplayName, w.Tier, w.Active, caseload.Active.Count(a => !a.Accepted),
                caseload.Active.Count(a => a.Accepted), caseload.ActiveCaseload, w.ActiveCaseloadLimit, intake, w.YearlyIntakeLimit,
                w.Active && intake < w.YearlyIntakeLimit && (w.ActiveCaseloadLimit is not { } limit || caseload.ActiveCaseload < limit));
        }).ToList();

        var escalations = (await session.QueryAsync<Escalation>("data->>'programmeId' = ? and data->>'acknowledgedAt' is null", [programmeId], ct))
            .OrderBy(e => e.OpenedAt).Select(EscalationSummary.From).ToList();
        var offers = (await session.QueryAsync<Referral>("data->>'programmeId' = ? and data->>'status' = 'Offered'", [programmeId], ct))
            .OrderByDescending(r => r.Escalated).ThenBy(r => r.AssignedAt)
            .Select(r => new PendingOfferView(r.AssignmentId!.Value, r.Id, r.AssignedWorkerId!, r.Escalated, r.Priority, r.AssignedAt ?? now,
                ReferralView.Minutes(now - (r.AssignedAt ?? now)), r.Version))
            .ToList();
        var breaches = (await session.QueryAsync<Referral>(
                "data->>'programmeId' = ? and data->>'serviceLevelBreached' = 'true' and data->>'firstContactAt' is null and data->>'status' in ('Queued', 'AwaitingTeamLead', 'Offered', 'Accepted')",
                [programmeId], ct))
            .Select(r => new ServiceLevelBreachView(r.Id, r.AssignedWorkerId, r.Status, r.ServiceLevelDueAt ?? now))
            .ToList();

        return TypedResults.Ok(new ProgrammeQueueResponse(programmeId, programme.Version, now, escalations,
            QueueEntry.InQueueOrder(entries.Where(e => e.Escalated), e => e.Escalated, e => e.Needs.Priority, e => e.Needs.WaitingSince, e => e.Id)
                .Select(e => View(e, null)).ToList(),
            routine.Select((e, i) => View(e, i + 1)).ToList(),
            workers, offers, breaches));
    }
}
