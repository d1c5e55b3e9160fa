using System.Net;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Support;
using Referrals.SupportPlan.Timeline;

namespace Referrals.SupportPlan.Tests.Timeline;

/// <summary>Home visits on the timeline: times labelled UTC are UTC, whatever offset the client sent.</summary>
public sealed class LoneWorkingTimelineTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    [Fact]
    public async Task The_timeline_states_a_visits_expected_end_in_UTC_when_the_client_sent_British_summer_time()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);
        var endUtc = fixture.Clock.UtcNow + TimeSpan.FromMinutes(90);
        var visit = await worker.Post($"/journeys/{journey.JourneyId}/home-visits", new { expectedEnd = endUtc.ToOffset(TimeSpan.FromHours(1)) })
            .Expect<JourneyWritten>(HttpStatusCode.Created);

        fixture.Clock.Advance(TimeSpan.FromMinutes(91));
        await fixture.Probe.WaitForAsync<Integration.LoneWorkingCheckOutOverdue>(a => a.VisitId == visit.Id);
        await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.HomeVisits.Single().AlertOutstanding);
        var timeline = await worker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline");

        var checkedIn = timeline.Entries.Single(e => e.Kind == "HomeVisitCheckedIn").Summary;
        var alert = timeline.Entries.Single(e => e.Kind == "LoneWorkingAlert").Summary;
        Assert.True(checkedIn.Contains($"expected to end {endUtc.UtcDateTime:HH:mm} UTC", StringComparison.Ordinal), checkedIn);
        Assert.True(alert.Contains($"not checked out by {endUtc.UtcDateTime:HH:mm} UTC", StringComparison.Ordinal), alert);
    }
}
