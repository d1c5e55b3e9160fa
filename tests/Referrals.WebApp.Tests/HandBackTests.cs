using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Referrals.Deploy.Journeys;

namespace Referrals.WebApp.Tests;

/// <summary>A worker hands an accepted referral back from the worklist (Pages/Worklist/Respond), with a reason.</summary>
[Collection(WebAppCollection.Name)]
public sealed class HandBackTests(WebAppFixture fixture)
{
    [Fact]
    public async Task A_worker_hands_back_an_accepted_referral_with_a_reason_and_it_leaves_their_worklist()
    {
        var referralId = await fixture.Client.SubmitReferralAsync(ReferralForms.GpReferral("B86003", WebAppFixture.Programme));
        var (assignmentId, worker) = await fixture.Client.WaitForAssignmentAsync(referralId, WebAppFixture.Programme);
        await fixture.Client.AcceptAsync(assignmentId, worker);
        await using var browser = await BrowserSession.OpenAsync(fixture);
        await browser.SignInAsync(worker.Id);
        var row = browser.Page.Locator($"tr[data-referral='{referralId}']");
        await browser.ClickAsync(row.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Hand back") }));
        Assert.Equal("Hand back this referral – Social prescribing – NHS", await browser.Page.TitleAsync());

        // Without a reason the form says what is missing, in the error summary and at the field.
        await browser.ClickButtonAsync("Hand back this referral");
        await Assertions.Expect(browser.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Enter why you are handing this referral back");
        await Assertions.Expect(browser.Page.Locator("#reason-error")).ToContainTextAsync("Enter why you are handing this referral back");
        Assert.Equal("Accepted", (await fixture.Client.TriageReferralAsync(referralId, WebAppFixture.Programme)).GetProperty("status").GetString());

        await browser.Page.Locator("#reason").FillAsync("The person has moved to a district I do not cover.");
        await browser.ClickButtonAsync("Hand back this referral");

        Assert.Contains("was handed back", await browser.SuccessBannerAsync(), StringComparison.Ordinal);
        await Assertions.Expect(browser.Page.Locator($"tr[data-referral='{referralId}']")).ToHaveCountAsync(0);
        var referral = await fixture.Client.TriageReferralAsync(referralId, WebAppFixture.Programme);
        Assert.NotEqual("Accepted", referral.GetProperty("status").GetString());
        Assert.False(referral.GetProperty("assignment") is { ValueKind: System.Text.Json.JsonValueKind.Object } assignment &&
                     assignment.GetProperty("assignmentId").GetGuid() == assignmentId, "the handed-back assignment is still current");
    }
}
