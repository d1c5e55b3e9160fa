using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Contacting;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.LoneWorking;
using Referrals.SupportPlan.Registering;
using Referrals.SupportPlan.Safeguarding;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.LoneWorking;

public sealed class LoneWorkingDeciderTests
{
    private static readonly Guid Visit = Guid.NewGuid();

    private static Journey CheckedIn(DateTimeOffset expectedEnd)
    {
        var journey = TestJourneys.Active();
        return TestJourneys.Apply(journey, [.. LoneWorkingDecider.CheckIn(journey, new CheckInHomeVisit(expectedEnd), Visit, "lw-1", TestJourneys.Now)]);
    }

    [Fact]
    public void A_visit_still_checked_in_at_its_expected_end_raises_the_alert()
    {
        var journey = CheckedIn(TestJourneys.Now.AddHours(1));

        Assert.Empty(LoneWorkingDecider.CheckOverdue(journey, Visit, TestJourneys.Now.AddMinutes(59)));
        var alert = Assert.IsType<LoneWorkingCheckOutOverdue>(Assert.Single(LoneWorkingDecider.CheckOverdue(journey, Visit, TestJourneys.Now.AddHours(1))));
        Assert.Equal("lw-1", alert.LinkWorkerId);
    }

    [Fact]
    public void The_alert_is_raised_only_once_per_visit()
    {
        var journey = CheckedIn(TestJourneys.Now.AddHours(1));
        journey = TestJourneys.Apply(journey, [.. LoneWorkingDecider.CheckOverdue(journey, Visit, TestJourneys.Now.AddHours(2))]);

        Assert.Empty(LoneWorkingDecider.CheckOverdue(journey, Visit, TestJourneys.Now.AddHours(3)));
        Assert.True(journey.Visits.Single().AlertOutstanding);
    }

    [Fact]
    public void A_visit_checked_out_in_time_raises_no_alert_and_becomes_a_contact()
    {
        var journey = CheckedIn(TestJourneys.Now.AddHours(1));
        var events = LoneWorkingDecider.CheckOut(journey, Visit, new CheckOutHomeVisit(null, null), Guid.NewGuid(), "lw-1", false, "lw-1", TestJourneys.Now.AddMinutes(50));
        journey = TestJourneys.Apply(journey, [.. events]);

        var contact = Assert.IsType<ContactRecorded>(events[1]);
        Assert.Equal(ContactKind.HomeVisit, contact.Kind);
        Assert.Equal(50, contact.DurationMinutes);
        Assert.Empty(LoneWorkingDecider.CheckOverdue(journey, Visit, TestJourneys.Now.AddHours(2)));
    }

    [Fact]
    public void A_visit_during_which_a_withdrawal_closed_the_journey_is_still_recorded_as_a_contact_at_check_out_and_raises_no_alert()
    {
        var journey = TestJourneys.Opened();
        journey = TestJourneys.Apply(journey, [.. LoneWorkingDecider.CheckIn(journey, new CheckInHomeVisit(TestJourneys.Now.AddHours(1)), Visit, "lw-1",
            TestJourneys.Now)]);
        journey = TestJourneys.Apply(journey, [.. ReferralDecider.Withdraw(journey,
            new WithdrawalReceived(journey.Referral.ReferralId, journey.PersonId, "changed mind", TestJourneys.Now.AddMinutes(5)),
            new Dictionary<Guid, ConcernConfirmation>(), TestJourneys.Now.AddMinutes(5))]);
        Assert.True(journey.IsClosed);

        var events = LoneWorkingDecider.CheckOut(journey, Visit, new CheckOutHomeVisit(null, null), Guid.NewGuid(), "lw-1", false, "lw-1", TestJourneys.Now.AddMinutes(40));
        journey = TestJourneys.Apply(journey, [.. events]);

        Assert.IsType<HomeVisitCheckedOut>(events[0]);
        var contact = Assert.IsType<ContactRecorded>(Assert.Single(events, e => e is ContactRecorded));
        Assert.Equal((ContactKind.HomeVisit, ContactOutcome.Attended, 40, TestJourneys.Now), (contact.Kind, contact.Outcome, contact.DurationMinutes, contact.OccurredAt));
        Assert.Equal(2, events.Count);
        Assert.True(journey.IsClosed);
        Assert.Equal(TestJourneys.Now, journey.LastContactAt);
        Assert.Empty(LoneWorkingDecider.CheckOverdue(journey, Visit, TestJourneys.Now.AddHours(2)));
    }

