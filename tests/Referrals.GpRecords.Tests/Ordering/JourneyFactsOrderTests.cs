using Referrals.Contracts;
using Referrals.Contracts.SupportPlan;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Tests.Support;

namespace Referrals.GpRecords.Tests.Ordering;

/// <summary>The version comparison gp-records makes before recording a support-plan fact (pure).</summary>
public sealed class JourneyFactsOrderTests
{
    private static GpJourney Recorded(IIntegrationEvent fact) => JourneyFacts.ShouldRecord(null, fact)
        ? (GpJourney)((dynamic)new GpJourney()).Apply((dynamic)fact)
        : throw new InvalidOperationException("The first fact is always recorded.");

    [Fact]
    public void A_fact_with_a_lower_version_of_the_same_stream_is_not_recorded_even_if_it_states_a_later_time()
    {
        var script = new JourneyScript("B82001");
        var current = script.WhatMatters() with { Source = new EventSource(script.JourneyId, 7) };
        var journey = Recorded(current);

        var older = script.WhatMatters() with { Needs = [NeedCategory.Housing], Source = new EventSource(script.JourneyId, 5) };
        var olderButStatedLater = older with { RecordedAt = current.RecordedAt.AddMinutes(5) };
        var newer = older with { Source = new EventSource(script.JourneyId, 9) };

        Assert.False(JourneyFacts.ShouldRecord(journey, older));
        Assert.False(JourneyFacts.ShouldRecord(journey, olderButStatedLater));
        Assert.True(JourneyFacts.ShouldRecord(journey, newer));
    }

    [Fact]
    public void A_connection_outcome_is_not_undone_by_the_connection_as_first_made_arriving_late()
    {
        var script = new JourneyScript("B82001");
        var withOutcome = script.Connection() with { Source = new EventSource(script.JourneyId, 12) };
        var asMade = script.Connection() with { Outcome = null, Source = new EventSource(script.JourneyId, 9) };

        Assert.False(JourneyFacts.ShouldRecord(Recorded(withOutcome), asMade));
        Assert.True(JourneyFacts.ShouldRecord(Recorded(asMade), withOutcome));
    }
}
