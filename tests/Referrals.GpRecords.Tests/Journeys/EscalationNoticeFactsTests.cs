using Referrals.Contracts.Triage;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Tests.Support;
using static Referrals.GpRecords.Tests.Support.Journeys;

namespace Referrals.GpRecords.Tests.Journeys;

public sealed class EscalationNoticeFactsTests
{
    private readonly JourneyScript _script = new("A81001", Contracts.ReferrerKind.Agency, "AGENCY-CITIZENS-ADVICE");

    [Fact]
    public void A_practice_notice_is_recorded_once_per_escalation_and_step_so_a_redelivery_or_a_repeat_adds_nothing()
    {
        var journey = Fold([_script.Registered(), _script.Escalated(step: 2)]);
        Assert.Contains(journey.Facts.Values, f => f is ReferralEscalated);

        Assert.False(JourneyFacts.ShouldRecord(journey, _script.Escalated(step: 2)));
        Assert.False(JourneyFacts.ShouldRecord(journey, _script.Escalated(step: 2) with { EscalatedAt = _script.At(1) }));
        Assert.False(JourneyFacts.ShouldRecord(journey, _script.Escalated(step: 2) with { Source = new Contracts.EventSource(Guid.NewGuid(), 7) }));
        Assert.True(JourneyFacts.ShouldRecord(journey, _script.Escalated(step: 3)));
        Assert.True(JourneyFacts.ShouldRecord(journey, _script.Escalated(step: 2) with { EscalationId = Guid.NewGuid() }));
    }

    [Theory]
    [InlineData(EscalationRecipientKind.DutyWorker)]
    [InlineData(EscalationRecipientKind.TeamLead)]
    [InlineData(EscalationRecipientKind.Referrer)]
    public void Notices_to_anyone_but_the_registered_practice_are_not_journey_facts(EscalationRecipientKind kind)
    {
        Assert.False(JourneyFacts.IsJourneyFact(_script.Escalated(kind)));
        Assert.False(JourneyFacts.ShouldRecord(null, _script.Escalated(kind)));
        Assert.DoesNotContain(Fold([_script.Registered(), _script.Escalated(kind)]).Facts.Values, f => f is ReferralEscalated);
        Assert.True(JourneyFacts.ShouldRecord(null, _script.Escalated()));
    }
}
