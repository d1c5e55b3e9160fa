using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts;
using Referrals.Contracts.GpRecords;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Patients;
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

    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<T> context) =>
        RecordAsync(session, context.Message, context.CancellationToken);

    /// <summary>Locks the journey, records the fact on it (unless duplicate or stale) and returns the locked journey.</summary>
    protected async Task<IEventStream<GpJourney>> RecordAsync(IDocumentSession session, T message, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<GpJourney>(JourneyIdOf(message), ct);
        if (JourneyFacts.ShouldRecord(stream.Aggregate, message))
        {
            stream.AppendOne(message);
            await AlsoRecordAsync(session, stream, message, ct);
        }

        return stream;
    }

    /// <summary>
    /// Production reads the fact as committed, with the person's details as committed by then; were it in the fact's own
    /// transaction, a fact and the person's details recorded at once by two instances could each miss the other.
    /// </summary>
    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<T> context, bool appliedNow) =>
        producer.ProduceAndSendAsync(session, context.Message.PersonId, JourneyIdOf(context.Message), appliedNow, context.CancellationToken);

    /// <summary>Anything else the fact changes in the same transaction (the consent scope the sender checks).</summary>
    protected virtual Task AlsoRecordAsync(IDocumentSession session, IEventStream<GpJourney> journey, T message, CancellationToken ct) =>
        Task.CompletedTask;

    /// <summary>
    /// Records the scope the sender checks and, when it widens, starts the journey's production over
    /// (<see cref="RecordProduction.ResetOnScope"/>). Scope changes are recorded only under the journey's lock, so the
    /// queue's scope read here is the one the change follows.
    /// </summary>
    protected static async Task RecordScopeAsync(IDocumentSession session, IEventStream<GpJourney> journey, SharingScopeChanged change, CancellationToken ct)
    {
        // Locked after the journey, as production and a move take them: the deliveries superseded below are not stepped meanwhile.
        var queue = await session.Events.FetchForExclusiveWriting<DeliveryQueue>(change.QueueId, ct);
        queue.AppendOne(change);
        if (RecordProduction.ResetOnScope(journey.Aggregate, queue.Aggregate, change) is { } reset)
        {
            journey.AppendOne(reset);
            // Withheld now, not once the complete delivery is queued in the follow-up: a step in between (the GpDeliveriesDue
            // published with this change, a retry timer) would send them alone under the wider scope (HAZ-021).
            var patient = await session.Events.AggregateStreamAsync<PatientRecord>(change.PersonId, ct: ct);
            DeliveryWithholding.Record(session, queue, DeliveryDecider.SupersedeOnReset(queue.Aggregate, patient?.RegisteredPracticeOds ?? "", change.ChangedAt));
        }
    }
}

public sealed class JourneyRegisteredConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<JourneyRegisteredConsumer> logger)
    : JourneyFactConsumer<JourneyRegistered>(store, producer, logger)
{
    protected override Guid JourneyIdOf(JourneyRegistered message) => message.JourneyId;

    /// <summary>
    /// Also links the referral to the journey it was registered on and moves the practice notices held for the referral
    /// onto it (see <see cref="ReferralEscalatedConsumer"/>). Locks the referral's stream first, then the journey's - the
    /// order the notice consumer takes them in, so the two never wait on each other in a cycle.
    /// </summary>
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<JourneyRegistered> context)
    {
        var message = context.Message;
        var referral = await session.Events.FetchForExclusiveWriting<GpReferral>(ResourceIds.ReferralJourney(message.ReferralId), context.CancellationToken);
        var journey = await RecordAsync(session, message, context.CancellationToken);
        if (referral.Aggregate?.JourneyId == message.JourneyId)
        {
            return;
        }

        // Moved once: the link clears what was held (a redelivery finds the referral linked and moves nothing). Notices
        // released without a journey (the referral was withdrawn, or not registered in time) are not held: the practice has them.
        var held = referral.Aggregate?.Held.Values ?? [];
        var moved = held.Select(n => GpReferral.OnJourney(n, message.JourneyId, message.PersonId))
            .Where(n => JourneyFacts.ShouldRecord(journey.Aggregate, n)).ToList();
        journey.AppendMany(moved);
        referral.AppendOne(new ReferralJourneyLinked(message.ReferralId, message.JourneyId, message.PersonId, moved.Count));
    }

    /// <summary>A re-referral brings the consent given with it, which may widen the scope.</summary>
    protected override Task AlsoRecordAsync(IDocumentSession session, IEventStream<GpJourney> journey, JourneyRegistered message, CancellationToken ct) =>
        RecordScopeAsync(session, journey, new SharingScopeChanged(
            ResourceIds.DeliveryQueue(message.JourneyId), message.JourneyId, message.PersonId, message.SharingScope, message.RegisteredAt), ct);
}

