using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Referrals.ServiceDefaults.Auth;
using Referrals.WebApp.Api;
using Referrals.WebApp.Display;

namespace Referrals.WebApp.Tests;

/// <summary>
/// HAZ-008 and HAZ-002 on the page a team lead keeps open: the landing page (<c>/team</c>) calls out home visits overdue for
/// check-out in every programme they lead and the shown programme's escalations awaiting acknowledgement, above every other
/// warning, or says it could not check; while it stays open, <c>/team/alerts</c> tells its script how many it does not show.
/// Triage and support-plan are one stub answering the queues, the journey list and the overdue visits from what the test gives
/// it, and failing on request; the web app runs as a process, as in the other tests.
/// </summary>
public sealed class TeamAlertsTests(TeamAlertsTests.Host host) : IClassFixture<TeamAlertsTests.Host>
{
    private const string First = WebAppFixture.Programme;

    private const string Second = "east-bradford";

    private static readonly string[] Both = [First, Second];

    [Fact]
    public async Task The_landing_page_calls_out_overdue_check_outs_in_every_programme_first_with_the_count_and_the_first_expected_end()
    {
        var later = Visit(First, endedMinutesAgo: 10);
        var earliest = Visit(Second, endedMinutesAgo: 45);
        var escalation = Escalation(First);
        var elsewhere = Escalation(Second);
        host.Answer(overdue: [later, earliest], escalations: [escalation, elsewhere]);

        var page = await host.PageAsync("/team", Both);

        var callout = Section(page, "overdue-check-outs");
        Assert.Contains("Important: </span>Lone-working check-out overdue", callout, StringComparison.Ordinal);
        Assert.Contains("2 home visits in your programmes are not checked out and no team lead has acknowledged them.", callout, StringComparison.Ordinal);
        Assert.Contains($"The first was expected to end at {Labels.Time(earliest.ExpectedEnd)}.", callout, StringComparison.Ordinal);
        Assert.Contains("href=\"/team/lone-working\"", callout, StringComparison.Ordinal);
        Assert.Contains("nhsuk-card--care--urgent", callout, StringComparison.Ordinal);
        // Above the escalations, the other programmes' warnings and the queue.
        Assert.True(page.IndexOf("id=\"overdue-check-outs\"", StringComparison.Ordinal) < page.IndexOf("id=\"escalations-waiting\"", StringComparison.Ordinal));
        Assert.True(page.IndexOf("id=\"escalations-waiting\"", StringComparison.Ordinal) < page.IndexOf("id=\"other-programmes\"", StringComparison.Ordinal));
        Assert.True(page.IndexOf("id=\"other-programmes\"", StringComparison.Ordinal) < page.IndexOf("id=\"capacity\"", StringComparison.Ordinal));
        // What the page shows, for its script to ask only about others.
        Assert.Contains($"data-shown-visits=\"{earliest.VisitId} {later.VisitId}\"", page, StringComparison.Ordinal);
        Assert.Contains($"data-shown-escalations=\"{escalation.EscalationId} {elsewhere.EscalationId}\"", page, StringComparison.Ordinal);
        Assert.Contains("data-visits-unknown=\"false\"", page, StringComparison.Ordinal);
        Assert.Contains("data-escalations-unknown=\"false\"", page, StringComparison.Ordinal);

        host.Answer(escalations: [escalation]);
        var none = await host.PageAsync("/team", Both);
        Assert.DoesNotContain("id=\"overdue-check-outs", none, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StubbedWebApp.Failure.ConnectionLost)]
    [InlineData(StubbedWebApp.Failure.ServiceUnavailable)]
    [InlineData(StubbedWebApp.Failure.NotJson)]
    [InlineData(StubbedWebApp.Failure.Slow)]
    public async Task When_support_plan_cannot_list_overdue_check_outs_the_landing_page_says_it_could_not_check_and_still_shows_the_queue(
        StubbedWebApp.Failure failure)
    {
        host.Answer(overdue: [Visit(First, endedMinutesAgo: 5)], failure: failure);

        var started = Stopwatch.StartNew();
        var page = await host.PageAsync("/team", [First]);

        // The slow answer takes 30 s; the page waits 5 s for it.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"The landing page took {started.Elapsed}");
        Assert.Contains($"Programme queue: {First}", page, StringComparison.Ordinal);
        Assert.Contains("id=\"capacity\"", page, StringComparison.Ordinal);
        var callout = Section(page, "overdue-check-outs-unknown");
        Assert.Contains("Could not check for home visits overdue for check-out: support-plan did not answer.", callout, StringComparison.Ordinal);
        Assert.Contains("href=\"/team/lone-working\"", callout, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"overdue-check-outs\"", page, StringComparison.Ordinal);
        // Every overdue visit found later is new to this page.
        Assert.Contains("data-shown-visits=\"\" data-visits-unknown=\"true\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_landing_page_calls_out_the_programmes_escalations_saying_which_have_nobody_to_ask_or_are_in_a_repeat_round()
    {
        var nobodyToAsk = NobodyToAsk(Escalation(First));
        var repeated = Escalation(First) with { RepeatRound = 2 };
        var nobodyToAskElsewhere = NobodyToAsk(Escalation(Second)) with { RepeatRound = 1 };
        host.Answer(escalations: [Escalation(First), nobodyToAsk, repeated, Escalation(Second), nobodyToAskElsewhere]);

        var page = await host.PageAsync("/team", Both);

        var callout = Section(page, "escalations-waiting");
        Assert.Contains("Important: </span>Escalations awaiting acknowledgement", callout, StringComparison.Ordinal);
        Assert.Contains("nhsuk-card--care--urgent", callout, StringComparison.Ordinal);
        Assert.Contains($"3 escalations in {First} are awaiting acknowledgement.", callout, StringComparison.Ordinal);
        Assert.Contains("1 has nobody to ask: no duty worker, practice or referrer could be reached. Act on it now.", callout, StringComparison.Ordinal);
        Assert.Contains("1 is in a repeat round: nobody acknowledged the whole chain.", callout, StringComparison.Ordinal);
        Assert.Contains("href=\"/team/escalations\"", callout, StringComparison.Ordinal);
        // Above the other programmes' warning, which counts the second programme's and says which have nobody to ask or are repeating.
        Assert.True(page.IndexOf("id=\"escalations-waiting\"", StringComparison.Ordinal) < page.IndexOf("id=\"other-programmes\"", StringComparison.Ordinal));
        Assert.Contains($"{Second}: 2 escalations are awaiting acknowledgement. 1 has nobody to ask: act on it now. 1 is in a repeat round.</li>", page,
            StringComparison.Ordinal);
        // Which of those shown are in either state, in every programme, for the script to announce only one that reaches it later.
        Assert.Contains($"data-shown-nobody-to-ask=\"{nobodyToAsk.EscalationId} {nobodyToAskElsewhere.EscalationId}\" "
            + $"data-shown-repeat-round=\"{repeated.EscalationId} {nobodyToAskElsewhere.EscalationId}\" data-escalations-unknown=\"false\"", page,
            StringComparison.Ordinal);

        host.Answer(escalations: [Escalation(First)]);
        var one = Section(await host.PageAsync("/team", [First]), "escalations-waiting");
        Assert.Contains($"1 escalation in {First} is awaiting acknowledgement.", one, StringComparison.Ordinal);
        Assert.DoesNotContain("data-check=", one, StringComparison.Ordinal);

        host.Answer();
        Assert.DoesNotContain("id=\"escalations-waiting\"", await host.PageAsync("/team", [First]), StringComparison.Ordinal);
    }

    /// <summary>
    /// HAZ-008 C6, HAZ-002 C5: the page a team lead keeps open and reloads when told to, with the shown programme's queue
    /// unreadable. Lone working (support-plan's) and the other programmes' checks still show, with the alert region its script
    /// polls from, and the queue's parts are replaced by a red "could not load", never by anything reading as nothing waiting.
    /// </summary>
    [Theory]
    [InlineData(StubbedWebApp.Failure.ConnectionLost)]
    [InlineData(StubbedWebApp.Failure.ServiceUnavailable)]
    [InlineData(StubbedWebApp.Failure.NotJson)]
    [InlineData(StubbedWebApp.Failure.Slow)]
    [InlineData(StubbedWebApp.Failure.Hang)]
    public async Task When_triage_cannot_give_the_shown_programmes_queue_the_landing_page_still_calls_out_overdue_check_outs_and_says_the_queue_could_not_load(
        StubbedWebApp.Failure failure)
    {
        var visit = Visit(First, endedMinutesAgo: 15);
        var elsewhere = Escalation(Second);
        host.Answer(overdue: [visit], escalations: [Escalation(First), elsewhere], failingQueue: First, queueFailure: failure);

        var started = Stopwatch.StartNew();
        var page = await host.PageAsync("/team", Both);

        // The slow answer takes 30 s, the hanging one never comes; the page waits 10 s for the queue.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"The landing page took {started.Elapsed}");
        Assert.Contains($"Programme queue: {First}", page, StringComparison.Ordinal);
        var overdue = Section(page, "overdue-check-outs");
        Assert.Contains("1 home visit in your programmes is not checked out and no team lead has acknowledged it.", overdue, StringComparison.Ordinal);
        var unknown = Section(page, "queue-unknown");
        Assert.Contains("Important: </span>Could not load the programme queue", unknown, StringComparison.Ordinal);
        Assert.Contains("nhsuk-card--care--urgent", unknown, StringComparison.Ordinal);
        Assert.Contains($"Could not load the programme queue for {First}: triage did not answer.", unknown, StringComparison.Ordinal);
        Assert.Contains($"Escalations awaiting acknowledgement in {First} could not be checked", unknown, StringComparison.Ordinal);
        Assert.Contains("href=\"/team/escalations\"", unknown, StringComparison.Ordinal);
        Assert.Contains("or reload this page.", unknown, StringComparison.Ordinal);
        // Lone working first, then the queue's failure, then the other programmes' warnings.
        Assert.True(page.IndexOf("id=\"overdue-check-outs\"", StringComparison.Ordinal) < page.IndexOf("id=\"queue-unknown\"", StringComparison.Ordinal));
        Assert.True(page.IndexOf("id=\"queue-unknown\"", StringComparison.Ordinal) < page.IndexOf("id=\"other-programmes\"", StringComparison.Ordinal));
        Assert.Contains($"data-check=\"escalations\" data-programme=\"{Second}\"", page, StringComparison.Ordinal);
        // Nothing that needs the queue, and nothing reading as nothing waiting.
        Assert.DoesNotContain("id=\"escalations-waiting\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"capacity\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("No escalation", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Nobody is waiting", page, StringComparison.Ordinal);
        Assert.DoesNotContain("No offers", page, StringComparison.Ordinal);
        // The alert region for the script: the shown visit, and only the escalations shown, so the shown programme's count as new.
        Assert.Contains("id=\"new-alerts\"", page, StringComparison.Ordinal);
        Assert.Contains("data-alerts-url=\"/team/alerts\"", page, StringComparison.Ordinal);
        Assert.Contains($"data-shown-visits=\"{visit.VisitId}\" data-visits-unknown=\"false\" data-shown-escalations=\"{elsewhere.EscalationId}\"", page,
            StringComparison.Ordinal);
        // So the script says it could not check them when the page loaded, rather than that they are new.
        Assert.Contains("data-escalations-unknown=\"true\"", page, StringComparison.Ordinal);
    }

    /// <summary>
    /// HAZ-002 C5: a refusal or a programme triage does not know is said as such where the landing page and the escalations page
    /// say they could not read a queue; reloading will not help, and "did not answer" would say it might.
    /// </summary>
    [Theory]
    [InlineData(StubbedWebApp.Failure.Forbidden, "triage refused: your account may not be set up for this programme")]
    [InlineData(StubbedWebApp.Failure.NotFound, "triage does not know this programme")]
    public async Task When_triage_refuses_a_programmes_queue_or_does_not_know_the_programme_the_team_pages_say_so_rather_than_that_it_did_not_answer(
        StubbedWebApp.Failure failure, string why)
    {
        host.Answer(escalations: [Escalation(First)], failingQueue: First, queueFailure: failure);

        var shown = await host.PageAsync("/team", Both);
        var other = await host.PageAsync($"/team?programme={Second}", Both);
        var escalations = await host.PageAsync("/team/escalations", Both);

        var unknown = Section(shown, "queue-unknown");
        Assert.Contains($"Could not load the programme queue for {First}: {why}.", unknown, StringComparison.Ordinal);
        Assert.Contains($"Escalations awaiting acknowledgement in {First} could not be checked", unknown, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"escalations-waiting\"", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"capacity\"", shown, StringComparison.Ordinal);
        Assert.Contains($"data-programme=\"{First}\">Could not check {First} for escalations awaiting acknowledgement: {why}.</li>", other,
            StringComparison.Ordinal);
        Assert.Contains($"Could not check programme {First} for escalations awaiting acknowledgement: {why}.", escalations, StringComparison.Ordinal);
        Assert.DoesNotContain("No escalation is waiting.", escalations, StringComparison.Ordinal);
        foreach (var page in new[] { shown, other, escalations })
        {
            Assert.DoesNotContain("triage did not answer", page, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// HAZ-002 C7 for a team lead: a token naming no programme is told their account is not set up with one, as the worklist tells a
    /// worker, instead of a queue "for" no name that could not load, or no escalation waiting; triage is not asked for a nameless queue.
    /// </summary>
    [Fact]
    public async Task A_team_lead_whose_token_names_no_programme_is_told_the_account_is_not_set_up_with_one()
    {
        host.Answer(escalations: [Escalation(First)]);

        var page = await host.PageAsync("/team", []);
        var escalations = await host.PageAsync("/team/escalations", []);

        Assert.Contains("<h1>Programme queue</h1>", page, StringComparison.Ordinal);
        var callout = Section(page, "account-not-set-up");
        Assert.Contains("nhsuk-card--care--urgent", callout, StringComparison.Ordinal);
        Assert.Contains("Your account is not set up with a programme: it names no programme, so no programme's queue or escalations awaiting "
            + "acknowledgement can be shown here. Contact your administrator now.", callout, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"queue-unknown\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Could not load the programme queue for", page, StringComparison.Ordinal);
        Assert.Contains("data-escalations-unknown=\"false\"", page, StringComparison.Ordinal);
        Assert.Contains("Your account is not set up with a programme: it names no programme, so no escalation awaiting acknowledgement can be "
            + "shown here.", escalations, StringComparison.Ordinal);
        Assert.DoesNotContain("No escalation is waiting", escalations, StringComparison.Ordinal);
        Assert.Empty(host.QueueRequests);
    }

    [Fact]
    public async Task When_neither_triage_nor_support_plan_answers_the_landing_page_says_it_could_not_check_lone_working_or_load_the_queue()
    {
        host.Answer(overdue: [Visit(First, endedMinutesAgo: 5)], escalations: [Escalation(First)], failure: StubbedWebApp.Failure.ServiceUnavailable,
            failingQueue: First);

        var page = await host.PageAsync("/team", [First]);

        Assert.Contains("Could not check for home visits overdue for check-out: support-plan did not answer.", Section(page, "overdue-check-outs-unknown"),
            StringComparison.Ordinal);
        Assert.Contains($"Could not load the programme queue for {First}: triage did not answer.", Section(page, "queue-unknown"), StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"escalations-waiting\"", page, StringComparison.Ordinal);
        Assert.Contains("data-shown-visits=\"\" data-visits-unknown=\"true\" data-shown-escalations=\"\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_alerts_endpoint_counts_only_the_overdue_check_outs_and_escalations_in_any_programme_the_page_did_not_show()
    {
        var shownVisit = Visit(First, endedMinutesAgo: 30);
        var shownEscalations = new[] { Escalation(First), Escalation(Second) };
        host.Answer(overdue: [shownVisit, Visit(Second, endedMinutesAgo: 1)], escalations: [.. shownEscalations, Escalation(Second), Escalation(First)]);

        var shown = await host.GetAsync(
            $"/team/alerts?visits={shownVisit.VisitId}&escalations={shownEscalations[0].EscalationId}%20{shownEscalations[1].EscalationId}", TeamLead(Both));
        var nothingShown = await host.GetAsync("/team/alerts", TeamLead(Both));

        Assert.Equal(HttpStatusCode.OK, shown.Status);
        // Counts only: nothing about a person, a worker or a journey.
        Assert.Equal("{\"newOverdueCheckOuts\":1,\"newEscalations\":2,\"newNobodyToAsk\":0,\"newRepeatRounds\":0,\"programmesNotChecked\":0}", shown.Body);
        Assert.Equal("application/json; charset=utf-8", shown.ContentType);
        Assert.Equal("no-store", shown.CacheControl);
        Assert.Equal("{\"newOverdueCheckOuts\":2,\"newEscalations\":4,\"newNobodyToAsk\":0,\"newRepeatRounds\":0,\"programmesNotChecked\":0}", nothingShown.Body);
        // Every programme's queue, each time.
        Assert.Equal(Both.Concat(Both).Order(), host.QueueRequests.Order());
    }

    /// <summary>
    /// HAZ-002 C5: the worst of an unacknowledged escalation reached while the page is open. Each escalation with nobody to ask or in
    /// a repeat round counts unless the page showed it so: shown waiting and now in that state, or new and already in it.
    /// </summary>
    [Fact]
    public async Task The_alerts_endpoint_counts_escalations_with_nobody_to_ask_or_in_a_repeat_round_the_page_did_not_show_so()
    {
        var nowNobodyToAsk = Escalation(First);
        var alreadyNobodyToAsk = NobodyToAsk(Escalation(First));
        var nowRepeating = Escalation(Second);
        var alreadyRepeating = Escalation(Second) with { RepeatRound = 1 };
        var stillWaiting = Escalation(First);
        var newNobodyToAsk = NobodyToAsk(Escalation(Second)) with { RepeatRound = 1 };
        host.Answer(escalations:
        [
            NobodyToAsk(nowNobodyToAsk), alreadyNobodyToAsk, nowRepeating with { RepeatRound = 1 }, alreadyRepeating with { RepeatRound = 2 }, stillWaiting,
            newNobodyToAsk,
        ]);
        var shown = string.Join("%20", new[] { nowNobodyToAsk, alreadyNobodyToAsk, nowRepeating, alreadyRepeating, stillWaiting }.Select(e => e.EscalationId));

        var answer = await host.GetAsync(
            $"/team/alerts?escalations={shown}&nobodyToAsk={alreadyNobodyToAsk.EscalationId}&repeatRound={alreadyRepeating.EscalationId}", TeamLead(Both));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("{\"newOverdueCheckOuts\":0,\"newEscalations\":1,\"newNobodyToAsk\":2,\"newRepeatRounds\":2,\"programmesNotChecked\":0}", answer.Body);
    }

    [Theory]
    [InlineData(StubbedWebApp.Failure.ConnectionLost)]
    [InlineData(StubbedWebApp.Failure.ServiceUnavailable)]
    [InlineData(StubbedWebApp.Failure.NotJson)]
    [InlineData(StubbedWebApp.Failure.Slow)]
    public async Task When_support_plan_or_a_programmes_queue_cannot_be_read_the_alerts_endpoint_says_it_could_not_check_instead_of_counting_none(
        StubbedWebApp.Failure failure)
    {
        host.Answer(overdue: [Visit(First, endedMinutesAgo: 5)], escalations: [Escalation(First), Escalation(Second)], failure: failure,
            failingQueue: Second);

        var started = Stopwatch.StartNew();
        var answer = await host.GetAsync("/team/alerts", TeamLead(Both));

        // The slow answers take 30 s; the endpoint waits 5 s for each, all at once.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"The alerts endpoint took {started.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("{\"newOverdueCheckOuts\":null,\"newEscalations\":1,\"newNobodyToAsk\":0,\"newRepeatRounds\":0,\"programmesNotChecked\":1}", answer.Body);
    }

    [Fact]
    public async Task The_alerts_endpoint_answers_only_a_team_lead_and_asks_nothing_for_anyone_else()
    {
        host.Answer(overdue: [Visit(First, endedMinutesAgo: 5)], escalations: [Escalation(First)]);

        var worker = await host.GetAsync("/team/alerts", DevelopmentTokens.Create(DevelopmentTokens.DefaultKey, "lw-nl-03", [Roles.LinkWorker],
            [new(ReferralsClaims.Programme, First), new(ReferralsClaims.LinkWorkerId, "lw-nl-03")]));
        var nobody = await host.GetAsync("/team/alerts", bearerToken: null);

        Assert.Equal(HttpStatusCode.Forbidden, worker.Status);
        Assert.DoesNotContain("newOverdueCheckOuts", worker.Body, StringComparison.Ordinal);
        Assert.False((int)nobody.Status is >= 200 and < 300, $"Without a token the endpoint answered {nobody.Status}");
        Assert.DoesNotContain("newOverdueCheckOuts", nobody.Body, StringComparison.Ordinal);
        Assert.Empty(host.QueueRequests);
        Assert.Equal(0, host.OverdueRequests);
    }

    /// <summary>
    /// The script in Chromium, the page's clock faked so its 30-second poll comes at once: a visit and an escalation that arrive
    /// while the page is open are announced in its alert region, those it shows are not counted, and the page is not reloaded.
    /// </summary>
    [Fact]
    public async Task A_team_lead_with_the_landing_page_open_is_told_of_a_new_overdue_check_out_and_escalation_without_a_reload()
    {
        var shownVisit = Visit(First, endedMinutesAgo: 20);
        var shownEscalation = Escalation(First);
        host.Answer(overdue: [shownVisit], escalations: [shownEscalation]);
        await using var browser = await host.BrowserAsync(Both);
        var page = browser.Page;
        await page.Clock.InstallAsync();
        // As after the skip link, whose target puts a fragment in the address.
        await page.GotoAsync("/team#maincontent");
        await page.EvaluateAsync("() => { window.notReloaded = true; }");
        var region = page.Locator("#new-alerts");
        Assert.Equal("alert", await region.GetAttributeAsync("role"));
        Assert.Equal(string.Empty, (await region.InnerTextAsync()).Trim());
        Assert.False(await page.Locator(".app-without-script").IsVisibleAsync());

        host.Answer(overdue: [shownVisit, Visit(Second, endedMinutesAgo: 1)], escalations: [shownEscalation, Escalation(Second)]);
        await page.Clock.FastForwardAsync("00:31");

        await Assertions.Expect(region).ToHaveTextAsync(
            "New since this page loaded: 1 overdue check-out and 1 escalation awaiting acknowledgement. Reload this page to see them.");
        Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "The page was reloaded.");
        Assert.StartsWith("New alerts: Programme queue", await page.TitleAsync(), StringComparison.Ordinal);
        var axe = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        });
        Assert.Empty(axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}"));
        // A script the Content-Security-Policy refused, or one that failed, would show here.
        Assert.Empty(browser.Errors);

        // The reload link reloads: one to the same address with the fragment would only scroll.
        await region.GetByRole(AriaRole.Link).ClickAsync();
        var reloaded = Stopwatch.StartNew();
        while (await page.EvaluateAsync<bool>("() => window.notReloaded === true"))
        {
            Assert.True(reloaded.Elapsed < TimeSpan.FromSeconds(10), "The reload link did not reload the page.");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The script on a page loaded while the shown programme's queue could not be read: it says triage did not answer for that
    /// programme, then, once triage answers, announces the escalation waiting there, which the page could not show.
    /// </summary>
    [Fact]
    public async Task A_team_lead_whose_landing_page_loaded_without_the_queue_is_told_of_the_programmes_escalation_once_triage_answers()
    {
        var escalation = Escalation(First);
        host.Answer(escalations: [escalation], failingQueue: First, queueFailure: StubbedWebApp.Failure.ServiceUnavailable);
        await using var browser = await host.BrowserAsync([First]);
        var page = browser.Page;
        await page.Clock.InstallAsync();
        await page.GotoAsync("/team");
        await Assertions.Expect(page.Locator("#queue-unknown")).ToBeVisibleAsync();
        var region = page.Locator("#new-alerts");

        await page.Clock.FastForwardAsync("00:31");
        await Assertions.Expect(region).ToHaveTextAsync("Could not check 1 of your programmes for new escalations: triage did not answer.");

        host.Answer(escalations: [escalation]);
        await page.Clock.FastForwardAsync("00:31");
        await Assertions.Expect(region).ToHaveTextAsync(
            "New since this page loaded: 1 escalation awaiting acknowledgement (this page could not check when it loaded). Reload this page to see it.");
        Assert.Empty(browser.Errors);
    }

    /// <summary>
    /// HAZ-002 C5 in Chromium: escalations the page shows waiting that come to have nobody to ask and to be in a repeat round while
    /// it stays open are announced first, in red, as urgent; one already shown in that state is not announced again.
    /// </summary>
    [Fact]
    public async Task A_team_lead_with_the_landing_page_open_is_told_urgently_when_a_shown_escalation_comes_to_have_nobody_to_ask_or_repeat()
    {
        var waiting = Escalation(First);
        var repeating = Escalation(First);
        var alreadyNobodyToAsk = NobodyToAsk(Escalation(First));
        host.Answer(escalations: [waiting, repeating, alreadyNobodyToAsk]);
        await using var browser = await host.BrowserAsync(Both);
        var page = browser.Page;
        await page.Clock.InstallAsync();
        await page.GotoAsync("/team");
        var region = page.Locator("#new-alerts");

        host.Answer(escalations: [NobodyToAsk(waiting), repeating with { RepeatRound = 1 }, alreadyNobodyToAsk]);
        await page.Clock.FastForwardAsync("00:31");

        // One of each: the escalation shown with nobody to ask is not counted again.

        await Assertions.Expect(region).ToHaveTextAsync("Urgent, since this page loaded: 1 escalation has nobody to ask: no duty worker, practice or "
            + "referrer could be reached. 1 escalation is in a repeat round: nobody acknowledged the whole chain. Act on them now. Reload this page to see them.");
        await Assertions.Expect(region.Locator(".app-new-alerts__message--urgent strong")).ToHaveCSSAsync("color", "rgb(213, 40, 27)");
        Assert.StartsWith("Urgent alerts: Programme queue", await page.TitleAsync(), StringComparison.Ordinal);
        var axe = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        });
        Assert.Empty(axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}"));
        Assert.Empty(browser.Errors);
    }

    private static OverdueVisit Visit(string programme, int endedMinutesAgo) => new(Guid.NewGuid(), Guid.NewGuid(), programme, "lw-nl-03",
        DateTimeOffset.UtcNow.AddMinutes(-endedMinutesAgo - 60), DateTimeOffset.UtcNow.AddMinutes(-endedMinutesAgo),
        DateTimeOffset.UtcNow.AddMinutes(-endedMinutesAgo));

    private static EscalationSummary Escalation(string programme) => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), programme, "Triage",
        "AwaitingAcknowledgement", 1, ["Self-harm"], [new EscalationRecipient("DutyWorker", "lw-duty", true)], DateTimeOffset.UtcNow.AddMinutes(30),
        false, DateTimeOffset.UtcNow.AddMinutes(-5), 2);

    private static EscalationSummary NobodyToAsk(EscalationSummary escalation) =>
        escalation with { State = "NobodyToAsk", Step = 0, CurrentRecipients = [], AcknowledgeBy = null };

    private static string TeamLead(IEnumerable<string> programmes) => DevelopmentTokens.Create(DevelopmentTokens.DefaultKey, "tl-nl-01",
        [Roles.TeamLead], programmes.Select(p => new KeyValuePair<string, string>(ReferralsClaims.Programme, p)));

    /// <summary>The page from the element with <paramref name="id"/> to the next callout, or to the capacity table, or to its end.</summary>
    private static string Section(string html, string id)
    {
        var start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No #{id} on the page.");
        var ends = new[] { "<div id=\"", "<div class=\"nhsuk-warning-callout\"", "<h2>Capacity by worker</h2>" }
            .Select(marker => html.IndexOf(marker, start + id.Length, StringComparison.Ordinal)).Where(i => i >= 0).Append(html.Length);
        return html[start..ends.Min()];
    }

    /// <summary>What the web app answered a GET.</summary>
    public sealed record Reply(HttpStatusCode Status, string? ContentType, string? CacheControl, string Body);

    /// <summary>A browser page signed in as a team lead (the bearer token on every request, as the proxy would send it).</summary>
    public sealed class Browser(IBrowserContext context, IPage page) : IAsyncDisposable
    {
        public IPage Page { get; } = page;

        /// <summary>Console errors and uncaught script errors.</summary>
        public ConcurrentQueue<string> Errors { get; } = new();

        public ValueTask DisposeAsync() => new(context.CloseAsync());
    }

    /// <summary>The stub triage and support-plan (in this process), the web app (a process) pointed at it, and Chromium when asked for.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private readonly object _gate = new();
        private IReadOnlyList<OverdueVisit> _overdue = [];
        private IReadOnlyList<EscalationSummary> _escalations = [];
        private StubbedWebApp.Failure _failure;
        private StubbedWebApp.Failure _queueFailure;
        private string? _failingQueue;
        private int _overdueRequests;
        private StubbedWebApp? _app;
        private IPlaywright? _playwright;
        private IBrowser? _chromium;

        /// <summary>The programme of each queue asked for since <see cref="Answer"/>.</summary>
        public ConcurrentQueue<string> QueueRequests { get; private set; } = new();

        /// <summary>How many times the overdue visits were asked for since <see cref="Answer"/>.</summary>
        public int OverdueRequests => Volatile.Read(ref _overdueRequests);

        /// <summary>
        /// What the stub answers from now on (the tests of a class run one at a time): the overdue visits (or the failure of their list),
        /// the escalations awaiting acknowledgement, and a programme whose queue fails the same way, or as <paramref name="queueFailure"/>.
        /// </summary>
        public void Answer(IReadOnlyList<OverdueVisit>? overdue = null, IReadOnlyList<EscalationSummary>? escalations = null,
            StubbedWebApp.Failure failure = StubbedWebApp.Failure.None, string? failingQueue = null, StubbedWebApp.Failure? queueFailure = null)
        {
            lock (_gate)
            {
                _overdue = overdue ?? [];
                _escalations = escalations ?? [];
                _failure = failure;
                _queueFailure = queueFailure ?? failure;
                _failingQueue = failingQueue;
                QueueRequests = new();
                _overdueRequests = 0;
            }
        }

        public async Task InitializeAsync()
        {
            _app = await StubbedWebApp.StartAsync("web-app-stub-team-alerts", stub =>
            {
                stub.MapGet("/programmes/{programme}/queue", async (string programme, HttpContext http) =>
                {
                    QueueRequests.Enqueue(programme);
                    if (programme == _failingQueue && await StubbedWebApp.FailAsync(_queueFailure, http) is { } failed)
                    {
                        return failed;
                    }

                    lock (_gate)
                    {
                        return StubbedWebApp.Queue(programme, [.. _escalations]);
                    }
                });
                stub.MapGet("/lone-working/overdue", async (HttpContext http) =>
                {
                    Interlocked.Increment(ref _overdueRequests);
                    return await StubbedWebApp.FailAsync(_failure, http) ?? Results.Json(_overdue, ApiClient.Json);
                });
                // No journey has an unread further referral or an unconfirmed concern here.
                stub.MapGet("/journeys", (int page, int pageSize) => Results.Json(new JourneyPage([], page, pageSize, false), ApiClient.Json));
            });
        }

        /// <summary>A page read over HTTP as team lead of <paramref name="programmes"/>.</summary>
        public Task<string> PageAsync(string path, IEnumerable<string> programmes) => _app!.TeamLeadPageAsync(path, programmes);

        /// <summary>A GET with <paramref name="bearerToken"/> (none when null), whatever it answers.</summary>
        public async Task<Reply> GetAsync(string path, string? bearerToken)
        {
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _app!.Address };
            if (bearerToken is not null)
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
            }

            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            return new Reply(response.StatusCode, response.Content.Headers.ContentType?.ToString(), response.Headers.CacheControl?.ToString(),
                await response.Content.ReadAsStringAsync());
        }

        /// <summary>A new browser page as team lead of <paramref name="programmes"/>, JavaScript on.</summary>
        public async Task<Browser> BrowserAsync(IEnumerable<string> programmes)
        {
            if (_chromium is null)
            {
                _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
                _chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = "/usr/bin/chromium",
                    Headless = true,
                    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
                });
            }

            var context = await _chromium.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = _app!.Address.ToString(),
                ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {TeamLead(programmes)}" },
                Locale = "en-GB",
                TimezoneId = "Europe/London",
            });
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(30_000);
            var browser = new Browser(context, page);
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    browser.Errors.Enqueue(message.Text);
                }
            };
            page.PageError += (_, error) => browser.Errors.Enqueue(error);
            return browser;
        }

        public async Task DisposeAsync()
        {
            if (_chromium is not null)
            {
                await _chromium.CloseAsync();
            }

            _playwright?.Dispose();
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}
