using Referrals.Contracts;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Caseloads;

/// <summary>
/// The order a worker reads their caseload in: what needs them now first, so that an urgent journey is never below a screen of
/// routine ones because it was contacted recently (HAZ-001). Within each rank the lines keep the order they came in (the longest
/// without contact first).
/// </summary>
public static class CaseloadOrder
{
    public static IReadOnlyList<JourneySummary> AttentionFirst(IEnumerable<JourneySummary> lines) => lines.OrderBy(Rank).ToList();

    private static int Rank(JourneySummary line) => line switch
    {
        { LoneWorkingAlert: true } => 0,
        { UnconfirmedConcern: true } => 1,
        { UnacknowledgedFurtherReferralCarriesRisk: true } => 2,
        { Priority: Priority.Urgent, Status: not (JourneyStatus.Closed or JourneyStatus.NotEligible) } => 3,
        { UnacknowledgedFurtherReferrals: > 0 } => 4,
        _ => 5,
    };
}
