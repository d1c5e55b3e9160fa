using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Contacting;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Contacting;

public sealed class ContactDeciderTests
{
    private static readonly JourneyPolicy Policy = JourneyPolicy.Default with { DormantAfter = TimeSpan.FromDays(56) };

    private static RecordContact Contact(ContactKind kind = ContactKind.Phone, ContactOutcome outcome = ContactOutcome.Attended, int minutes = 30) =>
        new(kind, outcome, minutes, null, null, null);

    [Theory]
    [InlineData(ContactKind.Phone)]
    [InlineData(ContactKind.Video)]
    [InlineData(ContactKind.FaceToFacePractice)]
    [InlineData(ContactKind.FaceToFaceCommunity)]
    [InlineData(ContactKind.GroupSession)]
    [InlineData(ContactKind.SupportedVisit)]
    [InlineData(ContactKind.IndirectWork)]
    public void Every_kind_of_contact_is_recorded_with_its_duration(ContactKind kind)
    {
        var contact = Assert.IsType<ContactRecorded>(Assert.Single(ContactDecider.Record(TestJourneys.Active(), Contact(kind, minutes: 45), Guid.NewGuid(), "lw-1",
            TestJourneys.Now)));

        Assert.Equal(kind, contact.Kind);
        Assert.Equal(45, contact.DurationMinutes);
    }

    [Fact]
    public void An_attended_home_visit_is_only_recorded_through_the_lone_working_check_in_and_out()
    {
        var error = Assert.Throws<RequestValidationException>(() =>
            ContactDecider.Record(TestJourneys.Active(), Contact(ContactKind.HomeVisit), Guid.NewGuid(), "lw-1", TestJourneys.Now));

        Assert.Contains("kind", error.Errors.Keys);
    }

    [Fact]
    public void Did_not_attend_and_unable_to_contact_are_recorded_and_counted_as_failed_attempts()
    {
        var journey = TestJourneys.Active();
        foreach (var outcome in new[] { ContactOutcome.DidNotAttend, ContactOutcome.UnableToContact })
        {
            journey = TestJourneys.Apply(journey, [.. ContactDecider.Record(journey, Contact(outcome: outcome, minutes: 0), Guid.NewGuid(), "lw-1", TestJourneys.Now)]);
        }

        Assert.Equal(2, journey.FailedAttemptsSinceLastContact);
        Assert.Equal(2, journey.Contacts.Count);

        journey = TestJourneys.Apply(journey, [.. ContactDecider.Record(journey, Contact(), Guid.NewGuid(), "lw-1", TestJourneys.Now)]);
        Assert.Equal(0, journey.FailedAttemptsSinceLastContact);
        Assert.Equal(TestJourneys.Now, journey.LastContactAt);
    }

    [Fact]
    public void The_journey_goes_dormant_when_nobody_has_made_contact_for_the_configured_weeks()
    {
        var journey = TestJourneys.Active();
        var last = journey.NoContactSince!.Value;

        Assert.Empty(ContactDecider.CheckDormancy(journey, last, last + Policy.DormantAfter - TimeSpan.FromSeconds(1), Policy));
        var dormant = Assert.IsType<JourneyWentDormant>(Assert.Single(ContactDecider.CheckDormancy(journey, last, last + Policy.DormantAfter, Policy)));
        Assert.Equal(JourneyStatus.Dormant, TestJourneys.Apply(journey, dormant).Status);
    }

    [Fact]
    public void A_contact_since_the_timer_was_set_keeps_the_journey_active()
    {
        var journey = TestJourneys.Active();
        var timerSetFor = journey.NoContactSince!.Value;
        journey = TestJourneys.Apply(journey, [.. ContactDecider.Record(journey, Contact(), Guid.NewGuid(), "lw-1", TestJourneys.Now.AddDays(10))]);

        Assert.Empty(ContactDecider.CheckDormancy(journey, timerSetFor, timerSetFor + Policy.DormantAfter, Policy));
    }

