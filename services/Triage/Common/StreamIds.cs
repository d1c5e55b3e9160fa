using Referrals.SharedKernel;

namespace Referrals.Triage.Common;

/// <summary>
/// Deterministic stream ids for streams keyed by a natural key, so that "first writer wins" and replays are idempotent.
/// None of these keys is personal data, so a plain hash (not the blind index) is enough.
/// </summary>
public static class StreamIds
{
    /// <summary>The configuration stream of a programme (its version is the configuration version decisions record).</summary>
    public static Guid Programme(string programmeId) => Derive("programme", programmeId);

    /// <summary>The escalation a referral's own triage opened (concerns raised later use the concern id).</summary>
    public static Guid EscalationForReferral(Guid referralId) => Derive("escalation:referral", referralId.ToString("N"));

    /// <summary>The escalation a risk reported on a referral linked to an open journey opened (one per linked referral).</summary>
    /// <summary>
    /// One escalation per linked referral and journey: a referral intake links again to a new journey (released when its
    /// first journey ended untaken) escalates that journey's open referral too.
    /// </summary>
    public static Guid EscalationForLinkedReferral(Guid linkedReferralId, Guid journeyId) =>
        Derive("escalation:linked-referral", linkedReferralId.ToString("N") + ":" + journeyId.ToString("N"));

    private static Guid Derive(string purpose, string key) => NameBasedGuid.Create(purpose + "\n" + key);
}
