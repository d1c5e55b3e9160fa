using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Referrals.Testing.Hosting;

/// <summary>A message a probe saw: its MassTransit envelope id, the deserialized body and its headers.</summary>
public sealed record ProbedMessage(Guid MessageId, object Message, IReadOnlyDictionary<string, JsonElement> Headers);

/// <summary>
/// Watches what services publish: a temporary queue bound to the MassTransit exchanges of the given message types.
/// Create it before the traffic it should see.
/// </summary>
public sealed class MessageProbe : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly Dictionary<string, Type> _types;
    private readonly ConcurrentQueue<ProbedMessage> _messages = new();

    private MessageProbe(IConnection connection, IChannel channel, Dictionary<string, Type> types)
    {
        _connection = connection;
        _channel = channel;
        _types = types;
    }

    public IReadOnlyList<ProbedMessage> Messages => _messages.ToArray();

    public IReadOnlyList<T> All<T>() => _messages.Select(m => m.Message).OfType<T>().ToList();

    public static string ExchangeFor(Type type) => $"{type.Namespace}:{type.Name}";

    public static async Task<MessageProbe> CreateAsync(Uri virtualHost, params Type[] types)
    {
        var factory = new ConnectionFactory { Uri = virtualHost, ClientProvidedName = "referrals-tests-probe" };
        var connection = await factory.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        var map = new Dictionary<string, Type>();
        foreach (var type in types)
        {
            var exchange = ExchangeFor(type);
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
            await channel.QueueBindAsync(queue, exchange, "");
            map[$"urn:message:{exchange}"] = type;
        }

        var probe = new MessageProbe(connection, channel, map);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            probe.Accept(delivery.Body.ToArray());
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return probe;
    }

    private void Accept(byte[] body)
    {
        using var envelope = JsonDocument.Parse(Encoding.UTF8.GetString(body));
        var root = envelope.RootElement;
        var type = root.GetProperty("messageType").EnumerateArray().Select(t => _types.GetValueOrDefault(t.GetString()!)).FirstOrDefault(t => t is not null);
        if (type is null)
        {
            return;
        }

        var headers = root.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object
            ? h.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())
            : new Dictionary<string, JsonElement>();
        var message = root.GetProperty("message").Deserialize(type, Json)!;
        _messages.Enqueue(new ProbedMessage(Guid.Parse(root.GetProperty("messageId").GetString()!), message, headers));
    }

    /// <summary>Waits until a message of type T matching the predicate arrives.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool>? predicate = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var found = All<T>().FirstOrDefault(m => predicate?.Invoke(m) ?? true);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"No {typeof(T).Name} arrived in time.");
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
