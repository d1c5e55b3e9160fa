namespace Referrals.Intake.Webhooks;

/// <summary>Configuration section <c>Intake:Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    /// <summary>Base64 key (at least 256 bits) from which every organisation's signing secret is derived. A secret in production.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Plain-http webhook URLs are refused unless this is set (development and tests only). Production requires https.</summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// Webhook URLs may point at loopback, private, link-local and other internal addresses only if this is set
    /// (development and tests, whose receivers listen on 127.0.0.1). Production refuses them at registration and, after
    /// DNS, at every send (<see cref="WebhookAddresses"/>).
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    public static readonly IReadOnlyList<int> DefaultRetryDelaysSeconds = [30, 120, 600, 3600, 21600];

    /// <summary>
    /// Delays before attempts 2, 3, … (seconds); after the last one the delivery is abandoned. Unset means
    /// <see cref="DefaultRetryDelaysSeconds"/> (30 s, 2 min, 10 min, 1 h, 6 h). (Nullable so that configuration replaces
    /// the list rather than appending to a default.)
    /// </summary>
    public int[]? RetryDelaysSeconds { get; set; }

    public IReadOnlyList<int> Delays => RetryDelaysSeconds is { Length: > 0 } delays ? delays : DefaultRetryDelaysSeconds;

    public int TimeoutSeconds { get; set; } = 10;
}
