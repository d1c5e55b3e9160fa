using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.Triage.Triaging;

/// <summary>Triages each referral intake submits (once: the inbox drops redeliveries).</summary>
public sealed class ReferralSubmittedConsumer(IDocumentStore store, TriageReferral triage, ILogger<ReferralSubmittedConsumer> logger)
    : IdempotentConsumer<ReferralSubmitted>(store, logger)
{
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralSubmitted> context) =>
        triage.HandleAsync(session, context.Message, context.CancellationToken);
}

public sealed class ReferralSubmittedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<ReferralSubmittedConsumer>(options);
