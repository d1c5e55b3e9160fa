using Referrals.EventStore;

namespace Referrals.GpRecords.Delivering;

/// <summary>Operators' view of one delivery (no personal data): behind the parked-deliveries API.</summary>
public sealed class DeliveryStatusDocument
{
    public Guid Id { get; set; }

    public Guid JourneyId { get; set; }

    public int Sequence { get; set; }

    public string PracticeOds { get; set; } = "";

    public DeliveryState State { get; set; }

    public int Attempts { get; set; }

    public string? LastReason { get; set; }

    public IReadOnlyList<string> MessageKinds { get; set; } = [];

    public int ResourceCount { get; set; }

    public DateTimeOffset QueuedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }
}

public sealed class DeliveryStatusProjection : MultiStreamProjection<DeliveryStatusDocument, Guid>
{
    public DeliveryStatusProjection()
    {
        Identity<DeliveryQueued>(e => e.DeliveryId);
        Identity<DeliveryAttemptFailed>(e => e.DeliveryId);
        Identity<DeliveryAccepted>(e => e.DeliveryId);
        Identity<DeliveryFiled>(e => e.DeliveryId);
        Identity<DeliveryParked>(e => e.DeliveryId);
        Identity<DeliveryWithheld>(e => e.DeliveryId);
        Identity<DeliveryReplayRequested>(e => e.DeliveryId);
    }

    public DeliveryStatusDocument Create(DeliveryQueued e) => new()
    {
        Id = e.DeliveryId,
        JourneyId = e.JourneyId,
        Sequence = e.Sequence,
        PracticeOds = e.PracticeOds,
        State = DeliveryState.Queued,
        MessageKinds = e.MessageKinds,
        ResourceCount = e.Entries?.Count ?? 0,
        QueuedAt = e.QueuedAt,
        UpdatedAt = e.QueuedAt,
    };

    public DeliveryStatusDocument Apply(DeliveryAttemptFailed e, DeliveryStatusDocument d) =>
        Set(d, DeliveryState.Retrying, e.FailedAt, e.Reason, e.Attempt, e.NextAttemptAt);

    public DeliveryStatusDocument Apply(DeliveryAccepted e, DeliveryStatusDocument d) =>
        Set(SentTo(d, e.PracticeOds), DeliveryState.Accepted, e.AcceptedAt, null, d.Attempts, null);

    public DeliveryStatusDocument Apply(DeliveryFiled e, DeliveryStatusDocument d) => Set(d, DeliveryState.Filed, e.FiledAt, null, d.Attempts, null);

    public DeliveryStatusDocument Apply(DeliveryParked e, DeliveryStatusDocument d) =>
        Set(SentTo(d, e.PracticeOds), DeliveryState.Parked, e.ParkedAt, e.Reason, e.Attempts, null);

    public DeliveryStatusDocument Apply(DeliveryWithheld e, DeliveryStatusDocument d) => Set(d, DeliveryState.Withheld, e.WithheldAt, e.Reason, d.Attempts, null);

    public DeliveryStatusDocument Apply(DeliveryReplayRequested e, DeliveryStatusDocument d) => Set(d, DeliveryState.Queued, e.RequestedAt, d.LastReason, 0, null);

    /// <summary>A delivery queued before the person moved shows the practice it actually went to.</summary>
    private static DeliveryStatusDocument SentTo(DeliveryStatusDocument d, string? practiceOds)
    {
        d.PracticeOds = practiceOds ?? d.PracticeOds;
        return d;
    }

    private static DeliveryStatusDocument Set(DeliveryStatusDocument d, DeliveryState state, DateTimeOffset at, string? reason, int attempts, DateTimeOffset? next)
    {
        d.State = state;
        d.UpdatedAt = at;
        d.LastReason = reason;
        d.Attempts = attempts;
        d.NextAttemptAt = next;
        return d;
    }
}
