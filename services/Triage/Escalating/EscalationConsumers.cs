using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;
using Referrals.Triage.Assigning;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;
using Referrals.Triage.ServiceLevels;
using Referrals.Triage.Triaging;

namespace Referrals.Triage.Escalating;

/// <summary>
/// Triage's own durable timer: a step's acknowledgement deadline (or the rota opening) came due. Unless someone
/// acknowledged, the escalation moves to the next in the chain. The stream is locked so an acknowledgement arriving at the
/// same moment is applied either wholly before or wholly after; a timer for a step already passed does nothing. Past the
/// last step that asked someone, the duty team is asked again in a repeat round. The same message, due before the step's
/// deadline, is the duty handover in between: the step in hand goes to the duty team on shift (see
/// <see cref="EscalationDecider.OnTimer"/>).
/// </summary>
public sealed class EscalationDeadlineDueConsumer(IDocumentStore store, TimeProvider clock, ILogger<EscalationDeadlineDueConsumer> logger)
    : IdempotentConsumer<EscalationDeadlineDue>(store, logger)
{
    /// <summary>The repeat round this delivery planned, and its programme (set by the handler, whose transaction may yet fail).</summary>
    private (EscalationRepeatRoundPlanned Round, string ProgrammeId)? _repeated;

    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<EscalationDeadlineDue> context)
    {
        _repeated = null;
        var message = context.Message;
        var stream = await session.Events.FetchForExclusiveWriting<Escalation>(message.EscalationId, context.CancellationToken);
        if (stream.Aggregate is not { } escalation)
        {
            logger.LogWarning("Deadline for unknown escalation {EscalationId} ignored", message.EscalationId);
            return;
        }

        var events = EscalationDecider.OnTimer(escalation, message.Step, message.DueAt, clock.GetUtcNow());
        EscalationWorkflow.Apply(session, stream, events);
        if (events.FirstOrDefault() is EscalationReplannedAtDutyHandover { StepInHand: { } inHand } atHandover)
        {
            logger.LogWarning("Escalation {EscalationId}: the duty shift handed over while step {Step} awaited acknowledgement; the duty team on shift is asked from step {NewStep}",
                escalation.Id, inHand, atHandover.Steps[0].Number);
            return;
        }

        if (events.Count > 0)
        {
            logger.LogWarning("Escalation {EscalationId} was not acknowledged by its deadline; moved from step {Step}", escalation.Id, message.Step);
        }

        if (events.OfType<EscalationReplannedAfterRotaClosed>().FirstOrDefault() is { } replanned)
        {
            logger.LogWarning("Escalation {EscalationId}: the rota had closed before step {Step}; told the practice and referrer, the duty team asked when the rota opens",
                escalation.Id, replanned.SkippedStep);
        }

        if (events.OfType<EscalationReplannedAtDutyHandover>().FirstOrDefault() is { } handedOver)
        {
            logger.LogWarning("Escalation {EscalationId}: the duty shift handed over before step {Step}; the duty team on shift is asked from step {NewStep}",
                escalation.Id, handedOver.SkippedStep, handedOver.Steps[0].Number);
        }

        if (events.OfType<EscalationRepeatRoundPlanned>().FirstOrDefault() is { } round)
        {
            _repeated = (round, escalation.ProgrammeId);
        }
    }

    /// <summary>A repeat round's counter and error, once it is committed: a retried save counts once, a redelivery nothing.</summary>
    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<EscalationDeadlineDue> context, bool appliedNow)
    {
        if (appliedNow && _repeated is var (round, programme))
        {
            EscalationMetrics.RepeatRounds.Add(1, new KeyValuePair<string, object?>("programme", programme));
            // Ids only. An error, not a warning: the whole chain passed and nobody has acknowledged a possible risk.
            logger.LogError("Escalation {EscalationId} in programme {ProgrammeId} has no acknowledgement after its whole chain: the duty team is asked again (repeat round {Round}, from step {Step})",
                round.EscalationId, programme, round.Round, round.Steps[0].Number);
        }

        return Task.CompletedTask;
    }
}

