using Referrals.Contracts;
using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Closing;
using Referrals.SupportPlan.Contacting;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.LinkingReferrals;
using Referrals.SupportPlan.LoneWorking;
using Referrals.SupportPlan.MeasuringOutcomes;
using Referrals.SupportPlan.Registering;
using Referrals.SupportPlan.Safeguarding;
using Referrals.SupportPlan.Tests.LinkingReferrals;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Closing;

public sealed class ClosureDeciderTests
{
    private static readonly JourneyPolicy Policy = JourneyPolicy.Default with { UnableToContactAttempts = 3 };

    private static readonly IReadOnlyDictionary<Guid, ConcernConfirmation> NoneConfirmed = new Dictionary<Guid, ConcernConfirmation>();

    private static Journey WithConcern(Journey journey, Guid concernId) =>
        TestJourneys.Apply(journey, [.. SafeguardingDecider.Raise(journey, new RaiseSafeguardingConcern(false, ["self-neglect"], "Lives alone, not eating"),
            concernId, "lw-1", TestJourneys.Now.AddHours(-1))]);

    private static ConcernConfirmation Confirmed(Journey journey, Guid concernId) =>
        new() { Id = concernId, JourneyId = journey.Id, ConfirmedAt = TestJourneys.Now.AddMinutes(-59) };

    /// <summary>Flagged by a confirmation check and still not confirmed.</summary>
    private static ConcernConfirmation Flagged(Journey journey, Guid concernId) =>
        new() { Id = concernId, JourneyId = journey.Id, UnconfirmedChecks = 1, LastUnconfirmedAt = TestJourneys.Now.AddMinutes(-55) };

    private static Journey WithBaseline(Journey journey, Instrument instrument, MeasurementPoint point = MeasurementPoint.Baseline) =>
        TestJourneys.Apply(journey, [.. OutcomeMeasureDecider.Record(journey, new RecordOutcomeMeasure(instrument, point,
            instrument == Instrument.Swemwbs ? Enumerable.Repeat<int?>(3, 7).ToList() : Enumerable.Repeat<int?>(3, 14).ToList(), null, null, null, null),
            Guid.NewGuid(), "lw-1", TestJourneys.Now)]);

    private static Journey Reopened(Journey journey)
    {
        var closed = journey.IsClosed ? journey : TestJourneys.Closed(journey, TestJourneys.Now.AddDays(-3));
        return TestJourneys.Open(TestJourneys.Apply(closed, new JourneyRegistered(closed.Id, closed.PersonId, closed.ProgrammeId, TestJourneys.Facts(), null,
            null, true, TestJourneys.Now.AddDays(-2))));
    }

    [Theory]
    [InlineData(ConsentScope.CodedOnly, false, ConsentScope.CodedOnly)]
    [InlineData(ConsentScope.Full, true, ConsentScope.None)]
    public void The_closure_tells_intake_the_consent_the_person_holds_at_closure(ConsentScope scope, bool withdrawn, ConsentScope told)
    {
        var active = TestJourneys.Active();
        var journey = TestJourneys.Apply(active,
            new Referrals.SupportPlan.Consenting.ConsentScopeChanged(active.Id, active.PersonId, scope, withdrawn, null, "lw-1", TestJourneys.Now));
        var closed = Assert.IsType<JourneyClosed>(Assert.Single(ClosureDecider.Close(journey, NoneConfirmed, new CloseJourney(ClosureReason.GoalsMet, null, null), Policy,
            "lw-1", TestJourneys.Now)));

        var published = Assert.IsType<Referrals.Contracts.SupportPlan.JourneyClosed>(JourneyEffects.IntegrationEventFor(TestJourneys.Apply(journey, closed), closed));

        Assert.Equal(told, published.SharingScope);
    }

    [Theory]
    [InlineData(ClosureReason.GoalsMet)]
    [InlineData(ClosureReason.PersonChoseToEnd)]
    [InlineData(ClosureReason.MovedAway)]
    [InlineData(ClosureReason.ReferredToAnotherService)]
    [InlineData(ClosureReason.Deceased)]
    public void A_planned_discharge_closes_with_its_reason(ClosureReason reason)
    {
        var closed = Assert.IsType<JourneyClosed>(Assert.Single(ClosureDecider.Close(TestJourneys.Active(), NoneConfirmed, new CloseJourney(reason, null, null), Policy, "lw-1",
            TestJourneys.Now)));

        Assert.Equal(reason, closed.Reason);
    }

