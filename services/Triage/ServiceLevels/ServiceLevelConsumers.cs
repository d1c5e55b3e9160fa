using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;
using Referrals.ServiceDefaults.Telemetry;
using Referrals.Triage.Journeys;
using Referrals.Triage.Referrals;

namespace Referrals.Triage.ServiceLevels;

/// <summary>
/// A contact was recorded: the first one in which the person was reached (attended) meets the first-contact service level
/// and cancels its timer. Attempts that did not reach the person do not stop the clock.
/// </summary>
public sealed class ContactRecordedConsumer(IDocumentStore store, ILogger<ContactRecordedConsumer> logger)
    : IdempotentConsumer<ContactRecorded>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<ContactRecorded> context)
    {
        var message = context.Message;
        if (message.Outcome != ContactOutcome.Attended)
        {
            return;
        }

        var journey = await session.LoadAsync<JourneyIndex>(message.JourneyId, context.CancellationToken)
                      ?? throw new MessageOutOfOrderException("ContactRecorded arrived for a journey triage has not seen yet.");
        // A contact from an earlier episode of a reopened journey (an older source version) is that episode's referral's.
        var referralId = journey.ReferralAt(JourneyIndex.VersionOf(message.JourneyId, message.Source))
                         ?? throw new MessageOutOfOrderException("ContactRecorded arrived before the registration of its episode.");
        var referrals = new ReferralChanges(session);
        var referral = await referrals.GetAsync(referralId, context.CancellationToken)
                       ?? throw new MessageOutOfOrderException("ContactRecorded arrived before the referral was triaged.");
        if (referral.FirstContactAt is not null)
        {
            return;
        }

        referrals.Append(referral.Id, new FirstContactRecorded(referral.Id, message.ContactId, message.OccurredAt));
        ServiceLevelClock.Stop(session, referral);
        ReferralsTelemetry.TimeToFirstContact.Record(Math.Max(0, (message.OccurredAt - referral.SubmittedAt).TotalSeconds));
    }
}

public sealed class ContactRecordedConsumerDefinition(IOptions<MessagingOptions> options) : ReferralsConsumerDefinition<ContactRecordedConsumer>(options);

/// <summary>Triage's own timer: the first-contact service level came due with no contact recorded, so it is breached.</summary>
public sealed class ServiceLevelDueConsumer(IDocumentStore store, TimeProvider clock, ILogger<ServiceLevelDueConsumer> logger)
    : IdempotentConsumer<ServiceLevelDue>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<ServiceLevelDue> context)
    {
        var message = context.Message;
        var referrals = new ReferralChanges(session);
        var referral = await referrals.GetAsync(message.ReferralId, context.CancellationToken);
        if (referral is null || referral.FirstContactAt is not null || referral.ServiceLevelBreached || referral.ServiceLevelDueAt != message.DueAt
            || referral.Status is ReferralStatus.Withdrawn or ReferralStatus.Closed or ReferralStatus.Ineligible)
        {
            return;
        }

        var now = clock.GetUtcNow();
        referrals.Append(referral.Id, new ServiceLevelMissed(referral.Id, message.ServiceLevel, message.DueAt, now));
        session.Outbox.Publish(new ServiceLevelBreached(referral.Id, referral.RegisteredJourneyId ?? referral.JourneyId, referral.PersonId,
            referral.ProgrammeId, message.ServiceLevel, message.DueAt, now), referral.Id);
        logger.LogInformation("Service level {ServiceLevel} breached for referral {ReferralId}", message.ServiceLevel, referral.Id);
    }
}

public sealed class ServiceLevelDueConsumerDefinition(IOptions<MessagingOptions> options) : ReferralsConsumerDefinition<ServiceLevelDueConsumer>(options);
