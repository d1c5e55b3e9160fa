using Referrals.Contracts;

namespace Referrals.GpRecords.Delivering;

/// <summary>
/// One resource of a delivery, rendered in both consent scopes when it is produced: <see cref="FullJson"/> for full
/// sharing, <see cref="CodedJson"/> (null when the resource has no coded-only form) for coded-only sharing. The sender
/// picks one at send time.
/// </summary>
public sealed record DeliveryEntry(
    string ResourceType,
    string Id,
    string FullJson,
    string? CodedJson,
    DateTimeOffset? ClinicalDate,
    bool ConditionalCreate);

/// <summary>Changed resources of a journey were queued for the registered practice (stream: the journey's delivery queue).</summary>
public sealed record DeliveryQueued(
    Guid QueueId,
    Guid JourneyId,
    Guid PersonId,
    Guid DeliveryId,
    int Sequence,
    string PracticeOds,
    IReadOnlyList<string> MessageKinds,
    string? ReferrerOrganisationId,
    [property: PersonalData] IReadOnlyList<DeliveryEntry>? Entries,
    DateTimeOffset QueuedAt)
{
    /// <summary>
    /// The delivery carries every current resource of the journey (its first, or the first after a
    /// <see cref="Recording.ProductionReset"/>), so it supersedes the deliveries queued before it that are not sent yet.
    /// False in deliveries queued before this was recorded.
    /// </summary>
    public bool Complete { get; init; }
}

/// <summary>The consent scope that governs what may be sent, as of <see cref="ChangedAt"/>.</summary>
public sealed record SharingScopeChanged(Guid QueueId, Guid JourneyId, Guid PersonId, ConsentScope Scope, DateTimeOffset ChangedAt);

public sealed record DeliveryAttemptFailed(
    Guid QueueId,
    Guid JourneyId,
    Guid PersonId,
    Guid DeliveryId,
    int Attempt,
    string Reason,
    DateTimeOffset FailedAt,
    DateTimeOffset NextAttemptAt);

/// <summary>
/// Infrastructure acknowledgement: the practice system accepted the delivery for processing. <see cref="PracticeOds"/> is
/// the practice it went to (null in events recorded before deliveries followed a move: the practice it was queued for).
/// </summary>
public sealed record DeliveryAccepted(
    Guid QueueId,
    Guid JourneyId,
    Guid PersonId,
    Guid DeliveryId,
    string Transport,
    ConsentScope SentUnder,
    int ResourceCount,
    DateTimeOffset AcceptedAt,
    string? PracticeOds = null);

/// <summary>Business acknowledgement: the entries were filed to the person's record at the practice.</summary>
public sealed record DeliveryFiled(Guid QueueId, Guid JourneyId, Guid PersonId, Guid DeliveryId, DateTimeOffset FiledAt);

/// <summary>
/// The delivery failed for good (rejected, or out of retries) at <see cref="PracticeOds"/> (null in older events: the
/// practice it was queued for). Later deliveries of the journey wait behind it.
/// </summary>
public sealed record DeliveryParked(Guid QueueId, Guid JourneyId, Guid PersonId, Guid DeliveryId, int Attempts, string Reason, DateTimeOffset ParkedAt,
    string? PracticeOds = null);

/// <summary>Nothing of the delivery was sent, for the reason given (consent, erasure). It no longer holds the journey back.</summary>
public sealed record DeliveryWithheld(Guid QueueId, Guid JourneyId, Guid PersonId, Guid DeliveryId, string Reason, DateTimeOffset WithheldAt);

/// <summary>An operator asked for a parked delivery to be tried again.</summary>
public sealed record DeliveryReplayRequested(Guid QueueId, Guid JourneyId, Guid PersonId, Guid DeliveryId, string RequestedBy, DateTimeOffset RequestedAt);
