using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Referrals.Intake.Referrals;

namespace Referrals.Intake.Webhooks;

/// <summary>
/// The body pushed to a webhook: which referral, its status now, and ordering; for an escalation notice also which
/// escalation and step (the statement itself is read with <c>GET /referrals/{id}</c>). Nothing about the person.
/// </summary>
public sealed record WebhookPayload(
    string Type,
    Guid DeliveryId,
    Guid ReferralId,
    ReferralStatus Status,
    bool Escalated,
    long Sequence,
    DateTimeOffset OccurredAt)
{
    public const string StatusChanged = "referral.status-changed";

    public const string EscalationNoticeType = "referral.escalation-notice";

    /// <summary>Only on <see cref="EscalationNoticeType"/> pushes (left out of status changes, whose shape is unchanged).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EscalationNoticePush? EscalationNotice { get; init; }

    public static WebhookPayload For(WebhookDelivery delivery) =>
        new(delivery.EscalationNotice is null ? StatusChanged : EscalationNoticeType, delivery.Id, delivery.ReferralId, delivery.Status,
            delivery.Escalated, delivery.Sequence, delivery.OccurredAt)
        {
            EscalationNotice = delivery.EscalationNotice,
        };
}

/// <summary>One attempt's outcome; <paramref name="Permanent"/> when trying again cannot help (the address is refused).</summary>
public sealed record WebhookAttemptResult(bool Success, int? StatusCode, string? Error, bool Permanent = false);

/// <summary>
/// POSTs one signed payload. Redirects are not followed; any non-2xx answer, timeout or network error is a failure, and a
/// host with no public address (<see cref="WebhookConnector"/>) a permanent one.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, WebhookSecrets secrets, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string ClientName = "webhooks";

    private static readonly JsonSerializerOptions Json = CreateJson();

    public static string Serialize(WebhookPayload payload) => JsonSerializer.Serialize(payload, Json);

    public async Task<WebhookAttemptResult> SendAsync(WebhookSubscription subscription, WebhookDelivery delivery, CancellationToken ct)
    {
        var body = Serialize(WebhookPayload.For(delivery));
        var id = delivery.Id.ToString();
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature",
            WebhookSecrets.Sign(secrets.KeyFor(subscription.OrganisationId, subscription.SecretVersion), id, timestamp, body));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new WebhookAttemptResult(true, status, null)
                : new WebhookAttemptResult(false, status, string.Create(CultureInfo.InvariantCulture, $"HTTP {status}"));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new WebhookAttemptResult(false, null, "Timed out");
        }
        catch (HttpRequestException ex) when (ex.InnerException is WebhookAddressRefusedException)
        {
            return new WebhookAttemptResult(false, null, WebhookAddressRefusedException.Reason, Permanent: true);
        }
        catch (HttpRequestException ex)
        {
            return new WebhookAttemptResult(false, null, "Network error: " + (ex.HttpRequestError.ToString()));
        }
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }
}
