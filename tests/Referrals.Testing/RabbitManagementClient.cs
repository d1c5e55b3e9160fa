using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Referrals.Testing;

/// <summary>A queue as listed by the management API. <see cref="Messages"/> comes from statistics that lag
/// by up to the statistics interval (1 s on the local node, 5 s by default); null until first collected.</summary>
public sealed record RabbitQueueInfo(string Name, long? Messages, bool Durable);

/// <summary>A message read through the management API (POST /api/queues/{vhost}/{queue}/get).</summary>
/// <param name="Payload">The body as text (base64-decoded to UTF-8 if the server sent it as base64).</param>
/// <param name="Properties">The AMQP properties, including <c>headers</c> (e.g. MassTransit's MT-Fault-*).</param>
public sealed record RabbitMessage(string Payload, string Exchange, string RoutingKey, bool Redelivered, JsonElement Properties)
{
    /// <summary>A header value as text, or null when absent.</summary>
    public string? GetHeader(string name) =>
        Properties.ValueKind == JsonValueKind.Object
        && Properties.TryGetProperty("headers", out var headers)
        && headers.ValueKind == JsonValueKind.Object
        && headers.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}

/// <summary>Thin client for the parts of the RabbitMQ management HTTP API that tests need.</summary>
public sealed class RabbitManagementClient : IDisposable
{
    private readonly HttpClient _http;

    public RabbitManagementClient(Uri managementUri, string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(managementUri);
        UserName = userName;
        _http = new HttpClient { BaseAddress = managementUri, Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{userName}:{password}")));
    }

    public string UserName { get; }

    public static RabbitManagementClient Create(InfrastructureEndpoints endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return new RabbitManagementClient(endpoints.RabbitMqManagementUri, endpoints.RabbitMqUserName, endpoints.RabbitMqPassword);
    }

    public async Task CreateVirtualHostAsync(string vhost, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PutAsJsonAsync($"api/vhosts/{Escape(vhost)}", new { description = "test" }, cancellationToken);
        await EnsureSuccessAsync(response, $"create virtual host {vhost}");
    }

    public async Task DeleteVirtualHostAsync(string vhost, CancellationToken cancellationToken = default)
    {
        using var response = await _http.DeleteAsync($"api/vhosts/{Escape(vhost)}", cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, $"delete virtual host {vhost}");
        }
    }

    public async Task<bool> VirtualHostExistsAsync(string vhost, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync($"api/vhosts/{Escape(vhost)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, $"read virtual host {vhost}");
        return true;
    }

    /// <summary>Gives <paramref name="user"/> configure/write/read ".*" on <paramref name="vhost"/>.</summary>
    public async Task GrantFullPermissionsAsync(string vhost, string user, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PutAsJsonAsync(
            $"api/permissions/{Escape(vhost)}/{Escape(user)}",
            new { configure = ".*", write = ".*", read = ".*" },
            cancellationToken);
        await EnsureSuccessAsync(response, $"set permissions of {user} on {vhost}");
    }

    public async Task<IReadOnlyList<RabbitQueueInfo>> ListQueuesAsync(string vhost, CancellationToken cancellationToken = default)
    {
        using var document = await GetJsonAsync($"api/queues/{Escape(vhost)}?columns=name,messages,durable", cancellationToken);
        return document.RootElement.EnumerateArray()
            .Select(queue => new RabbitQueueInfo(
                queue.GetProperty("name").GetString() ?? string.Empty,
                queue.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Number ? messages.GetInt64() : null,
                queue.TryGetProperty("durable", out var durable) && durable.ValueKind == JsonValueKind.True))
            .ToList();
    }

    public async Task<bool> QueueExistsAsync(string vhost, string queue, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync($"api/queues/{Escape(vhost)}/{Escape(queue)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, $"read queue {queue}");
        return true;
    }

    /// <summary>
    /// Reads up to <paramref name="count"/> messages and puts them back (ackmode ack_requeue_true): inspecting an
    /// error queue leaves it as it was (the messages are marked redelivered).
    /// </summary>
    public async Task<IReadOnlyList<RabbitMessage>> PeekMessagesAsync(
        string vhost, string queue, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        using var response = await _http.PostAsJsonAsync(
            $"api/queues/{Escape(vhost)}/{Escape(queue)}/get",
            new { count, ackmode = "ack_requeue_true", encoding = "auto", truncate = 1_000_000 },
            cancellationToken);
        await EnsureSuccessAsync(response, $"get messages from {queue}");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return document.RootElement.EnumerateArray().Select(ToMessage).ToList();
    }

    /// <summary>GET of any API path (relative, e.g. "api/overview"), as a JSON document.</summary>
    public async Task<JsonDocument> GetJsonAsync(string relativePath, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(relativePath, cancellationToken);
        await EnsureSuccessAsync(response, $"GET {relativePath}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Escapes a path segment: "/" becomes %2F as the API expects.</summary>
    public static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static RabbitMessage ToMessage(JsonElement message)
    {
        var payload = message.GetProperty("payload").GetString() ?? string.Empty;
        if (message.TryGetProperty("payload_encoding", out var encoding) && encoding.GetString() == "base64")
        {
            payload = Encoding.UTF8.GetString(Convert.FromBase64String(payload));
        }

        return new RabbitMessage(
            payload,
            message.TryGetProperty("exchange", out var exchange) ? exchange.GetString() ?? string.Empty : string.Empty,
            message.TryGetProperty("routing_key", out var routingKey) ? routingKey.GetString() ?? string.Empty : string.Empty,
            message.TryGetProperty("redelivered", out var redelivered) && redelivered.ValueKind == JsonValueKind.True,
            message.TryGetProperty("properties", out var properties) ? properties.Clone() : default);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string action)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException(
                $"RabbitMQ management API: could not {action}: {(int)response.StatusCode} {response.ReasonPhrase} {body}");
        }
    }
}
