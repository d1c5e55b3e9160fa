using Referrals.Contracts;
using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.Escalating;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Overriding;
using Referrals.SupportPlan.Registering;
using Referrals.SupportPlan.Safeguarding;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Escalating;

public sealed class EscalationDeciderTests
{
    private static readonly IReadOnlyDictionary<Guid, ConcernConfirmation> NoneConfirmed = new Dictionary<Guid, ConcernConfirmation>();

    private static EscalationReceived Escalation(Journey journey, Tier tier = Tier.PsychosocialLinkWorker, long version = 5, Guid? referralId = null) =>
        new(referralId ?? journey.Referral.ReferralId, journey.PersonId, Guid.NewGuid(), tier, Priority.Urgent, TestJourneys.Now.AddMinutes(-5), version);

    private static TriageReceived Triage(Journey journey, Priority priority, long? version, bool escalated = false) =>
        new(journey.Referral.ReferralId, journey.PersonId, journey.ProgrammeId, true, [], 3, Tier.LinkWorker, priority, escalated, TestJourneys.Now, version);

    private static TriageOverrideReceived Override(Journey journey, Priority priority, Tier tier, long? version) =>
        new(journey.Referral.ReferralId, journey.PersonId, tier, priority, "tl-1", TestJourneys.Now.AddMinutes(-1), version);

    [Fact]
    public void An_escalation_of_a_waiting_journeys_referral_makes_it_urgent_and_escalated_at_the_escalated_tier_on_the_journey_and_its_list_line()
    {
        var journey = TestJourneys.Registered();

        var events = EscalationDecider.Follow(journey, Escalation(journey), Triage(journey, Priority.Routine, 1), null, TestJourneys.Now);

        var raised = Assert.IsType<ReferralEscalatedForRisk>(Assert.Single(events));
        Assert.Equal((Tier.PsychosocialLinkWorker, Priority.Urgent, Tier.LinkWorker, Priority.Routine, false),
            (raised.RequiredTier, raised.Priority, raised.PreviousTier, raised.PreviousPriority, raised.WasEscalated));
        var after = TestJourneys.Apply(journey, [.. events]);
        Assert.Equal((Tier.PsychosocialLinkWorker, Priority.Urgent, true), (after.Referral.RequiredTier, after.Referral.Priority, after.Referral.Escalated));
        var line = JourneySummary.Of(after, NoneConfirmed);
        Assert.Equal((Tier.PsychosocialLinkWorker, Priority.Urgent, true), (line.RequiredTier, line.Priority, line.Escalated));
        Assert.Equal(JourneyStatus.AwaitingAcceptance, after.Status);
    }

    [Fact]
    public void An_escalation_of_an_accepted_referral_shows_it_urgent_and_escalated_with_its_worker_and_tier_kept()
    {
        // Triage keeps an accepted referral with its worker and at its tier.
        var journey = TestJourneys.Active();

        var after = TestJourneys.Apply(journey, [.. EscalationDecider.Follow(journey, Escalation(journey, Tier.LinkWorker), null, null, TestJourneys.Now)]);

        Assert.Equal((Tier.LinkWorker, Priority.Urgent, true), (after.Referral.RequiredTier, after.Referral.Priority, after.Referral.Escalated));
        Assert.Equal((journey.LinkWorkerId, journey.AssignmentId, JourneyStatus.Active), (after.LinkWorkerId, after.AssignmentId, after.Status));
    }

    [Fact]
    public void An_escalation_never_lowers_the_tier_or_priority_the_journey_shows_and_one_that_raises_nothing_records_nothing()
    {
        // A team lead raised the accepted referral to the Psychosocial tier; triage's escalation keeps an accepted referral's tier.
        var journey = TestJourneys.Apply(TestJourneys.Active(), new ReferralTriageOverridden(Guid.Empty, Guid.Empty, Tier.PsychosocialLinkWorker,
            Priority.High, Tier.LinkWorker, Priority.Routine, "tl-1", TestJourneys.Now, TestJourneys.Now));

        var raised = Assert.IsType<ReferralEscalatedForRisk>(Assert.Single(
            EscalationDecider.Follow(journey, Escalation(journey, Tier.LinkWorker), null, null, TestJourneys.Now)));
        Assert.Equal((Tier.PsychosocialLinkWorker, Priority.Urgent), (raised.RequiredTier, raised.Priority));

        var escalated = TestJourneys.Apply(journey, raised);
        Assert.Empty(EscalationDecider.Follow(escalated, Escalation(escalated, Tier.LinkWorker, version: 9), null, null, TestJourneys.Now));
        var inForce = EscalationDecider.InForce(Triage(journey, Priority.Routine, 1), null, Escalation(journey, Tier.LinkWorker));
        Assert.Equal((Tier.LinkWorker, Priority.Urgent, true), (inForce.RequiredTier, inForce.Priority, inForce.Escalated));
    }

