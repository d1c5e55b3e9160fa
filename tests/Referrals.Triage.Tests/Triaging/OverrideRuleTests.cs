using Referrals.Contracts;
using Referrals.Triage.Assigning;
using Referrals.Triage.Referrals;
using Referrals.Triage.Tests.Support;
using Referrals.Triage.Triaging;
using Referrals.Triage.Worklists;

namespace Referrals.Triage.Tests.Triaging;

/// <summary>The override's refusals, decided from the referral as folded from its events.</summary>
public sealed class OverrideRuleTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid ReferralId = Guid.NewGuid();
    private static readonly Guid PersonId = Guid.NewGuid();
    private static readonly Guid AssignmentId = Guid.NewGuid();

    private static Referral Offered() =>
        TestReferrals.Offered(ReferralId, PersonId, AssignmentId, At, "sos-1", Tier.LinkWorker, Priority.Routine, NeedCategory.PhysicalActivity);

    private static Referral AcceptedThenHandedBack() => Offered()
        .Evolve(new AssignmentAcceptedByWorker(ReferralId, PersonId, AssignmentId, "sos", "sos-1", Guid.NewGuid(), null, At.AddHours(1)))
        .Evolve(new AssignmentEnded(ReferralId, PersonId, AssignmentId, "sos", "sos-1", AssignmentEndReason.HandedBack, "Going on leave", true, "sos-1", At.AddHours(2)));

    [Fact]
    public void A_referral_a_worker_accepted_and_handed_back_cannot_be_ruled_out_of_scope_and_the_refusal_says_to_close_the_journey_instead()
    {
        var handedBack = AcceptedThenHandedBack();
        Assert.Equal(ReferralStatus.Received, handedBack.Status);

        var refusal = OverrideTriage.Refusal(handedBack, eligible: false, programmeConfigured: true);

        Assert.Equal(OverrideTriage.OpenedByAWorker, refusal);
        Assert.Contains("Close the journey in support-plan with a reason", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_referral_a_worker_has_accepted_cannot_be_ruled_out_of_scope()
    {
        var accepted = Offered().Evolve(new AssignmentAcceptedByWorker(ReferralId, PersonId, AssignmentId, "sos", "sos-1", Guid.NewGuid(), null, At));
        Assert.Equal(OverrideTriage.OpenedByAWorker, OverrideTriage.Refusal(accepted, eligible: false, programmeConfigured: true));
    }

    [Fact]
    public void A_referral_no_worker_ever_accepted_can_still_be_ruled_out_of_scope_also_after_a_decline()
    {
        var declined = Offered().Evolve(new AssignmentEnded(ReferralId, PersonId, AssignmentId, "sos", "sos-1", AssignmentEndReason.Declined,
            "Knows the family", false, "sos-1", At.AddHours(1)));

        Assert.Null(OverrideTriage.Refusal(Offered(), eligible: false, programmeConfigured: true));
        Assert.Null(OverrideTriage.Refusal(declined, eligible: false, programmeConfigured: true));
    }

    [Fact]
    public void Bringing_a_referral_into_scope_or_changing_only_tier_and_priority_is_allowed_after_a_worker_accepted_and_handed_it_back()
    {
        var handedBack = AcceptedThenHandedBack();
        Assert.Null(OverrideTriage.Refusal(handedBack, eligible: true, programmeConfigured: true));
        Assert.Null(OverrideTriage.Refusal(handedBack, eligible: null, programmeConfigured: true));
    }
}
