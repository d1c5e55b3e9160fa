using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Referrals.Deploy.Journeys;

namespace Referrals.WebApp.Tests;

[Collection(WebAppCollection.Name)]
public sealed class TeamLeadTests(WebAppFixture fixture)
{
    [Fact]
    public async Task A_team_lead_reassigns_an_offer_and_acknowledges_an_escalation()
    {
        var routine = await fixture.Client.SubmitReferralAsync(ReferralForms.GpReferral("B86003", WebAppFixture.Programme));
        var (_, offeredTo) = await fixture.Client.WaitForAssignmentAsync(routine, WebAppFixture.Programme);
        var newWorker = offeredTo.Id == "lw-nl-03" ? "lw-nl-04" : "lw-nl-03";
        var risky = await fixture.Client.SubmitReferralAsync(ReferralForms.GpReferral("B86001", WebAppFixture.Programme, riskOfHarmToSelf: true,
            riskNotes: "Told the GP she has been saving up her tablets"));
        await fixture.Client.PollAsync(() => fixture.Client.ProgrammeQueueAsync(WebAppFixture.Programme),
            q => Escalations(q).Any(e => e.GetProperty("referralId").GetGuid() == risky), "the escalation on the programme queue");

        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await browser.SignInAsync("tl-nl-01");
        Assert.Equal("Programme queue – Social prescribing – NHS", await page.TitleAsync());
        await Assertions.Expect(page.Locator("#capacity")).ToContainTextAsync("Chloe Evans (lw-nl-03)");

        // Reassignment: from the worker it was offered to, to another with room.
        await browser.ClickAsync(page.Locator($"#awaiting-response tr[data-referral='{routine}']").GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Reassign") }));
        await Assertions.Expect(page.Locator("#current-worker")).ToHaveTextAsync(offeredTo.Id);
        await browser.ClickButtonAsync("Reassign");
        Assert.StartsWith("Error: Reassign a referral", await page.TitleAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator(".nhsuk-error-summary a")).ToHaveTextAsync(["Select who should take the referral", "Enter why you are reassigning it"]);
        await page.Locator($"input[name='LinkWorkerId'][value='{newWorker}']").CheckAsync();
        await page.Locator("#reason").FillAsync("Knows the family's housing officer.");
        await browser.ClickButtonAsync("Reassign");
        Assert.Contains($"now offered to {newWorker}", await browser.SuccessBannerAsync(), StringComparison.Ordinal);
        var triaged = await fixture.Client.TriageReferralAsync(routine, WebAppFixture.Programme);
        Assert.Equal(newWorker, triaged.GetProperty("assignment").GetProperty("linkWorkerId").GetString());

        // The escalation nobody has acknowledged yet.
        await browser.ClickLinkAsync("Escalations");
        Assert.Equal("Escalations awaiting acknowledgement – Social prescribing – NHS", await page.TitleAsync());
        var escalation = page.Locator($"#escalations tr[data-referral='{risky}']");
        await Assertions.Expect(escalation).ToContainTextAsync("Self-harm");
        await browser.ClickAsync(escalation.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Acknowledge") }));
        Assert.Contains("You acknowledged the escalation", await browser.SuccessBannerAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator($"tr[data-referral='{risky}']")).ToHaveCountAsync(0);
        var queue = await fixture.Client.ProgrammeQueueAsync(WebAppFixture.Programme);
        Assert.DoesNotContain(Escalations(queue), e => e.GetProperty("referralId").GetGuid() == risky);

        // The overdue lone-working list (none here).
        await browser.ClickLinkAsync("Lone working");
        Assert.Equal("Overdue lone-working check-outs – Social prescribing – NHS", await page.TitleAsync());
    }

    private static IEnumerable<JsonElement> Escalations(JsonElement queue) =>
        queue.GetProperty("unacknowledgedEscalations").EnumerateArray();
}
