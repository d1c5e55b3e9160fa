using Referrals.Contracts.Intake;
using Referrals.Contracts.Triage;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.LinkingReferrals;

/// <summary>
/// Pure decisions about referrals intake linked to an open journey. A further referral is recorded once (by its referral id),
/// whatever the journey's state: a journey closed since intake linked it still gets it, as its worker or a team lead may reopen
/// it or pass the news on (and nothing else will tell them). Acknowledging one records who read it; acknowledging it again
/// changes nothing. Triage's receipt naming an escalation marks the further referral as escalated by triage, once.
/// </summary>
public static class FurtherReferralDecider
{
    public static IReadOnlyList<object> Record(Journey journey, ReferralLinkedToOpenJourney linked, DateTimeOffset now)
    {
        if (journey.ReferralIds.Contains(linked.ReferralId) || journey.FurtherReferrals.Exists(f => f.ReferralId == linked.ReferralId))
        {
            return []; // already on the journey (a copy of the message, or a referral registered here itself)
        }

        return
        [
            new FurtherReferralReceived(journey.Id, journey.PersonId, linked.ReferralId, linked.Referrer, linked.Urgency, linked.Needs ?? [],
                linked.Risk, CarriedRisk(linked), linked.ReasonText, linked.WhatMatters, linked.RiskNotes, linked.LinkedAt, now),
        ];
    }

    /// <summary>Any structured risk answer, or risk notes: what the referrer reported as risk (triage reads the free text too).</summary>
    public static bool CarriedRisk(ReferralLinkedToOpenJourney linked) =>
        linked.Risk is { } r && (r.RiskOfHarmToSelf || r.RiskOfHarmToOthers || r.SafeguardingConcern || r.RisksToVisitingWorker) ||
        !string.IsNullOrWhiteSpace(linked.RiskNotes);

    /// <summary>
    /// The receipt names an escalation of a referral this journey should record as a further referral but has not yet: its
    /// linking (<see cref="ReferralLinkedToOpenJourney"/>, on another queue) is still to come, so the receipt must wait for it.
    /// Not for a receipt without an escalation (nothing to record) or for one of the journey's own referrals (never recorded as
    /// a further referral; its escalation reaches the journey as <c>ReferralEscalated</c>).
    /// </summary>
    public static bool AwaitsItsLinking(Journey journey, LinkedReferralReceived receipt) =>
        receipt.EscalationId is not null && !journey.ReferralIds.Contains(receipt.ReferralId) &&
        !journey.FurtherReferrals.Exists(f => f.ReferralId == receipt.ReferralId);

    /// <summary>
    /// Triage escalated the further referral to the duty chain (HAZ-001 C19): it then reports risk on the journey and the caseload,
    /// whether or not its structured answers or risk notes did. Once per further referral: a copy of the receipt, or one naming
    /// another escalation, records nothing more; a receipt without an escalation records nothing.
    /// </summary>
    public static IReadOnlyList<object> RecordTriageEscalation(Journey journey, LinkedReferralReceived receipt, DateTimeOffset now) =>
        receipt.EscalationId is { } escalationId &&
        journey.FurtherReferrals.Find(f => f.ReferralId == receipt.ReferralId) is { TriageEscalationId: null }
            ? [new FurtherReferralEscalatedByTriage(journey.Id, receipt.ReferralId, escalationId, receipt.ReceivedAt, now)]
            : [];

    public static IReadOnlyList<object> Acknowledge(Journey journey, Guid referralId, string by, DateTimeOffset now)
    {
        var further = journey.FurtherReferrals.Find(f => f.ReferralId == referralId) ?? throw new JourneyPartNotFoundException("further referral");
        return further.AcknowledgedAt is null ? [new FurtherReferralAcknowledged(journey.Id, referralId, by, now)] : [];
    }
}
