using Referrals.Contracts;
using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Tests.Caseloads;

public sealed class CaseloadOrderTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_overdue_check_out_an_unconfirmed_concern_an_unread_further_referral_with_risk_an_urgent_journey_and_any_unread_further_referral_come_before_the_rest_in_that_order()
    {
        var routine = Line("routine");
        var furtherReferral = Line("further referral", unreadFurtherReferrals: 1);
        var riskyReferral = Line("risky further referral", unreadFurtherReferrals: 1, furtherReferralCarriesRisk: true);
        var urgent = Line("urgent", priority: Priority.Urgent);
        var concern = Line("concern", unconfirmedConcern: true);
        var checkOut = Line("check-out", loneWorkingAlert: true);

        var ordered = CaseloadOrder.AttentionFirst([routine, furtherReferral, urgent, riskyReferral, concern, checkOut]);

        Assert.Equal(["check-out", "concern", "risky further referral", "urgent", "further referral", "routine"], ordered.Select(l => l.PersonName));
    }

    [Fact]
    public void Lines_of_the_same_rank_keep_the_order_they_came_in()
    {
        var lines = new[] { Line("first urgent", priority: Priority.Urgent), Line("routine"), Line("second urgent", priority: Priority.Urgent) };

        Assert.Equal(["first urgent", "second urgent", "routine"], CaseloadOrder.AttentionFirst(lines).Select(l => l.PersonName));
    }

    [Fact]
    public void A_closed_or_not_eligible_journey_is_not_ranked_as_urgent_but_keeps_its_rank_for_a_concern_or_a_further_referral()
    {
        var open = Line("open routine");
        var closedUrgent = Line("closed urgent", priority: Priority.Urgent, status: JourneyStatus.Closed);
        var notEligibleUrgent = Line("not eligible urgent", priority: Priority.Urgent, status: JourneyStatus.NotEligible);
        var closedWithReferral = Line("closed with a further referral", status: JourneyStatus.Closed, unreadFurtherReferrals: 2);

        var ordered = CaseloadOrder.AttentionFirst([open, closedUrgent, notEligibleUrgent, closedWithReferral]);

        Assert.Equal(["closed with a further referral", "open routine", "closed urgent", "not eligible urgent"], ordered.Select(l => l.PersonName));
    }

    private static JourneySummary Line(string name, Priority priority = Priority.Routine, JourneyStatus status = JourneyStatus.Active,
        bool loneWorkingAlert = false, bool unconfirmedConcern = false, int unreadFurtherReferrals = 0, bool furtherReferralCarriesRisk = false) =>
        new(Guid.CreateVersion7(), 3, Guid.NewGuid(), name, "prog-test", status, "lw-1", "B82005", priority, Tier.LinkWorker,
            Escalated: false, AgreementDue: false, RegisteredAt: Now, OpenedAt: Now, LastContactAt: Now, DormantSince: null,
            NextReviewDate: null, ContactCount: 1, SafeguardingConcerns: unconfirmedConcern ? 1 : 0, Crisis: false, loneWorkingAlert,
            ClosedAt: status == JourneyStatus.Closed ? Now : null, ClosureReason: null, unconfirmedConcern, unreadFurtherReferrals,
            furtherReferralCarriesRisk);
}
