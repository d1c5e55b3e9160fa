using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts;
using Referrals.Contracts.GpRecords;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Recording;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.GpRecords.Journeys;

/// <summary>
/// Records one support-plan fact on the journey (unless it is a duplicate or stale), then produces the journey's records
/// in a transaction of their own. Facts may arrive in any order across queues: nothing is produced until the journey is
/// registered and the person's details are known, and the resources are computed from all facts, not from arrival order.
/// </summary>
public abstract class JourneyFactConsumer<T>(IDocumentStore store, JourneyRecordProducer producer, ILogger logger)
    : IdempotentConsumer<T>(store, logger)
    where T : class, IIntegrationEvent
{
    protected abstract Guid JourneyIdOf(T message);

    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<T> context)
    {
        var message = context.Message;
        var journeyId = JourneyIdOf(message);
        var stream = await session.Events.FetchForExclusiveWriting<GpJourney>(journeyId, context.CancellationToken);
        if (!JourneyFacts.ShouldRecord(stream.Aggregate, message))
        {
            return;
        }

        stream.AppendOne(message);
        AlsoRecord(session, message);
    }

    /// <summary>
    /// Production reads the fact as committed, with the person's details as committed by then; were it in the fact's own
    /// transaction, a fact and the person's details recorded at once by two instances could each miss the other.
    /// </summary>
    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<T> context, bool appliedNow) =>
        producer.ProduceAndSendAsync(session, context.Message.PersonId, JourneyIdOf(context.Message), appliedNow, context.CancellationToken);

    /// <summary>Anything else the fact changes in the same transaction (the consent scope the sender checks).</summary>
    protected virtual void AlsoRecord(IDocumentSession session, T message)
    {
    }
}

public sealed class JourneyRegisteredConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<JourneyRegisteredConsumer> logger)
    : JourneyFactConsumer<JourneyRegistered>(store, producer, logger)
{
    protected override Guid JourneyIdOf(JourneyRegistered message) => message.JourneyId;

    protected override void AlsoRecord(IDocumentSession session, JourneyRegistered message) =>
        session.Events.Append(ResourceIds.DeliveryQueue(message.JourneyId), new SharingScopeChanged(
            ResourceIds.DeliveryQueue(message.JourneyId), message.JourneyId, message.PersonId, message.SharingScope, message.RegisteredAt));
}

public sealed class ConsentScopeChangedConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<ConsentScopeChangedConsumer> logger)
    : JourneyFactConsumer<ConsentScopeChanged>(store, producer, logger)
{
    protected override Guid JourneyIdOf(ConsentScopeChanged message) => message.JourneyId;

    /// <summary>The scope the sender checks before every send; a withdrawal also wakes the sender to stop what is queued or parked.</summary>
    protected override void AlsoRecord(IDocumentSession session, ConsentScopeChanged message)
    {
        var queueId = ResourceIds.DeliveryQueue(message.JourneyId);
        var scope = message.Withdrawn ? ConsentScope.None : message.Scope;
        session.Events.Append(queueId, new SharingScopeChanged(queueId, message.JourneyId, message.PersonId, scope, message.ChangedAt));
        session.Outbox.Publish(new GpDeliveriesDue(message.PersonId, message.JourneyId), queueId);
    }
}

public sealed class JourneyOpenedConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<JourneyOpenedConsumer> logger)
    : JourneyFactConsumer<JourneyOpened>(store, producer, logger)
{
    protected override Guid JourneyIdOf(JourneyOpened message) => message.JourneyId;
}

public sealed class PersonAgreedToSocialPrescribingConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<PersonAgreedToSocialPrescribingConsumer> logger)
    : JourneyFactConsumer<PersonAgreedToSocialPrescribing>(store, producer, logger)
{
    protected override Guid JourneyIdOf(PersonAgreedToSocialPrescribing message) => message.JourneyId;
}

public sealed class SocialPrescribingDeclinedConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<SocialPrescribingDeclinedConsumer> logger)
    : JourneyFactConsumer<SocialPrescribingDeclined>(store, producer, logger)
{
    protected override Guid JourneyIdOf(SocialPrescribingDeclined message) => message.JourneyId;
}

public sealed class ContactRecordedConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<ContactRecordedConsumer> logger)
    : JourneyFactConsumer<ContactRecorded>(store, producer, logger)
{
    protected override Guid JourneyIdOf(ContactRecorded message) => message.JourneyId;
}

public sealed class JourneyWentDormantConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<JourneyWentDormantConsumer> logger)
    : JourneyFactConsumer<JourneyWentDormant>(store, producer, logger)
{
    protected override Guid JourneyIdOf(JourneyWentDormant message) => message.JourneyId;
}

