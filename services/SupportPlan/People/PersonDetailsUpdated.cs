using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.People;

/// <summary>Intake rectified the person's details; the journey keeps the corrected copy.</summary>
public sealed record PersonDetailsUpdated(
    Guid JourneyId,
    Guid PersonId,
    [property: PersonalData] PersonDetails? Person,
    DateTimeOffset UpdatedAt) : IJourneyEvent;
