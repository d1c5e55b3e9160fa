using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.MeasuringOutcomes;

/// <summary>
/// Record an outcome measure. WEMWBS and SWEMWBS take <see cref="Items"/> (14 and 7 answers, each 1-5); ONS4 takes
/// <see cref="Ons4"/>; PAM takes the licensed <see cref="PamScore"/> (and optionally the level, which must match the bands).
/// </summary>
public sealed record RecordOutcomeMeasure(
    Instrument Instrument,
    MeasurementPoint Point,
    IReadOnlyList<int?>? Items,
    Ons4Answers? Ons4,
    decimal? PamScore,
    int? PamLevel,
    DateTimeOffset? MeasuredAt);

/// <summary>
/// Baseline, follow-ups and a closing measure per instrument and episode: a journey reopened by a re-referral is a new period
/// of support, measured afresh. The change is against the instrument's baseline in the same episode, and for WEMWBS and
/// SWEMWBS says whether it meets the meaningful-change threshold. Measures are never required at every contact.
/// </summary>
public static class OutcomeMeasureDecider
{
    public static IReadOnlyList<object> Record(Journey journey, RecordOutcomeMeasure command, Guid measurementId, string by, DateTimeOffset now)
    {
        new Validation().Defined(command.Instrument, "instrument").Defined(command.Point, "point").ThrowIfAny();
        var scored = OutcomeScoring.Score(new MeasureAnswers(command.Instrument, command.Items, command.Ons4, command.PamScore, command.PamLevel));
        if (scored.Measure is not { } measure)
        {
            throw new RequestValidationException(scored.Errors.ToDictionary());
        }

        JourneyRules.RequireAgreed(journey, "record an outcome measure");
        var at = JourneyRules.WhenInEpisode(journey, command.MeasuredAt, now, "measuredAt");
        var baseline = journey.BaselineOf(command.Instrument);

        // A change is measured from the baseline: one dated before it would be scored against a later state.
        if (command.Point != MeasurementPoint.Baseline && baseline is not null && at < baseline.MeasuredAt)
        {
            throw RequestValidationException.For("measuredAt", "A follow-up or closing measure cannot be dated before this episode's baseline.");
        }

        switch (command.Point)
        {
            case MeasurementPoint.Baseline when baseline is not null:
                throw new DomainRuleException($"A {command.Instrument} baseline is already recorded in this episode; record a follow-up or closing measure.");
            case MeasurementPoint.Closing when journey.ClosingMeasureOf(command.Instrument) is not null:
                throw new DomainRuleException($"A closing {command.Instrument} measure is already recorded in this episode.");
        }

        decimal? change = command.Point != MeasurementPoint.Baseline && baseline?.Score is { } start && measure.Score is { } score ? score - start : null;
        return
        [
            new OutcomeMeasured(journey.Id, journey.PersonId, measurementId, command.Instrument, command.Point, measure.Items, measure.Score,
                measure.RawScore, measure.PamLevel, measure.Ons4, change, change is { } c ? OutcomeScoring.IsMeaningful(command.Instrument, c) : null, by,
                at, now),
        ];
    }
}
