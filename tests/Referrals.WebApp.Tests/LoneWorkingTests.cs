using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Referrals.Deploy.Journeys;

namespace Referrals.WebApp.Tests;

/// <summary>Lone working (HAZ-008, C5) in the browser: the check-out is offered to whoever support-plan lets check out.</summary>
[Collection(WebAppCollection.Name)]
public sealed class LoneWorkingTests(WebAppFixture fixture)
{
    /// <summary>
    /// The worker checks in, then the journey moves to another worker: the visiting worker can no longer open the journey, so
    /// their worklist lists the visit and they check out there. The new worker and the team lead (no alert acknowledged) see
    /// who is on the visit and its alert state, and no check-out button.
    /// </summary>
    [Fact]
    public async Task After_a_reassignment_the_visiting_worker_checks_out_from_their_worklist_and_nobody_else_is_offered_the_check_out()
    {
        var journey = await SecurityTests.OpenJourneyAsync(fixture, ReferralForms.GpReferral("B86002", WebAppFixture.Programme));
        var visiting = journey.Worker;
        var checkedIn = await fixture.Client.JourneyCommandAsync(journey.JourneyId, visiting, "home-visits",
            new { expectedEnd = DateTimeOffset.UtcNow.AddHours(2) });
        var visitId = checkedIn.GetProperty("id").GetGuid();
        var holder = await ReassignAsync(journey, visiting.Id == "lw-nl-03" ? "lw-nl-04" : "lw-nl-03");

        await using (var browser = await BrowserSession.OpenAsync(fixture))
        {
            await browser.SignInAsync(holder.Id);
            await Assertions.Expect(browser.Page.Locator($"#open-visits tr[data-visit='{visitId}']")).ToHaveCountAsync(0);
            await browser.GotoAsync($"/journeys/{journey.JourneyId}");
            await AssertNoCheckOutAsync(browser.Page, visitId, visiting.Id);
        }

        await using (var lead = await BrowserSession.OpenAsync(fixture))
        {
            await lead.SignInAsync("tl-nl-01");
            await lead.GotoAsync($"/journeys/{journey.JourneyId}");
            await AssertNoCheckOutAsync(lead.Page, visitId, visiting.Id);
        }

        await using var worker = await BrowserSession.OpenAsync(fixture);
        await worker.SignInAsync(visiting.Id);
        Assert.Equal(403, (await worker.Page.GotoAsync($"/journeys/{journey.JourneyId}"))!.Status);
        await worker.ClickLinkAsync("your home visits in progress");
        var row = worker.Page.Locator($"#open-visits tr[data-visit='{visitId}']");
        await Assertions.Expect(row).ToContainTextAsync("None");
        await worker.ClickAsync(row.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Check out") }));
        Assert.Contains("You checked out of the home visit", await worker.SuccessBannerAsync(), StringComparison.Ordinal);
        await Assertions.Expect(row).ToHaveCountAsync(0);

        var after = await fixture.Client.JourneyAsync(journey.JourneyId, holder);
        Assert.False(after.GetProperty("homeVisits")[0].GetProperty("checkedIn").GetBoolean());
        Assert.Contains(after.GetProperty("contacts").EnumerateArray(), c => c.GetProperty("kind").GetString() == "HomeVisit");
        Assert.Empty(worker.Dialogs);
    }

    /// <summary>
    /// HAZ-008: the check-in form sent again as it was (the worker pressing again after an answer lost to a timeout, or pressing
    /// twice) records one visit, and the worker is told they are checked in rather than refused.
    /// </summary>
    [Fact]
    public async Task A_check_in_form_sent_again_records_one_visit_and_tells_the_worker_they_are_checked_in()
    {
        var journey = await SecurityTests.OpenJourneyAsync(fixture, ReferralForms.GpReferral("B86001", WebAppFixture.Programme));
        await using var browser = await BrowserSession.OpenAsync(fixture);
        await browser.SignInAsync(journey.Worker.Id);
        var path = $"/journeys/{journey.JourneyId}/home-visits/check-in";
        await browser.GotoAsync(path);
        var sent = await browser.Page.EvaluateAsync<Dictionary<string, string>>(
            "() => Object.fromEntries(new FormData(document.querySelector(\"input[name='ExpectedEnd']\").form))");
        Assert.True(Guid.TryParse(sent.GetValueOrDefault("CheckInKey"), out var key) && key != Guid.Empty, string.Join(", ", sent.Keys));

        await browser.ClickButtonAsync("Check in");
        Assert.Contains("You checked in", await browser.SuccessBannerAsync(), StringComparison.Ordinal);

        // The same form again, as the browser sends it: same key, same (now stale) version, the page's anti-forgery token.
        await browser.PostFormAgainAsync(path, sent);
        Assert.Contains("You checked in", await browser.SuccessBannerAsync(), StringComparison.Ordinal);

        var visits = (await fixture.Client.JourneyAsync(journey.JourneyId, journey.Worker)).GetProperty("homeVisits");
        Assert.Equal(1, visits.GetArrayLength());
        Assert.True(visits[0].GetProperty("checkedIn").GetBoolean());
        Assert.Empty(browser.Dialogs);
    }

    /// <summary>
    /// HAZ-008 (review s28): the check-in form is never stored, so Back fetches it again with a new key. One sent again anyway
    /// after its visit was checked out is refused, not answered "You checked in", and comes back with a new key, from which the
    /// worker checks in a new visit.
    /// </summary>
    [Fact]
    public async Task The_check_in_form_is_not_stored_and_sent_again_after_check_out_is_refused_then_checks_in_a_new_visit()
    {
        var journey = await SecurityTests.OpenJourneyAsync(fixture, ReferralForms.GpReferral("B86001", WebAppFixture.Programme));
        await using var browser = await BrowserSession.OpenAsync(fixture);
        await browser.SignInAsync(journey.Worker.Id);
        var path = $"/journeys/{journey.JourneyId}/home-visits/check-in";
        await browser.GotoUnstoredFormAsync(path);
        var sent = await browser.Page.EvaluateAsync<Dictionary<string, string>>(
            "() => Object.fromEntries(new FormData(document.querySelector(\"input[name='ExpectedEnd']\").form))");
        await browser.ClickButtonAsync("Check in");
        Assert.Contains("You checked in", await browser.SuccessBannerAsync(), StringComparison.Ordinal);
        var visitId = (await fixture.Client.JourneyAsync(journey.JourneyId, journey.Worker)).GetProperty("homeVisits")[0].GetProperty("visitId").GetGuid();
        await fixture.Client.JourneyCommandAsync(journey.JourneyId, journey.Worker, $"home-visits/{visitId}/check-out", new { });

        // The form as Back would have restored it without no-store: same key, same expected end.
        var form = browser.Page.APIRequest.CreateFormData();
        foreach (var (name, value) in sent)
        {
            form.Set(name, value);
        }

        var refused = await browser.Page.APIRequest.PostAsync(path, new APIRequestContextOptions { Form = form, MaxRedirects = 0 });
        var html = await refused.TextAsync();
        Assert.True(refused.Status == 200, $"The form sent again answered {refused.Status}");
        Assert.Contains("check in again", html, StringComparison.Ordinal);
        var newKey = Regex.Match(html, "name=\"CheckInKey\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.True(Guid.TryParse(newKey, out var parsed) && parsed != Guid.Empty && newKey != sent["CheckInKey"], newKey);

        form.Set("CheckInKey", newKey);
        var again = await browser.Page.APIRequest.PostAsync(path, new APIRequestContextOptions { Form = form, MaxRedirects = 0 });
        Assert.True(again.Status == 302, $"The new check-in answered {again.Status}");
        var visits = (await fixture.Client.JourneyAsync(journey.JourneyId, journey.Worker)).GetProperty("homeVisits").EnumerateArray().ToList();
        Assert.Equal(2, visits.Count);
        Assert.Single(visits, v => v.GetProperty("checkedIn").GetBoolean() && v.GetProperty("visitId").GetGuid() != visitId);
    }

    private static async Task AssertNoCheckOutAsync(IPage page, Guid visitId, string visitingWorker)
    {
        var callout = page.Locator($"[data-visit='{visitId}']");
        await Assertions.Expect(callout.Locator(".app-visit-worker")).ToContainTextAsync($"{visitingWorker} checked in at");
        await Assertions.Expect(callout.Locator(".app-visit-alert")).ToContainTextAsync("Not overdue");
        await Assertions.Expect(callout).ToContainTextAsync($"Only {visitingWorker} can check out of this visit");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Check out") })).ToHaveCountAsync(0);
    }

    /// <summary>A team lead gives the referral to another worker, who accepts it; the journey is then theirs.</summary>
    private async Task<Worker> ReassignAsync(SecurityTests.OpenJourney journey, string to)
    {
        using (var http = new HttpClient { BaseAddress = fixture.Platform.Addresses.Triage })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Client.TeamLeadToken(WebAppFixture.Programme));
            using var response = await http.PostAsJsonAsync($"/referrals/{journey.ReferralId}/reassign",
                new { linkWorkerId = to, reason = "Covering while the worker is on leave." });
            Assert.True(response.IsSuccessStatusCode, $"Reassign answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var (assignmentId, holder) = await fixture.Client.WaitForAssignmentAsync(journey.ReferralId, WebAppFixture.Programme);
        Assert.Equal(to, holder.Id);
        await fixture.Client.AcceptAsync(assignmentId, holder);
        await fixture.Client.WaitForOpenJourneyAsync(journey.ReferralId, holder);
        return holder;
    }
}
