using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Referrals.Testing;

/// <summary>
/// A RabbitMQ virtual host of its own for one test (class), created through the management API with full
/// permissions for the test user. <see cref="AmqpUri"/> points at it (give it to MassTransit or RabbitMQ.Client).
/// Disposing deletes the virtual host with everything in it.
/// </summary>
public sealed class IsolatedRabbitVirtualHost : IAsyncDisposable
{
    private readonly RabbitManagementClient _management;
    private int _disposed;

    private IsolatedRabbitVirtualHost(InfrastructureEndpoints endpoints, string name)
    {
        _management = RabbitManagementClient.Create(endpoints);
        Name = name;
        AmqpUri = new UriBuilder(endpoints.RabbitMqUri) { Path = "/" + Uri.EscapeDataString(name) }.Uri;
    }

    /// <summary>The virtual host's name.</summary>
    public string Name { get; }

    /// <summary>amqp://user:password@host:port/&lt;vhost&gt;.</summary>
    public Uri AmqpUri { get; }

    /// <summary>The management API client (same credentials), for anything the helpers below do not cover.</summary>
    public RabbitManagementClient Management => _management;

    public static async Task<IsolatedRabbitVirtualHost> CreateAsync(
        InfrastructureEndpoints endpoints, string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var vhost = new IsolatedRabbitVirtualHost(endpoints, IsolatedNames.Create(prefix));
        try
        {
            await vhost._management.CreateVirtualHostAsync(vhost.Name, cancellationToken);
            await vhost._management.GrantFullPermissionsAsync(vhost.Name, vhost._management.UserName, cancellationToken);
            return vhost;
        }
        catch
        {
            await vhost.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The number of ready messages in <paramref name="queue"/>, exact and current (AMQP passive declare; the
    /// management API's counts lag). Throws <see cref="InvalidOperationException"/> if the queue does not exist.
    /// </summary>
    public async Task<uint> GetQueueMessageCountAsync(string queue, CancellationToken cancellationToken = default)
    {
        var factory = new ConnectionFactory { Uri = AmqpUri, ClientProvidedName = "referrals-tests-inspect" };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            var ok = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            return ok.MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            throw new InvalidOperationException($"Queue '{queue}' does not exist in virtual host '{Name}'.", e);
        }
    }

    /// <summary>Waits until <paramref name="queue"/> exists and holds at least <paramref name="expected"/> ready messages.</summary>
    public async Task<uint> WaitForQueueMessageCountAsync(
        string queue, uint expected, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            uint count = 0;
            if (await _management.QueueExistsAsync(Name, queue, cancellationToken))
            {
                count = await GetQueueMessageCountAsync(queue, cancellationToken);
                if (count >= expected)
                {
                    return count;
                }
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(
                    $"Queue '{queue}' in '{Name}' has {count} ready messages after {timeout}; expected at least {expected}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>The queues of this virtual host (message counts from the management statistics, which lag).</summary>
    public Task<IReadOnlyList<RabbitQueueInfo>> ListQueuesAsync(CancellationToken cancellationToken = default) =>
        _management.ListQueuesAsync(Name, cancellationToken);

    /// <summary>
    /// Payloads of up to <paramref name="count"/> messages from <paramref name="queue"/>, read with ackmode
    /// ack_requeue_true (they stay in the queue).
    /// </summary>
    public async Task<IReadOnlyList<string>> GetMessagesAsync(string queue, int count, CancellationToken cancellationToken = default) =>
        (await _management.PeekMessagesAsync(Name, queue, count, cancellationToken)).Select(m => m.Payload).ToList();

    /// <summary>Like <see cref="GetMessagesAsync"/> but with exchange, routing key and properties (headers).</summary>
    public Task<IReadOnlyList<RabbitMessage>> PeekMessagesAsync(string queue, int count, CancellationToken cancellationToken = default) =>
        _management.PeekMessagesAsync(Name, queue, count, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _management.DeleteVirtualHostAsync(Name, CancellationToken.None);
        }
        finally
        {
            _management.Dispose();
        }
    }
}
