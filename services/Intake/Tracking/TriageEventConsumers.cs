using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.Intake.Referrals;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.Intake.Tracking;

// Triage's decisions, as the referrer sees them. Each consumer is idempotent (inbox) and order-tolerant (ProgressDecider).

public sealed class ReferralTriagedConsumer(IDocumentStore store, ReferralTracker tracker, ILogger<ReferralTriagedConsumer> logger)
    : IdempotentConsumer<ReferralTriaged>(store, logger)
{
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralTriaged> context)
    {
        var m = context.Message;
        var fact = new ProgressFact(ProgressPhase.Triage, m.Eligible ? ReferralStatus.Triaged : ReferralStatus.NotEligible, m.Source, m.TriagedAt)
        {
            NotEligibleReasons = m.Reasons,
            Signposting = m.Signposting,
        };
        return tracker.UpdateReferralAsync(session, m.ReferralId, (referral, now) =>
            [.. ProgressDecider.Record(referral, fact, now), .. m.Escalated ? ProgressDecider.Escalate(referral, m.TriagedAt, now) : []],
            context.CancellationToken);
    }
}

public sealed class ReferralTriagedConsumerDefinition(IOptions<MessagingOptions> options) : ReferralsConsumerDefinition<ReferralTriagedConsumer>(options);

/// <summary>
/// Triage's escalation messages (one per recipient per step of the duty chain). Every one sets the escalated flag; those
/// addressed to the referrer are recorded as escalation notices on the referral and pushed to the referrer's webhook
/// (HAZ-002 C2/C3: intake relays them to the referrer). A notice naming an organisation other than the referral's is
/// still recorded on the referral - a safety notice is never dropped - with a warning in the log.
/// </summary>
public sealed class ReferralEscalatedConsumer : IdempotentConsumer<ReferralEscalated>
{
    private readonly ReferralTracker _tracker;
    private readonly ILogger<ReferralEscalatedConsumer> _logger;

    public ReferralEscalatedConsumer(IDocumentStore store, ReferralTracker tracker, ILogger<ReferralEscalatedConsumer> logger)
        : base(store, logger)
    {
        _tracker = tracker;
        _logger = logger;
    }

    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralEscalated> context)
    {
        var m = context.Message;
        return _tracker.UpdateReferralAsync(session, m.ReferralId, (referral, now) =>
        {
            if (m.RecipientKind == EscalationRecipientKind.Referrer &&
                !string.Equals(m.RecipientId, referral.OrganisationId, StringComparison.OrdinalIgnoreCase))
            {
                // Ids only: the organisations are not logged, nor anything about the person.
                _logger.LogWarning(
                    "Escalation {EscalationId} step {Step} for referral {ReferralId} is addressed to a referrer other than the referral's organisation; recorded on the referral anyway",
                    m.EscalationId, m.Step, m.ReferralId);
            }

            return ProgressDecider.Escalation(referral, m, now);
        }, context.CancellationToken);
    }
}

public sealed class ReferralEscalatedConsumerDefinition(IOptions<MessagingOptions> options) : ReferralsConsumerDefinition<ReferralEscalatedConsumer>(options);

public sealed class ReferralAssignedConsumer(IDocumentStore store, ReferralTracker tracker, ILogger<ReferralAssignedConsumer> logger)
    : IdempotentConsumer<ReferralAssigned>(store, logger)
{
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralAssigned> context)
    {
        var m = context.Message;
        var fact = new ProgressFact(ProgressPhase.Triage, ReferralStatus.Assigned, m.Source, m.AssignedAt);
        return tracker.UpdateReferralAsync(session, m.ReferralId, (referral, now) => ProgressDecider.Record(referral, fact, now),
            context.CancellationToken);
    }
}

public sealed class ReferralAssignedConsumerDefinition(IOptions<MessagingOptions> options) : ReferralsConsumerDefinition<ReferralAssignedConsumer>(options);

public sealed class ReferralQueuedConsumer(IDocumentStore store, ReferralTracker tracker, ILogger<ReferralQueuedConsumer> logger)
    : IdempotentConsumer<ReferralQueued>(store, logger)
{
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralQueued> context)
    {
        var m = context.Message;
        var fact = new ProgressFact(ProgressPhase.Triage, ReferralStatus.Queued, m.Source, m.QueuedAt);
        return tracker.UpdateReferralAsync(session, m.ReferralId, (referral, now) => ProgressDecider.Record(referral, fact, now),
            context.CancellationToken);
    }
}

public sealed class ReferralQueuedConsumerDefinition(IOptions<MessagingOptions> options) : ReferralsConsumerDefinition<ReferralQueuedConsumer>(options);

public sealed class AssignmentAcceptedConsumer(IDocumentStore store, ReferralTracker tracker, ILogger<AssignmentAcceptedConsumer> logger)
    : IdempotentConsumer<AssignmentAccepted>(store, logger)
{
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<AssignmentAccepted> context)
    {
        var m = context.Message;
        var fact = new ProgressFact(ProgressPhase.Triage, ReferralStatus.Accepted, m.Source, m.AcceptedAt);
        return tracker.UpdateReferralAsync(session, m.ReferralId, (referral, now) => ProgressDecider.Record(referral, fact, now),
            context.CancellationToken);
    }
}

public sealed class AssignmentAcceptedConsumerDefinition(IOptions<MessagingOptions> options) : ReferralsConsumerDefinition<AssignmentAcceptedConsumer>(options);
