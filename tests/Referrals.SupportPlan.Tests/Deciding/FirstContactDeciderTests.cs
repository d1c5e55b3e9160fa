using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Closing;
using Referrals.SupportPlan.Contacting;
using Referrals.SupportPlan.Deciding;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.LinkingReferrals;
using Referrals.SupportPlan.LoneWorking;
using Referrals.SupportPlan.Registering;
using Referrals.SupportPlan.Safeguarding;
using Referrals.SupportPlan.Tests.LinkingReferrals;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Deciding;

public sealed class FirstContactDeciderTests
{
    private static readonly IReadOnlyDictionary<Guid, ConcernConfirmation> NoneConfirmed = new Dictionary<Guid, ConcernConfirmation>();

    private static Journey WithConcern(Journey journey, Guid concernId) =>
        TestJourneys.Apply(journey, [.. SafeguardingDecider.Raise(journey, new RaiseSafeguardingConcern(true, ["suicidal-ideation"], "Said they have a plan"),
            concernId, "lw-1", TestJourneys.Now.AddHours(-1))]);

    [Fact]
    public void The_person_agreeing_at_first_contact_is_the_coded_moment_for_the_episode()
    {
        var journey = TestJourneys.Opened();

        var agreed = Assert.IsType<PersonAgreedToSocialPrescribing>(Assert.Single(FirstContactDecider.Agree(journey, new RecordAgreement(null), "lw-1", TestJourneys.Now)));

        Assert.Equal(1, agreed.Episode);
        Assert.Equal(JourneyStatus.Active, TestJourneys.Apply(journey, agreed).Status);
    }

