using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Referrals.EventStore.Outbox;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.ServiceDefaults.DataProtection;

/// <summary>
/// Removes an erased person's messages from this service's <c>_error</c>, <c>_skipped</c> and <c>_waiting</c> queues.
/// Messages on the broker carry personal fields in plain text (only the stores encrypt), so a message that failed and
/// waits for an operator would outlive the erasure. Each queue is read once through: the person's messages (by the
/// person-id header the outbox relay sets, or their id in the body) are dropped, every other message is put back
/// unchanged. One erasure at a time per service, across its instances: two read-throughs of one queue at once take each
/// other's put-back messages and stop at their counts without seeing all of their own, which left erased people's
/// messages behind.
/// </summary>
public sealed class DeadLetterShredder(IConfiguration configuration, ConsumerEndpointRegistry registry, ILogger<DeadLetterShredder> logger,
    NpgsqlDataSource? dataSource = null)
{
    public static readonly string[] Suffixes = ["_error", "_skipped", OutOfOrderWaitingRoom.Suffix];

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<int> ShredAsync(Guid personId, CancellationToken ct)
    {
        var broker = new Uri(configuration.GetConnectionString("RabbitMq") ?? throw new InvalidOperationException("ConnectionStrings:RabbitMq is not set."));
        await _oneAtATime.WaitAsync(ct);
        try
        {
            var acrossInstances = await LockAcrossInstancesAsync(broker, ct);
            try
            {
                return await ShredEveryQueueAsync(broker, personId, ct);
            }
            finally
            {
                if (acrossInstances is not null)
                {
                    await acrossInstances.DisposeAsync();
                }
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<int> ShredEveryQueueAsync(Uri broker, Guid personId, CancellationToken ct)
    {
        var factory = new ConnectionFactory { Uri = broker, ClientProvidedName = "referrals-dead-letter-shredder" };
        await using var connection = await factory.CreateConnectionAsync(ct);
        var removed = 0;
        foreach (var queue in registry.Endpoints.SelectMany(e => Suffixes.Select(s => e.Queue + s)))
        {
            removed += await ShredQueueAsync(connection, queue, personId, ct);
        }

        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} dead-lettered messages of an erased person", removed);
        }

        return removed;
    }

    /// <summary>
    /// A PostgreSQL advisory lock named by the virtual host and the service's queues, held on its own connection until the
    /// shredding ends (the erasure's own transaction is still open meanwhile, so it cannot be a transaction lock).
    /// </summary>
    private async Task<IAsyncDisposable?> LockAcrossInstancesAsync(Uri broker, CancellationToken ct)
    {
        if (dataSource is null)
        {
            return null;
        }

        var key = "referrals-dead-letter-shredder " + broker.AbsolutePath + " " +
                  string.Join(",", registry.Endpoints.Select(e => e.Queue).Order(StringComparer.Ordinal));
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand("select pg_advisory_lock(hashtextextended($1, 0))", connection);
            command.Parameters.AddWithValue(key);
            await command.ExecuteNonQueryAsync(ct);
            return new AdvisoryLock(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Released explicitly: the store's pooled connections are not reset on close, so a session lock would outlive it.</summary>
    private sealed class AdvisoryLock(NpgsqlConnection connection, string key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("select pg_advisory_unlock(hashtextextended($1, 0))", connection);
                command.Parameters.AddWithValue(key);
                await command.ExecuteNonQueryAsync();
            }
            catch
            {
                // A connection that survived the failed unlock would go back to the pool still holding the lock, and every
                // later erasure would wait on it for ever: discard the pool's connections rather than reuse it.
                NpgsqlConnection.ClearPool(connection);
                throw;
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static async Task<int> ShredQueueAsync(IConnection connection, string queue, Guid personId, CancellationToken ct)
    {
        // A passive declare of a missing queue closes the channel, so each queue gets its own.
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        uint count;
        try
        {
            count = (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return 0;
        }

        var person = personId.ToString("D");
        var removed = 0;
        for (var i = 0; i < count; i++)
        {
            var result = await channel.BasicGetAsync(queue, autoAck: false, ct);
            if (result is null)
            {
                break;
            }

            if (!Concerns(result, person))
            {
                // Back to the end of the same queue (the default exchange routes by queue name), properties unchanged.
                await channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties(result.BasicProperties), result.Body, ct);
            }
            else
            {
                removed++;
            }

            await channel.BasicAckAsync(result.DeliveryTag, multiple: false, ct);
        }

        return removed;
    }

    private static bool Concerns(BasicGetResult message, string person)
    {
        if (message.BasicProperties.Headers?.TryGetValue(MassTransitOutboxPublisher.PersonIdHeader, out var header) == true)
        {
            var value = header switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                _ => header?.ToString(),
            };
            if (string.Equals(value, person, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return Encoding.UTF8.GetString(message.Body.Span).Contains(person, StringComparison.OrdinalIgnoreCase);
    }
}