    [Fact]
    public void Failed_attempts_and_indirect_work_do_not_keep_a_journey_from_going_dormant()
    {
        var journey = TestJourneys.Active();
        var last = journey.NoContactSince!.Value;
        journey = TestJourneys.Apply(journey, [.. ContactDecider.Record(journey, Contact(outcome: ContactOutcome.UnableToContact, minutes: 0), Guid.NewGuid(), "lw-1", TestJourneys.Now)]);
        journey = TestJourneys.Apply(journey, [.. ContactDecider.Record(journey, Contact(ContactKind.IndirectWork), Guid.NewGuid(), "lw-1", TestJourneys.Now)]);

        Assert.Single(ContactDecider.CheckDormancy(journey, last, last + Policy.DormantAfter, Policy));
    }

    [Fact]
    public void Contact_with_the_person_reactivates_a_dormant_journey_which_is_never_closed_by_dormancy()
    {
        var journey = TestJourneys.Active();
        journey = TestJourneys.Apply(journey, new JourneyWentDormant(journey.Id, journey.NoContactSince!.Value, TestJourneys.Now));

        var attempt = ContactDecider.Record(journey, Contact(outcome: ContactOutcome.DidNotAttend, minutes: 0), Guid.NewGuid(), "lw-1", TestJourneys.Now);
        var contact = ContactDecider.Record(journey, Contact(), Guid.NewGuid(), "lw-1", TestJourneys.Now);

        Assert.Single(attempt);
        Assert.IsType<JourneyReactivated>(contact[1]);
        Assert.Equal(JourneyStatus.Active, TestJourneys.Apply(journey, [.. contact]).Status);
        Assert.Empty(ContactDecider.CheckDormancy(journey, journey.NoContactSince!.Value, TestJourneys.Now.AddYears(1), Policy));
    }

    [Fact]
    public void A_journey_reactivated_by_a_contact_dated_before_its_last_contact_goes_dormant_again_the_configured_weeks_after_the_reactivation()
    {
        var journey = TestJourneys.Active();
        var last = journey.NoContactSince!.Value;
        var firstDue = JourneyEffects.DormancyDue(journey, Policy)!.Value;
        var firedKey = JourneyEffects.DormancyTimerKey(journey.Id, firstDue, journey.Reactivations);
        journey = TestJourneys.Apply(journey, [.. ContactDecider.CheckDormancy(journey, last, firstDue, Policy)]);
        Assert.Equal(JourneyStatus.Dormant, journey.Status);

        var reactivatedAt = firstDue.AddDays(3);
        var late = new RecordContact(ContactKind.Phone, ContactOutcome.Attended, 15, last.AddDays(-2), null, null);
        journey = TestJourneys.Apply(journey, [.. ContactDecider.Record(journey, late, Guid.NewGuid(), "lw-1", reactivatedAt)]);
        Assert.Equal(JourneyStatus.Active, journey.Status);
        Assert.Equal(last, journey.NoContactSince);

        // A new timer, under a key that has not fired, for the configured weeks after the reactivation.
        var due = JourneyEffects.DormancyDue(journey, Policy)!.Value;
        Assert.Equal(reactivatedAt + Policy.DormantAfter, due);
        Assert.NotEqual(firedKey, JourneyEffects.DormancyTimerKey(journey.Id, due, journey.Reactivations));
        Assert.Empty(ContactDecider.CheckDormancy(journey, last, due - TimeSpan.FromSeconds(1), Policy));
        Assert.IsType<JourneyWentDormant>(Assert.Single(ContactDecider.CheckDormancy(journey, last, due, Policy)));
    }

    [Fact]
    public void The_dormancy_timer_key_is_the_same_for_an_unchanged_due_time_and_new_after_a_reactivation()
    {
        var journeyId = Guid.NewGuid();
        var due = TestJourneys.Now.AddDays(56);

        Assert.Equal(JourneyEffects.DormancyTimerKey(journeyId, due, 0), JourneyEffects.DormancyTimerKey(journeyId, due, 0));
        Assert.NotEqual(JourneyEffects.DormancyTimerKey(journeyId, due, 0), JourneyEffects.DormancyTimerKey(journeyId, due, 1));
    }
}
