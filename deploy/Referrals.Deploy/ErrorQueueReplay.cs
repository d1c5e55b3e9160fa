using RabbitMQ.Client;

namespace Referrals.Deploy;

/// <summary>
/// Moves messages from a MassTransit error queue back to its input queue. The body and properties (MessageId included)
/// are kept, so a consumer that already applied a message before it failed skips it through its inbox.
/// </summary>
public static class ErrorQueueReplay
{
    public static async Task<int> ReplayAsync(string rabbitMq, string queue, int max)
    {
        var factory = new ConnectionFactory { Uri = new Uri(rabbitMq), ClientProvidedName = "referrals-replay-errors" };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var moved = 0;
        while (moved < max)
        {
            var result = await channel.BasicGetAsync(queue + "_error", autoAck: false);
            if (result is null)
            {
                break;
            }

            var properties = new BasicProperties(result.BasicProperties);
            if (properties.Headers is not null)
            {
                foreach (var key in properties.Headers.Keys.Where(k => k.StartsWith("MT-Fault-", StringComparison.Ordinal) || k == "MT-Reason").ToList())
                {
                    properties.Headers.Remove(key);
                }
            }

            // The input queue's own exchange (same name) routes only to it, not to other subscribers of the message type.
            await channel.BasicPublishAsync(queue, "", mandatory: true, properties, result.Body);
            await channel.BasicAckAsync(result.DeliveryTag, multiple: false);
            moved++;
        }

        return moved;
    }
}
