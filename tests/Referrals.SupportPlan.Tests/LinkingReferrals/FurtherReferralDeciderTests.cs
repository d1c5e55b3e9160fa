using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Contracts.Triage;
using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.LinkingReferrals;
using Referrals.SupportPlan.Safeguarding;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.LinkingReferrals;

public sealed class FurtherReferralDeciderTests
{
    public static ReferralLinkedToOpenJourney Linked(Journey journey, Guid? referralId = null, RiskAnswers? risk = null, string? riskNotes = null) =>
        new(referralId ?? Guid.NewGuid(), journey.Id, journey.PersonId, journey.ProgrammeId,
            new Referrer(ReferrerKind.OtherHealthOrganisation, "RR8", "Nurse Example", "District nurse", "0113 000 0001"), TestJourneys.Now.AddHours(-1))
        {
            Risk = risk,
            RiskNotes = riskNotes,
            Urgency = Urgency.Urgent,
            Needs = [NeedCategory.Housing],
            ReasonText = "Eviction notice received",
            WhatMatters = "Keeping the flat",
        };

    [Fact]
    public void A_linked_referral_is_recorded_on_the_journey_with_its_facts_and_words_and_awaits_acknowledgement()
    {
        var journey = TestJourneys.Active();
        var linked = Linked(journey);

        var received = Assert.IsType<FurtherReferralReceived>(Assert.Single(FurtherReferralDecider.Record(journey, linked, TestJourneys.Now)));
        var after = TestJourneys.Apply(journey, received);

        Assert.Equal((linked.ReferralId, "RR8", Urgency.Urgent, false), (received.ReferralId, received.Referrer.OrganisationId, received.Urgency, received.CarriedRisk));
        Assert.Equal([NeedCategory.Housing], received.Needs);
        Assert.Equal(("Eviction notice received", "Keeping the flat"), (received.ReasonText, received.WhatMatters));
        var further = Assert.Single(after.FurtherReferrals);
        Assert.Null(further.AcknowledgedAt);
        Assert.Equal("Eviction notice received", after.TextOf(TextKeys.FurtherReason(linked.ReferralId)));
        Assert.Equal("Keeping the flat", after.TextOf(TextKeys.FurtherWhatMatters(linked.ReferralId)));
    }

    [Fact]
    public void A_linked_referral_already_recorded_is_not_recorded_again()
    {
        var journey = TestJourneys.Active();
        var linked = Linked(journey);
        journey = TestJourneys.Apply(journey, [.. FurtherReferralDecider.Record(journey, linked, TestJourneys.Now)]);

        Assert.Empty(FurtherReferralDecider.Record(journey, linked, TestJourneys.Now.AddMinutes(5)));
        Assert.Empty(FurtherReferralDecider.Record(journey, Linked(journey, journey.Referral.ReferralId), TestJourneys.Now));
    }

    [Fact]
    public void A_structured_risk_answer_or_risk_notes_mark_the_further_referral_as_carrying_risk()
    {
        var journey = TestJourneys.Active();

        Assert.False(FurtherReferralDecider.CarriedRisk(Linked(journey, risk: new RiskAnswers(false, false, false, false))));
        Assert.True(FurtherReferralDecider.CarriedRisk(Linked(journey, risk: new RiskAnswers(true, false, false, false))));
        Assert.True(FurtherReferralDecider.CarriedRisk(Linked(journey, risk: new RiskAnswers(false, false, false, true))));
        Assert.True(FurtherReferralDecider.CarriedRisk(Linked(journey, riskNotes: "Talked about ending it")));
    }

    [Fact]
    public void A_closed_journey_still_records_a_further_referral()
    {
        var journey = TestJourneys.Closed(TestJourneys.Active(), TestJourneys.Now.AddMinutes(-30));

        Assert.IsType<FurtherReferralReceived>(Assert.Single(FurtherReferralDecider.Record(journey, Linked(journey), TestJourneys.Now)));
    }

    [Fact]
    public void Acknowledging_clears_the_further_referral_once_and_an_unknown_one_is_not_found()
    {
        var journey = TestJourneys.Active();
        var linked = Linked(journey);
        journey = TestJourneys.Apply(journey, [.. FurtherReferralDecider.Record(journey, linked, TestJourneys.Now)]);

        var acknowledged = Assert.IsType<FurtherReferralAcknowledged>(Assert.Single(FurtherReferralDecider.Acknowledge(journey, linked.ReferralId, "user-1", TestJourneys.Now)));
        journey = TestJourneys.Apply(journey, acknowledged);

        Assert.Equal((TestJourneys.Now, "user-1"), (journey.FurtherReferrals.Single().AcknowledgedAt, journey.FurtherReferrals.Single().AcknowledgedBy));
        Assert.Empty(FurtherReferralDecider.Acknowledge(journey, linked.ReferralId, "user-2", TestJourneys.Now.AddMinutes(1)));
        Assert.Throws<JourneyPartNotFoundException>(() => FurtherReferralDecider.Acknowledge(journey, Guid.NewGuid(), "user-1", TestJourneys.Now));
    }

    private static LinkedReferralReceived Receipt(Journey journey, Guid referralId, Guid? escalationId) =>
        new(referralId, journey.Id, journey.PersonId, escalationId, TestJourneys.Now.AddMinutes(-50));

