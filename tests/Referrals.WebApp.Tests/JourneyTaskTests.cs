using Referrals.Deploy.Journeys;

namespace Referrals.WebApp.Tests;

/// <summary>The journey's other tasks, each through its page (and each page through axe).</summary>
[Collection(WebAppCollection.Name)]
public sealed class JourneyTaskTests(WebAppFixture fixture)
{
    [Fact]
    public async Task Contacts_home_visits_assessment_plan_reviews_measures_and_a_safeguarding_concern_are_recorded()
    {
        var journey = await SecurityTests.OpenJourneyAsync(fixture, ReferralForms.GpReferral("B86002", WebAppFixture.Programme));
        await fixture.Client.JourneyCommandAsync(journey.JourneyId, journey.Worker, "agreement", null);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await browser.SignInAsync(journey.Worker.Id);
        await browser.GotoAsync($"/journeys/{journey.JourneyId}");

        await browser.ClickLinkAsync("Record a contact");
        await page.Locator("input[name='Input.Kind'][value='FaceToFaceCommunity']").CheckAsync();
        await page.Locator("input[name='Input.Outcome'][value='Attended']").CheckAsync();
        await page.Locator("#input-durationminutes").FillAsync("40");
        await page.Locator("#input-venue").FillAsync("Meanwood library");
        await browser.ClickButtonAsync("Save contact");
        Assert.Contains("Contact recorded", await browser.SuccessBannerAsync(), StringComparison.Ordinal);

        // Lone working: check in, then out from the journey page.
        await browser.ClickLinkAsync("Check in to a home visit");
        await browser.ClickButtonAsync("Check in");
        Assert.Contains("You checked in", await browser.SuccessBannerAsync(), StringComparison.Ordinal);
        await browser.ClickButtonAsync("Check out of the home visit");
        Assert.Contains("You checked out", await browser.SuccessBannerAsync(), StringComparison.Ordinal);

        await browser.ClickLinkAsync("Record what matters to the person");
        await page.Locator("#input-narrative").FillAsync("Seeing people again and getting out of the house.");
        await page.Locator("#input-domain").SelectOptionAsync("SocialConnection");
        await page.Locator("input[name='Input.Priority'][value='High']").CheckAsync();
        await browser.ClickButtonAsync("Save");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Social connection (High priority)");

        await browser.ClickLinkAsync("Add a goal to the plan");
        await page.Locator("#input-description").FillAsync("Join the lunch club");
        await browser.ClickButtonAsync("Add goal");
        await browser.ClickLinkAsync("Add a milestone to the goal: Join the lunch club");
        await page.Locator("#input-description").FillAsync("Visit the club once");
        await browser.ClickButtonAsync("Add milestone");
        Assert.Contains("Milestone added", await browser.SuccessBannerAsync(), StringComparison.Ordinal);
        await browser.ClickButtonAsync("Mark as reached (milestone: Visit the club once)");
        await Assertions.Expect(page.Locator(".nhsuk-card")).ToContainTextAsync("Reached");

        await browser.ClickLinkAsync("Record the person's agreement to the plan");
        await page.Locator("input[name='Input.PersonAgreed'][value='true']").CheckAsync();
        await browser.ClickButtonAsync("Save");
        Assert.Contains("The plan is agreed", await browser.SuccessBannerAsync(), StringComparison.Ordinal);

        await browser.ClickLinkAsync("Record a review");
        await page.Locator("#input-summary").FillAsync("Went to the lunch club twice.");
        await browser.ClickButtonAsync("Save review");
        Assert.Contains("Review recorded", await browser.SuccessBannerAsync(), StringComparison.Ordinal);

        await browser.ClickLinkAsync("Record WEMWBS");
        for (var i = 0; i < 14; i++)
        {
            await page.Locator($"input[name='Input.Items[{i}]'][value='3']").CheckAsync();
        }

        await browser.ClickButtonAsync("Save WEMWBS");
        Assert.Contains("WEMWBS baseline recorded: score 42", await browser.SuccessBannerAsync(), StringComparison.Ordinal);

        await browser.ClickLinkAsync("Record ONS4");
        await page.Locator("#input-lifesatisfaction").FillAsync("4");
        await page.Locator("#input-worthwhile").FillAsync("5");
        await page.Locator("#input-happy").FillAsync("3");
        await page.Locator("#input-anxious").FillAsync("11");
        await browser.ClickButtonAsync("Save ONS4");
        await Assertions.Expect(page.Locator(".nhsuk-error-summary a")).ToHaveTextAsync(["Enter a whole number from 0 to 10 for anxiety yesterday"]);
        await page.Locator("#input-anxious").FillAsync("8");
        await browser.ClickButtonAsync("Save ONS4");
        Assert.Contains("ONS4 baseline recorded", await browser.SuccessBannerAsync(), StringComparison.Ordinal);

        await browser.ClickLinkAsync("Record PAM");
        await page.Locator("#input-pamscore").FillAsync("55.2");
        await browser.ClickButtonAsync("Save PAM");
        Assert.Contains("PAM baseline recorded: score 55.2", await browser.SuccessBannerAsync(), StringComparison.Ordinal);

        // The directory, searched by need and district.
        await browser.ClickLinkAsync("Make a community connection");
        await page.Locator("#category").SelectOptionAsync("PhysicalActivity");
        await page.Locator("#area").FillAsync("ls6");
        await browser.ClickButtonAsync("Search");
        await browser.ClickAsync(page.Locator("#directory-results").GetByRole(AriaRole.Button, new() { Name = "Signpost to Meanwood Walking Group" }));
        Assert.Contains("Connection recorded", await browser.SuccessBannerAsync(), StringComparison.Ordinal);

        await browser.ClickLinkAsync("Raise a safeguarding concern");
        await page.Locator("input[name='Input.Crisis'][value='false']").CheckAsync();
        await page.Locator("#input-details").FillAsync("Neighbour reports a fall last week; no one checked on him.");
        await browser.ClickButtonAsync("Raise concern");
        Assert.Contains("Safeguarding concern raised", await browser.SuccessBannerAsync(), StringComparison.Ordinal);

        var view = await fixture.Client.JourneyAsync(journey.JourneyId, journey.Worker);
        Assert.Equal(2, view.GetProperty("contacts").GetArrayLength());
        Assert.Equal(3, view.GetProperty("measurements").GetArrayLength());
        Assert.Single(view.GetProperty("plan").GetProperty("reviews").EnumerateArray());
        Assert.Single(view.GetProperty("safeguardingConcerns").EnumerateArray());
        Assert.Single(view.GetProperty("connections").EnumerateArray());
    }
}
