namespace Referrals.Contracts.GpRecords;

/// <summary>
/// gp-records' own work item (published through its outbox, consumed only by gp-records): turn the journey's recorded
/// facts into FHIR resources. Names a journey, or - when <see cref="JourneyId"/> is null - every journey of the person
/// (sent when the person's details arrive after the journey's events).
/// </summary>
public sealed record GpJourneyRecordsDue(Guid PersonId, Guid? JourneyId);

/// <summary>
/// gp-records' own work item (outbox or durable timer, consumed only by gp-records): send the journey's queued
/// deliveries to the registered practice, in order.
/// </summary>
public sealed record GpDeliveriesDue(Guid PersonId, Guid JourneyId)
{
    /// <summary>Set by a retry timer: the delivery it retries. Only such a message sets a retry again when it comes early.</summary>
    public Guid? RetryOfDeliveryId { get; init; }

    /// <summary>Set by a retry timer: the failed attempt it follows.</summary>
    public int? RetryOfAttempt { get; init; }
}
