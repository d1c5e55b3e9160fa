using Referrals.Contracts.Triage;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Tests.Support;
using static Referrals.GpRecords.Tests.Support.Journeys;

namespace Referrals.GpRecords.Tests.Journeys;

public sealed class GpReferralTests
{
    private readonly JourneyScript _script = new("A81001", Contracts.ReferrerKind.Agency, "AGENCY-CITIZENS-ADVICE");

    [Fact]
    public void A_held_notice_is_kept_once_per_escalation_and_step_until_the_link_moves_it()
    {
        var held = new GpReferral()
            .Apply(new EscalationNoticeHeld(_script.ReferralId, _script.PersonId, _script.Escalated(step: 1)))
            .Apply(new EscalationNoticeHeld(_script.ReferralId, _script.PersonId, _script.Escalated(step: 1)))
            .Apply(new EscalationNoticeHeld(_script.ReferralId, _script.PersonId, _script.Escalated(step: 2)));
        Assert.Null(held.JourneyId);
        Assert.Equal(2, held.Held.Count);

        var registeredOn = Guid.NewGuid();
        var linked = held.Apply(new ReferralJourneyLinked(_script.ReferralId, registeredOn, _script.PersonId, 2));
        Assert.Equal(registeredOn, linked.JourneyId);
        Assert.Empty(linked.Held);
    }

    [Fact]
    public void A_notice_moved_onto_the_registered_journey_is_stamped_with_that_journey_and_keeps_its_identity()
    {
        var registeredOn = Guid.NewGuid();
        var notice = _script.Escalated(step: 3);
        var moved = GpReferral.OnJourney(notice, registeredOn, _script.PersonId);

        Assert.Equal(registeredOn, moved.JourneyId);
        Assert.Equal(JourneyFacts.KeyOf(notice), JourneyFacts.KeyOf(moved));
        Assert.Equal(registeredOn, Fold([_script.Registered() with { JourneyId = registeredOn }, moved]).Id);
        Assert.IsType<ReferralEscalated>(Assert.Single(Fold([_script.Registered() with { JourneyId = registeredOn }, moved]).All<ReferralEscalated>()));
    }
}
