using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.SupportPlan;
using Referrals.EventStore;
using Referrals.Intake.Referrals;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.Intake.Tracking;

// Support-plan's journey, as the referrer sees it. Support-plan is the authority on journey identity: JourneyRegistered
// and JourneyOpened name the referral and the journey it was recorded against, which may be a reopened earlier journey.

public sealed class JourneyRegisteredConsumer(IDocumentStore store, ReferralTracker tracker, ILogger<JourneyRegisteredConsumer> logger)
    : IdempotentConsumer<JourneyRegistered>(store, logger)
{
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<JourneyRegistered> context) =>
        tracker.UpdateReferralAsync(session, context.Message.ReferralId,
            (referral, now) => ProgressDecider.IdentifyJourney(referral, context.Message.JourneyId, now), context.CancellationToken);
}

public sealed class JourneyRegisteredConsumerDefinition(IOptions<MessagingOptions> options) : ReferralsConsumerDefinition<JourneyRegisteredConsumer>(options);

public sealed class JourneyOpenedConsumer(IDocumentStore store, ReferralTracker tracker, ILogger<JourneyOpenedConsumer> logger)
    : IdempotentConsumer<JourneyOpened>(store, logger)
{
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<JourneyOpened> context)
    {
        var m = context.Message;
        var fact = new ProgressFact(ProgressPhase.Journey, ReferralStatus.JourneyOpened, m.Source, m.OpenedAt);
        return tracker.UpdateReferralAsync(session, m.ReferralId, (referral, now) =>
            [.. ProgressDecider.IdentifyJourney(referral, m.JourneyId, now), .. ProgressDecider.Record(referral, fact, now)],
            context.CancellationToken);
    }
}

public sealed class JourneyOpenedConsumerDefinition(IOptions<MessagingOptions> options) : ReferralsConsumerDefinition<JourneyOpenedConsumer>(options);

public sealed class PersonAgreedToSocialPrescribingConsumer(
    IDocumentStore store, ReferralTracker tracker, ILogger<PersonAgreedToSocialPrescribingConsumer> logger)
    : IdempotentConsumer<PersonAgreedToSocialPrescribing>(store, logger)
{
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<PersonAgreedToSocialPrescribing> context)
    {
        var m = context.Message;
        var fact = new ProgressFact(ProgressPhase.Journey, ReferralStatus.Agreed, m.Source, m.AgreedAt);
        return tracker.UpdateJourneyAsync(session, m.JourneyId, m.Source, (referral, now) => ProgressDecider.Record(referral, fact, now),
            context.CancellationToken);
    }
}

public sealed class PersonAgreedToSocialPrescribingConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<PersonAgreedToSocialPrescribingConsumer>(options);

public sealed class SocialPrescribingDeclinedConsumer(IDocumentStore store, ReferralTracker tracker, ILogger<SocialPrescribingDeclinedConsumer> logger)
    : IdempotentConsumer<SocialPrescribingDeclined>(store, logger)
{
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<SocialPrescribingDeclined> context)
    {
        var m = context.Message;
        var fact = new ProgressFact(ProgressPhase.Journey, ReferralStatus.Declined, m.Source, m.DeclinedAt);
        return tracker.UpdateJourneyAsync(session, m.JourneyId, m.Source, (referral, now) => ProgressDecider.Record(referral, fact, now),
            context.CancellationToken);
    }
}

public sealed class SocialPrescribingDeclinedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<SocialPrescribingDeclinedConsumer>(options);

public sealed class JourneyClosedConsumer(IDocumentStore store, ReferralTracker tracker, ILogger<JourneyClosedConsumer> logger)
    : IdempotentConsumer<JourneyClosed>(store, logger)
{
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<JourneyClosed> context)
    {
        var m = context.Message;
        var fact = new ProgressFact(ProgressPhase.Journey, ReferralStatus.Closed, m.Source, m.ClosedAt)
        {
            ClosureReason = m.Reason,
            Summary = m.Summary,
            SharingScope = m.SharingScope,
        };
        return tracker.UpdateJourneyAsync(session, m.JourneyId, m.Source, (referral, now) => ProgressDecider.Close(referral, fact, now),
            context.CancellationToken);
    }
}

public sealed class JourneyClosedConsumerDefinition(IOptions<MessagingOptions> options) : ReferralsConsumerDefinition<JourneyClosedConsumer>(options);
