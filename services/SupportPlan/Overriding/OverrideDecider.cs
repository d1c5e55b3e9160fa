using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Registering;

namespace Referrals.SupportPlan.Overriding;

/// <summary>
/// Pure decisions about a team lead's override of triage's tier and priority. Triage publishes the override and its decisions
/// on different queues, so either may arrive first: they are ordered by triage's stream version, and the later one stands.
/// </summary>
public static class OverrideDecider
{
    /// <summary>
    /// Triage decided the referral again after the override (a later decision carries the tier and priority in force then, the
    /// override's included). Messages of one transaction share a version and carry the same values, so neither is later.
    /// </summary>
    public static bool TriageIsLater(TriageReceived? triage, TriageOverrideReceived overridden) =>
        triage?.SourceVersion is { } decided && overridden.SourceVersion is { } changed && decided > changed;

    /// <summary>Triage's decision with the override's tier and priority, unless triage decided again after the override.</summary>
    public static TriageReceived InForce(TriageReceived triage, TriageOverrideReceived? overridden) =>
        overridden is not null && !TriageIsLater(triage, overridden)
            ? triage with { RequiredTier = overridden.RequiredTier, Priority = overridden.Priority }
            : triage;

    /// <summary>
    /// The journey follows the override of its current referral when the override changes its tier or priority. Nothing for an
    /// earlier referral of a reopened journey (its current referral is another), a closed journey, or an override triage has
    /// since decided past.
    /// </summary>
    public static IReadOnlyList<object> Follow(Journey journey, TriageOverrideReceived overridden, TriageReceived? triage, DateTimeOffset now)
    {
        var referral = journey.Referral;
        if (overridden.ReferralId != referral.ReferralId || journey.IsClosed || TriageIsLater(triage, overridden) ||
            (overridden.RequiredTier == referral.RequiredTier && overridden.Priority == referral.Priority))
        {
            return [];
        }

        return
        [
            new ReferralTriageOverridden(journey.Id, overridden.ReferralId, overridden.RequiredTier, overridden.Priority, referral.RequiredTier,
                referral.Priority, overridden.OverriddenBy, overridden.OverriddenAt, now),
        ];
    }
}
