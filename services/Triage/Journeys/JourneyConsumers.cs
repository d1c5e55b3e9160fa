using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Referrals.Contracts.Intake;
using Referrals.Contracts.SupportPlan;
using Referrals.EventStore;
using Referrals.ServiceDefaults.DataProtection;
using Referrals.ServiceDefaults.Messaging;
using Referrals.Triage.Assigning;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;
using Referrals.Triage.ServiceLevels;

namespace Referrals.Triage.Journeys;

/// <summary>Support-plan registered the referral against a journey (maybe a reopened earlier one): remember the mapping.</summary>
public sealed class JourneyRegisteredConsumer(IDocumentStore store, TimeProvider clock, ILogger<JourneyRegisteredConsumer> logger)
    : IdempotentConsumer<JourneyRegistered>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<JourneyRegistered> context)
    {
        var message = context.Message;
        var referrals = new ReferralChanges(session);
        var referral = await referrals.GetAsync(message.ReferralId, context.CancellationToken)
                       ?? throw new MessageOutOfOrderException("JourneyRegistered arrived before the referral was triaged.");
        if (referral.RegisteredJourneyId == message.JourneyId)
        {
            return;
        }

        referrals.Append(referral.Id,
            new JourneyLinked(referral.Id, message.JourneyId, referral.ProgrammeId, referral.LastAcceptedWorkerId, clock.GetUtcNow())
            {
                SourceVersion = JourneyIndex.VersionOf(message.JourneyId, message.Source),
            });
    }
}

public sealed class JourneyRegisteredConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<JourneyRegisteredConsumer>(options);

/// <summary>
/// The journey closed: the worker's active caseload drops (their yearly intake keeps the person), and the freed capacity
/// goes to the queue at once. The closure is that of the episode its source version falls in: one that arrives after the
/// journey was reopened for a re-referral closes the earlier referral, never the new one.
/// </summary>
public sealed class JourneyClosedConsumer(IDocumentStore store, TimeProvider clock, AllocationService allocation, ILogger<JourneyClosedConsumer> logger)
    : IdempotentConsumer<JourneyClosed>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<JourneyClosed> context)
    {
        var ct = context.CancellationToken;
        var message = context.Message;
        var journey = await session.LoadAsync<JourneyIndex>(message.JourneyId, ct)
                      ?? throw new MessageOutOfOrderException("JourneyClosed arrived for a journey triage has not seen yet.");
        var referralId = journey.ReferralAt(JourneyIndex.VersionOf(message.JourneyId, message.Source))
                         ?? throw new MessageOutOfOrderException("JourneyClosed arrived before the registration of the episode it closes.");
        var programme = await ProgrammeLock.AcquireAsync(session, journey.ProgrammeId, ct);
        var referrals = new ReferralChanges(session);
        var referral = await referrals.GetAsync(referralId, ct)
                       ?? throw new MessageOutOfOrderException("JourneyClosed arrived before the referral was triaged.");
        if (referral.Status is ReferralStatus.Closed || referral.ClosedAt is not null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (referral is { IsWithWorker: true, AssignmentId: { } assignment, AssignedWorkerId: { } worker })
        {
            referrals.Append(referral.Id, new AssignmentEnded(referral.Id, referral.PersonId, assignment, referral.ProgrammeId, worker,
                AssignmentEndReason.JourneyClosed, null, referral.Status == ReferralStatus.Accepted, "support-plan", now));
        }

        referrals.Append(referral.Id, new JourneyClosureRecorded(referral.Id, message.JourneyId, now));
        ServiceLevelClock.Stop(session, referral);
        if (programme is not null)
        {
            await allocation.AllocateAsync(session, referrals, programme, [], "support-plan", ct);
        }
    }
}

public sealed class JourneyClosedConsumerDefinition(IOptions<MessagingOptions> options) : ReferralsConsumerDefinition<JourneyClosedConsumer>(options);

/// <summary>
/// The referrer withdrew: unless the person has already had a first contact with the worker, the assignment (or queue
/// place) is released and the capacity goes to the queue. An open escalation carries on: risk does not go away.
/// </summary>
public sealed class ReferralWithdrawnConsumer(IDocumentStore store, TimeProvider clock, AllocationService allocation, ILogger<ReferralWithdrawnConsumer> logger)
    : IdempotentConsumer<ReferralWithdrawn>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralWithdrawn> context)
    {
        var ct = context.CancellationToken;
        var known = await session.LoadAsync<Referral>(context.Message.ReferralId, ct)
                    ?? throw new MessageOutOfOrderException("ReferralWithdrawn arrived before the referral was triaged.");
        var programme = await ProgrammeLock.AcquireAsync(session, known.ProgrammeId, ct);
        var referrals = new ReferralChanges(session);
        var referral = (await referrals.GetAsync(known.Id, ct))!;
        if (referral.WithdrawnAt is not null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var afterFirstContact = referral.FirstContactAt is not null;
        if (referral.Status is ReferralStatus.Closed)
        {
            // The journey's closure (which this withdrawal caused) was consumed first: the assignment, the service-level
            // clock and the capacity were released then. The withdrawal is still recorded, whatever the arrival order.
            referrals.Append(referral.Id, new ReferralWithdrawalRecorded(referral.Id, afterFirstContact, now));
            return;
        }
        if (!afterFirstContact && referral is { IsWithWorker: true, AssignmentId: { } assignment, AssignedWorkerId: { } worker })
        {
            referrals.Append(referral.Id, new AssignmentEnded(referral.Id, referral.PersonId, assignment, referral.ProgrammeId, worker,
                AssignmentEndReason.ReferralWithdrawn, null, referral.Status == ReferralStatus.Accepted, "referrer", now));
        }

        referrals.Append(referral.Id, new ReferralWithdrawalRecorded(referral.Id, afterFirstContact, now));
        if (!afterFirstContact)
        {
            ServiceLevelClock.Stop(session, referral);
            if (programme is not null)
            {
                await allocation.AllocateAsync(session, referrals, programme, [], "referrer", ct);
            }
        }
    }
}

public sealed class ReferralWithdrawnConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<ReferralWithdrawnConsumer>(options);

/// <summary>
/// An approved erasure: triage shreds its copy of the person's personal data (reasons and notes about them) and drops the
/// person's messages waiting in its error queues. Both are idempotent, so a replayed erasure changes nothing.
/// </summary>
public sealed class PersonErasedConsumer(IDocumentStore store, DocumentStore documents, DeadLetterShredder deadLetters,
    ILogger<PersonErasedConsumer> logger) : IdempotentConsumer<PersonErased>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<PersonErased> context)
    {
        await documents.ErasePersonAsync(context.Message.PersonId, context.CancellationToken);
        await deadLetters.ShredAsync(context.Message.PersonId, context.CancellationToken);
    }
}

public sealed class PersonErasedConsumerDefinition(IOptions<MessagingOptions> options) : ReferralsConsumerDefinition<PersonErasedConsumer>(options);