    [Theory]
    [InlineData(ClosureReason.Declined)]
    [InlineData(ClosureReason.Withdrawn)]
    public void Declined_and_withdrawn_are_not_reasons_a_worker_gives(ClosureReason reason) =>
        Assert.Throws<RequestValidationException>(() => ClosureDecider.Close(TestJourneys.Active(), NoneConfirmed, new CloseJourney(reason, null, null), Policy, "lw-1", TestJourneys.Now));

    [Fact]
    public void Closing_prompts_for_the_closing_measures_of_every_instrument_with_a_baseline()
    {
        var journey = WithBaseline(WithBaseline(TestJourneys.Active(), Instrument.Wemwbs), Instrument.Swemwbs);

        var prompt = Assert.Throws<DomainRuleException>(() =>
            ClosureDecider.Close(journey, NoneConfirmed, new CloseJourney(ClosureReason.GoalsMet, null, null), Policy, "lw-1", TestJourneys.Now));

        Assert.Contains("Wemwbs", prompt.Message, StringComparison.Ordinal);
        Assert.Contains("Swemwbs", prompt.Message, StringComparison.Ordinal);
        Assert.Equal([Instrument.Wemwbs, Instrument.Swemwbs], journey.ClosingMeasuresDue);
    }

    [Fact]
    public void Closing_measures_taken_or_skipped_with_a_reason_satisfy_the_prompt()
    {
        var journey = WithBaseline(WithBaseline(TestJourneys.Active(), Instrument.Wemwbs), Instrument.Swemwbs);
        journey = WithBaseline(journey, Instrument.Wemwbs, MeasurementPoint.Closing);

        var closed = Assert.IsType<JourneyClosed>(Assert.Single(ClosureDecider.Close(journey, NoneConfirmed,
            new CloseJourney(ClosureReason.GoalsMet, null, "The person did not want to fill it in"), Policy, "lw-1", TestJourneys.Now)));

        Assert.Equal([Instrument.Swemwbs], closed.ClosingMeasuresSkipped);
    }

    [Fact]
    public void Closing_measures_are_not_asked_for_when_the_person_cannot_give_them()
    {
        var journey = WithBaseline(TestJourneys.Active(), Instrument.Wemwbs);

        Assert.Single(ClosureDecider.Close(journey, NoneConfirmed, new CloseJourney(ClosureReason.MovedAway, null, null), Policy, "lw-1", TestJourneys.Now));
    }

    [Fact]
    public void Unable_to_contact_needs_the_configured_number_of_failed_attempts()
    {
        var journey = TestJourneys.Active();
        for (var i = 0; i < 3; i++)
        {
            Assert.Throws<DomainRuleException>(() =>
                ClosureDecider.Close(journey, NoneConfirmed, new CloseJourney(ClosureReason.UnableToContact, null, null), Policy, "lw-1", TestJourneys.Now));
            journey = TestJourneys.Apply(journey, [.. ContactDecider.Record(journey,
                new RecordContact(ContactKind.Phone, ContactOutcome.UnableToContact, 0, null, null, null), Guid.NewGuid(), "lw-1", TestJourneys.Now)]);
        }

        Assert.Single(ClosureDecider.Close(journey, NoneConfirmed, new CloseJourney(ClosureReason.UnableToContact, null, null), Policy, "lw-1", TestJourneys.Now));
    }

    [Fact]
    public void Unable_to_contact_does_not_count_failed_attempts_dated_before_the_last_contact()
    {
        var journey = TestJourneys.Active();
        journey = TestJourneys.Apply(journey, [.. ContactDecider.Record(journey,
            new RecordContact(ContactKind.Phone, ContactOutcome.Attended, 20, TestJourneys.Now.AddDays(-1), null, null), Guid.NewGuid(), "lw-1", TestJourneys.Now)]);
        foreach (var daysBefore in new[] { 23, 22, 21 })
        {
            journey = TestJourneys.Apply(journey, [.. ContactDecider.Record(journey,
                new RecordContact(ContactKind.Phone, ContactOutcome.UnableToContact, 0, TestJourneys.Now.AddDays(-1 - daysBefore), null, null), Guid.NewGuid(),
                "lw-1", TestJourneys.Now)]);
        }

        Assert.Equal(0, journey.FailedAttemptsSinceLastContact);
        Assert.Throws<DomainRuleException>(() =>
            ClosureDecider.Close(journey, NoneConfirmed, new CloseJourney(ClosureReason.UnableToContact, null, null), Policy, "lw-1", TestJourneys.Now));
    }

