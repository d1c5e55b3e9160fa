using MassTransit;

namespace Referrals.EventStore.Outbox;

/// <summary>Publishes (or sends) outbox messages through MassTransit, keeping the stored MessageId for downstream inboxes.</summary>
public sealed class MassTransitOutboxPublisher(IBus bus) : IOutboxPublisher
{
    public const string PersonIdHeader = "Referrals-Person-Id";
    public const string SourceStreamHeader = "Referrals-Source-Stream-Id";
    public const string SourceVersionHeader = "Referrals-Source-Version";
    public const string TenantHeader = "Referrals-Tenant-Id";

    public async Task PublishAsync(OutboxEnvelope envelope, CancellationToken ct)
    {
        void Stamp(SendContext context)
        {
            context.MessageId = envelope.MessageId;
            // Headers let operators find (and shred) a person's messages in error queues without reading bodies.
            if (envelope.PersonId is { } person)
            {
                context.Headers.Set(PersonIdHeader, person.ToString());
            }

            if (envelope.StreamId is { } stream)
            {
                context.Headers.Set(SourceStreamHeader, stream.ToString());
                context.Headers.Set(SourceVersionHeader, envelope.StreamVersion ?? 0);
            }

            context.Headers.Set(TenantHeader, envelope.TenantId);
        }

        if (envelope.Destination is null)
        {
            await bus.Publish(envelope.Message, envelope.MessageType, Pipe.Execute<PublishContext>(Stamp), ct);
        }
        else
        {
            var endpoint = await bus.GetSendEndpoint(new Uri(envelope.Destination));
            await endpoint.Send(envelope.Message, envelope.MessageType, Pipe.Execute<SendContext>(Stamp), ct);
        }
    }
}
