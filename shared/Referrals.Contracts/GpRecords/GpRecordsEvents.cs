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

    /// <summary>
    /// The delivery's place in its journey's queue (gp-records numbers a journey's deliveries in order and tries each only once
    /// every earlier one is done), so a consumer orders reports by it rather than by instances' clocks. Null from older senders.
    /// </summary>
    public int? Sequence { get; init; }
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

    /// <summary>
    /// The delivery's place in its journey's queue (gp-records numbers a journey's deliveries in order and tries each only once
    /// every earlier one is done), so a consumer orders reports by it rather than by instances' clocks. Null from older senders.
    /// </summary>
    public int? Sequence { get; init; }
}

/// <summary>
/// A delivery that had been reported parked (<see cref="GpRecordDeliveryParked"/>) was withheld: nothing more of it will be
/// sent, so it no longer holds the journey back. Published only for a delivery that had been parked. Ids and a reason category
/// (<see cref="GpRecordDeliveryWithheldReasons"/>) only: no personal data (the person's id, as on every integration event, lets an
/// erasure find it in the error queues).
/// </summary>
public sealed record GpRecordDeliveryWithheld(
    Guid DeliveryId,
    Guid JourneyId,
    Guid PersonId,
    int Sequence,
    string ReasonCategory,
    DateTimeOffset WithheldAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>
/// A delivery that had been reported parked (<see cref="GpRecordDeliveryParked"/>) was accepted by the practice's system after a
/// replay, so it no longer holds the journey back; published beside <see cref="GpRecordDeliveryAccepted"/>, only for such a
/// delivery, so a consumer that cares only about parks hears nothing on the normal path. A journey's deliveries are sent in
/// order and none while one is parked, so a park ends either by this or by <see cref="GpRecordDeliveryWithheld"/>; and one of
/// sequence s means every delivery of the journey up to s is done. Ids, the practice's code and the time only: no personal data
/// (the person's id, as on every integration event, lets an erasure find it in the error queues).
/// </summary>
public sealed record GpRecordParkedDeliveryAccepted(
    Guid DeliveryId,
    Guid JourneyId,
    Guid PersonId,
    string PracticeOds,
    int Sequence,
    DateTimeOffset AcceptedAt) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

/// <summary>Why gp-records withheld a delivery, as a category.</summary>
public static class GpRecordDeliveryWithheldReasons
{
    /// <summary>The person's consent does not allow it (scope none).</summary>
    public const string Consent = "consent";

    /// <summary>A later delivery sends every resource of the journey (after a move, or a widening of consent).</summary>
    public const string Superseded = "superseded";

    /// <summary>The person's data was erased.</summary>
    public const string Erased = "erased";

    /// <summary>Nothing in it is within the consent scope.</summary>
    public const string OutOfScope = "out-of-scope";
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
