using System.Net;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Safeguarding;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Safeguarding;

/// <summary>
/// A concern sent again (its answer lost to the web app's timeout, or the button pressed twice) is raised once: twice, triage
/// would run two duty chains for one concern (alert fatigue, HAZ-002) and the journey would show it twice.
/// </summary>
public sealed class ConcernResendTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    [Fact]
    public async Task A_concern_sent_again_with_the_same_idempotency_key_is_raised_once_and_gets_the_first_answer_and_never_names_another_journeys()
    {
        var c = ReferralCase.New();
        var other = ReferralCase.New(c.ProgrammeId) with { WorkerId = c.WorkerId };
        var id = (await _scenario.OpenAndAgreeAsync(c)).JourneyId;
        var otherId = (await _scenario.OpenAndAgreeAsync(other)).JourneyId;
        using var worker = _scenario.Worker(c);
        var (_, etag) = await worker.GetWithETag<JourneyView>($"/journeys/{id}");
        var pageVersion = long.Parse(etag!.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
        var concern = new { crisis = true, indicators = new[] { "suicidal-ideation" }, details = "Said they had a plan", idempotencyKey = Guid.NewGuid() };

        // Pressed twice (the two race), then sent again from the page as it was loaded.
        var racing = await Task.WhenAll(
            worker.Post($"/journeys/{id}/safeguarding-concerns", concern, pageVersion).Expect<JourneyWritten>(HttpStatusCode.Created),
            worker.Post($"/journeys/{id}/safeguarding-concerns", concern, pageVersion).Expect<JourneyWritten>(HttpStatusCode.Created));
        var again = await worker.Post($"/journeys/{id}/safeguarding-concerns", concern, pageVersion).Expect<JourneyWritten>(HttpStatusCode.Created);
        var elsewhere = await worker.Post($"/journeys/{otherId}/safeguarding-concerns", concern).Expect<JourneyWritten>(HttpStatusCode.Created);

        Assert.Equal(racing[0], racing[1]);
        Assert.Equal(racing[0], again);
        Assert.NotEqual(racing[0].Id, elsewhere.Id);
        Assert.Equal(racing[0].Id, Assert.Single((await worker.Get<JourneyView>($"/journeys/{id}")).SafeguardingConcerns).ConcernId);
        await fixture.Probe.WaitForAsync<Integration.SafeguardingConcernRaised>(e => e.ConcernId == elsewhere.Id);
        await Task.Delay(1000);
        Assert.Single(fixture.Probe.All<Integration.SafeguardingConcernRaised>(), e => e.ConcernId == racing[0].Id);
    }

    /// <summary>
    /// HAZ-001 (review s28): the form redisplayed after an error, or restored by Back, keeps its key; edited (a crisis now, new
    /// words) it is a different concern and must reach triage, not be answered with the first. Raised as a new concern rather
    /// than refused: a duplicate duty chain costs a call, a refused concern may never be sent again.
    /// </summary>
    [Fact]
    public async Task A_different_concern_sent_under_a_used_key_is_raised_as_a_new_concern_and_reaches_triage()
    {
        var c = ReferralCase.New();
        var id = (await _scenario.OpenAndAgreeAsync(c)).JourneyId;
        using var worker = _scenario.Worker(c);
        var key = Guid.NewGuid();
        var first = await worker.Post($"/journeys/{id}/safeguarding-concerns",
            new { crisis = false, indicators = Array.Empty<string>(), details = "Neighbour reports a fall last week", idempotencyKey = key })
            .Expect<JourneyWritten>(HttpStatusCode.Created);

        var second = await worker.Post($"/journeys/{id}/safeguarding-concerns",
            new { crisis = true, indicators = new[] { "suicidal-ideation" }, details = "Now says he has a plan for tonight", idempotencyKey = key })
            .Expect<JourneyWritten>(HttpStatusCode.Created);

        Assert.NotEqual(first.Id, second.Id);
        var concerns = (await worker.Get<JourneyView>($"/journeys/{id}")).SafeguardingConcerns;
        Assert.Equal(2, concerns.Count);
        Assert.True(Assert.Single(concerns, k => k.ConcernId == second.Id).Crisis);
        await fixture.Probe.WaitForAsync<Integration.SafeguardingConcernRaised>(e => e.ConcernId == second.Id && e.Crisis);
    }

    [Fact]
    public void A_keyed_concerns_id_is_the_same_for_the_same_content_and_differs_when_crisis_indicators_or_details_differ()
    {
        var (journey, key) = (Guid.NewGuid(), Guid.NewGuid());
        Guid IdOf(bool crisis, string[] indicators, string? details) =>
            SafeguardingDecider.ConcernIdOf(journey, "lw-1", key, new RaiseSafeguardingConcern(crisis, indicators, details, key));
        var sent = IdOf(false, ["self-neglect", "falls"], "Neighbour reports a fall");

        Assert.Equal(sent, IdOf(false, ["falls", " self-neglect", "falls"], "Neighbour reports a fall"));
        Assert.NotEqual(sent, IdOf(true, ["self-neglect", "falls"], "Neighbour reports a fall"));
        Assert.NotEqual(sent, IdOf(false, ["self-neglect"], "Neighbour reports a fall"));
        Assert.NotEqual(sent, IdOf(false, ["self-neglect", "falls"], "Neighbour reports a fall; now a plan for tonight"));
    }
}
