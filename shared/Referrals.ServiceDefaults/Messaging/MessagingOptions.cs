namespace Referrals.ServiceDefaults.Messaging;

/// <summary>Consumer settings from configuration (section "Messaging").</summary>
public sealed class MessagingOptions
{
    /// <summary>Unacknowledged messages a receive endpoint holds.</summary>
    public int PrefetchCount { get; set; } = 16;

    /// <summary>Messages a consumer processes at once.</summary>
    public int ConcurrentMessageLimit { get; set; } = 8;

    /// <summary>In-process retry intervals, after which the message moves to the endpoint's <c>_error</c> queue.</summary>
    public int[] RetryIntervalsMilliseconds { get; set; } = [100, 500, 1000, 2000, 5000, 10000];
}