    [Fact]
    public void A_contact_recorded_late_with_an_older_date_does_not_wipe_out_the_failed_attempts_made_since()
    {
        var journey = TestJourneys.Active();
        var opened = journey.OpenedAt!.Value;
        foreach (var hours in new[] { 2, 4, 6 })
        {
            journey = TestJourneys.Apply(journey, [.. ContactDecider.Record(journey,
                new RecordContact(ContactKind.Phone, ContactOutcome.UnableToContact, 0, opened.AddHours(hours), null, null), Guid.NewGuid(), "lw-1",
                TestJourneys.Now)]);
        }

        journey = TestJourneys.Apply(journey, [.. ContactDecider.Record(journey,
            new RecordContact(ContactKind.Phone, ContactOutcome.Attended, 20, opened.AddHours(1), null, null), Guid.NewGuid(), "lw-1", TestJourneys.Now)]);

        Assert.Equal(opened.AddHours(1), journey.LastContactAt);
        Assert.Equal(3, journey.FailedAttemptsSinceLastContact);
        Assert.Single(ClosureDecider.Close(journey, NoneConfirmed, new CloseJourney(ClosureReason.UnableToContact, null, null), Policy, "lw-1", TestJourneys.Now));
    }

    [Fact]
    public void The_closing_summary_reports_no_ons4_change_when_there_is_only_a_baseline()
    {
        var journey = WithBaseline(TestJourneys.Active(), Instrument.Wemwbs);
        journey = TestJourneys.Apply(journey, [.. OutcomeMeasureDecider.Record(journey, new RecordOutcomeMeasure(Instrument.Ons4, MeasurementPoint.Baseline,
            null, new Ons4Answers(6, 7, 5, 4), null, null, null), Guid.NewGuid(), "lw-1", TestJourneys.Now)]);

        var changes = JourneyEffects.OutcomeChanges(journey);

        var ons4 = changes.Where(c => c.Instrument == Instrument.Ons4).ToList();
        Assert.Equal(4, ons4.Count);
        Assert.All(ons4, c => Assert.Null(c.Change));
        Assert.All(ons4, c => Assert.NotNull(c.Baseline));
        Assert.Null(Assert.Single(changes, c => c.Instrument == Instrument.Wemwbs).Change);
    }

    [Fact]
    public void The_closing_summary_reports_the_ons4_change_from_the_baseline_to_a_later_measurement()
    {
        var journey = TestJourneys.Apply(TestJourneys.Active(), [.. OutcomeMeasureDecider.Record(TestJourneys.Active(), new RecordOutcomeMeasure(Instrument.Ons4,
            MeasurementPoint.Baseline, null, new Ons4Answers(6, 7, 5, 4), null, null, TestJourneys.Now.AddHours(-12)), Guid.NewGuid(), "lw-1", TestJourneys.Now)]);
        journey = TestJourneys.Apply(journey, [.. OutcomeMeasureDecider.Record(journey, new RecordOutcomeMeasure(Instrument.Ons4, MeasurementPoint.Closing,
            null, new Ons4Answers(8, 7, 6, 2), null, null, null), Guid.NewGuid(), "lw-1", TestJourneys.Now)]);

        Assert.All(JourneyEffects.OutcomeChanges(journey), c => Assert.NotNull(c.Change));
    }