public sealed class EscalationDeadlineDueConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<EscalationDeadlineDueConsumer>(options);

/// <summary>
/// A worker raised a safeguarding concern or crisis during the journey (support-plan): it escalates exactly as a risky
/// referral does. If the referral is still waiting for a worker it leaves the routine queue and is allocated at once.
/// </summary>
public sealed class SafeguardingConcernRaisedConsumer(
    IDocumentStore store,
    TimeProvider clock,
    EscalationWorkflow escalations,
    AllocationService allocation,
    ILogger<SafeguardingConcernRaisedConsumer> logger)
    : IdempotentConsumer<SafeguardingConcernRaised>(store, logger)
{
    /// <summary>The escalation this delivery opened (set by the handler, whose transaction may yet fail).</summary>
    private OpenedEscalation? _opened;

    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<SafeguardingConcernRaised> context)
    {
        _opened = null;
        var ct = context.CancellationToken;
        var message = context.Message;
        var programme = await ProgrammeLock.AcquireAsync(session, message.ProgrammeId, ct);
        var referrals = new ReferralChanges(session);
        // Safety first: escalate even if triage has not seen the referral (then the practice and referrer are unknown here).
        var referral = await referrals.GetAsync(message.ReferralId, ct);
        var indicators = new List<string> { message.Crisis ? "Crisis raised by a worker" : "Safeguarding concern raised by a worker" };
        indicators.AddRange(message.Indicators);
        var rules = programme?.TriageRules ?? DefaultTriageRules.Rules;
        indicators.AddRange(TriageDecider.FindEscalationIndicators(new Contracts.RiskAnswers(false, false, false, false),
            new ReferralText(null, null, message.Details), rules).Select(h => h with { Source = IndicatorSource.WorkerConcern }).Select(h => h.Describe()));

        _opened = await escalations.OpenAsync(session, new EscalationSubject(message.ConcernId, message.ReferralId, message.JourneyId,
            message.PersonId, message.ProgrammeId, EscalationTrigger.SafeguardingConcern, indicators.Distinct().ToList(),
            referral?.RegisteredPracticeOds, referral?.ReferrerOrganisationId)
        {
            Referral = referral is null ? null : EscalatedReferral.StandingAfter(referral, message.ConcernId, clock.GetUtcNow()),
        }, programme, ct);
        // Every path confirms, in this transaction: a new concern, a duplicate or re-sent copy (its escalation exists, nothing
        // more happens), one for a referral already escalated, closed or unknown here. Support-plan re-sends until it hears this.
        session.Outbox.Publish(SafeguardingReceipt.For(message, clock.GetUtcNow()), message.ConcernId);
        if (_opened is not null && referral is not null)
        {
            await EscalatedReferral.TakeOutOfRoutineOrderAsync(session, referrals, referral, message.ConcernId, programme, allocation,
                "safeguarding-concern", clock.GetUtcNow(), ct);
        }
    }

    /// <summary>The opened escalation's counters and logs, once it is committed: a retried save counts once, a redelivery nothing.</summary>
    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<SafeguardingConcernRaised> context, bool appliedNow)
    {
        if (appliedNow && _opened is { } opened)
        {
            escalations.RecordCommitted(opened);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Triage's receipt for a concern: the escalation a concern opens (or found already open) has the concern's id.</summary>
public static class SafeguardingReceipt
{
    public static SafeguardingConcernReceived For(SafeguardingConcernRaised concern, DateTimeOffset now) =>
        new(concern.ConcernId, concern.JourneyId, concern.ReferralId, concern.PersonId, EscalationId: concern.ConcernId, now);
}

public sealed class SafeguardingConcernRaisedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<SafeguardingConcernRaisedConsumer>(options);
