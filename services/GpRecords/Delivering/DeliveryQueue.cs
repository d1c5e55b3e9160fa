using System.Collections.Immutable;
using Referrals.Contracts;

namespace Referrals.GpRecords.Delivering;

public enum DeliveryState
{
    Queued,
    Retrying,
    Accepted,
    Filed,
    Parked,
    Withheld,
}

public sealed record QueuedDelivery(
    Guid DeliveryId,
    int Sequence,
    string PracticeOds,
    IReadOnlyList<string> MessageKinds,
    string? ReferrerOrganisationId,
    IReadOnlyList<DeliveryEntry>? Entries,
    DeliveryState State,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    string? LastReason,
    int Replays = 0,
    bool Complete = false,
    bool ReportedParked = false)
{
    /// <summary>Done deliveries no longer hold the journey back.</summary>
    public bool IsDone => State is DeliveryState.Accepted or DeliveryState.Filed or DeliveryState.Withheld;
}

/// <summary>
/// A journey's deliveries to its registered practice, in order, with the consent scope the sender must honour
/// (stream id = <see cref="Recording.ResourceIds.DeliveryQueue"/> of the journey).
/// </summary>
public sealed record DeliveryQueue
{
    public Guid Id { get; init; }

    public Guid JourneyId { get; init; }

    public Guid PersonId { get; init; }

    /// <summary>No scope recorded yet means nothing may be sent.</summary>
    public ConsentScope Scope { get; init; } = ConsentScope.None;

    public DateTimeOffset? ScopeChangedAt { get; init; }

    public ImmutableList<QueuedDelivery> Deliveries { get; init; } = [];

    public QueuedDelivery? Find(Guid deliveryId) => Deliveries.Find(d => d.DeliveryId == deliveryId);

    /// <summary>Whether a delivery of the journey was accepted by <paramref name="practiceOds"/>.</summary>
    public bool WasSentTo(string practiceOds) =>
        Deliveries.Any(d => d.State is DeliveryState.Accepted or DeliveryState.Filed && string.Equals(d.PracticeOds, practiceOds, StringComparison.OrdinalIgnoreCase));

    public DeliveryQueue Apply(SharingScopeChanged e) => ScopeChangedAt is { } at && e.ChangedAt < at
        ? this
        : this with { Id = e.QueueId, JourneyId = e.JourneyId, PersonId = e.PersonId, Scope = e.Scope, ScopeChangedAt = e.ChangedAt };

    public DeliveryQueue Apply(DeliveryQueued e) => this with
    {
        Id = e.QueueId,
        JourneyId = e.JourneyId,
        PersonId = e.PersonId,
        Deliveries = Deliveries.Add(new QueuedDelivery(e.DeliveryId, e.Sequence, e.PracticeOds, e.MessageKinds, e.ReferrerOrganisationId,
            e.Entries, DeliveryState.Queued, 0, null, null, Complete: e.Complete)).Sort((a, b) => a.Sequence.CompareTo(b.Sequence)),
    };

    public DeliveryQueue Apply(DeliveryAttemptFailed e) =>
        Update(e.DeliveryId, d => d with { State = DeliveryState.Retrying, Attempts = e.Attempt, NextAttemptAt = e.NextAttemptAt, LastReason = e.Reason });

    public DeliveryQueue Apply(DeliveryAccepted e) =>
        Update(e.DeliveryId, d => d with { State = DeliveryState.Accepted, NextAttemptAt = null, PracticeOds = e.PracticeOds ?? d.PracticeOds });

    public DeliveryQueue Apply(DeliveryFiled e) => Update(e.DeliveryId, d => d with { State = DeliveryState.Filed });

    public DeliveryQueue Apply(DeliveryParked e) =>
        Update(e.DeliveryId, d => d with
        {
            State = DeliveryState.Parked, ReportedParked = true, Attempts = e.Attempts, NextAttemptAt = null, LastReason = e.Reason, PracticeOds = e.PracticeOds ?? d.PracticeOds,
        });

    public DeliveryQueue Apply(DeliveryWithheld e) =>
        Update(e.DeliveryId, d => d with { State = DeliveryState.Withheld, NextAttemptAt = null, LastReason = e.Reason });

    public DeliveryQueue Apply(DeliveryReplayRequested e) =>
        Update(e.DeliveryId, d => d with { State = DeliveryState.Queued, Attempts = 0, NextAttemptAt = null, Replays = d.Replays + 1 });

    private DeliveryQueue Update(Guid deliveryId, Func<QueuedDelivery, QueuedDelivery> change) => this with
    {
        Deliveries = Deliveries.Select(d => d.DeliveryId == deliveryId ? change(d) : d).ToImmutableList(),
    };
}
