using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Overriding;
using Referrals.SupportPlan.Registering;

namespace Referrals.SupportPlan.Escalating;

/// <summary>
/// Pure decisions about an escalation triage raised after deciding a referral. Its decisions, a team lead's overrides and
/// its escalations come on different queues, so they are ordered by triage's referral stream version and the latest stands,
/// as <see cref="OverrideDecider"/> orders overrides. An escalation never lowers the tier or priority the journey shows.
/// </summary>
public static class EscalationDecider
{
    /// <summary>
    /// Triage decided the referral again after the escalation: that decision carries what is in force (triage's referral was
    /// escalated when it decided). One transaction's messages share a version and agree, so neither is later.
    /// </summary>
    public static bool TriageIsLater(TriageReceived? triage, EscalationReceived escalation) => triage?.SourceVersion > escalation.SourceVersion;

    /// <summary>
    /// A team lead overrode the tier or priority after the escalation: theirs stand (an override after triage escalated the
    /// referral is a decision about the escalated referral), and the referral stays marked escalated, which overrides do not change.
    /// </summary>
    public static bool OverrideIsLater(TriageOverrideReceived? overridden, EscalationReceived escalation) =>
        overridden?.SourceVersion > escalation.SourceVersion;

    /// <summary>
    /// Whether an escalation is later than a team lead's override: the override then changes nothing (the escalation stands).
    /// An override without triage's version cannot be placed, so the escalation stands against it in either arrival order, as
    /// <see cref="OverrideIsLater"/> lets the escalation raise the journey past it.
    /// </summary>
    public static bool IsLaterThan(EscalationReceived? escalation, TriageOverrideReceived overridden) =>
        escalation is not null && (overridden.SourceVersion is not { } changed || escalation.SourceVersion > changed);

    /// <summary>
    /// Triage's decision with what is in force since: a team lead's override not older than it, then an escalation not older
    /// than it (escalated; urgent and at the escalation's tier unless an override came after it, never lower than before).
    /// </summary>
    public static TriageReceived InForce(TriageReceived triage, TriageOverrideReceived? overridden, EscalationReceived? escalation)
    {
        var decided = OverrideDecider.InForce(triage, overridden);
        if (escalation is null || TriageIsLater(triage, escalation))
        {
            return decided;
        }

        return OverrideIsLater(overridden, escalation)
            ? decided with { Escalated = true }
            : decided with
            {
                RequiredTier = Max(decided.RequiredTier, escalation.RequiredTier),
                Priority = Max(decided.Priority, escalation.Priority),
                Escalated = true,
            };
    }

    /// <summary>
    /// The journey follows an escalation of its current referral when it raises its tier or priority or marks it escalated.
    /// Nothing for an earlier referral of a reopened journey, a closed journey, or an escalation triage has since decided past;
    /// after a later override only the escalated mark. An accepted referral keeps its worker (triage keeps it): only what
    /// the journey shows changes.
    /// </summary>
    public static IReadOnlyList<object> Follow(Journey journey, EscalationReceived escalation, TriageReceived? triage,
        TriageOverrideReceived? overridden, DateTimeOffset now)
    {
        var referral = journey.Referral;
        if (escalation.ReferralId != referral.ReferralId || journey.IsClosed || TriageIsLater(triage, escalation))
        {
            return [];
        }

        var raises = !OverrideIsLater(overridden, escalation);
        var tier = raises ? Max(referral.RequiredTier, escalation.RequiredTier) : referral.RequiredTier;
        var priority = raises ? Max(referral.Priority, escalation.Priority) : referral.Priority;
        if (tier == referral.RequiredTier && priority == referral.Priority && referral.Escalated)
        {
            return [];
        }

        return
        [
            new ReferralEscalatedForRisk(journey.Id, escalation.ReferralId, escalation.EscalationId, tier, priority, referral.RequiredTier,
                referral.Priority, referral.Escalated, escalation.EscalatedAt, now),
        ];
    }

    private static T Max<T>(T a, T b) where T : struct, Enum => Comparer<T>.Default.Compare(a, b) >= 0 ? a : b;
}
