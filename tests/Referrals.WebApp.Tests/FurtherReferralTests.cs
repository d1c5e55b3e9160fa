using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;
using Referrals.Deploy.Journeys;

namespace Referrals.WebApp.Tests;

/// <summary>
/// HAZ-001 C8 for the person's worker: a second referral intake links to their open journey is shown on the journey page and
/// marked on the caseload until the worker says they have read it; and (C11) the journey is neither declined nor closed until then.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class FurtherReferralTests(WebAppFixture fixture)
{
    [Fact]
    public async Task A_referral_linked_to_the_open_journey_is_marked_on_the_caseload_shown_on_the_journey_and_blocks_decline_and_closure_until_the_worker_acknowledges_it()
    {
        var nhsNumber = ReferralForms.NewNhsNumber();
        var journey = await SecurityTests.OpenJourneyAsync(fixture, ReferralForms.GpReferral("B86003", WebAppFixture.Programme, nhsNumber));
        var again = ReferralForms.GpReferral("B86003", WebAppFixture.Programme, nhsNumber, riskNotes: "Has stopped answering the door");
        again["reasonText"] = "Eviction notice received last week; very anxious about it.";
        await fixture.Client.SubmitReferralAsync(again);
        var linked = await fixture.Client.PollAsync(() => fixture.Client.JourneyAsync(journey.JourneyId, journey.Worker),
            j => j.TryGetProperty("furtherReferrals", out var f) && f.ValueKind == JsonValueKind.Array && f.GetArrayLength() == 1, "the further referral");
        var referralId = linked.GetProperty("furtherReferrals")[0].GetProperty("referralId").GetGuid();

        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await browser.SignInAsync(journey.Worker.Id);
        await browser.GotoAsync("/caseload");
        var row = page.Locator($"tr[data-journey='{journey.JourneyId}']");
        await Assertions.Expect(row).ToContainTextAsync("New referral to read");

        await browser.GotoAsync($"/journeys/{journey.JourneyId}");
        var further = page.Locator("#further-referrals");
        await Assertions.Expect(further).ToContainTextAsync("Eviction notice received last week; very anxious about it.");
        await Assertions.Expect(further).ToContainTextAsync("Has stopped answering the door");
        await Assertions.Expect(further).ToContainTextAsync("Reports risk");
        await Assertions.Expect(further).ToContainTextAsync("Not yet read");
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("Further referral from");

        // HAZ-001 C11: a decline is refused before the contact is saved, and a closure is refused, both naming the unread referral.
        await browser.GotoAsync($"/journeys/{journey.JourneyId}/first-contact");
        await Assertions.Expect(page.Locator($"#decline-further-referrals li[data-further-referral='{referralId}']")).ToHaveCountAsync(1);
        await page.Locator("input[name='Input.Kind'][value='Phone']").CheckAsync();
        await page.Locator("#input-durationminutes").FillAsync("15");
        await page.Locator("input[name='Input.Decision'][value='Declined']").CheckAsync();
        await page.Locator("#input-declinereason").FillAsync("Does not want it now");
        await browser.ClickButtonAsync("Save first contact");
        await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Read the new referral");
        var refused = await fixture.Client.JourneyAsync(journey.JourneyId, journey.Worker);
        Assert.Equal("Open", refused.GetProperty("status").GetString());
        Assert.Empty(refused.GetProperty("contacts").EnumerateArray());

        await browser.GotoAsync($"/journeys/{journey.JourneyId}/close");
        var unread = page.Locator("#closure-further-referrals");
        await Assertions.Expect(unread.Locator($"li[data-further-referral='{referralId}']")).ToHaveCountAsync(1);
        await Assertions.Expect(unread).Not.ToContainTextAsync("Eviction");
        await page.Locator("input[name='Input.Reason'][value='MovedAway']").CheckAsync();
        await browser.ClickButtonAsync("Close the journey");
        await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("have not been read");
        await browser.ClickAsync(page.Locator("#closure-further-referrals").GetByRole(AriaRole.Link, new() { Name = "read it on the journey page" }));
        Assert.EndsWith($"/journeys/{journey.JourneyId}#further-referrals", page.Url, StringComparison.Ordinal);

        await browser.ClickButtonAsync("I have read this referral");
        Assert.Contains("Further referral acknowledged", await browser.SuccessBannerAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#further-referrals")).ToContainTextAsync("Read by");
        await Assertions.Expect(page.Locator("#further-referrals")).Not.ToContainTextAsync("Not yet read");

        await browser.GotoAsync("/caseload");
        await Assertions.Expect(row).Not.ToContainTextAsync("New referral to read");

        await browser.GotoAsync($"/journeys/{journey.JourneyId}/close");
        await Assertions.Expect(page.Locator("#closure-further-referrals")).ToHaveCountAsync(0);
        await page.Locator("input[name='Input.Reason'][value='MovedAway']").CheckAsync();
        await browser.ClickButtonAsync("Close the journey");
        Assert.Contains("The journey is closed", await browser.SuccessBannerAsync(), StringComparison.Ordinal);
    }
    /// <summary>
    /// HAZ-001 C11, HAZ-007: a journey that closed before any worker took it on (here its first referral was withdrawn) has no
    /// worker, so no caseload shows its unread further referral; the team lead's landing page warns of it, their further-referrals
    /// page lists it, and the team lead reads and acknowledges it on the journey, after which the warning is gone.
    /// </summary>
    [Fact]
    public async Task A_further_referral_on_a_journey_closed_before_any_worker_took_it_on_is_flagged_on_the_team_leads_landing_page_and_listed_for_them_to_read_and_acknowledge()
    {
        var nhsNumber = ReferralForms.NewNhsNumber();
        var first = await fixture.Client.SubmitReferralAsync(ReferralForms.GpReferral("B86003", WebAppFixture.Programme, nhsNumber));
        var link = await fixture.Client.PollAsync(() => TeamLeadGetAsync($"/referrals/{first}/journey"), r => r.ValueKind == JsonValueKind.Object,
            "the journey's registration");
        var journeyId = link.GetProperty("journeyId").GetGuid();
        var again = ReferralForms.GpReferral("B86003", WebAppFixture.Programme, nhsNumber);
        again["reasonText"] = "Fell at home twice this month; lives alone.";
        await fixture.Client.SubmitReferralAsync(again);
        await fixture.Client.PollAsync(() => TeamLeadGetAsync($"/journeys/{journeyId}"),
            j => j.GetProperty("furtherReferrals").GetArrayLength() == 1, "the further referral");
        await fixture.Client.WithdrawAsync(first, "B86003", "Sorted elsewhere");
        var closed = await fixture.Client.PollAsync(() => TeamLeadGetAsync($"/journeys/{journeyId}"),
            j => j.GetProperty("status").GetString() == "Closed", "the withdrawal to close the journey");
        Assert.Equal(JsonValueKind.Null, closed.GetProperty("linkWorkerId").ValueKind);

        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await browser.SignInAsync("tl-nl-01");
        // The landing page says so, without the team lead having to open the list.
        Assert.EndsWith("/team", page.Url, StringComparison.Ordinal);
        var callout = page.Locator("#nobodys-further-referrals");
        await Assertions.Expect(callout).ToContainTextAsync("1 journey in your programmes has a further referral nobody has read and no worker");
        await browser.ClickAsync(callout.GetByRole(AriaRole.Link));
        Assert.EndsWith("/team/further-referrals", page.Url, StringComparison.Ordinal);
        var row = page.Locator($"#further-referral-journeys tr[data-journey='{journeyId}']");
        await Assertions.Expect(row).ToContainTextAsync("No worker took it on");
        await Assertions.Expect(row).ToContainTextAsync("Closed");
        await Assertions.Expect(page.Locator("#nobodys-further-referrals")).ToBeVisibleAsync();

        await browser.ClickAsync(row.GetByRole(AriaRole.Link));
        Assert.EndsWith($"/journeys/{journeyId}#further-referrals", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#further-referrals")).ToContainTextAsync("Fell at home twice this month; lives alone.");
        await browser.ClickButtonAsync("I have read this referral");
        Assert.Contains("Further referral acknowledged", await browser.SuccessBannerAsync(), StringComparison.Ordinal);

        await browser.GotoAsync("/team/further-referrals");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await browser.GotoAsync("/team");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Programme queue");
        await Assertions.Expect(callout).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#nobodys-further-referrals-unknown")).ToHaveCountAsync(0);
    }

    /// <summary>Support-plan read as the programme's team lead (the journey has no worker to read it as); default while not there yet.</summary>
    private async Task<JsonElement> TeamLeadGetAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = fixture.Platform.Addresses.SupportPlan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Client.TeamLeadToken(WebAppFixture.Programme));
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }

        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
