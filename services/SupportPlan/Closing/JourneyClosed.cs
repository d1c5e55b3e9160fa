using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Closing;

/// <summary>
/// The journey closed: a planned discharge with its reason, or a decline or withdrawal. The closing summary for the GP is built
/// from the journey as it stands when this is published.
/// </summary>
public sealed record JourneyClosed(
    Guid JourneyId,
    Guid PersonId,
    ClosureReason Reason,
    [property: PersonalData] string? Note,
    IReadOnlyList<Instrument> ClosingMeasuresSkipped,
    [property: PersonalData] string? ClosingMeasuresSkippedReason,
    string ClosedBy,
    DateTimeOffset ClosedAt) : IJourneyEvent;
