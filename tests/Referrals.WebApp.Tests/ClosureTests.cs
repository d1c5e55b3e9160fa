using Microsoft.Playwright;
using Referrals.Deploy.Journeys;

namespace Referrals.WebApp.Tests;

/// <summary>HAZ-001 C9 in the web app: the closure and first-contact (decline) forms name the concerns the duty team has not confirmed and ask why close anyway.</summary>
[Collection(WebAppCollection.Name)]
public sealed class ClosureTests(WebAppFixture fixture)
{
    /// <summary>Triage is stopped so nobody confirms the concern while the worker tries to close.</summary>
    [Fact]
    public async Task Closing_with_a_concern_the_duty_team_has_not_confirmed_is_refused_until_the_worker_says_why_close_anyway()
    {
        var journey = await SecurityTests.OpenJourneyAsync(fixture, ReferralForms.GpReferral("B86003", WebAppFixture.Programme));
        await fixture.Platform.StopServiceAsync("triage");
        try
        {
            var concernId = (await fixture.Client.JourneyCommandAsync(journey.JourneyId, journey.Worker, "safeguarding-concerns",
                new { crisis = false, indicators = new[] { "self-neglect" }, details = "Not eating; the flat is very cold" })).GetProperty("id").GetGuid();
            await using var browser = await BrowserSession.OpenAsync(fixture);
            var page = browser.Page;
            await browser.SignInAsync(journey.Worker.Id);
            await browser.GotoAsync($"/journeys/{journey.JourneyId}/close");

            var warning = page.Locator("#closure-unconfirmed-concerns");
            await Assertions.Expect(warning).ToContainTextAsync("Not yet confirmed by the duty team");
            await Assertions.Expect(warning.Locator($"li[data-concern='{concernId}']")).ToHaveCountAsync(1);
            await Assertions.Expect(warning).Not.ToContainTextAsync("Not eating");

            await page.Locator("input[name='Input.Reason'][value='MovedAway']").CheckAsync();
            await browser.ClickButtonAsync("Close the journey");
            await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Triage has not confirmed");

            await page.Locator("#input-closewithunconfirmedconcernreason").FillAsync("Spoke to the duty worker, who has the concern.");
            await browser.ClickButtonAsync("Close the journey");
            Assert.Contains("The journey is closed", await browser.SuccessBannerAsync(), StringComparison.Ordinal);
            await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("not confirmed by triage");
        }
        finally
        {
            await fixture.Platform.StartServiceAsync("triage");
        }
    }

    /// <summary>A decline closes the journey, so the first-contact form names the concern and asks why close anyway, before saving the contact.</summary>
    [Fact]
    public async Task Declining_at_first_contact_with_a_concern_the_duty_team_has_not_confirmed_asks_why_close_anyway_and_records_the_contact_once()
    {
        var journey = await SecurityTests.OpenJourneyAsync(fixture, ReferralForms.GpReferral("B86003", WebAppFixture.Programme));
        await fixture.Platform.StopServiceAsync("triage");
        try
        {
            var concernId = (await fixture.Client.JourneyCommandAsync(journey.JourneyId, journey.Worker, "safeguarding-concerns",
                new { crisis = true, indicators = new[] { "suicidal-ideation" }, details = "Said they had a plan" })).GetProperty("id").GetGuid();
            await using var browser = await BrowserSession.OpenAsync(fixture);
            var page = browser.Page;
            await browser.SignInAsync(journey.Worker.Id);
            await browser.GotoAsync($"/journeys/{journey.JourneyId}/first-contact");

            var warning = page.Locator("#decline-unconfirmed-concerns");
            await Assertions.Expect(warning).ToContainTextAsync("Not yet confirmed by the duty team");
            await Assertions.Expect(warning.Locator($"li[data-concern='{concernId}']")).ToHaveCountAsync(1);
            await Assertions.Expect(warning).Not.ToContainTextAsync("Said they had a plan");

            await page.Locator("input[name='Input.Kind'][value='Phone']").CheckAsync();
            await page.Locator("#input-durationminutes").FillAsync("15");
            await page.Locator("input[name='Input.Decision'][value='Declined']").CheckAsync();
            await page.Locator("#input-declinereason").FillAsync("Does not want it now");
            await browser.ClickButtonAsync("Save first contact");
            await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("before the duty team has confirmed");
            var refused = await fixture.Client.JourneyAsync(journey.JourneyId, journey.Worker);
            Assert.Equal("Open", refused.GetProperty("status").GetString());
            Assert.Empty(refused.GetProperty("contacts").EnumerateArray());

            await page.Locator("#input-closewithunconfirmedconcernreason").FillAsync("Spoke to the duty worker, who has the concern.");
            await browser.ClickButtonAsync("Save first contact");
            Assert.Contains("the journey is closed", await browser.SuccessBannerAsync(), StringComparison.Ordinal);
            await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("not confirmed by triage");
            var closed = await fixture.Client.JourneyAsync(journey.JourneyId, journey.Worker);
            Assert.Equal("Closed", closed.GetProperty("status").GetString());
            Assert.Single(closed.GetProperty("contacts").EnumerateArray());
        }
        finally
        {
            await fixture.Platform.StartServiceAsync("triage");
        }
    }
}
