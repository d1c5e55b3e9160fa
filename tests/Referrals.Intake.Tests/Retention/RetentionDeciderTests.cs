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

    private static Referral ClosedCare(Guid personId, DateTimeOffset at, DateOnly? born = null)
    {
        var person = born is { } b ? Details() with { DateOfBirth = b } : null;
        var opened = With(Referral(personId, person, at: at.AddDays(-60)), ProgressPhase.Journey, ReferralStatus.JourneyOpened, at.AddDays(-50));
        return With(opened, ProgressPhase.Journey, ReferralStatus.Closed, at);
    }

    private static readonly RetentionOptions EightYears = new() { Referral = TimeSpan.FromDays(730), CareRecord = TimeSpan.FromDays(2922) };

    [Fact]
    public void A_care_record_of_a_child_is_kept_until_their_25th_birthday()
    {
        // Ten at the end of care (Now is 2026-06-01): the 25th birthday, 2041-03-15, is well past eight years.
        var closed = ClosedCare(Guid.NewGuid(), Now, born: new DateOnly(2016, 3, 15));

        Assert.Equal(new DateTimeOffset(2041, 3, 15, 0, 0, 0, TimeSpan.Zero), RetentionDecider.DueAt(closed, EightYears));
    }

    [Fact]
    public void A_care_record_of_someone_17_at_the_end_of_care_is_kept_until_their_26th_birthday()
    {
        var closed = ClosedCare(Guid.NewGuid(), Now, born: new DateOnly(2008, 6, 2));

        Assert.Equal(new DateTimeOffset(2034, 6, 2, 0, 0, 0, TimeSpan.Zero), RetentionDecider.DueAt(closed, EightYears));
    }

    [Fact]
    public void A_care_record_of_someone_who_turned_18_by_the_end_of_care_keeps_the_adult_period()
    {
        var closed = ClosedCare(Guid.NewGuid(), Now, born: new DateOnly(2008, 6, 1));

        Assert.Equal(Now + EightYears.CareRecord, RetentionDecider.DueAt(closed, EightYears));
    }

    [Fact]
    public void A_child_s_care_record_keeps_a_configured_period_that_ends_later_than_the_children_s_rule()
    {
        var closed = ClosedCare(Guid.NewGuid(), Now, born: new DateOnly(2009, 1, 1));
        var longer = new RetentionOptions { CareRecord = TimeSpan.FromDays(20 * 365) };

        Assert.Equal(Now + longer.CareRecord, RetentionDecider.DueAt(closed, longer));
    }

    [Fact]
    public void After_a_deferral_the_next_check_falls_when_the_last_period_ends_once_every_referral_has_ended()
    {
        var personId = Guid.NewGuid();
        var ended = new[] { NotEligible(personId, Now), ClosedCare(personId, Now, born: new DateOnly(2016, 3, 15)) };

        // The care record's timer was set for eight years, before the date of birth was corrected to a child's.
        Assert.Equal((ended[1].Id, new DateTimeOffset(2041, 3, 15, 0, 0, 0, TimeSpan.Zero)),
            RetentionDecider.NextCheck(ended, EightYears, Now.AddYears(8)) is var (last, at) ? (last.Id, at) : default);
        Assert.Null(RetentionDecider.NextCheck([.. ended, Referral(personId)], EightYears, Now.AddYears(8)));
        Assert.Null(RetentionDecider.NextCheck(ended, EightYears, new DateTimeOffset(2041, 3, 15, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_referral_of_a_child_that_ended_without_care_keeps_the_referral_period()
    {
        var notEligible = With(Referral(Guid.NewGuid(), Details() with { DateOfBirth = new DateOnly(2016, 3, 15) }, at: Now),
            ProgressPhase.Triage, ReferralStatus.NotEligible, Now);

        Assert.Equal(Now + EightYears.Referral, RetentionDecider.DueAt(notEligible, EightYears));
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
