using Referrals.Deploy.Journeys;

namespace Referrals.WebApp.Tests;

/// <summary>Validation in the NHS.UK error summary pattern, and a version conflict that keeps what the worker typed.</summary>
[Collection(WebAppCollection.Name)]
public sealed class FormBehaviourTests(WebAppFixture fixture)
{
    [Fact]
    public async Task Missing_answers_are_listed_in_an_error_summary_that_links_to_each_field()
    {
        var journey = await SecurityTests.OpenJourneyAsync(fixture, ReferralForms.GpReferral("B86002", WebAppFixture.Programme));
        await fixture.Client.JourneyCommandAsync(journey.JourneyId, journey.Worker, "agreement", null);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        await browser.SignInAsync(journey.Worker.Id);

        await browser.GotoAsync($"/journeys/{journey.JourneyId}/measures/Swemwbs");
        await browser.Page.Locator("input[name='Input.Items[2]'][value='4']").CheckAsync();
        await browser.ClickButtonAsync("Save SWEMWBS");

        Assert.Equal("Error: Record SWEMWBS – Social prescribing – NHS", await browser.Page.TitleAsync());
        var links = browser.Page.Locator(".nhsuk-error-summary a");
        await Assertions.Expect(links).ToHaveCountAsync(6);
        Assert.Equal("#input-items-0", await links.First.GetAttributeAsync("href"));
        await Assertions.Expect(browser.Page.Locator("input[name='Input.Items[2]'][value='4']")).ToBeCheckedAsync();
        await Assertions.Expect(browser.Page.Locator("#input-items-0-error")).ToContainTextAsync("Select an answer for statement 1");
    }

    [Fact]
    public async Task A_change_made_meanwhile_by_someone_else_is_explained_and_the_workers_input_is_kept()
    {
        var journey = await SecurityTests.OpenJourneyAsync(fixture, ReferralForms.GpReferral("B86001", WebAppFixture.Programme));
        await fixture.Client.JourneyCommandAsync(journey.JourneyId, journey.Worker, "agreement", null);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        await browser.SignInAsync(journey.Worker.Id);
        await browser.GotoAsync($"/journeys/{journey.JourneyId}/plan/goals/new");
        await browser.Page.Locator("#input-description").FillAsync("Join the choir at St Michael's");

        // Meanwhile a colleague adds a goal: the journey's version moves on.
        await fixture.Client.JourneyCommandAsync(journey.JourneyId, journey.Worker, "plan/goals", new { description = "Walk to the shops" });
        await browser.ClickButtonAsync("Add goal");

        Assert.StartsWith("Error: ", await browser.Page.TitleAsync(), StringComparison.Ordinal);
        await Assertions.Expect(browser.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Someone else changed this journey");
        await Assertions.Expect(browser.Page.Locator("#input-description")).ToHaveValueAsync("Join the choir at St Michael's");

        // Saving again, now against the current version, works.
        await browser.ClickButtonAsync("Add goal");
        Assert.Contains("Goal added", await browser.SuccessBannerAsync(), StringComparison.Ordinal);
        await Assertions.Expect(browser.Page.Locator(".nhsuk-card__heading")).ToHaveTextAsync(["Walk to the shops", "Join the choir at St Michael's"]);
    }
}
