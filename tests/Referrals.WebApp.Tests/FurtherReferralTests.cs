using System.Text.Json;
using Microsoft.Playwright;
using Referrals.Deploy.Journeys;

namespace Referrals.WebApp.Tests;

/// <summary>
/// HAZ-001 C8 for the person's worker: a second referral intake links to their open journey is shown on the journey page and
/// marked on the caseload until the worker says they have read it.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class FurtherReferralTests(WebAppFixture fixture)
{
    [Fact]
    public async Task A_referral_linked_to_the_open_journey_is_marked_on_the_caseload_and_shown_on_the_journey_until_the_worker_acknowledges_it()
    {
        var nhsNumber = ReferralForms.NewNhsNumber();
        var journey = await SecurityTests.OpenJourneyAsync(fixture, ReferralForms.GpReferral("B86003", WebAppFixture.Programme, nhsNumber));
        var again = ReferralForms.GpReferral("B86003", WebAppFixture.Programme, nhsNumber, riskNotes: "Has stopped answering the door");
        again["reasonText"] = "Eviction notice received last week; very anxious about it.";
        await fixture.Client.SubmitReferralAsync(again);
        await fixture.Client.PollAsync(() => fixture.Client.JourneyAsync(journey.JourneyId, journey.Worker),
            j => j.TryGetProperty("furtherReferrals", out var f) && f.ValueKind == JsonValueKind.Array && f.GetArrayLength() == 1, "the further referral");

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

        await browser.ClickButtonAsync("I have read this referral");
        Assert.Contains("Further referral acknowledged", await browser.SuccessBannerAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#further-referrals")).ToContainTextAsync("Read by");
        await Assertions.Expect(page.Locator("#further-referrals")).Not.ToContainTextAsync("Not yet read");

        await browser.GotoAsync("/caseload");
        await Assertions.Expect(row).Not.ToContainTextAsync("New referral to read");
    }
}
