using System.Net;
using System.Text.Json;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Journeys;

/// <summary>
/// HAZ-012: what matters, strengths and barriers are replaced as a whole, so a change of them must name the version it
/// replaces (If-Match); without it a stale screen would silently overwrite what someone else recorded since. Appending
/// commands conflict with nothing and keep working without If-Match.
/// </summary>
public sealed class FullReplacementTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    private static readonly (string Path, object Body)[] Replacements =
    [
        ("assessment/what-matters", new { narrative = "Words typed on a stale screen" }),
        ("assessment/strengths", new { strengths = new[] { "Stale strength" } }),
        ("assessment/barriers", new { barriers = new[] { "Transport" }, note = "Stale note" }),
    ];

    [Fact]
    public async Task A_full_replacement_without_if_match_is_refused_with_428_problem_json_and_changes_nothing()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        var id = journey.JourneyId;
        using var worker = _scenario.Worker(c);
        await worker.PutAsRead($"/journeys/{id}", $"/journeys/{id}/assessment/what-matters", new { narrative = "Seeing my grandchildren" }).Ok();
        var before = await worker.Get<JourneyView>($"/journeys/{id}");

        foreach (var (path, body) in Replacements)
        {
            foreach (var ifMatch in new string?[] { null, "*" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Put, $"/journeys/{id}/{path}")
                {
                    Content = System.Net.Http.Json.JsonContent.Create(body, body.GetType(), options: Api.Json),
                };
                if (ifMatch is not null)
                {
                    request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
                }

                using var response = await worker.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();

                Assert.True(response.StatusCode == HttpStatusCode.PreconditionRequired, $"{path} (If-Match {ifMatch ?? "absent"}): {(int)response.StatusCode} {text}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var problem = JsonDocument.Parse(text).RootElement;
                Assert.Equal((428, "https://tools.ietf.org/html/rfc6585#section-3"), (problem.GetProperty("status").GetInt32(), problem.GetProperty("type").GetString()));
                Assert.Equal("If-Match is required", problem.GetProperty("title").GetString());
                Assert.Contains("read the journey and send the change with the ETag it answered in If-Match", problem.GetProperty("detail").GetString(),
                    StringComparison.Ordinal);
                Assert.Equal($"/journeys/{id}", problem.GetProperty("reload").GetString());
                Assert.DoesNotContain("Stale", text, StringComparison.Ordinal);
            }
        }

        var after = await worker.Get<JourneyView>($"/journeys/{id}");
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(JsonSerializer.Serialize(before.Assessment, Api.Json), JsonSerializer.Serialize(after.Assessment, Api.Json));
        Assert.Equal("Seeing my grandchildren", after.Assessment.WhatMatters);
    }

    [Fact]
    public async Task Someone_outside_the_caseload_is_refused_with_403_before_if_match_is_asked_for()
    {
        var mine = ReferralCase.New();
        var theirs = ReferralCase.New(mine.ProgrammeId);
        await _scenario.OpenAndAgreeAsync(mine);
        var theirJourney = await _scenario.OpenAndAgreeAsync(theirs);
        using var me = _scenario.Worker(mine);

        await me.Put($"/journeys/{theirJourney.JourneyId}/assessment/what-matters", new { narrative = "Not mine to write" }).Problem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_full_replacement_of_a_journey_that_does_not_exist_is_answered_404_as_a_read_is_never_428()
    {
        // 428 would tell the client to read a journey that is not there.
        var c = ReferralCase.New();
        using var worker = _scenario.Worker(c);
        var missing = Guid.NewGuid();
        await worker.Send(HttpMethod.Get, $"/journeys/{missing}").Problem(HttpStatusCode.NotFound);

        foreach (var (path, body) in Replacements)
        {
            foreach (var ifMatch in new string?[] { null, "*", "\"3\"" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Put, $"/journeys/{missing}/{path}")
                {
                    Content = System.Net.Http.Json.JsonContent.Create(body, body.GetType(), options: Api.Json),
                };
                if (ifMatch is not null)
                {
                    request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
                }

                using var response = await worker.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} (If-Match {ifMatch ?? "absent"}): {(int)response.StatusCode} {text}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal("No such journey", JsonDocument.Parse(text).RootElement.GetProperty("title").GetString());
            }
        }
    }

    [Fact]
    public async Task A_full_replacement_with_a_stale_if_match_gets_412_and_with_the_current_one_it_replaces()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        var id = journey.JourneyId;
        using var worker = _scenario.Worker(c);
        using var lead = _scenario.TeamLead(c.ProgrammeId);
        var (_, etag) = await worker.GetWithETag<JourneyView>($"/journeys/{id}");
        var loaded = long.Parse(etag!.Trim('"'), System.Globalization.CultureInfo.InvariantCulture);

        // Both loaded the same version; the worker saves first, the team lead's screen is now stale.
        var saved = await worker.Put($"/journeys/{id}/assessment/strengths", new { strengths = new[] { "Good with plants" } }, loaded).Ok();
        var conflict = await lead.Put($"/journeys/{id}/assessment/strengths", new { strengths = new[] { "Stale strength" } }, loaded)
            .Problem(HttpStatusCode.PreconditionFailed);
        Assert.Equal(saved.Version, conflict.GetProperty("currentVersion").GetInt64());
        Assert.Equal(["Good with plants"], (await lead.Get<JourneyView>($"/journeys/{id}")).Assessment.Strengths);

        // Reloaded, the team lead sees the worker's words and replaces them knowingly.
        var replaced = await lead.Put($"/journeys/{id}/assessment/strengths", new { strengths = new[] { "Good with plants", "Sings in a choir" } }, saved.Version)
            .Ok();

        var final = await worker.Get<JourneyView>($"/journeys/{id}");
        Assert.Equal(["Good with plants", "Sings in a choir"], final.Assessment.Strengths);
        Assert.Equal(replaced.Version, final.Version);
    }

    [Fact]
    public async Task Appending_commands_without_if_match_still_succeed()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        var id = journey.JourneyId;
        using var worker = _scenario.Worker(c);

        await worker.Post($"/journeys/{id}/contacts", new { kind = "Phone", outcome = "Attended", durationMinutes = 10 }).Ok();
        var need = await worker.Post($"/journeys/{id}/assessment/needs", new { domain = "Housing", priority = "High" }).Ok();
        await worker.Post($"/journeys/{id}/assessment/needs/{need.Id}/priority", new { priority = "Low" }).Ok();
        await worker.Post($"/journeys/{id}/plan/goals", new { description = "Join a walking group" }).Ok();
        await worker.Post($"/journeys/{id}/outcome-measures", new { instrument = "Swemwbs", point = "Baseline", items = new[] { 3, 3, 3, 3, 3, 3, 3 } }).Ok();

        var final = await worker.Get<JourneyView>($"/journeys/{id}");
        Assert.Single(final.Plan.Goals);
        Assert.Single(final.Assessment.Needs);
    }
}
