using System.Net;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Contacting;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Journeys;

/// <summary>Assessment, plan, connections and measures need the person's agreement, in every state the journey can be in.</summary>
public sealed class AgreementRuleTests(DormancyTests.FourWeekDormancy fixture) : IClassFixture<DormancyTests.FourWeekDormancy>
{
    private readonly Scenario _scenario = new(fixture);

    [Fact]
    public async Task A_journey_gone_dormant_before_the_person_agreed_takes_no_assessment_plan_connection_or_measure_until_they_agree()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAsync(c);
        var id = journey.JourneyId;
        using var worker = _scenario.Worker(c);
        fixture.Clock.Advance(TimeSpan.FromDays(29));
        await fixture.Probe.WaitForAsync<Integration.JourneyWentDormant>(e => e.JourneyId == id);
        var dormant = await worker.Get<JourneyView>($"/journeys/{id}");
        Assert.Equal(JourneyStatus.Dormant, dormant.Status);

        foreach (var (method, path, body) in new (HttpMethod, string, object)[]
                 {
                     (HttpMethod.Put, "assessment/what-matters", new { narrative = "My words" }),
                     (HttpMethod.Put, "assessment/strengths", new { strengths = new[] { "Good with plants" } }),
                     (HttpMethod.Put, "assessment/barriers", new { barriers = new[] { "Transport" } }),
                     (HttpMethod.Post, "assessment/needs", new { domain = "Housing", priority = "High" }),
                     (HttpMethod.Post, "plan/goals", new { description = "Join a walking group" }),
                     (HttpMethod.Post, "outcome-measures", new { instrument = "Swemwbs", point = "Baseline", items = new[] { 3, 3, 3, 3, 3, 3, 3 } }),
                     (HttpMethod.Post, "connections", new
                     {
                         serviceName = "Citizens Advice", kind = "OnwardReferral", consentToShare = true, sharedInformation = "Name, phone, housing debt",
                     }),
                     (HttpMethod.Post, "reviews", new { summary = "Review" }),
                 })
        {
            // The full replacements (PUT) require If-Match; the journey is still at the version read above.
            var problem = await worker.Send(method, $"/journeys/{id}/{path}", body, method == HttpMethod.Put ? dormant.Version : null)
                .Problem(HttpStatusCode.Conflict);
            Assert.Contains("before the person has agreed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var unchanged = await worker.Get<JourneyView>($"/journeys/{id}");
        Assert.Equal((JourneyStatus.Dormant, dormant.Version), (unchanged.Status, unchanged.Version));
        Assert.DoesNotContain(fixture.Probe.All<Integration.OutcomeMeasured>(), e => e.JourneyId == id);
        Assert.DoesNotContain(fixture.Probe.All<Integration.CommunityConnectionMade>(), e => e.JourneyId == id);

        // The person gets back in touch (the journey is open again) and agrees: the work can start.
        await worker.Post($"/journeys/{id}/contacts", new { kind = "Phone", outcome = "Attended", durationMinutes = 15 }).Ok();
        await worker.Post($"/journeys/{id}/agreement", new { }).Ok();
        await worker.Post($"/journeys/{id}/plan/goals", new { description = "Join a walking group" }).Ok();
        Assert.Equal(JourneyStatus.Active, (await worker.Get<JourneyView>($"/journeys/{id}")).Status);
    }
}
