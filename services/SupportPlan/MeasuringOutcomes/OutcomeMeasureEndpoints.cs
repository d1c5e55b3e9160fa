using Microsoft.AspNetCore.Http.HttpResults;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.MeasuringOutcomes;

/// <summary>
/// One instrument's measures on a journey: baseline, latest, the change and whether it is meaningful, all in the current
/// <see cref="Episode"/> (null while it has none); <see cref="Measurements"/> holds every episode's, each naming its episode.
/// </summary>
public sealed record InstrumentProgress(
    Instrument Instrument,
    Measurement? Baseline,
    Measurement? Latest,
    decimal? Change,
    bool? MeaningfulChange,
    ChangeDirection? Direction,
    IReadOnlyList<Ons4ItemProgress>? Ons4Items,
    IReadOnlyList<Measurement> Measurements,
    int Episode);

/// <summary>An ONS4 item's change (reported separately; for anxiety a fall is an improvement).</summary>
public sealed record Ons4ItemProgress(string Item, bool HigherIsBetter, int? Baseline, int? Latest, int? Change, ChangeDirection? Direction);

/// <summary>The scored measure as recorded, with its change against the baseline.</summary>
public sealed record OutcomeMeasureRecorded(Guid JourneyId, long Version, Measurement Measurement, ChangeDirection? Direction);

public static class OutcomeMeasureEndpoints
{
    public static RouteGroupBuilder MapOutcomeMeasures(this RouteGroupBuilder journeys)
    {
        journeys.MapPost("/{journeyId:guid}/outcome-measures", Record).WithName("RecordOutcomeMeasure")
            .WithSummary("Score and record WEMWBS, SWEMWBS, ONS4 or PAM; invalid answers get 400 naming the item.");
        journeys.MapGet("/{journeyId:guid}/outcome-measures", Progress).WithName("GetOutcomeMeasures")
            .WithSummary("Per instrument, in the current episode: baseline, latest, change, meaningful change and direction.");
        return journeys;
    }

    private static Task<Results<Ok<OutcomeMeasureRecorded>, Created<OutcomeMeasureRecorded>, ProblemHttpResult>> Record(Guid journeyId,
        RecordOutcomeMeasure command, HttpContext http, JourneyCommands commands)
    {
        var measurementId = Guid.CreateVersion7();
        return commands.ExecuteAsync(http, journeyId, "RecordOutcomeMeasure",
            (journey, now) => OutcomeMeasureDecider.Record(journey, command, measurementId, http.User.UserId(), now),
            (journey, version, _) =>
            {
                var measurement = journey.Measurements.Single(m => m.MeasurementId == measurementId);
                return new OutcomeMeasureRecorded(journeyId, version, measurement,
                    measurement.ChangeSinceBaseline is { } change ? OutcomeScoring.Direction(change) : null);
            },
            _ => $"/journeys/{journeyId}/outcome-measures");
    }

    private static async Task<Results<Ok<IReadOnlyList<InstrumentProgress>>, ProblemHttpResult>> Progress(Guid journeyId, HttpContext http, JourneyReads reads)
    {
        var read = await reads.ReadAsync(http, journeyId, "GetOutcomeMeasures");
        return read.Journey is { } journey ? TypedResults.Ok(ProgressOf(journey)) : read.Refusal!;
    }

    public static IReadOnlyList<InstrumentProgress> ProgressOf(Journey journey) =>
        journey.Measurements.Select(m => m.Instrument).Distinct().Order().Select(instrument =>
        {
            var measurements = journey.Measurements.Where(m => m.Instrument == instrument).OrderBy(m => m.MeasuredAt).ToList();
            var baseline = journey.BaselineOf(instrument);

            // An earlier episode's measure is history, not where this period of support has got to.
            var latest = measurements.LastOrDefault(m => m.Episode == journey.Episode);
            var compared = baseline is not null && latest is not null && !ReferenceEquals(baseline, latest);
            decimal? change = compared && baseline!.Score is { } from && latest!.Score is { } to ? to - from : null;
            IReadOnlyList<Ons4ItemProgress>? items = instrument == Instrument.Ons4
                ? Ons4Item.All.Select(item =>
                {
                    int? b = baseline?.Ons4 is { } bs ? item.Of(bs) : null;
                    int? l = latest?.Ons4 is { } ls ? item.Of(ls) : null;
                    int? c = compared && b is not null && l is not null ? l - b : null;
                    return new Ons4ItemProgress(item.Name, item.HigherIsBetter, b, l, c, c is { } d ? OutcomeScoring.Direction(d, item.HigherIsBetter) : null);
                }).ToList()
                : null;
            return new InstrumentProgress(instrument, baseline, latest, change, change is { } ch ? OutcomeScoring.IsMeaningful(instrument, ch) : null,
                change is { } dir ? OutcomeScoring.Direction(dir) : null, items, measurements, journey.Episode);
        }).ToList();
}
