using Referrals.Contracts.Intake;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.LinkingReferrals;

/// <summary>
/// Pure decisions about referrals intake linked to an open journey. A further referral is recorded once (by its referral id),
/// whatever the journey's state: a journey closed since intake linked it still gets it, as its worker or a team lead may reopen
/// it or pass the news on (and nothing else will tell them). Acknowledging one records who read it; acknowledging it again
/// changes nothing.
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

    public static IReadOnlyList<object> Acknowledge(Journey journey, Guid referralId, string by, DateTimeOffset now)
    {
        var further = journey.FurtherReferrals.Find(f => f.ReferralId == referralId) ?? throw new JourneyPartNotFoundException("further referral");
        return further.AcknowledgedAt is null ? [new FurtherReferralAcknowledged(journey.Id, referralId, by, now)] : [];
    }
}
