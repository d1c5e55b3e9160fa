using Referrals.Contracts;
using Referrals.Triage.Referrals;

namespace Referrals.Triage.Tests.Support;

/// <summary>Referrals as folded from their events, for pure tests of the rules that read them.</summary>
public static class TestReferrals
{
    /// <summary>Eligible, at <paramref name="tier"/> and <paramref name="priority"/>, offered to <paramref name="worker"/> of that tier.</summary>
    public static Referral Offered(Guid referralId, Guid personId, Guid assignmentId, DateTimeOffset at, string worker, Tier tier, Priority priority,
        NeedCategory need) =>
        new(referralId, Guid.NewGuid(), personId, null, null, "sos", "F11001", ReferrerKind.GpPractice, "F11001", 52, "F11",
            [need], Urgency.Routine, at, ReferralStatus.Offered)
        {
            Eligible = true,
            RequiredTier = tier,
            Priority = priority,
            AssignmentId = assignmentId,
            AssignedWorkerId = worker,
            AssignedWorkerTier = tier,
        };
}
