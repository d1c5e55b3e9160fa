using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Closing;
using Referrals.SupportPlan.Deciding;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Registering;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Deciding;

public sealed class FirstContactDeciderTests
{
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
        var declined = TestJourneys.Apply(opened, [.. FirstContactDecider.Decline(opened, new RecordDecline(null, null), "lw-1", TestJourneys.Now)]);
        var reopened = TestJourneys.Open(TestJourneys.Apply(declined, new JourneyRegistered(declined.Id, declined.PersonId, declined.ProgrammeId, TestJourneys.Facts(), null,
            null, true, TestJourneys.Now)));

        Assert.True(reopened.AgreementDue);
        Assert.Single(FirstContactDecider.Agree(reopened, new RecordAgreement(null), "lw-1", TestJourneys.Now));
    }

    [Fact]
    public void A_decline_closes_the_journey_as_declined()
    {
        var journey = TestJourneys.Opened();

        var events = FirstContactDecider.Decline(journey, new RecordDecline("Not for me", null), "lw-1", TestJourneys.Now);

        Assert.IsType<SocialPrescribingDeclined>(events[0]);
        Assert.Equal(ClosureReason.Declined, Assert.IsType<JourneyClosed>(events[1]).Reason);
        Assert.Equal(JourneyStatus.Closed, TestJourneys.Apply(journey, [.. events]).Status);
    }

    [Fact]
    public void Nobody_agrees_or_declines_before_a_worker_has_accepted_the_journey()
    {
        var journey = TestJourneys.Registered();

        Assert.Throws<DomainRuleException>(() => FirstContactDecider.Agree(journey, new RecordAgreement(null), "lw-1", TestJourneys.Now));
        Assert.Throws<DomainRuleException>(() => FirstContactDecider.Decline(journey, new RecordDecline(null, null), "lw-1", TestJourneys.Now));
    }

    [Fact]
    public void An_agreement_time_in_the_future_is_refused()
    {
        var error = Assert.Throws<RequestValidationException>(() =>
            FirstContactDecider.Agree(TestJourneys.Opened(), new RecordAgreement(TestJourneys.Now.AddHours(1)), "lw-1", TestJourneys.Now));

        Assert.Contains("agreedAt", error.Errors.Keys);
    }
}
