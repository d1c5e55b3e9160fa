using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Opening;

/// <summary>
/// A link worker accepted the assignment: the journey opened (or reopened). <see cref="Episode"/> counts the journey's
/// openings: 1 at first, one more at each reopening.
/// </summary>
public sealed record JourneyOpened(
    Guid JourneyId,
    Guid ReferralId,
    Guid AssignmentId,
    string LinkWorkerId,
    bool Reopened,
    int Episode,
    DateTimeOffset AcceptedAt,
    DateTimeOffset OpenedAt) : IJourneyEvent;

/// <summary>Triage reassigned the open journey and the new worker accepted: the caseload moves with the person's history intact.</summary>
public sealed record LinkWorkerChanged(
    Guid JourneyId,
    Guid AssignmentId,
    string? PreviousLinkWorkerId,
    string LinkWorkerId,
    DateTimeOffset ChangedAt) : IJourneyEvent;