public sealed class ConsentScopeChangedConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<ConsentScopeChangedConsumer> logger)
    : JourneyFactConsumer<ConsentScopeChanged>(store, producer, logger)
{
    protected override Guid JourneyIdOf(ConsentScopeChanged message) => message.JourneyId;

    /// <summary>
    /// The scope the sender checks before every send; a withdrawal also wakes the sender to stop what is queued or parked.
    /// A widening starts production over, so what the narrower scope kept back is sent (HAZ-006, HAZ-021).
    /// </summary>
    protected override async Task AlsoRecordAsync(IDocumentSession session, IEventStream<GpJourney> journey, ConsentScopeChanged message,
        CancellationToken ct)
    {
        var queueId = ResourceIds.DeliveryQueue(message.JourneyId);
        var scope = message.Withdrawn ? ConsentScope.None : message.Scope;
        await RecordScopeAsync(session, journey, new SharingScopeChanged(queueId, message.JourneyId, message.PersonId, scope, message.ChangedAt), ct);
        session.Outbox.Publish(new GpDeliveriesDue(message.PersonId, message.JourneyId), queueId);
    }
}

/// <summary>
/// Triage's later decision or a team lead's override after registration, of eligibility, tier or priority (support-plan applies
/// it only to the journey's current referral, not after closure).
/// </summary>
public sealed class ReferralRetriagedConsumer(IDocumentStore store, JourneyRecordProducer producer, ILogger<ReferralRetriagedConsumer> logger)
    : JourneyFactConsumer<ReferralRetriaged>(store, producer, logger)
{
    protected override Guid JourneyIdOf(ReferralRetriaged message) => message.JourneyId;
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
/// Triage escalates before support-plan registers the referral, so the notice's JourneyId is only the id intake proposed;
/// support-plan may register the referral on another journey (a re-referral reopening the person's previous journey, a
/// proposed id already taken). The notice's journey is therefore resolved by its ReferralId (<see cref="GpReferral"/>):
/// recorded on the linked journey, or held until the referral's <c>JourneyRegistered</c> moves it there. A held notice has
/// a check armed: a referral withdrawn before registration may never be registered, and a registration may be held up, so
/// held notices are released to the practice without a journey then (<see cref="HeldNotices"/>).
/// </summary>
public sealed class ReferralEscalatedConsumer(IDocumentStore store, JourneyRecordProducer producer, HeldNoticeReleaser releaser,
    IOptionsMonitor<GpRecordsOptions> options, TimeProvider clock, ILogger<ReferralEscalatedConsumer> logger)
    : IdempotentConsumer<ReferralEscalated>(store, logger)
{
    /// <summary>
    /// Locking: the referral's stream is locked first (then the linked journey's), as <see cref="JourneyRegisteredConsumer"/>
    /// does, so a notice and its registration handled at once on two instances are serialised on the referral: whichever
    /// commits second sees the first - the registration finds the held notice and moves it, or the notice finds the link.
    /// A row lock cannot guard a referral stream that does not exist yet; then both append to it as its first events and
    /// the second commit fails on the stream's version, and its retry takes the lock. A notice to anyone but the practice
    /// is not recorded and takes no lock.
    /// </summary>
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralEscalated> context)
    {
        var notice = context.Message;
        if (!JourneyFacts.IsJourneyFact(notice))
        {
            return;
        }

        var ct = context.CancellationToken;
        var referral = await session.Events.FetchForExclusiveWriting<GpReferral>(ResourceIds.ReferralJourney(notice.ReferralId), ct);
        var link = referral.Aggregate is { JourneyId: { } linked } known ? (JourneyId: linked, known.PersonId) : await RegisteredBeforeLinksAsync(session, notice, ct);
        if (link is not { } target)
        {
            if (HeldNotices.ShouldHold(referral.Aggregate, notice))
            {
                referral.AppendOne(new EscalationNoticeHeld(notice.ReferralId, notice.PersonId, notice));
                HeldNotices.ScheduleCheck(session, notice.PersonId, notice.ReferralId, notice.EscalationId, notice.Step, 1,
                    clock.GetUtcNow() + options.CurrentValue.Notices.HeldCheckAfter);
            }

            return;
        }

        if (referral.Aggregate?.JourneyId is null)
        {
            referral.AppendOne(new ReferralJourneyLinked(notice.ReferralId, target.JourneyId, target.PersonId, 0));
        }

        var journey = await session.Events.FetchForExclusiveWriting<GpJourney>(target.JourneyId, ct);
        var onJourney = GpReferral.OnJourney(notice, target.JourneyId, target.PersonId);
        if (!HeldNotices.WasReleased(referral.Aggregate, notice) && JourneyFacts.ShouldRecord(journey.Aggregate, onJourney))
        {
            journey.AppendOne(onJourney);
        }
    }

    /// <summary>
    /// Nothing to produce or send for a notice that was not the practice's. One recorded on the journey is produced and sent
    /// with it; a held one goes without a journey if its referral no longer waits for one (withdrawn, or released before).
    /// </summary>
    protected override async Task FollowUpAsync(IDocumentSession session, ConsumeContext<ReferralEscalated> context, bool appliedNow)
    {
        var notice = context.Message;
        if (!JourneyFacts.IsJourneyFact(notice))
        {
            return;
        }

        var referral = await session.Events.AggregateStreamAsync<GpReferral>(ResourceIds.ReferralJourney(notice.ReferralId), ct: context.CancellationToken);
        if (referral is { JourneyId: { } journeyId })
        {
            await producer.ProduceAndSendAsync(session, referral.PersonId, journeyId, appliedNow, context.CancellationToken);
        }
        else
        {
            await releaser.ReleaseAndSendAsync(session, notice.ReferralId, overdue: false, appliedNow, context.CancellationToken);
        }
    }

    /// <summary>
    /// A referral registered before gp-records kept links has its registration on a journey but no link: the journey
    /// triage stamped, or another of the person's (a re-referral that reopened their previous journey). That journey is
    /// then the referral's. Registrations recorded since always link in the same transaction.
    /// </summary>
    private static async Task<(Guid JourneyId, Guid PersonId)?> RegisteredBeforeLinksAsync(IDocumentSession session, ReferralEscalated notice, CancellationToken ct)
    {
        var persons = await session.LoadAsync<PersonJourneysDocument>(notice.PersonId, ct);
        foreach (var journeyId in (IEnumerable<Guid>)[notice.JourneyId, .. (persons?.JourneyIds ?? []).Where(j => j != notice.JourneyId)])
        {
            var journey = await session.Events.AggregateStreamAsync<GpJourney>(journeyId, ct: ct);
            if (journey is not null && journey.All<JourneyRegistered>().Any(r => r.ReferralId == notice.ReferralId))
            {
                return (journey.Id, journey.PersonId);
            }
        }

        return null;
    }
}

public sealed class JourneyRegisteredConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<JourneyRegisteredConsumer>(o);

public sealed class ConsentScopeChangedConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<ConsentScopeChangedConsumer>(o);

public sealed class ReferralRetriagedConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<ReferralRetriagedConsumer>(o);

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
