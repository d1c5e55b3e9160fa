using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Registering;

namespace Referrals.SupportPlan.Overriding;

/// <summary>
/// A team lead's override of triage's tier and priority, as the referral's stream keeps it. The team lead's reason is not
/// kept: it is their own words (personal data) and the journey needs only the decision. <see cref="SourceVersion"/> (triage's
/// referral stream) orders it against triage's other decisions on the referral.
/// </summary>
public sealed record TriageOverrideReceived(
    Guid ReferralId,
    Guid PersonId,
    Tier RequiredTier,
    Priority Priority,
    string OverriddenBy,
    DateTimeOffset OverriddenAt,
    long? SourceVersion) : IReferralEvent;

/// <summary>The override was taken to the referral's journey: it changed its tier or priority, or found nothing to change.</summary>
public sealed record TriageOverrideApplied(Guid ReferralId, Guid JourneyId, long? SourceVersion) : IReferralEvent;

/// <summary>
/// A team lead overrode triage's tier or priority of the journey's current referral: the journey, and so the worker's caseload,
/// now show theirs. The previous values are kept for the timeline.
/// </summary>
public sealed record ReferralTriageOverridden(
    Guid JourneyId,
    Guid ReferralId,
    Tier RequiredTier,
    Priority Priority,
    Tier PreviousTier,
    Priority PreviousPriority,
    string OverriddenBy,
    DateTimeOffset OverriddenAt,
    DateTimeOffset RecordedAt) : IJourneyEvent;
