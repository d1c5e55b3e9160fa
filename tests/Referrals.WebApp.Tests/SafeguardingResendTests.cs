using Microsoft.Playwright;
using Referrals.Deploy.Journeys;

namespace Referrals.WebApp.Tests;

/// <summary>The safeguarding form sent again (an answer lost to a timeout, or a second press) raises the concern once.</summary>
[Collection(WebAppCollection.Name)]
public sealed class SafeguardingResendTests(WebAppFixture fixture)
{
    [Fact]
    public async Task A_safeguarding_form_sent_again_raises_one_concern_and_tells_the_worker_it_was_raised()
    {
        var journey = await SecurityTests.OpenJourneyAsync(fixture, ReferralForms.GpReferral("B86003", WebAppFixture.Programme));
        await using var browser = await BrowserSession.OpenAsync(fixture);
        await browser.SignInAsync(journey.Worker.Id);
        var path = $"/journeys/{journey.JourneyId}/safeguarding";
        await browser.GotoAsync(path);
        await browser.Page.Locator("input[name='Input.Crisis'][value='false']").CheckAsync();
        await browser.Page.Locator("#input-details").FillAsync("Neighbour reports a fall last week; no one checked on him.");
        var sent = await browser.Page.EvaluateAsync<Dictionary<string, string>>(
            "() => Object.fromEntries(new FormData(document.querySelector(\"#input-details\").form))");
        Assert.True(Guid.TryParse(sent.GetValueOrDefault("RaiseKey"), out var key) && key != Guid.Empty, string.Join(", ", sent.Keys));

        await browser.ClickButtonAsync("Raise concern");
        Assert.Contains("Safeguarding concern raised", await browser.SuccessBannerAsync(), StringComparison.Ordinal);

        // The same form again, as the browser sends it: same key, same (now stale) version, the page's anti-forgery token.
        await browser.PostFormAgainAsync(path, sent);
        Assert.Contains("Safeguarding concern raised", await browser.SuccessBannerAsync(), StringComparison.Ordinal);

        var view = await fixture.Client.JourneyAsync(journey.JourneyId, journey.Worker);
        Assert.Single(view.GetProperty("safeguardingConcerns").EnumerateArray());
        Assert.Empty(browser.Dialogs);
    }

    /// <summary>
    /// HAZ-001 (review s28): the form is never stored, so Back fetches it with a new key; and one sent again with its used key
    /// but edited (a crisis now, other words), as after a redisplay, is raised as a second concern, not swallowed.
    /// </summary>
    [Fact]
    public async Task The_safeguarding_form_is_not_stored_and_an_edited_form_sent_with_a_used_key_raises_a_second_concern()
    {
        var journey = await SecurityTests.OpenJourneyAsync(fixture, ReferralForms.GpReferral("B86003", WebAppFixture.Programme));
        await using var browser = await BrowserSession.OpenAsync(fixture);
        await browser.SignInAsync(journey.Worker.Id);
        var path = $"/journeys/{journey.JourneyId}/safeguarding";
        await browser.GotoUnstoredFormAsync(path);
        await browser.Page.Locator("input[name='Input.Crisis'][value='false']").CheckAsync();
        await browser.Page.Locator("#input-details").FillAsync("Neighbour reports a fall last week.");
        var sent = await browser.Page.EvaluateAsync<Dictionary<string, string>>(
            "() => Object.fromEntries(new FormData(document.querySelector(\"#input-details\").form))");
        await browser.ClickButtonAsync("Raise concern");
        Assert.Contains("Safeguarding concern raised", await browser.SuccessBannerAsync(), StringComparison.Ordinal);

        var form = browser.Page.APIRequest.CreateFormData();
        foreach (var (name, value) in sent)
        {
            form.Set(name, value);
        }

        form.Set("Input.Crisis", "true");
        form.Set("Input.Details", "Now says he has a plan for tonight.");
        var edited = await browser.Page.APIRequest.PostAsync(path, new APIRequestContextOptions { Form = form, MaxRedirects = 0 });
        Assert.True(edited.Status == 302, $"The edited form answered {edited.Status}: {await edited.TextAsync()}");

        var concerns = (await fixture.Client.JourneyAsync(journey.JourneyId, journey.Worker)).GetProperty("safeguardingConcerns").EnumerateArray().ToList();
        Assert.Equal(2, concerns.Count);
        Assert.Single(concerns, k => k.GetProperty("crisis").GetBoolean());
    }
}
