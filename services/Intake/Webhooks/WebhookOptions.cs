namespace Referrals.Intake.Webhooks;

/// <summary>Configuration section <c>Intake:Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    /// <summary>Base64 key (at least 256 bits) from which every organisation's signing secret is derived. A secret in production.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Plain-http webhook URLs are refused unless this is set (development and tests only). Production requires https.</summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>Delays before attempts 2, 3, … (seconds); after the last one the delivery is abandoned.</summary>
    public int[] RetryDelaysSeconds { get; set; } = [30, 120, 600, 3600, 21600];

    public int TimeoutSeconds { get; set; } = 10;
}
