namespace Referrals.Contracts.GpRecords;

/// <summary>The practice's system accepted a delivery for processing (infrastructure acknowledgement).</summary>
public sealed record GpRecordDeliveryAccepted(
    Guid DeliveryId,
    Guid JourneyId,
    Guid PersonId,
    string PracticeOds,
    DateTimeOffset AcceptedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>The entry was filed to the person's record at the practice (business acknowledgement).</summary>
public sealed record GpRecordFiled(
    Guid DeliveryId,
    Guid JourneyId,
    Guid PersonId,
    string PracticeOds,
    DateTimeOffset FiledAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>A delivery kept failing and is parked; later deliveries of the journey wait behind it.</summary>
public sealed record GpRecordDeliveryParked(
    Guid DeliveryId,
    Guid JourneyId,
    Guid PersonId,
    string PracticeOds,
    string Reason,
    DateTimeOffset ParkedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>A message back to the GP and referrer (agreement, decline or closure) was sent.</summary>
public sealed record GpMessageSent(
    Guid JourneyId,
    Guid PersonId,
    string Kind,
    string PracticeOds,
    string? ReferrerOrganisationId,
    DateTimeOffset SentAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}
