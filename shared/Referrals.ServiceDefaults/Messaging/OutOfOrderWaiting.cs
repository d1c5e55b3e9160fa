using System.Diagnostics.Metrics;
using System.Text;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using Referrals.ServiceDefaults.Telemetry;

namespace Referrals.ServiceDefaults.Messaging;

/// <summary>
/// Where a message that arrived before one it depends on waits once the in-process retries are spent. After a service's
/// outage its queues drain at different speeds, so a correction can come off its queue long before the referral it
/// corrects comes off another; failing it into <c>_error</c> after seconds would leave it for an operator. Instead it
/// goes, unchanged (same body, message id and headers), to its queue's <c>_waiting</c> queue, which dead-letters it back
/// to the queue when its expiry passes: RabbitMQ's own time-to-live, as there is no delayed-message plugin. Each round
/// is counted in a header; after the configured rounds it fails into <c>_error</c> as any other failure does.
/// </summary>
public sealed class OutOfOrderWaitingRoom(IConfiguration configuration, IOptions<MessagingOptions> options, ILogger<OutOfOrderWaitingRoom> logger)
    : IAsyncDisposable
{
    public const string Suffix = "_waiting";
    public const string RoundsHeader = "referrals-out-of-order-rounds";

    private static readonly Counter<long> Waits = ReferralsTelemetry.Meter.CreateCounter<long>(
        "referrals.messages_waiting_out_of_order", "{message}", "Messages sent to wait for one they depend on");

    private static readonly Counter<long> GaveUp = ReferralsTelemetry.Meter.CreateCounter<long>(
        "referrals.messages_out_of_order_gave_up", "{message}", "Messages still out of order after every round, failed into _error");

    private readonly MessagingOptions _options = options.Value;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private IChannel? _channel;

    /// <summary>How many times the message has waited already (0 on its first arrival).</summary>
    public static int RoundsOf(ReceiveContext receive)
    {
        if (!receive.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit)
            || rabbit.Properties.Headers?.TryGetValue(RoundsHeader, out var value) != true)
        {
            return 0;
        }

        return value switch
        {
            int n => n,
            long n => (int)n,
            byte[] bytes when int.TryParse(Encoding.UTF8.GetString(bytes), out var n) => n,
            _ => 0,
        };
    }

    /// <summary>False once the message has waited every round: it then fails like any other message.</summary>
    public bool MayWait(ConsumeContext context, out int rounds)
    {
        rounds = RoundsOf(context.ReceiveContext);
        if (rounds < _options.OutOfOrderWaitRounds)
        {
            return true;
        }

        GaveUp.Add(1, new KeyValuePair<string, object?>("queue", QueueOf(context)));
        logger.LogError("{MessageType} {MessageId} is still out of order after {Rounds} rounds of waiting; it fails into the error queue of {Queue}",
            MessageTypeOf(context), context.MessageId, rounds, QueueOf(context));
        return false;
    }

    /// <summary>Sends the message as received to its queue's waiting queue, confirmed by the broker before it is acknowledged here.</summary>
    public async Task WaitAsync(ConsumeContext context, int rounds, CancellationToken ct)
    {
        if (!context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit))
        {
            throw new InvalidOperationException("Only a message received from RabbitMQ can wait in a waiting queue.");
        }

        var queue = QueueOf(context);
        var waiting = queue + Suffix;
        var properties = new BasicProperties(rabbit.Properties)
        {
            Expiration = _options.OutOfOrderWaitMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        properties.Headers = new Dictionary<string, object?>(properties.Headers ?? new Dictionary<string, object?>())
        {
            [RoundsHeader] = rounds + 1,
        };

        await _gate.WaitAsync(ct);
        try
        {
            var channel = await ChannelAsync(ct);
            // Declared on every wait (waits are rare, the declare idempotent): a waiting queue deleted since the last wait
            // (by an operator, or a reset virtual host) would return the mandatory publish, and a wait happens on the
            // message's last attempt, so it would fail into the error queue instead of waiting. Expired messages go back
            // through the default exchange to the queue they came from; RabbitMQ drops the expiry when it dead-letters, so
            // the message does not expire again there.
            await channel.QueueDeclareAsync(waiting, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-dead-letter-exchange"] = "", ["x-dead-letter-routing-key"] = queue },
                cancellationToken: ct);

            await channel.BasicPublishAsync("", waiting, mandatory: true, properties, context.ReceiveContext.Body.GetBytes(), ct);
        }
        catch
        {
            // A broken channel or connection is rebuilt on the next wait; the message itself is not acknowledged and comes back.
            await ResetAsync();
            throw;
        }
        finally
        {
            _gate.Release();
        }

        Waits.Add(1, new KeyValuePair<string, object?>("queue", queue));
        logger.LogWarning("{MessageType} {MessageId} arrived before a message it depends on; it waits {Wait} ms in {WaitingQueue} (round {Round} of {Rounds})",
            MessageTypeOf(context), context.MessageId, _options.OutOfOrderWaitMilliseconds, waiting, rounds + 1, _options.OutOfOrderWaitRounds);
    }

    private async Task<IChannel> ChannelAsync(CancellationToken ct)
    {
        if (_channel is { IsOpen: true })
        {
            return _channel;
        }

        await ResetAsync();
        var factory = new ConnectionFactory
        {
            Uri = new Uri(configuration.GetConnectionString("RabbitMq") ?? throw new InvalidOperationException("ConnectionStrings:RabbitMq is not set.")),
            ClientProvidedName = "referrals-out-of-order-waiting",
        };
        _connection = await factory.CreateConnectionAsync(ct);
        _channel = await _connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        return _channel;
    }

    private async Task ResetAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
            _channel = null;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    private static string QueueOf(ConsumeContext context) => context.ReceiveContext.InputAddress.AbsolutePath.Split('/')[^1];

    private static string MessageTypeOf(ConsumeContext context) =>
        context.SupportedMessageTypes.FirstOrDefault()?.Split(':')[^1] ?? "message";

    public async ValueTask DisposeAsync()
    {
        await ResetAsync();
        _gate.Dispose();
    }
}

/// <summary>
/// Inside the retry filter: on the last in-process attempt, a <see cref="MessageOutOfOrderException"/> sends the message
/// to wait instead of failing it. Nothing of the attempt was committed (the consumer's transaction rolled back). The
/// message then counts as consumed here, so it is acknowledged and not also moved to <c>_skipped</c>.
/// </summary>
public sealed class OutOfOrderWaitingFilter<TMessage>(OutOfOrderWaitingRoom room, int inProcessRetries) : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
    public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await next.Send(context);
        }
        catch (MessageOutOfOrderException) when (context.GetRetryAttempt() >= inProcessRetries && room.MayWait(context, out var rounds))
        {
            await room.WaitAsync(context, rounds, context.CancellationToken);
            await context.NotifyConsumed(context, System.Diagnostics.Stopwatch.GetElapsedTime(started), nameof(OutOfOrderWaitingRoom));
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("outOfOrderWaiting");
}
