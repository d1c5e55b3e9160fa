using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Referrals.Deploy.Journeys;
using Referrals.WebApp.Api;
using Referrals.WebApp.Pages.Team;

namespace Referrals.WebApp.Tests;

/// <summary>
/// HAZ-001 C7 in the web app: a safeguarding concern triage has not confirmed is shown to the worker and the team lead as not
/// having reached the duty team; a confirmed one says it did. Real services, pages read over HTTP (no browser).
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed partial class SafeguardingConfirmationTests(WebAppFixture fixture)
{
    /// <summary>
    /// Triage is stopped, so nobody confirms the concern: after support-plan's check (15 seconds here) the journey page warns,
    /// the worker's caseload and the team lead's safeguarding list mark the journey (listed first). Triage is started again,
    /// takes the concern from its queue and confirms it: the warning goes and the page says it reached the duty team.
    /// </summary>
    [Fact]
    public async Task A_concern_triage_has_not_confirmed_is_flagged_on_the_journey_and_the_team_lead_list_until_triage_confirms_it()
    {
        var journey = await SecurityTests.OpenJourneyAsync(fixture, ReferralForms.GpReferral("B86003", WebAppFixture.Programme));
        using var worker = WebApp(fixture.Client.WorkerToken(journey.Worker));
        using var lead = WebApp(fixture.Client.TeamLeadToken(WebAppFixture.Programme));
        var journeyUrl = $"/journeys/{journey.JourneyId}";

        await fixture.Platform.StopServiceAsync("triage");
        Guid concernId;
        try
        {
            concernId = (await fixture.Client.JourneyCommandAsync(journey.JourneyId, journey.Worker, "safeguarding-concerns",
                new { crisis = false, indicators = new[] { "self-neglect" }, details = "Not eating; the flat is very cold" })).GetProperty("id").GetGuid();
            var before = Concern(await fixture.Client.JourneyAsync(journey.JourneyId, journey.Worker), concernId);
            Assert.False(before.GetProperty("unconfirmed").GetBoolean());
            Assert.DoesNotContain("id=\"unconfirmed-concerns\"", await worker.GetStringAsync(journeyUrl), StringComparison.Ordinal);

            await WaitForConcernAsync(journey, concernId, c => c.GetProperty("unconfirmed").GetBoolean(), "support-plan's check to flag the concern");
            var page = await worker.GetStringAsync(journeyUrl);
            var warning = Section(page, "unconfirmed-concerns");
            Assert.Contains("Not yet confirmed by the duty team", warning, StringComparison.Ordinal);
            Assert.Contains("Contact the duty worker directly", warning, StringComparison.Ordinal);
            Assert.Contains($"data-concern=\"{concernId}\"", warning, StringComparison.Ordinal);
            Assert.Matches(LastChecked(), warning);
            Assert.DoesNotContain("Reached the duty team", page, StringComparison.Ordinal);

            Assert.Contains("Concern not confirmed by the duty team", Row(await worker.GetStringAsync("/caseload"), journey.JourneyId), StringComparison.Ordinal);
            var list = await lead.GetStringAsync("/team/safeguarding");
            Assert.Contains("Not confirmed by the duty team", Row(list, journey.JourneyId), StringComparison.Ordinal);
            Assert.Equal(journey.JourneyId, FirstRow(list));
            Assert.Contains("id=\"unconfirmed-summary\"", list, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Platform.StartServiceAsync("triage");
        }

        // Triage takes the concern waiting in its queue and confirms it.
        await WaitForConcernAsync(journey, concernId, c => c.GetProperty("confirmedByTriageAt").ValueKind == JsonValueKind.String, "triage's confirmation");
        var confirmed = await worker.GetStringAsync(journeyUrl);
        Assert.DoesNotContain("id=\"unconfirmed-concerns\"", confirmed, StringComparison.Ordinal);
        Assert.DoesNotContain("Not yet confirmed by the duty team", confirmed, StringComparison.Ordinal);
        Assert.Contains("Reached the duty team: triage confirmed it at", confirmed, StringComparison.Ordinal);
        // The indicators are encrypted at rest and kept out of the timeline's summary: the concern's entry names them.
        Assert.Matches($"data-concern=\"{concernId}\">[^<]*: self-neglect\\. Not eating; the flat is very cold", confirmed);
        Assert.DoesNotContain("not confirmed by the duty team", Row(await worker.GetStringAsync("/caseload"), journey.JourneyId), StringComparison.Ordinal);
        Assert.DoesNotContain("Not confirmed by the duty team", Row(await lead.GetStringAsync("/team/safeguarding"), journey.JourneyId), StringComparison.Ordinal);
    }

    [Fact]
    public void A_concern_flagged_by_the_check_has_not_reached_the_duty_team_until_triage_confirms_it()
    {
        var raised = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        Concern Of(DateTimeOffset? confirmedAt, bool unconfirmed, int checks) =>
            new(Guid.NewGuid(), false, ["self-neglect"], null, "lw-nl-03", raised, confirmedAt, null, unconfirmed, checks,
                checks > 0 ? raised.AddMinutes(5 * checks) : null);

        Assert.True(Of(null, unconfirmed: true, checks: 1).NotReachedDutyTeam);
        Assert.False(Of(null, unconfirmed: false, checks: 0).NotReachedDutyTeam); // not checked yet
        Assert.False(Of(raised.AddMinutes(1), unconfirmed: false, checks: 0).NotReachedDutyTeam);
        Assert.True(Of(raised.AddMinutes(1), unconfirmed: false, checks: 0).Confirmed);
        // Confirmed after the check had flagged it (sent again): it has reached the duty team now.
        Assert.False(Of(raised.AddMinutes(7), unconfirmed: false, checks: 1).NotReachedDutyTeam);
    }

    [Fact]
    public void The_team_lead_list_puts_journeys_with_an_unconfirmed_concern_first_and_keeps_the_order_otherwise()
    {
        JourneySummary Of(string name, bool unconfirmed) => new(Guid.NewGuid(), 1, name, WebAppFixture.Programme, "Active", "lw-nl-03", "B86003",
            "Routine", false, false, null, null, null, null, 1, 1, false, null, null, unconfirmed);

        var ordered = SafeguardingModel.UnconfirmedFirst([Of("A", false), Of("B", true), Of("C", false), Of("D", true)]);

        Assert.Equal(["B", "D", "A", "C"], ordered.Select(j => j.PersonName));
    }

    private HttpClient WebApp(string token)
    {
        // The web app reads the bearer token as the reverse proxy would forward it.
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.WebApp.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private async Task WaitForConcernAsync(SecurityTests.OpenJourney journey, Guid concernId, Func<JsonElement, bool> done, string what)
    {
        // The check fires 1 minute after the concern; allow for the timer poll and the round trips.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(120);
        while (!done(Concern(await fixture.Client.JourneyAsync(journey.JourneyId, journey.Worker), concernId)))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Timed out waiting for {what}.\n{fixture.Diagnostics()}");
            await Task.Delay(500);
        }
    }

    private static JsonElement Concern(JsonElement journey, Guid concernId) =>
        journey.GetProperty("safeguardingConcerns").EnumerateArray().Single(c => c.GetProperty("concernId").GetGuid() == concernId);

    /// <summary>The element with this id, up to its closing div (the warning callout has no nested div).</summary>
    private static string Section(string html, string id)
    {
        var start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No element with id {id} on the page.");
        return html[start..html.IndexOf("</div>", start, StringComparison.Ordinal)];
    }

    private static string Row(string html, Guid journeyId)
    {
        var start = html.IndexOf($"data-journey=\"{journeyId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"Journey {journeyId} is not listed.");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private static Guid FirstRow(string html) => Guid.Parse(JourneyRow().Match(html).Groups[1].Value);

    [GeneratedRegex("data-journey=\"([0-9a-f-]{36})\"")]
    private static partial Regex JourneyRow();

    [GeneratedRegex(@"last checked at \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}")]
    private static partial Regex LastChecked();
}
