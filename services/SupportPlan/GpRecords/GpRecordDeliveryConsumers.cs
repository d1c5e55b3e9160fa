using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.GpRecords;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.SupportPlan.GpRecords;

/// <summary>
/// GP-records parked a delivery of the journey: the journey is marked "not yet in the GP record" for its worker and team lead
/// (HAZ-005), in the journey's GP delivery stream, not the journey's own. Recorded whether or not support-plan holds the journey
/// yet (the mark waits under the journey's id), so nothing waits or is lost. The message's reason (which may quote the practice's
/// system) is not kept.
/// </summary>
public sealed class GpRecordDeliveryParkedConsumer(IDocumentStore store, TimeProvider clock, ILogger<GpRecordDeliveryParkedConsumer> logger)
    : IdempotentConsumer<GpRecordDeliveryParked>(store, logger)
{
    private bool _marked;

    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<GpRecordDeliveryParked> context)
    {
        _marked = false;
        var m = context.Message;
        var stream = await session.Events.FetchForWriting<GpRecordDelivery>(GpRecordDelivery.StreamIdFor(m.JourneyId), context.CancellationToken);
        var events = GpRecordDeliveryDecider.Parked(stream.Aggregate, m.JourneyId, m.DeliveryId, m.Sequence, m.PersonId, m.PracticeOds, m.ParkedAt, clock.GetUtcNow());
        if (events.Count > 0)
        {
            stream.AppendMany(events);
            _marked = true;
        }
    }

    /// <summary>Logged once committed, with ids only.</summary>
    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<GpRecordDeliveryParked> context, bool appliedNow)
    {
        if (appliedNow && _marked)
        {
            logger.LogWarning("Journey {JourneyId} marked not yet in the GP record: gp-records parked delivery {DeliveryId}",
                context.Message.JourneyId, context.Message.DeliveryId);
        }

        return Task.CompletedTask;
    }
}

public sealed class GpRecordDeliveryParkedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<GpRecordDeliveryParkedConsumer>(options);

/// <summary>
/// GP-records reported a delivery it had reported parked accepted by the practice after a replay: it, and every delivery before
/// it in the journey's queue, is done, so the mark of each park up to its sequence clears (in the journey's GP delivery stream;
/// the journey's version does not change). gp-records publishes this only for a parked delivery, so the normal path costs
/// support-plan no message (its plain <see cref="GpRecordDeliveryAccepted"/> is not consumed here).
/// </summary>
public sealed class GpRecordParkedDeliveryAcceptedConsumer(IDocumentStore store, TimeProvider clock, ILogger<GpRecordParkedDeliveryAcceptedConsumer> logger)
    : IdempotentConsumer<GpRecordParkedDeliveryAccepted>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<GpRecordParkedDeliveryAccepted> context)
    {
        var m = context.Message;
        var stream = await session.Events.FetchForWriting<GpRecordDelivery>(GpRecordDelivery.StreamIdFor(m.JourneyId), context.CancellationToken);
        var events = GpRecordDeliveryDecider.Accepted(stream.Aggregate, m.JourneyId, m.DeliveryId, m.Sequence, m.PracticeOds, m.AcceptedAt, clock.GetUtcNow());
        if (events.Count > 0)
        {
            stream.AppendMany(events);
        }
    }
}

public sealed class GpRecordParkedDeliveryAcceptedConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<GpRecordParkedDeliveryAcceptedConsumer>(options);

/// <summary>
/// GP-records withheld a delivery it had reported parked (consent, superseded after a move or widening, erasure): nothing more of
/// it will be sent, so that delivery no longer holds the journey back and its mark clears, by id (HAZ-005 C12). Only the journey's
/// GP delivery stream is written: after an erasure the journey is not touched, so nothing of the person's comes back.
/// </summary>
public sealed class GpRecordDeliveryWithheldConsumer(IDocumentStore store, TimeProvider clock, ILogger<GpRecordDeliveryWithheldConsumer> logger)
    : IdempotentConsumer<GpRecordDeliveryWithheld>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<GpRecordDeliveryWithheld> context)
    {
        var m = context.Message;
        var stream = await session.Events.FetchForWriting<GpRecordDelivery>(GpRecordDelivery.StreamIdFor(m.JourneyId), context.CancellationToken);
        var events = GpRecordDeliveryDecider.Withheld(stream.Aggregate, m.JourneyId, m.DeliveryId, m.Sequence, m.ReasonCategory, m.WithheldAt,
            clock.GetUtcNow());
        if (events.Count > 0)
        {
            stream.AppendMany(events);
        }
    }
}

public sealed class GpRecordDeliveryWithheldConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<GpRecordDeliveryWithheldConsumer>(options);
