using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.MeasuringOutcomes;
using Referrals.SupportPlan.Registering;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.MeasuringOutcomes;

/// <summary>Measures belong to the episode they were taken in: a journey reopened by a re-referral is measured afresh.</summary>
public sealed class OutcomeMeasureDeciderTests
{
    /// <summary>WEMWBS with every item answered alike: the score is 14 times the answer (2 → 28, 3 → 42, 4 → 56).</summary>
    private static RecordOutcomeMeasure Wemwbs(MeasurementPoint point, int answer, DateTimeOffset? measuredAt = null) =>
        new(Instrument.Wemwbs, point, Enumerable.Repeat<int?>(answer, 14).ToList(), null, null, null, measuredAt);

    private static OutcomeMeasured Decide(Journey journey, RecordOutcomeMeasure command) =>
        Assert.IsType<OutcomeMeasured>(Assert.Single(OutcomeMeasureDecider.Record(journey, command, Guid.NewGuid(), "lw-1", TestJourneys.Now)));

    private static Journey Record(Journey journey, RecordOutcomeMeasure command) => TestJourneys.Apply(journey, Decide(journey, command));

    /// <summary>Closed, then reopened by a re-referral within the window; the person had agreed, so it opens active in episode 2.</summary>
    private static Journey Reopened(Journey journey)
    {
        var closed = TestJourneys.Closed(journey, TestJourneys.Now.AddDays(-3));
        return TestJourneys.Open(TestJourneys.Apply(closed, new JourneyRegistered(closed.Id, closed.PersonId, closed.ProgrammeId, TestJourneys.Facts(), null,
            null, true, TestJourneys.Now.AddDays(-2))));
    }

    [Fact]
    public void A_reopened_journey_takes_a_new_baseline_and_a_new_closing_measure()
    {
        var first = Record(Record(TestJourneys.Active(), Wemwbs(MeasurementPoint.Baseline, 2)), Wemwbs(MeasurementPoint.Closing, 3));
        var reopened = Reopened(first);

        var baseline = Decide(reopened, Wemwbs(MeasurementPoint.Baseline, 4));
        var journey = TestJourneys.Apply(reopened, baseline);
        var closing = Decide(journey, Wemwbs(MeasurementPoint.Closing, 3));
        journey = TestJourneys.Apply(journey, closing);

        Assert.Equal(2, reopened.Episode);
        Assert.Equal((56m, (decimal?)null), (baseline.Score, baseline.ChangeSinceBaseline));
        Assert.Equal((42m, -14m, true), (closing.Score, closing.ChangeSinceBaseline!.Value, closing.MeaningfulChange!.Value));
        Assert.Equal([1, 1, 2, 2], journey.Measurements.Select(m => m.Episode));
        Assert.Empty(journey.ClosingMeasuresDue);
    }

    [Fact]
    public void The_change_in_a_reopened_journey_is_against_the_baseline_of_its_own_episode()
    {
        var reopened = Reopened(Record(TestJourneys.Active(), Wemwbs(MeasurementPoint.Baseline, 2)));

        var beforeNewBaseline = Decide(reopened, Wemwbs(MeasurementPoint.FollowUp, 3));
        var journey = Record(reopened, Wemwbs(MeasurementPoint.Baseline, 4));
        var followUp = Decide(journey, Wemwbs(MeasurementPoint.FollowUp, 3));

        Assert.Null(beforeNewBaseline.ChangeSinceBaseline);
        Assert.Equal(-14m, followUp.ChangeSinceBaseline);
        Assert.Equal(56m, journey.BaselineOf(Instrument.Wemwbs)!.Score);
    }

    [Fact]
    public void A_second_baseline_or_closing_measure_in_the_same_episode_is_still_refused()
    {
        var journey = Record(Reopened(Record(TestJourneys.Active(), Wemwbs(MeasurementPoint.Baseline, 2))), Wemwbs(MeasurementPoint.Baseline, 4));
        journey = Record(journey, Wemwbs(MeasurementPoint.Closing, 3));

        var baseline = Assert.Throws<DomainRuleException>(() => Decide(journey, Wemwbs(MeasurementPoint.Baseline, 3)));
        var closing = Assert.Throws<DomainRuleException>(() => Decide(journey, Wemwbs(MeasurementPoint.Closing, 3)));

        Assert.Contains("baseline is already recorded in this episode", baseline.Message, StringComparison.Ordinal);
        Assert.Contains("closing Wemwbs measure is already recorded in this episode", closing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_measurement_event_without_an_episode_belongs_to_the_episode_current_when_it_was_recorded()
    {
        // As recorded before measures were kept per episode: the event names no episode.
        var active = TestJourneys.Active();
        var recordedThen = new OutcomeMeasured(active.Id, active.PersonId, Guid.NewGuid(), Instrument.Wemwbs, MeasurementPoint.Baseline, [2, 2, 2, 2, 2, 2, 2, 2,
            2, 2, 2, 2, 2, 2], 28m, 28, null, null, null, null, "lw-1", TestJourneys.Now.AddDays(-20), TestJourneys.Now.AddDays(-20));
        var reopened = Reopened(TestJourneys.Apply(active, recordedThen));

        // Recorded in episode 2, dated back (within it: a date before the episode opened is refused): it belongs to episode 2.
        var datedBack = Record(reopened, Wemwbs(MeasurementPoint.Baseline, 4, reopened.OpenedAt!.Value.AddHours(1)));

        Assert.Equal(1, Assert.Single(reopened.Measurements).Episode);
        Assert.Null(reopened.BaselineOf(Instrument.Wemwbs));
        Assert.Empty(reopened.ClosingMeasuresDue);
        Assert.Equal([1, 2], datedBack.Measurements.Select(m => m.Episode));
        Assert.Equal(56m, datedBack.BaselineOf(Instrument.Wemwbs)!.Score);
    }

    [Fact]
    public void Progress_shows_the_current_episode_and_keeps_the_earlier_episodes_measures_as_history()
    {
        var first = Record(Record(TestJourneys.Active(), Wemwbs(MeasurementPoint.Baseline, 2)), Wemwbs(MeasurementPoint.Closing, 4));
        var reopened = Reopened(first);
        var measured = Record(reopened, Wemwbs(MeasurementPoint.Baseline, 3));

        var none = Assert.Single(OutcomeMeasureEndpoints.ProgressOf(reopened));
        var progress = Assert.Single(OutcomeMeasureEndpoints.ProgressOf(measured));

        Assert.Equal((2, (Measurement?)null, (Measurement?)null, (decimal?)null), (none.Episode, none.Baseline, none.Latest, none.Change));
        Assert.Equal(2, none.Measurements.Count);
        Assert.Equal((2, 42m, (decimal?)null), (progress.Episode, progress.Baseline!.Score, progress.Change));
        Assert.Same(progress.Baseline, progress.Latest);
        Assert.Equal([1, 1, 2], progress.Measurements.Select(m => m.Episode));
    }
}
