using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Referrals.Deploy.Journeys;

namespace Referrals.WebApp.Tests;

[Collection(WebAppCollection.Name)]
public sealed class TeamLeadTests(WebAppFixture fixture)
{
    /// <summary>How long after check-in the visit is expected to end: enough for the check-in form to reach support-plan.</summary>
    private const int VisitSeconds = 20;

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

        // The programme's journeys with safeguarding concerns (HAZ-001 C7).
        await browser.ClickLinkAsync("Safeguarding");
        Assert.Equal("Journeys with safeguarding concerns – Social prescribing – NHS", await page.TitleAsync());
        await browser.CheckAccessibilityAsync();
    }

    /// <summary>
    /// HAZ-021 C2, HAZ-001: from the queue a team lead opens a worker's caseload (support-plan's view of it within their programme),
    /// and from an escalation the journey support-plan registered for its referral, once it has.
    /// </summary>
    [Fact]
    public async Task A_team_lead_opens_a_workers_caseload_from_the_queue_and_the_journey_behind_an_escalation()
    {
        var journey = await SecurityTests.OpenJourneyAsync(fixture, ReferralForms.GpReferral("B86002", WebAppFixture.Programme));
        var risky = await fixture.Client.SubmitReferralAsync(ReferralForms.GpReferral("B86003", WebAppFixture.Programme, givenName: "Morwenna",
            familyName: "Tregothnan", riskOfHarmToSelf: true));
        await fixture.Client.PollAsync(() => fixture.Client.ProgrammeQueueAsync(WebAppFixture.Programme),
            q => Escalations(q).Any(e => e.GetProperty("referralId").GetGuid() == risky), "the escalation on the programme queue");

        await using var browser = await BrowserSession.OpenAsync(fixture);
        var page = browser.Page;
        await browser.SignInAsync("tl-nl-01");
        await browser.ClickAsync(page.Locator($"#capacity tr[data-worker='{journey.Worker.Id}']").GetByRole(AriaRole.Link));
        Assert.Equal($"Caseload of {journey.Worker.Id} – Social prescribing – NHS", await page.TitleAsync());
        await Assertions.Expect(page.Locator($"tr[data-journey='{journey.JourneyId}']")).ToHaveCountAsync(1);

        // Support-plan registers the referral's journey once it has triage's decision: until then the row says there is none yet.
        await browser.GotoAsync("/team/escalations");
        var open = page.Locator($"#escalations tr[data-referral='{risky}']").GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Open the journey") });
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (await open.CountAsync() == 0)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"The escalation of {risky} links to no journey within 60 s.\n{fixture.Diagnostics()}");
            await Task.Delay(500);
            await page.ReloadAsync();
        }

        await browser.ClickAsync(open);
        await Assertions.Expect(page.Locator("#person-name")).ToHaveTextAsync("Morwenna Tregothnan");
        Assert.Empty(browser.Dialogs);
    }

    /// <summary>
    /// Lone working (HAZ-008, C3): a worker checks in to a home visit and does not check out by the time they expected to
    /// leave; support-plan's durable timer raises the overdue alert and the team lead's lone-working page lists the visit
    /// until they acknowledge it. The services run with the real clock, so the visit is expected to end a few seconds
    /// after check-in (any future time is accepted; the margin only covers the round trip of the check-in form).
    /// </summary>
    [Fact]
    public async Task A_team_lead_sees_a_home_visit_not_checked_out_in_time()
    {
        var journey = await SecurityTests.OpenJourneyAsync(fixture, ReferralForms.GpReferral("B86004", WebAppFixture.Programme));

        // The worker checks in from the journey page, expecting to leave in a few seconds (UK time, to the second).
        await using var worker = await BrowserSession.OpenAsync(fixture);
        await worker.SignInAsync(journey.Worker.Id);
        await worker.GotoAsync($"/journeys/{journey.JourneyId}");
        await worker.ClickLinkAsync("Check in to a home visit");
        var expectedEnd = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddSeconds(VisitSeconds).ToUnixTimeSeconds());
        if (expectedEnd.Second == 0)
        {
            expectedEnd = expectedEnd.AddSeconds(1); // a datetime-local value with :00 seconds is shown without them
        }

        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var expectedEndLocal = TimeZoneInfo.ConvertTime(expectedEnd, london);
        await worker.Page.Locator("#expectedend").FillAsync(expectedEndLocal.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        await worker.ClickButtonAsync("Check in");
        Assert.Contains("You checked in", await worker.SuccessBannerAsync(), StringComparison.Ordinal);
        var visit = Assert.Single((await fixture.Client.JourneyAsync(journey.JourneyId, journey.Worker)).GetProperty("homeVisits").EnumerateArray());
        var visitId = visit.GetProperty("visitId").GetGuid();
        Assert.Equal(expectedEnd, visit.GetProperty("expectedEnd").GetDateTimeOffset());

        await using var lead = await BrowserSession.OpenAsync(fixture);
        var page = lead.Page;
        await lead.SignInAsync("tl-nl-01");
        await lead.ClickLinkAsync("Lone working");
        Assert.Equal("Overdue lone-working check-outs – Social prescribing – NHS", await page.TitleAsync());
        var row = page.Locator("#overdue tr", new() { Has = page.Locator($"input[name='visitId'][value='{visitId}']") });
        if (DateTimeOffset.UtcNow < expectedEnd)
        {
            // The page was served before the visit's end: a visit still in time is not listed.
            Assert.Equal(0, await row.CountAsync());
        }

        // The visit goes overdue: the timer fires and the alert is raised; the team lead's page lists it.
        var deadline = expectedEnd.AddSeconds(90);
        while (await row.CountAsync() == 0)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"The overdue visit {visitId} was not listed within 90 s of its expected end.\n{fixture.Diagnostics()}");
            await Task.Delay(500);
            await page.ReloadAsync();
        }

        await lead.CheckAccessibilityAsync();
        await Assertions.Expect(row).ToContainTextAsync(journey.Worker.Id);
        await Assertions.Expect(row).ToContainTextAsync(expectedEndLocal.ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture));
        var alerted = (await fixture.Client.JourneyAsync(journey.JourneyId, journey.Worker)).GetProperty("homeVisits")[0];
        Assert.True(alerted.GetProperty("alertOutstanding").GetBoolean());
        Assert.True(alerted.GetProperty("checkedIn").GetBoolean());

        await Assertions.Expect(row.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Open the journey") }))
            .ToHaveAttributeAsync("href", $"/journeys/{journey.JourneyId}");

        // Once the worker is known to be safe, the team lead acknowledges it and it leaves the list.
        await lead.ClickAsync(row.GetByRole(AriaRole.Button, new() { Name = $"I have checked they are safe ({journey.Worker.Id})" }));
        Assert.Contains("The overdue check-out is acknowledged", await lead.SuccessBannerAsync(), StringComparison.Ordinal);
        await Assertions.Expect(row).ToHaveCountAsync(0);
        var acknowledged = (await fixture.Client.JourneyAsync(journey.JourneyId, journey.Worker)).GetProperty("homeVisits")[0];
        Assert.False(acknowledged.GetProperty("alertOutstanding").GetBoolean());
        Assert.Equal("tl-nl-01", acknowledged.GetProperty("alertAcknowledgedBy").GetString());

        // From the list to the journey, where the team lead may now check the visit out for the worker.
        await lead.ClickLinkAsync("go to the journey of the visit you acknowledged");
        Assert.EndsWith($"/journeys/{journey.JourneyId}", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator($"[data-visit='{visitId}']").GetByRole(AriaRole.Button,
            new() { Name = $"Check out of the home visit for {journey.Worker.Id}" })).ToBeVisibleAsync();
        Assert.Empty(worker.Dialogs);
        Assert.Empty(lead.Dialogs);
    }

    private static IEnumerable<JsonElement> Escalations(JsonElement queue) =>
        queue.GetProperty("unacknowledgedEscalations").EnumerateArray();
}
