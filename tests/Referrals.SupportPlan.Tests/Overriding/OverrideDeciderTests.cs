using Referrals.Contracts;
using Referrals.SupportPlan.Caseloads;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Overriding;
using Referrals.SupportPlan.Registering;
using Referrals.SupportPlan.Safeguarding;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Overriding;

public sealed class OverrideDeciderTests
{
    private static readonly IReadOnlyDictionary<Guid, ConcernConfirmation> NoneConfirmed = new Dictionary<Guid, ConcernConfirmation>();

    private static TriageOverrideReceived Override(Journey journey, Priority priority = Priority.Urgent, Tier tier = Tier.PsychosocialLinkWorker,
        long? version = 4, Guid? referralId = null) =>
        new(referralId ?? journey.Referral.ReferralId, journey.PersonId, tier, priority, "tl-1", TestJourneys.Now.AddMinutes(-5), version);

    private static TriageReceived Triage(Journey journey, Priority priority, long? version) =>
        new(journey.Referral.ReferralId, journey.PersonId, journey.ProgrammeId, true, [], 3, Tier.LinkWorker, priority, false, TestJourneys.Now, version);

    [Fact]
    public void An_override_of_the_journeys_referral_changes_its_tier_and_priority_on_the_journey_and_the_caseload_line()
    {
        var journey = TestJourneys.Active();

        var events = OverrideDecider.Follow(journey, Override(journey), Triage(journey, Priority.Routine, 1), TestJourneys.Now);

        var changed = Assert.IsType<ReferralTriageOverridden>(Assert.Single(events));
        Assert.Equal((Tier.PsychosocialLinkWorker, Priority.Urgent, Tier.LinkWorker, Priority.Routine, "tl-1"),
            (changed.RequiredTier, changed.Priority, changed.PreviousTier, changed.PreviousPriority, changed.OverriddenBy));
        var after = TestJourneys.Apply(journey, [.. events]);
        Assert.Equal((Tier.PsychosocialLinkWorker, Priority.Urgent), (after.Referral.RequiredTier, after.Referral.Priority));
        var line = JourneySummary.Of(after, NoneConfirmed);
        Assert.Equal((Tier.PsychosocialLinkWorker, Priority.Urgent), (line.RequiredTier, line.Priority));
        Assert.Equal(JourneyStatus.Active, after.Status);
    }

    [Fact]
    public void An_override_that_leaves_the_tier_and_priority_the_journey_holds_records_nothing()
    {
        var journey = TestJourneys.Opened();

        Assert.Empty(OverrideDecider.Follow(journey, Override(journey, Priority.Routine, Tier.LinkWorker), null, TestJourneys.Now));
    }

    [Fact]
    public void An_override_of_an_earlier_referral_of_a_reopened_journey_or_of_a_closed_journey_records_nothing()
    {
        var first = TestJourneys.Closed(TestJourneys.Active(), TestJourneys.Now.AddDays(-10));
        var reopened = TestJourneys.Apply(first, new JourneyRegistered(first.Id, first.PersonId, TestJourneys.Programme, TestJourneys.Facts(),
            null, null, true, TestJourneys.Now.AddDays(-1)));

        Assert.Empty(OverrideDecider.Follow(reopened, Override(reopened, referralId: first.Referral.ReferralId), null, TestJourneys.Now));
        Assert.Empty(OverrideDecider.Follow(first, Override(first), null, TestJourneys.Now));
    }

    [Fact]
    public void Of_an_override_and_a_triage_decision_the_later_by_triages_stream_version_stands_whichever_arrives_first()
    {
        var journey = TestJourneys.Opened();
        var overridden = Override(journey, version: 4);

        // Triage decided again after the override: that decision already carries what is in force.
        Assert.Empty(OverrideDecider.Follow(journey, overridden, Triage(journey, Priority.High, 6), TestJourneys.Now));
        Assert.Equal(Priority.High, OverrideDecider.InForce(Triage(journey, Priority.High, 6), overridden).Priority);

        // An earlier decision arriving after the override (or published with it) keeps the override's tier and priority.
        var earlier = OverrideDecider.InForce(Triage(journey, Priority.Routine, 3), overridden);
        Assert.Equal((Tier.PsychosocialLinkWorker, Priority.Urgent), (earlier.RequiredTier, earlier.Priority));
        Assert.Equal(Priority.Urgent, OverrideDecider.InForce(Triage(journey, Priority.Urgent, 4), overridden).Priority);
        Assert.Single(OverrideDecider.Follow(journey, overridden, Triage(journey, Priority.Routine, 3), TestJourneys.Now));
    }

    [Fact]
    public void The_referral_keeps_a_newer_override_and_not_a_copy_or_an_older_one()
    {
        var journey = TestJourneys.Opened();
        var referral = Fold.Apply<Referral>(null, [Override(journey, version: 4)])!;

        Assert.False(ReferralDecider.Accepts(referral, Override(journey, version: 4)));
        Assert.False(ReferralDecider.Accepts(referral, Override(journey, Priority.High, version: 2)));
        Assert.True(ReferralDecider.Accepts(referral, Override(journey, Priority.High, version: 7)));
        Assert.True(ReferralDecider.Accepts(null, Override(journey)));
    }
}
