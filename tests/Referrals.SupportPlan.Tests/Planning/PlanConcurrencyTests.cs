using System.Net;
using System.Text.Json;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Planning;

/// <summary>Two updates to the same plan from the same version: one wins, the other gets 412 and can reload; nothing is lost.</summary>
public sealed class PlanConcurrencyTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    [Fact]
    public async Task Two_plan_updates_from_the_same_version_give_one_412_and_nothing_is_lost()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);
        using var lead = _scenario.TeamLead(c.ProgrammeId);
        var (_, etag) = await worker.GetWithETag<JourneyView>($"/journeys/{journey.JourneyId}");
        var version = long.Parse(etag!.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(journey.Version, version);

        // The worker and the team lead both edit the plan they loaded at the same version.
        var first = await worker.Post($"/journeys/{journey.JourneyId}/plan/goals", new { description = "Join the choir" }, ifMatch: version).Ok();
        var conflict = await lead.Post($"/journeys/{journey.JourneyId}/plan/goals", new { description = "Visit the library" }, ifMatch: version)
            .Problem(HttpStatusCode.PreconditionFailed);

        // The 412 tells the client where it stands; it reloads and applies its change again.
        Assert.Equal(first.Version, conflict.GetProperty("currentVersion").GetInt64());
        Assert.Equal($"/journeys/{journey.JourneyId}", conflict.GetProperty("reload").GetString());
        var (reloaded, freshTag) = await lead.GetWithETag<JourneyView>($"/journeys/{journey.JourneyId}");
        Assert.Equal($"\"{first.Version}\"", freshTag);
        Assert.Equal(["Join the choir"], reloaded.Plan.Goals.Select(g => g.Description!).ToArray());
        await lead.Post($"/journeys/{journey.JourneyId}/plan/goals", new { description = "Visit the library" }, ifMatch: reloaded.Version).Ok();

        var final = await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}");
        Assert.Equal(["Join the choir", "Visit the library"], final.Plan.Goals.Select(g => g.Description!).ToArray());
        Assert.Equal(version + 2, final.Version);
    }

    [Fact]
    public async Task Racing_plan_updates_with_the_same_if_match_let_exactly_one_through()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        var clients = Enumerable.Range(0, 6).Select(_ => _scenario.Worker(c)).ToList();

        var responses = await Task.WhenAll(clients.Select((client, i) =>
            client.Post($"/journeys/{journey.JourneyId}/plan/goals", new { description = $"Goal {i}" }, ifMatch: journey.Version)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed));
        var winner = responses.Single(r => r.IsSuccessStatusCode);
        var written = JsonSerializer.Deserialize<JourneyWritten>(await winner.Content.ReadAsStringAsync(), Api.Json)!;
        var final = await clients[0].Get<JourneyView>($"/journeys/{journey.JourneyId}");
        Assert.Single(final.Plan.Goals);
        Assert.Equal(written.Id, final.Plan.Goals[0].GoalId);
        Assert.Equal(journey.Version + 1, final.Version);
        foreach (var response in responses)
        {
            response.Dispose();
        }

        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task Without_if_match_concurrent_updates_are_both_applied()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var a = _scenario.Worker(c);
        using var b = _scenario.Worker(c);

        await Task.WhenAll(
            a.Post($"/journeys/{journey.JourneyId}/plan/goals", new { description = "One" }).Ok(),
            b.Post($"/journeys/{journey.JourneyId}/plan/goals", new { description = "Two" }).Ok());

        var final = await a.Get<JourneyView>($"/journeys/{journey.JourneyId}");
        Assert.Equal(["One", "Two"], final.Plan.Goals.Select(g => g.Description!).Order().ToArray());
    }
}
