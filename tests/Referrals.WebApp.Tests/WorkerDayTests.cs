using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Referrals.Deploy.Journeys;

namespace Referrals.WebApp.Tests;

/// <summary>A link worker's day in the browser, with JavaScript and without: every step is a plain form and a redirect.</summary>
[Collection(WebAppCollection.Name)]
public sealed partial class WorkerDayTests(WebAppFixture fixture)
{
    private static readonly int[] BaselineAnswers = [2, 3, 2, 3, 2, 3, 2];
    private static readonly int[] FollowUpAnswers = [4, 4, 3, 4, 3, 4, 4];

    [Fact]
    public Task A_worker_accepts_agrees_measures_plans_connects_sees_the_change_and_closes() => WorkerDayAsync(javaScript: true);

    [Fact]
    public Task The_same_day_works_with_JavaScript_disabled() => WorkerDayAsync(javaScript: false);

    private async Task WorkerDayAsync(bool javaScript)
    {
        var referralId = await fixture.Client.SubmitReferralAsync(
            ReferralForms.GpReferral("B86001", WebAppFixture.Programme, givenName: "Maureen", familyName: javaScript ? "Lister" : "Nowak"));
        var (_, worker) = await fixture.Client.WaitForAssignmentAsync(referralId, WebAppFixture.Programme);
        await using var browser = await BrowserSession.OpenAsync(fixture, javaScript);
        var page = browser.Page;

        // Sign in: the worker lands on their worklist, where the new referral waits.
        await browser.SignInAsync(worker.Id);
        Assert.Equal("My worklist – Social prescribing – NHS", await page.TitleAsync());
        Assert.Equal(javaScript, await page.Locator("body.js-enabled").CountAsync() == 1);
        var row = page.Locator($"tr[data-referral='{referralId}']");
        await Assertions.Expect(row).ToContainTextAsync("Routine");
        if (javaScript)
        {
            await browser.ScreenshotAsync("worklist.png");
        }

        await browser.ClickAsync(row.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Accept") }));
        Assert.Contains("You accepted referral", await browser.SuccessBannerAsync(), StringComparison.Ordinal);

        // The journey opens once support-plan has heard of the acceptance.
        await browser.ClickAsync(page.Locator($"tr[data-referral='{referralId}']").GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Open journey") }));
        await WaitForJourneyAsync(browser, "Maureen");
        var journeyUrl = new Uri(page.Url).AbsolutePath;

        // First contact: the person agrees.
        await browser.ClickLinkAsync("Record the first contact and whether the person agrees");
        await page.Locator("input[name='Input.Kind'][value='Phone']").CheckAsync();
        await page.Locator("#input-durationminutes").FillAsync("25");
        await page.Locator("input[name='Input.Decision'][value='Agreed']").CheckAsync();
        await browser.ClickButtonAsync("Save first contact");
        Assert.Contains("agreed to social prescribing", await browser.SuccessBannerAsync(), StringComparison.Ordinal);

        // SWEMWBS baseline.
        await RecordSwemwbsAsync(browser, BaselineAnswers, "Baseline");
        Assert.Contains("SWEMWBS baseline recorded: score 16.88", await browser.SuccessBannerAsync(), StringComparison.Ordinal);

        // A plan with two goals.
        foreach (var goal in new[] { "Walk with the Tuesday group", "Get back to the allotment" })
        {
            await browser.ClickLinkAsync("Add a goal to the plan");
            await page.Locator("#input-description").FillAsync(goal);
            await browser.ClickButtonAsync("Add goal");
            Assert.Contains("Goal added", await browser.SuccessBannerAsync(), StringComparison.Ordinal);
        }

        await Assertions.Expect(page.Locator(".nhsuk-card__heading")).ToHaveTextAsync(["Walk with the Tuesday group", "Get back to the allotment"]);

        // A community connection, from the suggestions for this person.
        await browser.ClickLinkAsync("Make a community connection");
        await browser.ClickAsync(page.Locator("#suggestions").GetByRole(AriaRole.Button, new() { Name = "Signpost to Meanwood Walking Group" }));
        await Assertions.Expect(page.Locator("#connections")).ToContainTextAsync("Meanwood Walking Group");

        // SWEMWBS follow-up, and the change since baseline.
        await RecordSwemwbsAsync(browser, FollowUpAnswers, "FollowUp");
        Assert.Contains("Change since baseline: +6.33 (improved, a meaningful change)", await browser.SuccessBannerAsync(), StringComparison.Ordinal);
        var swemwbs = page.Locator("#outcomes tr", new() { HasText = "SWEMWBS" });
        await Assertions.Expect(swemwbs).ToContainTextAsync("16.88");
        await Assertions.Expect(swemwbs).ToContainTextAsync("23.21");
        await Assertions.Expect(swemwbs).ToContainTextAsync("+6.33");
        if (javaScript)
        {
            await browser.ScreenshotAsync("journey.png", fullPage: true);
        }

        // Close: goals met; the follow-up stands in for the closing measure.
        await browser.ClickLinkAsync("Close the journey");
        await page.Locator("input[name='Input.Reason'][value='GoalsMet']").CheckAsync();
        await page.Locator("#input-note").FillAsync("Walking every week and back at the allotment.");
        await page.Locator("#input-closingmeasuresskippedreason").FillAsync("The follow-up this week stands as the closing measure.");
        await browser.ClickButtonAsync("Close the journey");
        Assert.Contains("The journey is closed", await browser.SuccessBannerAsync(), StringComparison.Ordinal);
        Assert.Equal(journeyUrl, new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.Locator("h1 + p .nhsuk-tag").First).ToHaveTextAsync("Closed");
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("closed", new() { IgnoreCase = true });

        // The closed journey is still on the caseload when closed ones are shown.
        await browser.ClickLinkAsync("My caseload");
        await browser.ClickLinkAsync("Show closed journeys too");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync(javaScript ? "Maureen Lister" : "Maureen Nowak");
        Assert.Empty(browser.Dialogs);
    }

    private static async Task RecordSwemwbsAsync(BrowserSession browser, int[] answers, string point)
    {
        var page = browser.Page;
        await browser.ClickLinkAsync("Record SWEMWBS");
        Assert.Equal("Record SWEMWBS – Social prescribing – NHS", await page.TitleAsync());
        await Assertions.Expect(page.Locator($"input[name='Input.Point'][value='{point}']")).ToBeCheckedAsync();
        for (var i = 0; i < answers.Length; i++)
        {
            await page.Locator($"input[name='Input.Items[{i}]'][value='{answers[i]}']").CheckAsync();
        }

        await browser.ClickButtonAsync("Save SWEMWBS");
    }

    /// <summary>Reloads until the journey shows (support-plan opens it a moment after the acceptance).</summary>
    internal static async Task WaitForJourneyAsync(BrowserSession browser, string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await browser.Page.Locator("#person-name").CountAsync() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The journey did not open within 60 s.");
            await Task.Delay(250);
            await browser.Page.ReloadAsync();
        }

        await browser.CheckAccessibilityAsync();
        await Assertions.Expect(browser.Page.Locator("#person-name")).ToContainTextAsync(name);
    }
}
