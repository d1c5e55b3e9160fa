using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.LinkingReferrals;

/// <summary>
/// Another referral for the person arrived while this journey was open, and intake linked it here instead of opening a second
/// journey (HAZ-001 C8, HAZ-014 C2). Kept for the worker: who referred again, when, how urgently, for which needs, whether it
/// reported any risk (triage escalates it), and the referrer's words - personal data, encrypted under the person's key.
/// </summary>
public sealed record FurtherReferralReceived(
    Guid JourneyId,
    Guid PersonId,
    Guid ReferralId,
    Referrer Referrer,
    Urgency? Urgency,
    IReadOnlyList<NeedCategory> Needs,
    RiskAnswers? Risk,
    bool CarriedRisk,
    [property: PersonalData] string? ReasonText,
    [property: PersonalData] string? WhatMatters,
    [property: PersonalData] string? RiskNotes,
    DateTimeOffset LinkedAt,
    DateTimeOffset ReceivedAt) : IJourneyEvent;

/// <summary>The journey's worker (or a team lead) read a further referral: the caseload stops marking it.</summary>
public sealed record FurtherReferralAcknowledged(Guid JourneyId, Guid ReferralId, string AcknowledgedBy, DateTimeOffset AcknowledgedAt) : IJourneyEvent;

/// <summary>
/// Triage escalated a further referral on this journey to the duty chain (its <c>LinkedReferralReceived</c> named an escalation):
/// it reports risk on the journey and the caseload whatever its structured answers said, as triage also escalates on risk found
/// only in the referrer's words and on an urgent request (HAZ-001 C19). Ids and triage's time only: the indicators stay in triage.
/// </summary>
public sealed record FurtherReferralEscalatedByTriage(Guid JourneyId, Guid ReferralId, Guid EscalationId, DateTimeOffset EscalatedAt, DateTimeOffset RecordedAt)
    : IJourneyEvent;
