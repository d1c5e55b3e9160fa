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

/// <summary>
/// gp-records' own durable timer (consumed only by gp-records): the registered practice's notice of one escalation step
/// (<see cref="EscalationId"/>, <see cref="Step"/>) was held for a referral with no journey yet, <see cref="Round"/>
/// check(s) ago. Still held, it is reported as held longer than expected and released to the practice without its journey.
/// Each round has a timer key of its own (a key that has fired is never reused).
/// </summary>
public sealed record GpHeldNoticeDue(Guid PersonId, Guid ReferralId, Guid EscalationId, int Step, int Round);
