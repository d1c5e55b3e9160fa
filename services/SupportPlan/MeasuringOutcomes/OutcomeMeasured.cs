using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.MeasuringOutcomes;

/// <summary>
/// A scored outcome measure. The item answers are kept (as personal data); the score is what the published scoring gives for
/// them (PAM: the licensed score as recorded, and the level from the published bands). The change is against the baseline of
/// the same instrument in the same episode. The episode is not named: it is the journey's when the event is applied.
/// </summary>
public sealed record OutcomeMeasured(
    Guid JourneyId,
    Guid PersonId,
    Guid MeasurementId,
    Instrument Instrument,
    MeasurementPoint Point,
    [property: PersonalData] IReadOnlyList<int>? Items,
    decimal? Score,
    int? RawScore,
    int? PamLevel,
    Ons4Scores? Ons4,
    decimal? ChangeSinceBaseline,
    bool? MeaningfulChange,
    string RecordedBy,
    DateTimeOffset MeasuredAt,
    DateTimeOffset RecordedAt) : IJourneyEvent;
