using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.LinkingReferrals;

/// <summary>
/// Intake linked a new referral to the person's open journey: it is recorded on the journey for its worker (once, by referral
/// id). The journey is registered from the first referral's triage, so the link may come first: it then waits and comes back
/// (<see cref="MessageOutOfOrderException"/>) until the journey exists.
/// </summary>
public sealed class ReferralLinkedToOpenJourneyConsumer(IDocumentStore store, TimeProvider clock, IOptions<SupportPlanOptions> options,
    ILogger<ReferralLinkedToOpenJourneyConsumer> logger) : IdempotentConsumer<ReferralLinkedToOpenJourney>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralLinkedToOpenJourney> context)
    {
        var linked = context.Message;
        var stream = await session.Events.FetchForWriting<Journey>(linked.JourneyId, context.CancellationToken);
        var journey = stream.Aggregate ?? throw new MessageOutOfOrderException("ReferralLinkedToOpenJourney arrived before its journey was registered.");
        var events = FurtherReferralDecider.Record(journey, linked, clock.GetUtcNow());
        if (events.Count > 0)
        {
            stream.AppendMany(events);
            JourneyEffects.Apply(session, journey, Fold.Apply(journey, events)!, events, options.Value.ToPolicy());
        }
    }
}

public sealed class ReferralLinkedToOpenJourneyConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<ReferralLinkedToOpenJourneyConsumer>(options);
