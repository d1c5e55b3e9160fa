using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;
using Referrals.Triage.Escalating;

namespace Referrals.Triage.Triaging;

/// <summary>Triages each referral intake submits (once: the inbox drops redeliveries).</summary>
public sealed class ReferralSubmittedConsumer(IDocumentStore store, TriageReferral triage, EscalationWorkflow escalations,
    ILogger<ReferralSubmittedConsumer> logger)
    : IdempotentConsumer<ReferralSubmitted>(store, logger)
{
    /// <summary>The escalation this delivery opened (set by the handler, whose transaction may yet fail).</summary>
    private OpenedEscalation? _opened;

    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralSubmitted> context)
    {
        _opened = null;
        _opened = (await triage.HandleAsync(session, context.Message, context.CancellationToken))?.Escalation;
    }

    /// <summary>The opened escalation's counters and logs, once it is committed: a retried save counts once, a redelivery nothing.</summary>
    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<ReferralSubmitted> context, bool appliedNow)
    {
        if (appliedNow && _opened is { } opened)
        {
            escalations.RecordCommitted(opened);
        }

        return Task.CompletedTask;
    }
}

public sealed class ReferralSubmittedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<ReferralSubmittedConsumer>(options);
