using Referrals.Contracts.SupportPlan;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Tests.Support;
using static Referrals.GpRecords.Tests.Support.Journeys;

namespace Referrals.GpRecords.Tests.Journeys;

/// <summary>
/// Support-plan sends a safeguarding concern again while triage has not confirmed it; a copy may not be identical to the first,
/// and the recorded concern must stay as first recorded (no overwrite, so nothing is sent to the practice again).
/// </summary>
public sealed class SafeguardingConcernFactsTests
{
    private readonly JourneyScript _script = new("A81001", Contracts.ReferrerKind.Agency, "AGENCY-CITIZENS-ADVICE");

    [Fact]
    public void A_re_sent_copy_of_a_recorded_concern_is_not_recorded_again_even_when_it_differs()
    {
        var first = _script.Safeguarding() with { Source = new Contracts.EventSource(_script.JourneyId, 4) };
        var journey = Fold([_script.Registered(), first]);

        // Details gone after an erasure, whitespace-only details dropped, and a later source version (the re-send's).
        Assert.False(JourneyFacts.ShouldRecord(journey, first with { Details = null, Source = new Contracts.EventSource(_script.JourneyId, 9) }));
        Assert.False(JourneyFacts.ShouldRecord(journey, first with { Details = null }));
        Assert.False(JourneyFacts.ShouldRecord(journey, first with { Source = new Contracts.EventSource(Guid.NewGuid(), 1) }));
        var recorded = journey.Facts.Values.OfType<SafeguardingConcernRaised>().Single();
        Assert.Equal((first.Details, first.Source), (recorded.Details, recorded.Source));
    }

    [Fact]
    public void Another_concern_on_the_journey_is_still_recorded()
    {
        var journey = Fold([_script.Registered(), _script.Safeguarding()]);

        Assert.True(JourneyFacts.ShouldRecord(journey, _script.Safeguarding() with { ConcernId = Guid.NewGuid() }));
    }
}