    /// <summary>A further referral whose structured answers and risk notes report nothing (triage may still escalate on its words or urgency).</summary>
    private static (Journey Journey, ReferralLinkedToOpenJourney Linked) WithUnmarkedFurtherReferral()
    {
        var journey = TestJourneys.Active();
        var linked = Linked(journey, risk: new RiskAnswers(false, false, false, false));
        return (TestJourneys.Apply(journey, [.. FurtherReferralDecider.Record(journey, linked, TestJourneys.Now)]), linked);
    }

    [Fact]
    public void A_further_referral_triage_escalated_reports_risk_on_the_journey_and_the_caseload_though_its_answers_did_not()
    {
        var (journey, linked) = WithUnmarkedFurtherReferral();
        var escalationId = Guid.NewGuid();
        Assert.False(journey.FurtherReferrals.Single().ReportsRisk());
        Assert.False(JourneySummary.Of(journey, new Dictionary<Guid, ConcernConfirmation>()).UnacknowledgedFurtherReferralCarriesRisk);

        var escalated = Assert.IsType<FurtherReferralEscalatedByTriage>(Assert.Single(
            FurtherReferralDecider.RecordTriageEscalation(journey, Receipt(journey, linked.ReferralId, escalationId), TestJourneys.Now)));
        journey = TestJourneys.Apply(journey, escalated);

        Assert.Equal((journey.Id, linked.ReferralId, escalationId, TestJourneys.Now.AddMinutes(-50), TestJourneys.Now),
            (escalated.JourneyId, escalated.ReferralId, escalated.EscalationId, escalated.EscalatedAt, escalated.RecordedAt));
        var further = journey.FurtherReferrals.Single();
        Assert.Equal((false, escalationId, true), (further.CarriedRisk, further.TriageEscalationId, further.ReportsRisk()));
        Assert.True(JourneySummary.Of(journey, new Dictionary<Guid, ConcernConfirmation>()).UnacknowledgedFurtherReferralCarriesRisk);
    }

    [Fact]
    public void A_further_referral_is_marked_escalated_once_and_a_receipt_without_an_escalation_marks_nothing_and_waits_for_nothing()
    {
        var (journey, linked) = WithUnmarkedFurtherReferral();
        Assert.Empty(FurtherReferralDecider.RecordTriageEscalation(journey, Receipt(journey, linked.ReferralId, null), TestJourneys.Now));
        Assert.False(FurtherReferralDecider.AwaitsItsLinking(journey, Receipt(journey, Guid.NewGuid(), null)));

        var escalationId = Guid.NewGuid();
        journey = TestJourneys.Apply(journey, [.. FurtherReferralDecider.RecordTriageEscalation(journey, Receipt(journey, linked.ReferralId, escalationId), TestJourneys.Now)]);
        Assert.Equal(escalationId, journey.FurtherReferrals.Single().TriageEscalationId);

        Assert.Empty(FurtherReferralDecider.RecordTriageEscalation(journey, Receipt(journey, linked.ReferralId, escalationId), TestJourneys.Now.AddMinutes(1)));
        Assert.Empty(FurtherReferralDecider.RecordTriageEscalation(journey, Receipt(journey, linked.ReferralId, Guid.NewGuid()), TestJourneys.Now.AddMinutes(1)));
        Assert.Empty(FurtherReferralDecider.RecordTriageEscalation(journey, Receipt(journey, linked.ReferralId, null), TestJourneys.Now.AddMinutes(1)));
    }

    [Fact]
    public void An_escalation_of_a_referral_the_journey_has_not_recorded_yet_waits_for_its_linking_but_one_of_the_journeys_own_referral_does_not()
    {
        var journey = TestJourneys.Active();
        var linked = Linked(journey, risk: new RiskAnswers(false, false, false, false));
        var receipt = Receipt(journey, linked.ReferralId, Guid.NewGuid());

        Assert.True(FurtherReferralDecider.AwaitsItsLinking(journey, receipt));
        Assert.Empty(FurtherReferralDecider.RecordTriageEscalation(journey, receipt, TestJourneys.Now));
        var own = Receipt(journey, journey.Referral.ReferralId, Guid.NewGuid());
        Assert.False(FurtherReferralDecider.AwaitsItsLinking(journey, own));
        Assert.Empty(FurtherReferralDecider.RecordTriageEscalation(journey, own, TestJourneys.Now));

        journey = TestJourneys.Apply(journey, [.. FurtherReferralDecider.Record(journey, linked, TestJourneys.Now)]);
        Assert.False(FurtherReferralDecider.AwaitsItsLinking(journey, receipt));
        Assert.Single(FurtherReferralDecider.RecordTriageEscalation(journey, receipt, TestJourneys.Now));
    }

    [Fact]
    public void A_closed_journey_still_marks_its_further_referral_escalated()
    {
        var (journey, linked) = WithUnmarkedFurtherReferral();
        journey = TestJourneys.Closed(journey, TestJourneys.Now.AddMinutes(-10));

        Assert.IsType<FurtherReferralEscalatedByTriage>(Assert.Single(
            FurtherReferralDecider.RecordTriageEscalation(journey, Receipt(journey, linked.ReferralId, Guid.NewGuid()), TestJourneys.Now)));
    }
}
