using Microsoft.Playwright;
using Referrals.Deploy.Journeys;

namespace Referrals.WebApp.Tests;

[Collection(WebAppCollection.Name)]
public sealed class SecurityTests(WebAppFixture fixture)
{
    [Fact]
    public async Task The_development_sign_in_is_not_found_outside_development()
    {
        await using var production = await BrowserSession.OpenAsync(fixture, app: fixture.ProductionWebApp);
        var response = await production.Page.GotoAsync("/sign-in");
        Assert.Equal(404, response!.Status);
        await production.CheckAccessibilityAsync();
        // Without a token from the proxy nothing is shown, and nobody is sent to a sign-in page.
        var worklist = await production.Page.GotoAsync("/worklist");
        Assert.Equal(401, worklist!.Status);

        await using var development = await BrowserSession.OpenAsync(fixture);
        Assert.Equal(200, (await development.Page.GotoAsync("/sign-in"))!.Status);
    }

    [Fact]
    public async Task A_name_with_a_script_tag_shows_as_text()
    {
        const string Given = "<script>alert('given')</script>Maureen";
        const string Family = "<img src=x onerror=alert('family')>";
        var journey = await OpenJourneyAsync(ReferralForms.GpReferral("B86002", WebAppFixture.Programme, givenName: Given, familyName: Family));

        await using var browser = await BrowserSession.OpenAsync(fixture);
        await browser.SignInAsync(journey.Worker.Id);
        await browser.GotoAsync($"/journeys/{journey.JourneyId}");
        await Assertions.Expect(browser.Page.Locator("#person-name")).ToHaveTextAsync($"{Given} {Family}");
        Assert.StartsWith($"{Given} {Family}: journey", await browser.Page.TitleAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await browser.Page.Locator("main script, main img[src='x']").CountAsync());

        await browser.ClickLinkAsync("My caseload");
        await Assertions.Expect(browser.Page.GetByRole(AriaRole.Link, new() { Name = $"{Given} {Family}" })).ToBeVisibleAsync();
        Assert.Empty(browser.Dialogs);
    }

    [Fact]
    public async Task A_form_posted_without_its_anti_forgery_token_is_refused()
    {
        var referralId = await fixture.Client.SubmitReferralAsync(ReferralForms.GpReferral("B86004", WebAppFixture.Programme));
        var (assignmentId, worker) = await fixture.Client.WaitForAssignmentAsync(referralId, WebAppFixture.Programme);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        await browser.SignInAsync(worker.Id);

        // The signed-in browser's cookies go along; only the form's token is missing.
        var response = await browser.Page.APIRequest.PostAsync("/worklist?handler=Accept", new APIRequestContextOptions
        {
            Form = browser.Page.APIRequest.CreateFormData().Set("assignmentId", assignmentId.ToString()),
            MaxRedirects = 0,
        });

        Assert.Equal(400, response.Status);
        var referral = await fixture.Client.TriageReferralAsync(referralId, WebAppFixture.Programme);
        Assert.Equal("Offered", referral.GetProperty("status").GetString());

        // Through its form (with the token) the worker can decline it, with a reason.
        await browser.GotoAsync($"/worklist/{assignmentId}/decline");
        await browser.Page.Locator("#reason").FillAsync("I know the family socially.");
        await browser.ClickButtonAsync("Decline this referral");
        Assert.Contains("was declined", await browser.SuccessBannerAsync(), StringComparison.Ordinal);
    }

    internal sealed record OpenJourney(Guid ReferralId, Guid JourneyId, Worker Worker);

    internal static async Task<OpenJourney> OpenJourneyAsync(WebAppFixture fixture, System.Text.Json.Nodes.JsonObject referral)
    {
        var referralId = await fixture.Client.SubmitReferralAsync(referral);
        var (assignmentId, worker) = await fixture.Client.WaitForAssignmentAsync(referralId, WebAppFixture.Programme);
        await fixture.Client.AcceptAsync(assignmentId, worker);
        var journeyId = await fixture.Client.WaitForOpenJourneyAsync(referralId, worker);
        return new OpenJourney(referralId, journeyId, worker);
    }

    private Task<OpenJourney> OpenJourneyAsync(System.Text.Json.Nodes.JsonObject referral) => OpenJourneyAsync(fixture, referral);
}
