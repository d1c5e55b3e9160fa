namespace Referrals.Contracts.SupportPlan;

// Messages support-plan sends to itself through its durable timers (PostgreSQL, published by its outbox when due).
// They are listed here because the platform topology binds them to support-plan's own queues; no other service reads them.

/// <summary>A home visit's expected end (plus grace) has passed: check whether the worker has checked out.</summary>
public sealed record LoneWorkingCheckOutDue(Guid VisitId, Guid JourneyId, Guid PersonId, DateTimeOffset ExpectedEnd);

/// <summary>
/// No contact with the person since <see cref="LastContactAt"/>: the journey may have become dormant. It holds the journey's
/// NoContactSince, the later of the last contact and the episode's opening (a journey nobody has contacted counts from its opening).
/// </summary>
public sealed record JourneyDormancyDue(Guid JourneyId, Guid PersonId, DateTimeOffset LastContactAt, DateTimeOffset DueAt);

/// <summary>
/// A safeguarding concern was sent to triage <see cref="Round"/> check(s) ago: check whether triage has confirmed receipt.
/// Each round has a timer key of its own (a key that has fired is never reused).
/// </summary>
public sealed record SafeguardingConcernCheckDue(Guid ConcernId, Guid JourneyId, Guid PersonId, int Round, DateTimeOffset DueAt);