    [Fact]
    public void The_agreement_is_never_recorded_twice_in_one_episode()
    {
        var journey = TestJourneys.Active();

        var refusal = Assert.Throws<DomainRuleException>(() => FirstContactDecider.Agree(journey, new RecordAgreement(null), "lw-1", TestJourneys.Now));

        Assert.Contains("871731000000106", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reopened_journey_never_records_the_agreement_again()
    {
        var closed = TestJourneys.Closed(TestJourneys.Active(), TestJourneys.Now.AddDays(-3));
        var reopened = TestJourneys.Open(TestJourneys.Apply(closed, new JourneyRegistered(closed.Id, closed.PersonId, closed.ProgrammeId, TestJourneys.Facts(), null, null,
            true, TestJourneys.Now)));

        Assert.Equal(2, reopened.Episode);
        Assert.False(reopened.AgreementDue);
        Assert.Throws<DomainRuleException>(() => FirstContactDecider.Agree(reopened, new RecordAgreement(null), "lw-1", TestJourneys.Now));
    }

    [Fact]
    public void A_reopened_journey_whose_person_had_declined_may_now_record_the_agreement()
    {
        var opened = TestJourneys.Opened();
        var declined = TestJourneys.Apply(opened, [.. FirstContactDecider.Decline(opened, NoneConfirmed, new RecordDecline(null, null), "lw-1", TestJourneys.Now)]);
        var reopened = TestJourneys.Open(TestJourneys.Apply(declined, new JourneyRegistered(declined.Id, declined.PersonId, declined.ProgrammeId, TestJourneys.Facts(), null,
            null, true, TestJourneys.Now)));

        Assert.True(reopened.AgreementDue);
        Assert.Single(FirstContactDecider.Agree(reopened, new RecordAgreement(null), "lw-1", TestJourneys.Now));
    }

    [Fact]
    public void A_decline_closes_the_journey_as_declined()
    {
        var journey = TestJourneys.Opened();

        var events = FirstContactDecider.Decline(journey, NoneConfirmed, new RecordDecline("Not for me", null), "lw-1", TestJourneys.Now);

        Assert.IsType<SocialPrescribingDeclined>(events[0]);
        Assert.Equal(ClosureReason.Declined, Assert.IsType<JourneyClosed>(events[1]).Reason);
        Assert.Equal(JourneyStatus.Closed, TestJourneys.Apply(journey, [.. events]).Status);
    }

    [Fact]
    public void Nobody_agrees_or_declines_before_a_worker_has_accepted_the_journey()
    {
        var journey = TestJourneys.Registered();

        Assert.Throws<DomainRuleException>(() => FirstContactDecider.Agree(journey, new RecordAgreement(null), "lw-1", TestJourneys.Now));
        Assert.Throws<DomainRuleException>(() => FirstContactDecider.Decline(journey, NoneConfirmed, new RecordDecline(null, null), "lw-1", TestJourneys.Now));
    }

    [Fact]
    public void An_agreement_time_in_the_future_is_refused()
    {
        var error = Assert.Throws<RequestValidationException>(() =>
            FirstContactDecider.Agree(TestJourneys.Opened(), new RecordAgreement(TestJourneys.Now.AddHours(1)), "lw-1", TestJourneys.Now));

        Assert.Contains("agreedAt", error.Errors.Keys);
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, null)]
    [InlineData(false, "  ")]
    public void A_decline_over_a_concern_triage_has_not_confirmed_is_refused_without_a_reason_for_closing_anyway(bool flagged, string? reason)
    {
        var concernId = Guid.NewGuid();
        var journey = WithConcern(TestJourneys.Opened(), concernId);
        var confirmations = flagged
            ? new Dictionary<Guid, ConcernConfirmation> { [concernId] = new() { Id = concernId, JourneyId = journey.Id, UnconfirmedChecks = 1 } }
            : NoneConfirmed;

        var refused = Assert.Throws<DomainRuleException>(() =>
            FirstContactDecider.Decline(journey, confirmations, new RecordDecline("Not now", null, reason), "lw-1", TestJourneys.Now));

        Assert.Contains("closeWithUnconfirmedConcernReason", refused.Message, StringComparison.Ordinal);
        Assert.Contains(concernId.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("plan", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_decline_over_a_concern_triage_has_not_confirmed_with_a_reason_records_which_concern_and_why_on_the_closure()
    {
        var (confirmedId, unconfirmedId) = (Guid.NewGuid(), Guid.NewGuid());
        var journey = WithConcern(WithConcern(TestJourneys.Opened(), confirmedId), unconfirmedId);
        var confirmations = new Dictionary<Guid, ConcernConfirmation>
        {
            [confirmedId] = new() { Id = confirmedId, JourneyId = journey.Id, ConfirmedAt = TestJourneys.Now.AddMinutes(-50) },
        };

        var events = FirstContactDecider.Decline(journey, confirmations, new RecordDecline("Not now", null, "Duty worker has it by phone"), "lw-1",
            TestJourneys.Now);

        var closed = Assert.IsType<JourneyClosed>(events[1]);
        Assert.Equal((ClosureReason.Declined, "lw-1"), (closed.Reason, closed.ClosedBy));
        Assert.Equal([unconfirmedId], closed.ClosedWithUnconfirmedConcerns);
        Assert.Equal("Duty worker has it by phone", closed.ClosedWithUnconfirmedConcernReason);
    }

    [Fact]
    public void A_decline_whose_concerns_triage_has_all_confirmed_needs_no_reason_and_records_no_override()
    {
        var concernId = Guid.NewGuid();
        var journey = WithConcern(TestJourneys.Opened(), concernId);
        var confirmations = new Dictionary<Guid, ConcernConfirmation>
        {
            [concernId] = new() { Id = concernId, JourneyId = journey.Id, ConfirmedAt = TestJourneys.Now.AddMinutes(-50) },
        };

        var closed = Assert.IsType<JourneyClosed>(FirstContactDecider.Decline(journey, confirmations, new RecordDecline("Not now", null, "Not needed"), "lw-1",
            TestJourneys.Now)[1]);

        Assert.Empty(closed.ClosedWithUnconfirmedConcerns);
        Assert.Null(closed.ClosedWithUnconfirmedConcernReason);
    }

    /// <summary>HAZ-001 C11: a decline closes the journey, so it waits, as a closure does, until the further referral is read.</summary>
    [Fact]
    public void A_decline_over_a_further_referral_nobody_has_read_is_refused_until_it_is_acknowledged()
    {
        var journey = TestJourneys.Opened();
        var linked = FurtherReferralDeciderTests.Linked(journey);
        journey = TestJourneys.Apply(journey, [.. FurtherReferralDecider.Record(journey, linked, TestJourneys.Now.AddHours(-1))]);

        var refused = Assert.Throws<DomainRuleException>(() =>
            FirstContactDecider.Decline(journey, NoneConfirmed, new RecordDecline("Not now", null, "Closing anyway"), "lw-1", TestJourneys.Now));
        Assert.Contains(linked.ReferralId.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Eviction", refused.Message, StringComparison.Ordinal);

        journey = TestJourneys.Apply(journey, [.. FurtherReferralDecider.Acknowledge(journey, linked.ReferralId, "lw-1", TestJourneys.Now)]);
        var closed = Assert.IsType<JourneyClosed>(FirstContactDecider.Decline(journey, NoneConfirmed, new RecordDecline("Not now", null), "lw-1",
            TestJourneys.Now)[1]);
        Assert.Equal(ClosureReason.Declined, closed.Reason);
    }

    [Fact]
    public void A_decline_is_refused_while_a_home_visit_is_checked_in_so_the_visit_is_still_recorded_as_a_contact_at_check_out()
    {
        var journey = TestJourneys.Opened();
        var visitId = Guid.NewGuid();
        journey = TestJourneys.Apply(journey, [.. LoneWorkingDecider.CheckIn(journey, new CheckInHomeVisit(TestJourneys.Now.AddHours(1)), visitId, "lw-1",
            TestJourneys.Now)]);

        var refusal = Assert.Throws<DomainRuleException>(() =>
            FirstContactDecider.Decline(journey, NoneConfirmed, new RecordDecline("No thanks", null), "lw-1", TestJourneys.Now.AddMinutes(10)));
        Assert.Contains("check out of the visit first", refusal.Message, StringComparison.Ordinal);

        journey = TestJourneys.Apply(journey, [.. LoneWorkingDecider.CheckOut(journey, visitId, new CheckOutHomeVisit(null, null), Guid.NewGuid(), "lw-1",
            false, "lw-1", TestJourneys.Now.AddMinutes(30))]);
        var declined = FirstContactDecider.Decline(journey, NoneConfirmed, new RecordDecline("No thanks", null), "lw-1", TestJourneys.Now.AddMinutes(31));
        Assert.True(TestJourneys.Apply(journey, [.. declined]).IsClosed);
        Assert.Equal(ContactKind.HomeVisit, Assert.Single(journey.Contacts).Kind);
    }
}
