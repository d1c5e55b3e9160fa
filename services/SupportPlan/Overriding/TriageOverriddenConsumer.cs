using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;
using Referrals.SupportPlan.Registering;

namespace Referrals.SupportPlan.Overriding;

/// <summary>
/// A team lead overrode triage's tier or priority: the referral's journey, and so its worker's caseload, follows (see
/// <see cref="OverrideDecider"/>). Kept on the referral's stream first, so an override that arrives before the journey is
/// registered is applied as soon as it is, and the journey is the one support-plan recorded the referral against, whatever
/// journey id triage knew. A changed eligibility reaches support-plan as triage's newer <see cref="ReferralTriaged"/>.
/// </summary>
public sealed class TriageOverriddenConsumer(IDocumentStore store, ReferralProcessor processor, ILogger<TriageOverriddenConsumer> logger)
    : IdempotentConsumer<TriageOverridden>(store, logger)
{
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<TriageOverridden> context)
    {
        var m = context.Message;

        // Not the reason: the team lead's words stay in triage.
        return processor.RecordAsync(session, m.ReferralId, new TriageOverrideReceived(m.ReferralId, m.PersonId, m.RequiredTier, m.Priority,
            m.OverriddenBy, m.OverriddenAt, m.Source?.Version), context.CancellationToken);
    }
}

public sealed class TriageOverriddenConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<TriageOverriddenConsumer>(options);
