using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts.GpRecords;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.SupportPlan.GpRecords;

/// <summary>GP-records filed a delivery to the person's GP record: kept for the journey's timeline (in its own stream).</summary>
public sealed class GpRecordFiledConsumer(IDocumentStore store, ILogger<GpRecordFiledConsumer> logger) : IdempotentConsumer<GpRecordFiled>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<GpRecordFiled> context)
    {
        var m = context.Message;
        if (await session.Events.FetchStreamStateAsync(m.DeliveryId, context.CancellationToken) is not null)
        {
            return; // this delivery's filing is already recorded
        }

        session.Events.StartStream(m.DeliveryId, new GpRecordFilingRecorded(m.DeliveryId, m.JourneyId, m.PersonId, m.PracticeOds, m.FiledAt));
    }
}

public sealed class GpRecordFiledConsumerDefinition(IOptions<MessagingOptions> options) : ReferralsConsumerDefinition<GpRecordFiledConsumer>(options);
