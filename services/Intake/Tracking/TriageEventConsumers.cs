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

public sealed class ReferralEscalatedConsumer(IDocumentStore store, ReferralTracker tracker, ILogger<ReferralEscalatedConsumer> logger)
    : IdempotentConsumer<ReferralEscalated>(store, logger)
{
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralEscalated> context) =>
        tracker.UpdateReferralAsync(session, context.Message.ReferralId,
            (referral, now) => ProgressDecider.Escalate(referral, context.Message.EscalatedAt, now), context.CancellationToken);
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
