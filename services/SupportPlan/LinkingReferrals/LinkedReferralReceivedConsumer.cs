using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.LinkingReferrals;

/// <summary>
/// Triage's receipt for a referral intake linked to the journey (HAZ-001 C19): when it names an escalation, the further referral
/// is marked escalated by triage, so the worker sees it reports risk although its structured answers may not have said so (triage
/// also escalates on its words and an urgent request). A receipt without one changes nothing and reads nothing. The linking comes
/// on another queue, so the receipt may arrive first: it then waits and comes back (<see cref="MessageOutOfOrderException"/>)
/// until the journey has recorded the further referral, within the waiting room's rounds, as the linking itself waits for its
/// journey; an erasure drops it from the waiting queue.
/// </summary>
public sealed class LinkedReferralReceivedConsumer(IDocumentStore store, TimeProvider clock, IOptions<SupportPlanOptions> options,
    ILogger<LinkedReferralReceivedConsumer> logger) : IdempotentConsumer<LinkedReferralReceived>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<LinkedReferralReceived> context)
    {
        var receipt = context.Message;
        if (receipt.EscalationId is null)
        {
            return; // triage found no risk: nothing to mark, nothing to wait for
        }

        var stream = await session.Events.FetchForWriting<Journey>(receipt.JourneyId, context.CancellationToken);
        var journey = stream.Aggregate ?? throw new MessageOutOfOrderException("LinkedReferralReceived arrived before its journey was registered.");
        if (FurtherReferralDecider.AwaitsItsLinking(journey, receipt))
        {
            throw new MessageOutOfOrderException("LinkedReferralReceived arrived before the journey recorded the further referral.");
        }

        var events = FurtherReferralDecider.RecordTriageEscalation(journey, receipt, clock.GetUtcNow());
        if (events.Count > 0)
        {
            stream.AppendMany(events);
            JourneyEffects.Apply(session, journey, Fold.Apply(journey, events)!, events, options.Value.ToPolicy());
            logger.LogInformation("Further referral {LinkedReferralId} on journey {JourneyId} marked escalated by triage ({EscalationId})",
                receipt.ReferralId, receipt.JourneyId, receipt.EscalationId);
        }
    }
}

public sealed class LinkedReferralReceivedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<LinkedReferralReceivedConsumer>(options);
