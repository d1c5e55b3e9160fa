using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Safeguarding;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Safeguarding;

/// <summary>The rules of the confirmation loop: a concern triage has not confirmed is flagged at each check, once per round.</summary>
public sealed class ConcernConfirmationDeciderTests
{
    private static readonly Guid Concern = Guid.NewGuid();
    private static readonly Guid Escalation = Guid.NewGuid();

    private static Journey Raised()
    {
        var journey = TestJourneys.Active();
        return TestJourneys.Apply(journey, [.. SafeguardingDecider.Raise(journey,
            new RaiseSafeguardingConcern(true, ["suicidal-ideation"], "Said they had a plan"), Concern, "lw-1", TestJourneys.Now)]);
    }

    /// <summary>The concern's confirmation stream folded with <paramref name="events"/> (null while nothing is recorded there).</summary>
    private static ConcernConfirmation? Then(ConcernConfirmation? state, IReadOnlyList<object> events) => Fold.Apply(state, events);

    [Fact]
    public void A_concern_triage_has_not_confirmed_is_flagged_when_its_check_comes_due()
    {
        var journey = Raised();

        var flagged = Assert.IsType<SafeguardingConcernUnconfirmed>(Assert.Single(
            SafeguardingDecider.CheckConfirmation(journey, null, Concern, 1, TestJourneys.Now.AddMinutes(5))));

        Assert.Equal((journey.Id, Concern, 1, TestJourneys.Now, TestJourneys.Now.AddMinutes(5)),
            (flagged.JourneyId, flagged.ConcernId, flagged.Round, flagged.RaisedAt, flagged.FlaggedAt));
        var concern = Then(null, [flagged])!;
        Assert.True(concern.Unconfirmed);
        Assert.Equal((Concern, journey.Id, 1, TestJourneys.Now.AddMinutes(5)), (concern.Id, concern.JourneyId, concern.UnconfirmedChecks, concern.LastUnconfirmedAt));
    }

    [Fact]
    public void A_concern_triage_confirmed_is_not_flagged()
    {
        var journey = Raised();
        var concern = Then(null, SafeguardingDecider.ConfirmReceipt(journey, null, Concern, Escalation, TestJourneys.Now.AddSeconds(2),
            TestJourneys.Now.AddSeconds(3)))!;

        Assert.Empty(SafeguardingDecider.CheckConfirmation(journey, concern, Concern, 1, TestJourneys.Now.AddMinutes(5)));
        Assert.Equal((TestJourneys.Now.AddSeconds(2), Escalation, false), (concern.ConfirmedAt, concern.EscalationId, concern.Unconfirmed));
    }

    [Fact]
    public void A_confirmation_is_recorded_once_however_many_copies_triage_answers()
    {
        var journey = Raised();
        var first = SafeguardingDecider.ConfirmReceipt(journey, null, Concern, Escalation, TestJourneys.Now.AddMinutes(6), TestJourneys.Now.AddMinutes(6));
        Assert.IsType<SafeguardingConcernConfirmed>(Assert.Single(first));
        var concern = Then(null, first);

        Assert.Empty(SafeguardingDecider.ConfirmReceipt(journey, concern, Concern, Escalation, TestJourneys.Now.AddMinutes(11), TestJourneys.Now.AddMinutes(11)));
        Assert.Equal(TestJourneys.Now.AddMinutes(6), concern!.ConfirmedAt);
    }

    [Fact]
    public void A_confirmation_for_a_concern_the_journey_never_raised_changes_nothing()
    {
        Assert.Empty(SafeguardingDecider.ConfirmReceipt(Raised(), null, Guid.NewGuid(), null, TestJourneys.Now, TestJourneys.Now));
    }

    [Fact]
    public void A_round_already_flagged_is_not_flagged_again_but_the_next_round_is()
    {
        var journey = Raised();
        var concern = Then(null, SafeguardingDecider.CheckConfirmation(journey, null, Concern, 1, TestJourneys.Now.AddMinutes(5)));

        Assert.Empty(SafeguardingDecider.CheckConfirmation(journey, concern, Concern, 1, TestJourneys.Now.AddMinutes(6)));
        var second = Assert.IsType<SafeguardingConcernUnconfirmed>(Assert.Single(
            SafeguardingDecider.CheckConfirmation(journey, concern, Concern, 2, TestJourneys.Now.AddMinutes(15))));
        Assert.Equal(2, Then(concern, [second])!.UnconfirmedChecks);
    }

    [Fact]
    public void A_late_confirmation_clears_the_flag()
    {
        var journey = Raised();
        var concern = Then(null, SafeguardingDecider.CheckConfirmation(journey, null, Concern, 1, TestJourneys.Now.AddMinutes(5)));
        concern = Then(concern, SafeguardingDecider.ConfirmReceipt(journey, concern, Concern, Escalation, TestJourneys.Now.AddMinutes(6),
            TestJourneys.Now.AddMinutes(6)));

        Assert.False(concern!.Unconfirmed);
        Assert.Empty(SafeguardingDecider.CheckConfirmation(journey, concern, Concern, 2, TestJourneys.Now.AddMinutes(15)));
    }

