using Referrals.Intake.Referrals;
using Referrals.Intake.Retention;
using Referrals.Intake.Tracking;
using static Referrals.Intake.Tests.DataProtectionData;

namespace Referrals.Intake.Tests.Retention;

public sealed class RetentionDeciderTests
{
    private static readonly RetentionOptions Periods = new() { Referral = TimeSpan.FromDays(100), CareRecord = TimeSpan.FromDays(1000) };

    private static Referral NotEligible(Guid personId, DateTimeOffset at) =>
        With(Referral(personId, at: at), ProgressPhase.Triage, ReferralStatus.NotEligible, at);

    private static Referral ClosedCare(Guid personId, DateTimeOffset at)
    {
        var opened = With(Referral(personId, at: at.AddDays(-60)), ProgressPhase.Journey, ReferralStatus.JourneyOpened, at.AddDays(-50));
        return With(opened, ProgressPhase.Journey, ReferralStatus.Closed, at);
    }

    [Fact]
    public void A_referral_that_ended_without_care_is_kept_for_the_referral_period_and_a_care_record_for_the_care_period()
    {
        var personId = Guid.NewGuid();

        Assert.Equal((RetentionRecordKind.Referral, Now.AddDays(100)),
            (RetentionDecider.KindOf(NotEligible(personId, Now)), RetentionDecider.DueAt(NotEligible(personId, Now), Periods)));
        Assert.Equal((RetentionRecordKind.CareRecord, Now.AddDays(1000)),
            (RetentionDecider.KindOf(ClosedCare(personId, Now)), RetentionDecider.DueAt(ClosedCare(personId, Now), Periods)));
    }

    [Fact]
    public void An_open_referral_has_no_retention_deadline()
    {
        Assert.Null(RetentionDecider.DueAt(Referral(Guid.NewGuid()), Periods));
    }

    [Fact]
    public void A_person_is_erased_only_once_every_record_is_past_its_period()
    {
        var personId = Guid.NewGuid();
        var referrals = new[] { NotEligible(personId, Now), ClosedCare(personId, Now) };

        Assert.Equal(RetentionVerdict.Deferred, RetentionDecider.Decide(referrals, Periods, Now.AddDays(101)));
        Assert.Equal(RetentionVerdict.Deferred, RetentionDecider.Decide(referrals, Periods, Now.AddDays(999)));
        Assert.Equal(RetentionVerdict.Expired, RetentionDecider.Decide(referrals, Periods, Now.AddDays(1000)));
    }

    [Fact]
    public void A_person_with_a_referral_still_open_is_not_erased()
    {
        var personId = Guid.NewGuid();

        Assert.Equal(RetentionVerdict.Deferred,
            RetentionDecider.Decide([NotEligible(personId, Now), Referral(personId)], Periods, Now.AddYears(50)));
    }

    [Fact]
    public void A_referral_withdrawn_before_the_person_started_ends_at_the_withdrawal()
    {
        var referral = Referral(Guid.NewGuid());
        var withdrawn = referral.Then(new global::Referrals.Intake.Withdrawing.ReferralWithdrawnByReferrer(referral.Id, referral.PersonId, "Error", "ref-1", Now.AddDays(2)));

        Assert.Equal(Now.AddDays(102), RetentionDecider.DueAt(withdrawn, Periods));
    }
}
