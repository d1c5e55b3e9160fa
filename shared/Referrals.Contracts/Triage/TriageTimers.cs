namespace Referrals.Contracts.Triage;

/// <summary>
/// Triage's own durable-timer message: the acknowledgement deadline (or the rota opening) of one step of an escalation
/// chain came due. Scheduled with the event store's timers and consumed only by triage; a step that was acknowledged or
/// already moved on ignores it.
/// </summary>
public sealed record EscalationDeadlineDue(
    Guid EscalationId,
    Guid ReferralId,
    int Step,
    DateTimeOffset DueAt);

/// <summary>
/// Triage's own durable-timer message: a service level of a referral (e.g. first contact within N working days) came due.
/// Cancelled when the first contact is recorded; consumed only by triage, which raises <see cref="ServiceLevelBreached"/>.
/// </summary>
public sealed record ServiceLevelDue(
    Guid ReferralId,
    string ServiceLevel,
    DateTimeOffset DueAt);
