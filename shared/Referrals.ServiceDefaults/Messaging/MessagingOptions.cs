namespace Referrals.ServiceDefaults.Messaging;

/// <summary>Consumer settings from configuration (section "Messaging").</summary>
public sealed class MessagingOptions
{
    /// <summary>
    /// Used when no intervals are configured. The first retries come quickly because most failures clear at once: a
    /// concurrency conflict with a transaction that has just committed, or a message overtaken by one about to be handled.
    /// </summary>
    public static readonly IReadOnlyList<int> DefaultRetryIntervalsMilliseconds = [10, 50, 250, 1000, 2000, 5000, 10000];

    /// <summary>Unacknowledged messages a receive endpoint holds.</summary>
    public int PrefetchCount { get; set; } = 16;

    /// <summary>Messages a consumer processes at once.</summary>
    public int ConcurrentMessageLimit { get; set; } = 8;

    /// <summary>
    /// Configured in-process retry intervals, after which the message moves to the endpoint's <c>_error</c> queue (or, when
    /// it arrived before a message it depends on, to its <c>_waiting</c> queue: <see cref="OutOfOrderWaitingRoom"/>). Empty by
    /// default: configuration binding appends to an array property's initial value, so a non-empty default would be
    /// extended rather than replaced. <see cref="RetryIntervals"/> applies the default.
    /// </summary>
    public int[] RetryIntervalsMilliseconds { get; set; } = [];

    /// <summary>
    /// How long a message that arrived before one it depends on waits in its queue's <c>_waiting</c> queue, once the
    /// in-process retries are spent, before it comes back to its queue.
    /// </summary>
    public int OutOfOrderWaitMilliseconds { get; set; } = 60_000;

    /// <summary>How many times such a message waits before it fails into <c>_error</c>: a day at the default wait.</summary>
    public int OutOfOrderWaitRounds { get; set; } = 1_440;

    /// <summary>The intervals in force: the configured ones, or <see cref="DefaultRetryIntervalsMilliseconds"/> when none are.</summary>
    public int[] RetryIntervals => RetryIntervalsMilliseconds is { Length: > 0 } configured
        ? configured
        : [.. DefaultRetryIntervalsMilliseconds];
}
