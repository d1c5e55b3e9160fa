using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.GpRecords;
using Referrals.EventStore;
using Referrals.GpRecords.Patients;
using Referrals.GpRecords.Recording;
using Referrals.ServiceDefaults.Messaging;
using Referrals.ServiceDefaults.Telemetry;

namespace Referrals.GpRecords.Delivering;

/// <summary>
/// Takes one step of a journey's delivery queue under the queue stream's row lock: withhold, send, or do nothing (idle,
/// blocked behind a parked delivery, or waiting for a retry timer). Consent is read under the same lock, so a withdrawal
/// committed before the step is always honoured. After a step that moved the queue on, the next step is requested when
/// another delivery is waiting.
/// </summary>
public sealed class DeliverySender(PracticeRouter router, IOptionsMonitor<GpRecordsOptions> options, TimeProvider clock, ILogger<DeliverySender> logger)
{
    /// <param name="due">
    /// The GpDeliveriesDue message this step answers, with its id; null for a step that follows production. A retry timer's
    /// message may come from another instance's poller while this host's clock has not reached the retry time: that timer is
    /// spent, so when the head still waits for that very retry, it is set again for its time under a key of its own, or the
    /// delivery would wait for good. Other messages (a consent change, the next delivery in order) set nothing: the retry's
    /// own timer is still to come.
    /// </param>
    public async Task StepAsync(IDocumentSession session, Guid personId, Guid journeyId, (GpDeliveriesDue Message, Guid Id)? due,
        CancellationToken ct)
    {
        var queueId = ResourceIds.DeliveryQueue(journeyId);
        var stream = await session.Events.FetchForExclusiveWriting<DeliveryQueue>(queueId, ct);
        if (stream.Aggregate is not { } queue)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var step = DeliveryDecider.Next(queue, now);
        if (step is NextStep.Send next)
        {
            // Read under the queue's lock: a move committed before this step is always followed.
            step = DeliveryDecider.Confine(queue, DeliveryDecider.Route(next, await session.Events.AggregateStreamAsync<PatientRecord>(queue.PersonId, ct: ct)));
        }

        switch (step)
        {
            case NextStep.Withhold withhold:
                DeliveryWithholding.Record(session, stream,
                    [new DeliveryWithheld(queueId, journeyId, queue.PersonId, withhold.Delivery.DeliveryId, withhold.Reason, now)]);
                logger.LogInformation("Delivery {DeliveryId} withheld", withhold.Delivery.DeliveryId);
                session.Outbox.Publish(new GpDeliveriesDue(personId, journeyId), queueId);
                return;

            case NextStep.Send send:
                var delivery = send.Delivery;
                var (outcome, transport) = await router.SendAsync(
                    new PracticeDelivery(delivery.DeliveryId, journeyId, send.PracticeOds, send.Resources), ct);
                var events = DeliveryDecider.Outcome(queue, delivery, send, outcome, transport, options.CurrentValue.Delivery.RetryDelays, now);
                stream.AppendMany(events);
                foreach (var e in events)
                {
                    Announce(session, queue, delivery, send.PracticeOds, e, queueId);
                }

                return;

            case NextStep.Wait wait when due is { } retry && retry.Message.RetryOfDeliveryId == wait.Delivery.DeliveryId &&
                                         retry.Message.RetryOfAttempt == wait.Delivery.Attempts:
                session.Timers.Schedule(DeliveryDecider.RecheckTimerKey(wait.Delivery, retry.Id), wait.Until,
                    RetryOf(queue, wait.Delivery.DeliveryId, wait.Delivery.Attempts), queueId);
                return;

            default:
                return;
        }
    }

    private static GpDeliveriesDue RetryOf(DeliveryQueue queue, Guid deliveryId, int failedAttempt) =>
        new(queue.PersonId, queue.JourneyId) { RetryOfDeliveryId = deliveryId, RetryOfAttempt = failedAttempt };

    private void Announce(IDocumentSession session, DeliveryQueue queue, QueuedDelivery delivery, string practiceOds, object e, Guid queueId)
    {
        switch (e)
        {
            case DeliveryAccepted accepted:
                ReferralsTelemetry.Deliveries.Add(1);
                session.Outbox.Publish(new GpRecordDeliveryAccepted(delivery.DeliveryId, queue.JourneyId, queue.PersonId, practiceOds,
                    accepted.AcceptedAt) { Sequence = delivery.Sequence }, queueId);
                if (DeliveryDecider.ParkedAcceptedReport(queue, delivery, practiceOds, accepted) is { } parkOver)
                {
                    session.Outbox.Publish(parkOver, queueId);
                }

                // Under scope none only the Consent went: none of the delivery's messages back did.
                foreach (var kind in accepted.SentUnder == Contracts.ConsentScope.None ? [] : delivery.MessageKinds)
                {
                    session.Outbox.Publish(new GpMessageSent(queue.JourneyId, queue.PersonId, kind, practiceOds,
                        delivery.ReferrerOrganisationId, accepted.AcceptedAt), queueId);
                }

                // Each delivery requested one step when it was queued, but a step that could not send (the head waiting
                // for a retry) used one up: while another delivery waits, request the next step.
                if (queue.Deliveries.Any(d => !d.IsDone && d.DeliveryId != delivery.DeliveryId))
                {
                    session.Outbox.Publish(new GpDeliveriesDue(queue.PersonId, queue.JourneyId), queueId);
                }

                break;

            case DeliveryFiled filed:
                session.Outbox.Publish(new GpRecordFiled(delivery.DeliveryId, queue.JourneyId, queue.PersonId, practiceOds, filed.FiledAt), queueId);
                break;

            case DeliveryAttemptFailed failed:
                ReferralsTelemetry.DeliveryFailures.Add(1);
                logger.LogWarning("Delivery {DeliveryId} attempt {Attempt} failed ({Reason}); retrying at {NextAttemptAt}",
                    delivery.DeliveryId, failed.Attempt, failed.Reason, failed.NextAttemptAt);
                session.Timers.Schedule(DeliveryDecider.RetryTimerKey(delivery, failed.Attempt), failed.NextAttemptAt,
                    RetryOf(queue, delivery.DeliveryId, failed.Attempt), queueId);
                break;

            case DeliveryParked parked:
                ReferralsTelemetry.DeliveryFailures.Add(1);
                logger.LogError("Delivery {DeliveryId} parked ({Reason}); later deliveries of the journey wait", delivery.DeliveryId, parked.Reason);
                session.Outbox.Publish(new GpRecordDeliveryParked(delivery.DeliveryId, queue.JourneyId, queue.PersonId, practiceOds,
                    parked.Reason, parked.ParkedAt) { Sequence = delivery.Sequence }, queueId);
                break;
        }
    }
}

public sealed class GpDeliveriesDueConsumer(IDocumentStore store, DeliverySender sender, ILogger<GpDeliveriesDueConsumer> logger)
    : IdempotentConsumer<GpDeliveriesDue>(store, logger)
{
    protected override Task HandleAsync(IDocumentSession session, ConsumeContext<GpDeliveriesDue> context) =>
        sender.StepAsync(session, context.Message.PersonId, context.Message.JourneyId,
            context.MessageId is { } id ? (context.Message, id) : null, context.CancellationToken);
}

public sealed class GpDeliveriesDueConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<GpDeliveriesDueConsumer>(o);