    [Fact]
    public void A_reopened_journey_prompts_for_the_closing_measures_of_the_instruments_with_a_baseline_in_its_own_episode()
    {
        // Episode 1 closed with its WEMWBS closing measure skipped; episode 2 takes a SWEMWBS baseline only.
        var first = WithBaseline(TestJourneys.Active(), Instrument.Wemwbs);
        var reopened = Reopened(TestJourneys.Apply(first, [.. ClosureDecider.Close(first, NoneConfirmed,
            new CloseJourney(ClosureReason.GoalsMet, null, "The person did not want to fill it in"), Policy, "lw-1", TestJourneys.Now.AddDays(-3))]));
        var journey = WithBaseline(reopened, Instrument.Swemwbs);

        var prompt = Assert.Throws<DomainRuleException>(() =>
            ClosureDecider.Close(journey, NoneConfirmed, new CloseJourney(ClosureReason.GoalsMet, null, null), Policy, "lw-1", TestJourneys.Now));

        Assert.Empty(reopened.ClosingMeasuresDue);
        Assert.Equal([Instrument.Swemwbs], journey.ClosingMeasuresDue);
        Assert.Contains("due for Swemwbs:", prompt.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_closing_summary_of_a_reopened_journey_reports_the_change_within_its_own_episode()
    {
        var first = WithBaseline(WithBaseline(TestJourneys.Active(), Instrument.Wemwbs), Instrument.Swemwbs);
        var journey = Reopened(WithBaseline(first, Instrument.Wemwbs, MeasurementPoint.Closing));
        journey = TestJourneys.Apply(journey, [.. OutcomeMeasureDecider.Record(journey, new RecordOutcomeMeasure(Instrument.Wemwbs, MeasurementPoint.Baseline,
            Enumerable.Repeat<int?>(2, 14).ToList(), null, null, null, null), Guid.NewGuid(), "lw-1", TestJourneys.Now)]);
        journey = TestJourneys.Apply(journey, [.. OutcomeMeasureDecider.Record(journey, new RecordOutcomeMeasure(Instrument.Wemwbs, MeasurementPoint.Closing,
            Enumerable.Repeat<int?>(4, 14).ToList(), null, null, null, null), Guid.NewGuid(), "lw-1", TestJourneys.Now)]);

        var change = Assert.Single(JourneyEffects.OutcomeChanges(journey));

        Assert.Equal((Instrument.Wemwbs, 28m, 56m, 28m, true), (change.Instrument, change.Baseline!.Value, change.Latest!.Value, change.Change!.Value,
            change.MeaningfulChange!.Value));
    }

    [Fact]
    public void A_home_visit_still_checked_in_blocks_closure()
    {
        var active = TestJourneys.Active();
        var journey = TestJourneys.Apply(active,
            [.. LoneWorkingDecider.CheckIn(active, new CheckInHomeVisit(TestJourneys.Now.AddHours(1)), Guid.NewGuid(), "lw-1", TestJourneys.Now)]);

        Assert.Throws<DomainRuleException>(() =>
            ClosureDecider.Close(journey, NoneConfirmed, new CloseJourney(ClosureReason.MovedAway, null, null), Policy, "lw-1", TestJourneys.Now));
    }

    [Fact]
    public void A_closed_journey_cannot_be_closed_again()
    {
        var journey = TestJourneys.Closed(TestJourneys.Active(), TestJourneys.Now);

        Assert.Throws<DomainRuleException>(() =>
            ClosureDecider.Close(journey, NoneConfirmed, new CloseJourney(ClosureReason.MovedAway, null, null), Policy, "lw-1", TestJourneys.Now));
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, null)]
    [InlineData(false, "   ")]
    public void A_journey_with_a_concern_triage_has_not_confirmed_is_not_closed_without_a_reason_for_closing_anyway(bool flagged, string? reason)
    {
        var concernId = Guid.NewGuid();
        var journey = WithConcern(TestJourneys.Active(), concernId);
        var confirmations = flagged ? new Dictionary<Guid, ConcernConfirmation> { [concernId] = Flagged(journey, concernId) } : NoneConfirmed;

        var refused = Assert.Throws<DomainRuleException>(() => ClosureDecider.Close(journey, confirmations,
            new CloseJourney(ClosureReason.MovedAway, null, null, reason), Policy, "lw-1", TestJourneys.Now));

        Assert.Contains("closeWithUnconfirmedConcernReason", refused.Message, StringComparison.Ordinal);
        Assert.Contains(concernId.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("self-neglect", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Lives alone", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Closing_over_an_unconfirmed_concern_with_a_reason_records_who_closed_over_which_concern_and_why()
    {
        var (confirmedId, unconfirmedId) = (Guid.NewGuid(), Guid.NewGuid());
        var journey = WithConcern(WithConcern(TestJourneys.Active(), confirmedId), unconfirmedId);
        var confirmations = new Dictionary<Guid, ConcernConfirmation>
        {
            [confirmedId] = Confirmed(journey, confirmedId), [unconfirmedId] = Flagged(journey, unconfirmedId),
        };

        var closed = Assert.IsType<JourneyClosed>(Assert.Single(ClosureDecider.Close(journey, confirmations,
            new CloseJourney(ClosureReason.Deceased, null, null, "Duty worker confirmed by phone that they have it"), Policy, "lead-1", TestJourneys.Now)));

        Assert.Equal([unconfirmedId], closed.ClosedWithUnconfirmedConcerns);
        Assert.Equal(("Duty worker confirmed by phone that they have it", "lead-1"), (closed.ClosedWithUnconfirmedConcernReason, closed.ClosedBy));
        Assert.Equal([unconfirmedId], ClosureDecider.UnconfirmedConcerns(journey, confirmations).Select(c => c.ConcernId));
    }

    private static Journey WithFurtherReferral(Journey journey, Guid referralId) =>
        TestJourneys.Apply(journey, [.. FurtherReferralDecider.Record(journey, FurtherReferralDeciderTests.Linked(journey, referralId), TestJourneys.Now.AddHours(-1))]);

    /// <summary>HAZ-001 C11: every reason, a reason to close over a concern given or not; the refusal names the referral by id only.</summary>
    [Theory]
    [InlineData(ClosureReason.GoalsMet)]
    [InlineData(ClosureReason.PersonChoseToEnd)]
    [InlineData(ClosureReason.MovedAway)]
    [InlineData(ClosureReason.ReferredToAnotherService)]
    [InlineData(ClosureReason.UnableToContact)]
    [InlineData(ClosureReason.Deceased)]
    public void A_journey_with_a_further_referral_nobody_has_read_is_not_closed_for_any_reason_and_the_refusal_names_only_its_id(ClosureReason reason)
    {
        var (readId, unreadId) = (Guid.NewGuid(), Guid.NewGuid());
        var journey = WithFurtherReferral(WithFurtherReferral(TestJourneys.Active(), readId), unreadId);
        journey = TestJourneys.Apply(journey, [.. FurtherReferralDecider.Acknowledge(journey, readId, "lw-1", TestJourneys.Now)]);

        var refused = Assert.Throws<DomainRuleException>(() => ClosureDecider.Close(journey, NoneConfirmed,
            new CloseJourney(reason, null, "Not taken", "Closing anyway"), Policy with { UnableToContactAttempts = 0 }, "lw-1", TestJourneys.Now));

        Assert.Contains("1 further referral(s)", refused.Message, StringComparison.Ordinal);
        Assert.Contains(unreadId.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(readId.ToString(), refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Eviction", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Nurse Example", refused.Message, StringComparison.Ordinal);
        Assert.Equal([unreadId], ClosureDecider.UnacknowledgedFurtherReferrals(journey).Select(f => f.ReferralId));
    }

    [Fact]
    public void Once_every_further_referral_is_acknowledged_the_journey_closes_and_records_none_as_unread()
    {
        var referralId = Guid.NewGuid();
        var journey = WithFurtherReferral(TestJourneys.Active(), referralId);
        journey = TestJourneys.Apply(journey, [.. FurtherReferralDecider.Acknowledge(journey, referralId, "lw-1", TestJourneys.Now)]);

        var closed = Assert.IsType<JourneyClosed>(Assert.Single(ClosureDecider.Close(journey, NoneConfirmed,
            new CloseJourney(ClosureReason.MovedAway, null, null), Policy, "lw-1", TestJourneys.Now)));

        Assert.Empty(closed.ClosedWithUnacknowledgedFurtherReferrals);
        Assert.Empty(ClosureDecider.UnacknowledgedFurtherReferrals(journey));
    }

    [Fact]
    public void A_journey_whose_concerns_triage_has_all_confirmed_closes_without_a_reason_and_records_no_override()
    {
        var concernId = Guid.NewGuid();
        var journey = WithConcern(TestJourneys.Active(), concernId);
        var confirmations = new Dictionary<Guid, ConcernConfirmation> { [concernId] = Confirmed(journey, concernId) };

        var closed = Assert.IsType<JourneyClosed>(Assert.Single(ClosureDecider.Close(journey, confirmations,
            new CloseJourney(ClosureReason.MovedAway, null, null), Policy, "lw-1", TestJourneys.Now)));
        var givenAnyway = Assert.IsType<JourneyClosed>(Assert.Single(ClosureDecider.Close(journey, confirmations,
            new CloseJourney(ClosureReason.MovedAway, null, null, "Not needed"), Policy, "lw-1", TestJourneys.Now)));

        Assert.Empty(closed.ClosedWithUnconfirmedConcerns);
        Assert.Null(closed.ClosedWithUnconfirmedConcernReason);
        Assert.Empty(givenAnyway.ClosedWithUnconfirmedConcerns);
        Assert.Null(givenAnyway.ClosedWithUnconfirmedConcernReason);
    }

    [Theory]
    [InlineData(ClosureReason.GoalsMet)]
    [InlineData(ClosureReason.PersonChoseToEnd)]
    [InlineData(ClosureReason.ReferredToAnotherService)]
    public void A_journey_no_worker_took_on_cannot_close_with_an_outcome_only_a_worked_journey_has(ClosureReason reason)
    {
        var journey = TestJourneys.Registered();

        var refused = Assert.Throws<DomainRuleException>(() =>
            ClosureDecider.Close(journey, NoneConfirmed, new CloseJourney(reason, null, null), Policy, "lead-1", TestJourneys.Now));

        Assert.Equal(JourneyStatus.AwaitingAcceptance, journey.Status);
        Assert.Contains("can close only as MovedAway, UnableToContact or Deceased", refused.Message, StringComparison.Ordinal);
        Assert.Equal([ClosureReason.MovedAway, ClosureReason.UnableToContact, ClosureReason.Deceased],
            ClosureDecider.ReasonsFor(journey, Policy with { UnableToContactAttempts = 0 }));
    }

    [Theory]
    [InlineData(ClosureReason.MovedAway)]
    [InlineData(ClosureReason.UnableToContact)]
    [InlineData(ClosureReason.Deceased)]
    public void A_journey_no_worker_took_on_closes_as_moved_away_unable_to_contact_or_deceased(ClosureReason reason)
    {
        // No attempts needed here: this is about the reason the state allows, not the attempts "unable to contact" needs.
        var closed = Assert.IsType<JourneyClosed>(Assert.Single(ClosureDecider.Close(TestJourneys.Registered(), NoneConfirmed,
            new CloseJourney(reason, null, null), Policy with { UnableToContactAttempts = 0 }, "lead-1", TestJourneys.Now)));

        Assert.Equal(reason, closed.Reason);
    }

    [Theory]
    [InlineData(ClosureReason.MovedAway)]
    [InlineData(ClosureReason.UnableToContact)]
    [InlineData(ClosureReason.Deceased)]
    [InlineData(ClosureReason.GoalsMet)]
    public void A_journey_triage_found_not_eligible_is_never_closed_by_a_worker_and_no_reason_is_offered(ClosureReason reason)
    {
        var journey = TestJourneys.Registered(eligible: false);

        var refused = Assert.Throws<DomainRuleException>(() => ClosureDecider.Close(journey, NoneConfirmed, new CloseJourney(reason, null, null),
            Policy with { UnableToContactAttempts = 0 }, "lead-1", TestJourneys.Now));

        Assert.Equal(JourneyStatus.NotEligible, journey.Status);
        Assert.Contains("never opened, so there is nothing to close", refused.Message, StringComparison.Ordinal);
        Assert.Empty(ClosureDecider.ReasonsFor(journey, Policy with { UnableToContactAttempts = 0 }));
    }

    [Fact]
    public void Unable_to_contact_is_offered_only_once_its_attempts_rule_is_met()
    {
        var journey = TestJourneys.Active();
        var notYet = ClosureDecider.ReasonsFor(journey, Policy);
        for (var i = 0; i < 3; i++)
        {
            journey = TestJourneys.Apply(journey, [.. ContactDecider.Record(journey,
                new RecordContact(ContactKind.Phone, ContactOutcome.UnableToContact, 0, null, null, null), Guid.NewGuid(), "lw-1", TestJourneys.Now)]);
        }

        Assert.DoesNotContain(ClosureReason.UnableToContact, notYet);
        Assert.Equal(ClosureDecider.PlannedReasons.Order(), ClosureDecider.ReasonsFor(journey, Policy));
        // A first episode nobody took on can record no contact, so it is never offered there.
        Assert.Equal([ClosureReason.MovedAway, ClosureReason.Deceased], ClosureDecider.ReasonsFor(TestJourneys.Registered(), Policy));
    }

    [Fact]
    public void A_journey_a_worker_took_on_closes_with_any_planned_reason_even_before_the_person_agreed()
    {
        var open = TestJourneys.Opened();
        var anyAttempts = Policy with { UnableToContactAttempts = 0 };

        Assert.Equal(JourneyStatus.Open, open.Status);
        Assert.Equal(ClosureDecider.PlannedReasons.Order(), ClosureDecider.ReasonsFor(open, anyAttempts));
        Assert.Equal(ClosureDecider.PlannedReasons.Order(), ClosureDecider.ReasonsFor(TestJourneys.Active(), anyAttempts));
        Assert.Single(ClosureDecider.Close(open, NoneConfirmed, new CloseJourney(ClosureReason.ReferredToAnotherService, null, null), Policy, "lw-1",
            TestJourneys.Now));
    }
}
