using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Contacting;

/// <summary>A contact with (or attempt to reach, or work on behalf of) the person.</summary>
public sealed record ContactRecorded(
    Guid JourneyId,
    Guid PersonId,
    Guid ContactId,
    ContactKind Kind,
    ContactOutcome Outcome,
    int DurationMinutes,
    [property: PersonalData] string? Venue,
    [property: PersonalData] string? Note,
    string RecordedBy,
    DateTimeOffset OccurredAt) : IJourneyEvent;

/// <summary>
/// No contact with the person for the configured number of weeks. A dormant journey is never closed automatically.
/// <see cref="LastContactAt"/> is the journey's <see cref="Journey.NoContactSince"/>: the episode's opening when nobody has made contact in it.
/// </summary>
public sealed record JourneyWentDormant(Guid JourneyId, DateTimeOffset LastContactAt, DateTimeOffset DormantAt) : IJourneyEvent;

/// <summary>The person re-engaged: contact resumed on the dormant journey.</summary>
public sealed record JourneyReactivated(Guid JourneyId, Guid ContactId, DateTimeOffset ReactivatedAt) : IJourneyEvent;