    [Fact]
    public void An_escalation_of_an_earlier_referral_of_a_reopened_journey_or_of_a_closed_journey_records_nothing()
    {
        var first = TestJourneys.Closed(TestJourneys.Active(), TestJourneys.Now.AddDays(-10));
        var reopened = TestJourneys.Apply(first, new JourneyRegistered(first.Id, first.PersonId, TestJourneys.Programme, TestJourneys.Facts(),
            null, null, true, TestJourneys.Now.AddDays(-1)));

        Assert.Empty(EscalationDecider.Follow(reopened, Escalation(reopened, referralId: first.Referral.ReferralId), null, null, TestJourneys.Now));
        Assert.Empty(EscalationDecider.Follow(first, Escalation(first), null, null, TestJourneys.Now));
    }

    [Fact]
    public void Of_an_escalation_and_triages_decisions_the_later_by_triages_stream_version_stands_whichever_arrives_first()
    {
        var journey = TestJourneys.Registered();
        var escalation = Escalation(journey, version: 5);

        // Triage decided again after the escalation: that decision already carries what is in force.
        Assert.Empty(EscalationDecider.Follow(journey, escalation, Triage(journey, Priority.High, 7), null, TestJourneys.Now));
        var later = EscalationDecider.InForce(Triage(journey, Priority.High, 7), null, escalation);
        Assert.Equal((Priority.High, Tier.LinkWorker), (later.Priority, later.RequiredTier));

        // An earlier decision arriving after the escalation keeps it urgent, escalated and at its tier.
        var earlier = EscalationDecider.InForce(Triage(journey, Priority.Routine, 3), null, escalation);
        Assert.Equal((Tier.PsychosocialLinkWorker, Priority.Urgent, true), (earlier.RequiredTier, earlier.Priority, earlier.Escalated));
        Assert.Single(EscalationDecider.Follow(journey, escalation, Triage(journey, Priority.Routine, 3), null, TestJourneys.Now));
    }

    [Fact]
    public void Of_an_escalation_and_a_team_leads_override_the_later_tier_and_priority_stand_and_the_referral_stays_escalated()
    {
        var journey = TestJourneys.Registered();
        var escalation = Escalation(journey, version: 5);
        var triage = Triage(journey, Priority.Routine, 1);

        // A team lead's override after the escalation (version 7) sets the tier and priority; the escalated mark stays.
        var overridden = Override(journey, Priority.High, Tier.LinkWorkerCoach, 7);
        var inForce = EscalationDecider.InForce(triage, overridden, escalation);
        Assert.Equal((Tier.LinkWorkerCoach, Priority.High, true), (inForce.RequiredTier, inForce.Priority, inForce.Escalated));
        var marked = Assert.IsType<ReferralEscalatedForRisk>(Assert.Single(EscalationDecider.Follow(journey, escalation, triage, overridden, TestJourneys.Now)));
        Assert.Equal((Tier.LinkWorker, Priority.Routine), (marked.RequiredTier, marked.Priority));
        Assert.False(EscalationDecider.IsLaterThan(escalation, overridden));

        // An override before the escalation (version 3), arriving after it, changes nothing: the escalation stands.
        var older = Override(journey, Priority.Routine, Tier.LinkWorker, 3);
        Assert.True(EscalationDecider.IsLaterThan(escalation, older));
        var standing = EscalationDecider.InForce(triage, older, escalation);
        Assert.Equal((Tier.PsychosocialLinkWorker, Priority.Urgent, true), (standing.RequiredTier, standing.Priority, standing.Escalated));
    }

    [Fact]
    public void An_override_without_triages_version_never_undoes_an_escalation_whichever_arrives_first()
    {
        var journey = TestJourneys.Registered();
        var escalation = Escalation(journey, version: 5);
        var unplaced = Override(journey, Priority.Routine, Tier.LinkWorker, null);

        // The escalation first: the override that follows changes nothing.
        Assert.True(EscalationDecider.IsLaterThan(escalation, unplaced));
        // The override first: the escalation still raises the journey.
        Assert.False(EscalationDecider.OverrideIsLater(unplaced, escalation));
        var raised = Assert.IsType<ReferralEscalatedForRisk>(Assert.Single(
            EscalationDecider.Follow(journey, escalation, Triage(journey, Priority.Routine, 1), unplaced, TestJourneys.Now)));
        Assert.Equal(Priority.Urgent, raised.Priority);
    }

    [Fact]
    public void The_referral_keeps_a_later_escalation_and_not_another_step_of_the_same_one_or_an_older_one()
    {
        var journey = TestJourneys.Registered();
        var referral = Fold.Apply<Referral>(null, [Escalation(journey, version: 5)])!;

        Assert.False(ReferralDecider.Accepts(referral, Escalation(journey, version: 5)));
        Assert.False(ReferralDecider.Accepts(referral, Escalation(journey, version: 4)));
        Assert.True(ReferralDecider.Accepts(referral, Escalation(journey, version: 8)));
        Assert.True(ReferralDecider.Accepts(null, Escalation(journey)));
    }
}
