namespace Referrals.Contracts.Intake;

/// <summary>
/// Intake's own durable-timer message: attempt <see cref="Attempt"/> of webhook delivery <see cref="DeliveryId"/> is due.
/// It lives here only because the platform topology (which declares every queue) must name its type; no other service
/// consumes it, and it carries no personal data.
/// </summary>
public sealed record WebhookDeliveryDue(Guid DeliveryId, int Attempt);

/// <summary>
/// Intake's own durable-timer message: an approved erasure request is due for execution (intake shreds its copy and
/// publishes <see cref="PersonErased"/>). Only intake consumes it; it names the person but carries no personal data.
/// </summary>
public sealed record ErasureExecutionDue(Guid ErasureRequestId, Guid PersonId);

/// <summary>
/// Intake's own durable-timer message: the retention period of one record (a referral of the given kind) has ended.
/// Only intake consumes it; it names the person but carries no personal data.
/// </summary>
public sealed record RetentionPeriodEnded(Guid ReferralId, Guid PersonId, string RecordKind);

/// <summary>
/// Intake's own durable-timer message: check <see cref="Round"/> of whether triage has confirmed (triaged) a submitted referral
/// is due (HAZ-001, HAZ-007). Only intake consumes it; it names the person but carries no personal data.
/// </summary>
public sealed record TriageConfirmationCheckDue(Guid ReferralId, Guid PersonId, int Round, DateTimeOffset DueAt);

/// <summary>
/// Intake's own durable-timer message: check <see cref="Round"/> of whether triage has received a referral intake linked to
/// journey <see cref="JourneyId"/> at <see cref="LinkedAt"/> (its <c>ReferralLinkedToOpenJourney</c>) is due (HAZ-001 C18).
/// Only intake consumes it; it names the person but carries no personal data.
/// </summary>
public sealed record LinkedReferralReceiptCheckDue(Guid ReferralId, Guid PersonId, Guid JourneyId, DateTimeOffset LinkedAt, int Round, DateTimeOffset DueAt);