public sealed class JourneyReactivatedConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<JourneyReactivatedConsumer> logger)
    : JourneyFactConsumer<JourneyReactivated>(store, producer, logger)
{
    protected override Guid JourneyIdOf(JourneyReactivated message) => message.JourneyId;
}

public sealed class WhatMattersRecordedConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<WhatMattersRecordedConsumer> logger)
    : JourneyFactConsumer<WhatMattersRecorded>(store, producer, logger)
{
    protected override Guid JourneyIdOf(WhatMattersRecorded message) => message.JourneyId;
}

public sealed class SupportPlanAgreedConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<SupportPlanAgreedConsumer> logger)
    : JourneyFactConsumer<SupportPlanAgreed>(store, producer, logger)
{
    protected override Guid JourneyIdOf(SupportPlanAgreed message) => message.JourneyId;
}

public sealed class CommunityConnectionMadeConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<CommunityConnectionMadeConsumer> logger)
    : JourneyFactConsumer<CommunityConnectionMade>(store, producer, logger)
{
    protected override Guid JourneyIdOf(CommunityConnectionMade message) => message.JourneyId;
}

public sealed class OutcomeMeasuredConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<OutcomeMeasuredConsumer> logger)
    : JourneyFactConsumer<OutcomeMeasured>(store, producer, logger)
{
    protected override Guid JourneyIdOf(OutcomeMeasured message) => message.JourneyId;
}

public sealed class SafeguardingConcernRaisedConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<SafeguardingConcernRaisedConsumer> logger)
    : JourneyFactConsumer<SafeguardingConcernRaised>(store, producer, logger)
{
    protected override Guid JourneyIdOf(SafeguardingConcernRaised message) => message.JourneyId;
}

public sealed class JourneyClosedConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<JourneyClosedConsumer> logger)
    : JourneyFactConsumer<JourneyClosed>(store, producer, logger)
{
    protected override Guid JourneyIdOf(JourneyClosed message) => message.JourneyId;
}

/// <summary>
/// Triage's escalation notices: only those addressed to the registered practice are journey facts (see
/// <see cref="JourneyFacts.ShouldRecord"/>); the duty worker's, team leads' and referrer's reach them by other routes.
/// The notice goes to the practice where the person is registered, like every other resource, never to the referrer.
/// </summary>
public sealed class ReferralEscalatedConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<ReferralEscalatedConsumer> logger)
    : JourneyFactConsumer<ReferralEscalated>(store, producer, logger)
{
    protected override Guid JourneyIdOf(ReferralEscalated message) => message.JourneyId;

    /// <summary>A notice to anyone but the practice is not recorded, and takes no lock on the journey.</summary>
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralEscalated> context) =>
        JourneyFacts.IsJourneyFact(context.Message) ? base.HandleAsync(session, context) : Task.CompletedTask;

    /// <summary>Nothing to produce or send for a notice that was not recorded.</summary>
    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<ReferralEscalated> context, bool appliedNow) =>
        JourneyFacts.IsJourneyFact(context.Message) ? base.FollowUpAsync(session, context, appliedNow) : Task.CompletedTask;
}

public sealed class JourneyRegisteredConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<JourneyRegisteredConsumer>(o);

public sealed class ConsentScopeChangedConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<ConsentScopeChangedConsumer>(o);

public sealed class JourneyOpenedConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<JourneyOpenedConsumer>(o);

public sealed class PersonAgreedToSocialPrescribingConsumerDefinition(IOptions<MessagingOptions> o)
    : ReferralsConsumerDefinition<PersonAgreedToSocialPrescribingConsumer>(o);

public sealed class SocialPrescribingDeclinedConsumerDefinition(IOptions<MessagingOptions> o)
    : ReferralsConsumerDefinition<SocialPrescribingDeclinedConsumer>(o);

public sealed class ContactRecordedConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<ContactRecordedConsumer>(o);

public sealed class JourneyWentDormantConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<JourneyWentDormantConsumer>(o);

public sealed class JourneyReactivatedConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<JourneyReactivatedConsumer>(o);

public sealed class WhatMattersRecordedConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<WhatMattersRecordedConsumer>(o);

public sealed class SupportPlanAgreedConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<SupportPlanAgreedConsumer>(o);

public sealed class CommunityConnectionMadeConsumerDefinition(IOptions<MessagingOptions> o)
    : ReferralsConsumerDefinition<CommunityConnectionMadeConsumer>(o);

public sealed class OutcomeMeasuredConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<OutcomeMeasuredConsumer>(o);

public sealed class SafeguardingConcernRaisedConsumerDefinition(IOptions<MessagingOptions> o)
    : ReferralsConsumerDefinition<SafeguardingConcernRaisedConsumer>(o);

public sealed class JourneyClosedConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<JourneyClosedConsumer>(o);

public sealed class ReferralEscalatedConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<ReferralEscalatedConsumer>(o);
