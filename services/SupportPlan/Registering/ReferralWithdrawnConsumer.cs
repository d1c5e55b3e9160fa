using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.SupportPlan.Registering;

/// <summary>
/// The referrer withdrew a referral. Before registration it simply stops registration; after, it closes the journey unless the
/// person has already started with a worker (see <see cref="ReferralDecider.Withdraw"/>), recording on the closure the
/// safeguarding concerns triage has not confirmed (the processor reads their confirmations before deciding).
/// </summary>
public sealed class ReferralWithdrawnConsumer(IDocumentStore store, ReferralProcessor processor, ILogger<ReferralWithdrawnConsumer> logger)
    : IdempotentConsumer<ReferralWithdrawn>(store, logger)
{
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralWithdrawn> context)
    {
        var m = context.Message;
        return processor.RecordAsync(session, m.ReferralId, new WithdrawalReceived(m.ReferralId, m.PersonId, m.Reason, m.WithdrawnAt),
            context.CancellationToken);
    }
}

public sealed class ReferralWithdrawnConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<ReferralWithdrawnConsumer>(options);