    [Fact]
    public void The_confirmation_and_the_checks_leave_the_journey_alone()
    {
        // They are events of the concern's own stream: the journey's aggregate has nothing to apply them to, so its version stays.
        Assert.False(typeof(IJourneyEvent).IsAssignableFrom(typeof(SafeguardingConcernConfirmed)));
        Assert.False(typeof(IJourneyEvent).IsAssignableFrom(typeof(SafeguardingConcernUnconfirmed)));
    }

    [Fact]
    public void An_unconfirmed_concern_is_sent_to_triage_again_exactly_as_first_sent()
    {
        var journey = Raised();
        var raised = journey.Concerns.Single();
        var first = JourneyEffects.IntegrationEventFor(journey,
            new SafeguardingConcernRaised(journey.Id, journey.PersonId, Concern, true, ["suicidal-ideation"], "Said they had a plan", "lw-1", TestJourneys.Now));

        var resent = Assert.IsType<Integration.SafeguardingConcernRaised>(JourneyEffects.ResentConcern(journey, Concern));
        var original = Assert.IsType<Integration.SafeguardingConcernRaised>(first);
        Assert.Equal(original with { Indicators = resent.Indicators }, resent);
        Assert.Equal(original.Indicators, resent.Indicators);
        Assert.Equal((journey.Referral.ReferralId, "Said they had a plan"), (resent.ReferralId, resent.Details));
        Assert.Equal(raised.RaisedAt, resent.RaisedAt);
    }

    [Fact]
    public void Each_round_of_the_check_has_a_timer_key_of_its_own_because_a_fired_key_is_never_reused()
    {
        Assert.NotEqual(JourneyEffects.ConcernCheckTimerKey(Concern, 1), JourneyEffects.ConcernCheckTimerKey(Concern, 2));
        Assert.Equal(JourneyEffects.ConcernCheckTimerKey(Concern, 2), JourneyEffects.ConcernCheckTimerKey(Concern, 2));
    }

    [Fact]
    public void Triage_has_five_minutes_to_confirm_a_concern_by_default()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), new SupportPlanOptions().ToPolicy().ConcernConfirmationWait);
        Assert.Equal(TimeSpan.FromMinutes(2), new SupportPlanOptions { ConcernConfirmationMinutes = 2 }.ToPolicy().ConcernConfirmationWait);
        Assert.Equal(TimeSpan.FromSeconds(15), new SupportPlanOptions { ConcernConfirmationMinutes = 0.25 }.ToPolicy().ConcernConfirmationWait);
    }

    [Theory]
    [InlineData(0.1, false)]
    [InlineData(0.25, true)]
    [InlineData(1440, true)]
    [InlineData(1441, false)]
    public void The_confirmation_wait_is_at_least_a_quarter_of_a_minute_so_a_concern_is_not_flagged_before_triage_could_answer(double minutes, bool valid)
    {
        var options = new SupportPlanOptions { ConcernConfirmationMinutes = minutes };
        Assert.Equal(valid, System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options,
            new System.ComponentModel.DataAnnotations.ValidationContext(options), null, validateAllProperties: true));
    }

    [Fact]
    public void Each_round_waits_twice_as_long_as_the_last_up_to_the_cap()
    {
        var policy = JourneyPolicy.Default;

        var waits = Enumerable.Range(1, 8).Select(round => SafeguardingDecider.ConcernCheckWait(policy, round).TotalMinutes).ToList();

        Assert.Equal(new double[] { 5, 10, 20, 40, 60, 60, 60, 60 }, waits);
        Assert.Equal(TimeSpan.FromHours(1), SafeguardingDecider.ConcernCheckWait(policy, 1000));
    }

    [Fact]
    public void The_cap_is_configurable_and_never_shorter_than_the_first_wait()
    {
        var options = new SupportPlanOptions { ConcernConfirmationMinutes = 3, ConcernConfirmationMaxMinutes = 10 };
        Assert.Equal(new double[] { 3, 6, 10, 10 }, Enumerable.Range(1, 4).Select(r => SafeguardingDecider.ConcernCheckWait(options.ToPolicy(), r).TotalMinutes));

        var inverted = new SupportPlanOptions { ConcernConfirmationMinutes = 30, ConcernConfirmationMaxMinutes = 10 };
        Assert.Equal(new double[] { 30, 30 }, Enumerable.Range(1, 2).Select(r => SafeguardingDecider.ConcernCheckWait(inverted.ToPolicy(), r).TotalMinutes));
    }
}
