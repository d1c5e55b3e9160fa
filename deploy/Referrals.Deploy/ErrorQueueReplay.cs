using System.Globalization;
using System.Text;
using RabbitMQ.Client;

namespace Referrals.Deploy;

/// <summary>
/// Moves messages from a MassTransit error queue back to its input queue. The body and properties (MessageId included)
/// are kept, so a consumer that already applied a message before it failed skips it through its inbox.
/// </summary>
public static class ErrorQueueReplay
{
    /// <summary>
    /// Consumers' inboxes forget a message after 30 days (<c>EventStoreOptions.Outbox.InboxRetention</c>). A message that was
    /// applied and then failed in its follow-up, replayed after that, would be applied twice; a day's margin covers clocks
    /// and the clean-up's timing.
    /// </summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromDays(29);

    public sealed record Result(int Moved, int HeldBack);

    /// <param name="maxAge">A message that failed longer ago than this stays in the error queue (counted as held back).</param>
    public static async Task<Result> ReplayAsync(string rabbitMq, string queue, int max, TimeSpan? maxAge = null, DateTimeOffset? now = null)
    {
        var oldest = (now ?? DateTimeOffset.UtcNow) - (maxAge ?? DefaultMaxAge);
        var factory = new ConnectionFactory { Uri = new Uri(rabbitMq), ClientProvidedName = "referrals-replay-errors" };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var moved = 0;
        // Held back messages stay unacknowledged until the end, so the next get moves past them; then they go back in order.
        var heldBack = new List<ulong>();
        while (moved < max)
        {
            var result = await channel.BasicGetAsync(queue + "_error", autoAck: false);
            if (result is null)
            {
                break;
            }

            var firstFailedAt = FirstFailedAt(result.BasicProperties);
            if (firstFailedAt < oldest)
            {
                heldBack.Add(result.DeliveryTag);
                continue;
            }

            var properties = new BasicProperties(result.BasicProperties);
            if (properties.Headers is not null)
            {
                foreach (var key in properties.Headers.Keys.Where(k => k.StartsWith("MT-Fault-", StringComparison.Ordinal) || k == "MT-Reason").ToList())
                {
                    properties.Headers.Remove(key);
                }
            }

            // MassTransit stamps each failure afresh: the first one travels on, so a message that fails again is aged from it.
            if (firstFailedAt is { } first)
            {
                properties.Headers ??= new Dictionary<string, object?>();
                properties.Headers[FirstFailureHeader] = first.ToString("O", CultureInfo.InvariantCulture);
            }

            // The input queue's own exchange (same name) routes only to it, not to other subscribers of the message type.
            await channel.BasicPublishAsync(queue, "", mandatory: true, properties, result.Body);
            await channel.BasicAckAsync(result.DeliveryTag, multiple: false);
            moved++;
        }

        foreach (var tag in heldBack)
        {
            await channel.BasicNackAsync(tag, multiple: false, requeue: true);
        }

        return new Result(moved, heldBack.Count);
    }

    /// <summary>The time of the message's first failure, kept by this tool across replays (MassTransit's headers say only the last).</summary>
    public const string FirstFailureHeader = "Referrals-First-Fault-Timestamp";

    /// <summary>The earliest failure the message's headers record (this tool's, or MassTransit's latest), if any.</summary>
    private static DateTimeOffset? FirstFailedAt(IReadOnlyBasicProperties properties)
    {
        DateTimeOffset?[] times = [TimeIn(properties, FirstFailureHeader), TimeIn(properties, "MT-Fault-Timestamp")];
        return times.Where(t => t is not null).Min();
    }

    private static DateTimeOffset? TimeIn(IReadOnlyBasicProperties properties, string header)
    {
        if (properties.Headers?.TryGetValue(header, out var value) != true)
        {
            return null;
        }

        var text = value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            string s => s,
            _ => null,
        };
        return value switch
        {
            AmqpTimestamp stamp => DateTimeOffset.FromUnixTimeSeconds(stamp.UnixTime),
            DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
            _ when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) => parsed,
            _ => null,
        };
    }
}