    [Fact]
    public void A_late_check_out_resolves_the_alert()
    {
        var journey = CheckedIn(TestJourneys.Now.AddHours(1));
        journey = TestJourneys.Apply(journey, [.. LoneWorkingDecider.CheckOverdue(journey, Visit, TestJourneys.Now.AddHours(2))]);
        journey = TestJourneys.Apply(journey, [.. LoneWorkingDecider.CheckOut(journey, Visit, new CheckOutHomeVisit(null, null), Guid.NewGuid(), "lw-1", false, "lw-1", TestJourneys.Now.AddHours(2))]);

        Assert.False(journey.Visits.Single().AlertOutstanding);
    }

    [Fact]
    public void Only_one_visit_at_a_time_is_checked_in_on_a_journey()
    {
        var journey = CheckedIn(TestJourneys.Now.AddHours(1));

        Assert.Throws<DomainRuleException>(() => LoneWorkingDecider.CheckIn(journey, new CheckInHomeVisit(TestJourneys.Now.AddHours(2)), Guid.NewGuid(), "lw-1", TestJourneys.Now));
    }

    [Fact]
    public void A_check_in_whose_visit_was_checked_out_since_is_refused_never_answered_as_done()
    {
        var journey = CheckedIn(TestJourneys.Now.AddHours(1));
        journey = TestJourneys.Apply(journey,
            [.. LoneWorkingDecider.CheckOut(journey, Visit, new CheckOutHomeVisit(null, null), Guid.NewGuid(), "lw-1", false, "lw-1", TestJourneys.Now.AddMinutes(10))]);

        var refused = Assert.Throws<DomainRuleException>(() =>
            LoneWorkingDecider.CheckIn(journey, new CheckInHomeVisit(TestJourneys.Now.AddHours(1)), Visit, "lw-1", TestJourneys.Now.AddMinutes(20)));
        Assert.Contains("check in again", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_check_in_naming_an_open_visit_with_another_expected_end_is_refused_never_answered_with_that_visits_timer()
    {
        var journey = CheckedIn(TestJourneys.Now.AddHours(8));

        Assert.Throws<DomainRuleException>(() =>
            LoneWorkingDecider.CheckIn(journey, new CheckInHomeVisit(TestJourneys.Now.AddMinutes(30)), Visit, "lw-1", TestJourneys.Now));
    }

    [Fact]
    public void The_visit_id_of_a_keyed_check_in_changes_with_its_expected_end_but_not_with_its_offset()
    {
        var (journey, key, end) = (Guid.NewGuid(), Guid.NewGuid(), TestJourneys.Now.AddHours(1));

        Assert.Equal(LoneWorkingDecider.VisitIdOf(journey, "lw-1", key, end), LoneWorkingDecider.VisitIdOf(journey, "lw-1", key, end.ToOffset(TimeSpan.FromHours(1))));
        Assert.NotEqual(LoneWorkingDecider.VisitIdOf(journey, "lw-1", key, end), LoneWorkingDecider.VisitIdOf(journey, "lw-1", key, end.AddMinutes(-30)));
    }

    [Fact]
    public void An_expected_end_in_the_past_is_refused()
    {
        var error = Assert.Throws<RequestValidationException>(() =>
            LoneWorkingDecider.CheckIn(TestJourneys.Active(), new CheckInHomeVisit(TestJourneys.Now.AddMinutes(-1)), Guid.NewGuid(), "lw-1", TestJourneys.Now));

        Assert.Contains("expectedEnd", error.Errors.Keys);
    }

    [Fact]
    public void A_team_lead_acknowledgement_ends_the_outstanding_alert()
    {
        var journey = CheckedIn(TestJourneys.Now.AddHours(1));
        journey = TestJourneys.Apply(journey, [.. LoneWorkingDecider.CheckOverdue(journey, Visit, TestJourneys.Now.AddHours(2))]);
        journey = TestJourneys.Apply(journey, [.. LoneWorkingDecider.AcknowledgeAlert(journey, Visit, "lead-1", TestJourneys.Now.AddHours(2))]);

        Assert.False(journey.Visits.Single().AlertOutstanding);
        Assert.Throws<DomainRuleException>(() => LoneWorkingDecider.AcknowledgeAlert(journey, Visit, "lead-1", TestJourneys.Now.AddHours(2)));
    }

    [Fact]
    public void Only_the_worker_who_checked_in_can_check_out_so_nobody_else_can_silence_the_alert()
    {
        var journey = CheckedIn(TestJourneys.Now.AddHours(1));

        var refused = Assert.Throws<DomainRuleException>(() =>
            LoneWorkingDecider.CheckOut(journey, Visit, new CheckOutHomeVisit(null, null), Guid.NewGuid(), "lw-2", false, "lw-2", TestJourneys.Now.AddMinutes(10)));

        Assert.DoesNotContain("lw-1", refused.Message, StringComparison.Ordinal);
        Assert.NotEmpty(LoneWorkingDecider.CheckOverdue(journey, Visit, TestJourneys.Now.AddHours(1)));
        Assert.NotEmpty(LoneWorkingDecider.CheckOut(journey, Visit, new CheckOutHomeVisit(null, null), Guid.NewGuid(), "lw-1", false, "lw-1", TestJourneys.Now.AddMinutes(10)));
    }

    [Fact]
    public void A_check_out_timer_handled_before_the_expected_end_by_this_hosts_clock_is_checked_again_at_the_expected_end()
    {
        var end = TestJourneys.Now.AddHours(1);
        var journey = CheckedIn(end);

        Assert.Equal(end, LoneWorkingDecider.CheckAgainAt(journey, Visit, end.AddMilliseconds(-20)));
        Assert.Empty(LoneWorkingDecider.CheckOverdue(journey, Visit, end.AddMilliseconds(-20)));
        Assert.Null(LoneWorkingDecider.CheckAgainAt(journey, Visit, end));
        Assert.NotEmpty(LoneWorkingDecider.CheckOverdue(journey, Visit, end));

        // Nothing to check again once the visit is checked out or its alert raised.
        var checkedOut = TestJourneys.Apply(journey,
            [.. LoneWorkingDecider.CheckOut(journey, Visit, new CheckOutHomeVisit(null, null), Guid.NewGuid(), "lw-1", false, "lw-1", end.AddMinutes(-5))]);
        Assert.Null(LoneWorkingDecider.CheckAgainAt(checkedOut, Visit, end.AddMilliseconds(-20)));
        var alerted = TestJourneys.Apply(journey, [.. LoneWorkingDecider.CheckOverdue(journey, Visit, end)]);
        Assert.Null(LoneWorkingDecider.CheckAgainAt(alerted, Visit, end.AddMilliseconds(-20)));
    }

    [Fact]
    public void A_team_lead_checks_out_a_visit_only_once_they_have_acknowledged_its_overdue_alert()
    {
        var journey = CheckedIn(TestJourneys.Now.AddHours(1));
        DomainRuleException BeforeAcknowledging(Journey j) => Assert.Throws<DomainRuleException>(() =>
            LoneWorkingDecider.CheckOut(j, Visit, new CheckOutHomeVisit(null, null), Guid.NewGuid(), "lead-1", true, "lead-1", TestJourneys.Now.AddHours(2)));

        BeforeAcknowledging(journey);
        journey = TestJourneys.Apply(journey, [.. LoneWorkingDecider.CheckOverdue(journey, Visit, TestJourneys.Now.AddHours(2))]);
        BeforeAcknowledging(journey);
        journey = TestJourneys.Apply(journey, [.. LoneWorkingDecider.AcknowledgeAlert(journey, Visit, "lead-1", TestJourneys.Now.AddHours(2))]);

        // Another link worker still cannot, acknowledged or not.
        Assert.Throws<DomainRuleException>(() =>
            LoneWorkingDecider.CheckOut(journey, Visit, new CheckOutHomeVisit(null, null), Guid.NewGuid(), "lw-2", false, "lw-2", TestJourneys.Now.AddHours(2)));
        journey = TestJourneys.Apply(journey,
            [.. LoneWorkingDecider.CheckOut(journey, Visit, new CheckOutHomeVisit(null, null), Guid.NewGuid(), "lead-1", true, "lead-1", TestJourneys.Now.AddHours(2))]);
        Assert.False(journey.Visits.Single().IsOpen);
        Assert.Null(journey.OpenVisit);
    }

    [Fact]
    public void A_worker_blocked_by_someone_elses_visit_is_not_told_to_check_out_of_it()
    {
        var journey = CheckedIn(TestJourneys.Now.AddHours(1));

        var other = Assert.Throws<DomainRuleException>(() =>
            LoneWorkingDecider.CheckIn(journey, new CheckInHomeVisit(TestJourneys.Now.AddHours(2)), Guid.NewGuid(), "lw-2", TestJourneys.Now));
        var own = Assert.Throws<DomainRuleException>(() =>
            LoneWorkingDecider.CheckIn(journey, new CheckInHomeVisit(TestJourneys.Now.AddHours(2)), Guid.NewGuid(), "lw-1", TestJourneys.Now));

        Assert.Contains("Only they can check out", other.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("lw-1", other.Message, StringComparison.Ordinal);
        Assert.Contains("check out of it first", own.Message, StringComparison.Ordinal);
    }
}
