using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Registering;

namespace Referrals.SupportPlan.Escalating;

/// <summary>
/// Triage escalated the referral after its decision (a worker's concern, risk reported on a further referral), as the
/// referral's stream keeps it: the tier and priority triage holds once the escalation is recorded, at
/// <see cref="SourceVersion"/> of triage's referral stream, which orders it against triage's decisions and overrides. The
/// escalation's indicators and statement are not kept: they stay with triage's duty chain, and the journey needs only this.
/// </summary>
public sealed record EscalationReceived(
    Guid ReferralId,
    Guid PersonId,
    Guid EscalationId,
    Tier RequiredTier,
    Priority Priority,
    DateTimeOffset EscalatedAt,
    long SourceVersion) : IReferralEvent;

/// <summary>The escalation was taken to the referral's journey: it raised its priority, tier or escalated flag, or found nothing to raise.</summary>
public sealed record EscalationApplied(Guid ReferralId, Guid JourneyId, long SourceVersion) : IReferralEvent;

/// <summary>
/// Triage escalated the journey's current referral for risk after deciding it: the journey, the worker's caseload and the team
/// lead's lists show it urgent and escalated, at the tier triage now requires. Never lower than what the journey showed; the
/// previous values are kept for the timeline.
/// </summary>
public sealed record ReferralEscalatedForRisk(
    Guid JourneyId,
    Guid ReferralId,
    Guid EscalationId,
    Tier RequiredTier,
    Priority Priority,
    Tier PreviousTier,
    Priority PreviousPriority,
    bool WasEscalated,
    DateTimeOffset EscalatedAt,
    DateTimeOffset RecordedAt) : IJourneyEvent;
