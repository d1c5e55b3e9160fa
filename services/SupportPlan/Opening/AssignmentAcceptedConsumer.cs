using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;
using Referrals.SupportPlan.Registering;

namespace Referrals.SupportPlan.Opening;

/// <summary>
/// A worker accepted the assignment: the journey opens (or reopens). If the referral is not registered yet, the acceptance
/// waits on the referral stream and the journey opens as soon as it is.
/// </summary>
public sealed class AssignmentAcceptedConsumer(IDocumentStore store, ReferralProcessor processor, ILogger<AssignmentAcceptedConsumer> logger)
    : IdempotentConsumer<AssignmentAccepted>(store, logger)
{
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<AssignmentAccepted> context)
    {
        var m = context.Message;
        return processor.RecordAsync(session, m.ReferralId, new AssignmentAcceptanceReceived(m.ReferralId, m.PersonId, m.AssignmentId,
            m.ProgrammeId, m.LinkWorkerId, m.AcceptedAt, m.Source?.Version), context.CancellationToken);
    }
}

public sealed class AssignmentAcceptedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<AssignmentAcceptedConsumer>(options);
