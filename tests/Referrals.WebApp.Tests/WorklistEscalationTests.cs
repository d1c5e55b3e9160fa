using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Referrals.WebApp.Api;
using Referrals.WebApp.Display;

namespace Referrals.WebApp.Tests;

/// <summary>
/// HAZ-001 on the link worker's worklist: triage's escalations show whatever support-plan does (the worker's open home visits
/// are a side read), and a page whose service does not answer fails in bounded time. Support-plan and triage are one stub
/// failing on request; the web app runs as a process, as in the other tests.
/// </summary>
public sealed class WorklistEscalationTests(WorklistEscalationTests.Host host) : IClassFixture<WorklistEscalationTests.Host>
{
    private const string Worker = "lw-nl-01";

    [Theory]
    [InlineData(StubbedWebApp.Failure.ConnectionLost)]
    [InlineData(StubbedWebApp.Failure.ServiceUnavailable)]
    [InlineData(StubbedWebApp.Failure.NotJson)]
    [InlineData(StubbedWebApp.Failure.Slow)]
    public async Task When_support_plan_does_not_answer_the_worklist_still_shows_triages_escalation_within_seconds_and_warns_about_home_visits(
        StubbedWebApp.Failure failure)
    {
        host.Answer(supportPlan: failure);

        var started = Stopwatch.StartNew();
        var page = await host.WorkerPageAsync("/worklist");

        // The slow answer takes 30 s; the worklist waits 5 s for it.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"The worklist took {started.Elapsed}");
        Assert.Contains("Escalations waiting for you (1)", page, StringComparison.Ordinal);
        Assert.Contains($"value=\"{host.EscalationId}\"", page, StringComparison.Ordinal);
        Assert.Contains(Labels.Reference(host.EscalatedReferralId), page, StringComparison.Ordinal);
        Assert.Contains("id=\"open-visits-unavailable\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-visit=\"{host.VisitId}\"", page, StringComparison.Ordinal);

        // Nor does the escalation's journey link wait on it: no link, a short note.
        Assert.DoesNotContain("Open the journey", page, StringComparison.Ordinal);
        Assert.Contains("Could not look up the journey: support-plan did not answer.", page, StringComparison.Ordinal);
    }

    /// <summary>
    /// Triage and support-plan accept the connection and never answer: the worklist (triage's) and the caseload (support-plan's)
    /// each give the error page once the web app's client gives up (30 s), not after .NET's default 100 s.
    /// </summary>
    [Fact]
    public async Task A_page_whose_service_never_answers_fails_within_the_web_apps_service_timeout_instead_of_waiting_100_seconds()
    {
        host.Answer(supportPlan: StubbedWebApp.Failure.Hang, triage: StubbedWebApp.Failure.Hang);

        var started = Stopwatch.StartNew();
        var pages = await Task.WhenAll(host.WorkerResponseAsync("/worklist"), host.WorkerResponseAsync("/caseload"));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(60), $"The pages took {started.Elapsed}");
        Assert.All(pages, page =>
        {
            Assert.Equal(HttpStatusCode.InternalServerError, page.Status);
            Assert.Contains("Sorry, there is a problem with the service", page.Html, StringComparison.Ordinal);
        });
    }

    /// <summary>
    /// HAZ-002 C7: a worker on the rota whose token names no programme gets from triage no escalation and no offer, with a count
    /// of those waiting for their id in programmes the token does not name; the worklist says the account is not set up and
    /// that an escalation is waiting, never "No escalations are waiting for you".
    /// </summary>
    [Fact]
    public async Task A_worker_whose_account_names_no_programme_is_told_it_is_not_set_up_and_that_an_escalation_waits_elsewhere_not_that_none_is_waiting()
    {
        host.Answer(supportPlan: StubbedWebApp.Failure.None, worklist: new Worklist(Worker, DateTimeOffset.UtcNow, [], [], EscalationsInOtherProgrammes: 1,
            AssignmentsInOtherProgrammes: 2));

        var (status, page) = await host.WorkerResponseAsync("/worklist", Worker, []);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("id=\"account-not-set-up\"", page, StringComparison.Ordinal);
        Assert.Contains("Your account is not set up to receive referrals and escalations: it names no programme", page, StringComparison.Ordinal);
        Assert.Contains("Contact your team lead or administrator", page, StringComparison.Ordinal);
        Assert.Contains("id=\"work-in-other-programmes\"", page, StringComparison.Ordinal);
        Assert.Contains("1 escalation is waiting for you in a programme your account is not set up for", page, StringComparison.Ordinal);
        Assert.Contains("2 referrals are with you in a programme your account is not set up for", page, StringComparison.Ordinal);
        Assert.DoesNotContain("No escalations are waiting for you", page, StringComparison.Ordinal);
        Assert.DoesNotContain("You have no assignments waiting", page, StringComparison.Ordinal);
    }

    /// <summary>Triage has no worklist for a token without a link worker id (403): the worklist says why instead of the error page.</summary>
    [Fact]
    public async Task A_worker_whose_account_has_no_link_worker_id_is_told_it_is_not_set_up_instead_of_an_error_page()
    {
        host.Answer(supportPlan: StubbedWebApp.Failure.None, triage: StubbedWebApp.Failure.Forbidden);

        var (status, page) = await host.WorkerResponseAsync("/worklist", worker: null, [WebAppFixture.Programme]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("id=\"account-not-set-up\"", page, StringComparison.Ordinal);
        Assert.Contains("Your account is not set up to receive referrals and escalations: it has no link worker id", page, StringComparison.Ordinal);
        Assert.DoesNotContain("No escalations are waiting for you", page, StringComparison.Ordinal);
    }

    /// <summary>A stale token: set up for one programme, while another's rota names the worker; what waits there is said.</summary>
    [Fact]
    public async Task A_worker_set_up_for_one_programme_is_told_of_an_escalation_waiting_for_them_in_another()
    {
        host.Answer(supportPlan: StubbedWebApp.Failure.None, worklist: new Worklist(Worker, DateTimeOffset.UtcNow, [], [], EscalationsInOtherProgrammes: 2));

        var page = await host.WorkerPageAsync("/worklist");

        Assert.DoesNotContain("id=\"account-not-set-up\"", page, StringComparison.Ordinal);
        Assert.Contains("2 escalations are waiting for you in a programme your account is not set up for", page, StringComparison.Ordinal);
        Assert.Contains("None in the programmes your account is set up for", page, StringComparison.Ordinal);
        Assert.DoesNotContain("No escalations are waiting for you", page, StringComparison.Ordinal);
    }

    /// <summary>
    /// HAZ-002 C8: the duty worker opens the worklist after their step passed to the team lead. Triage lists the escalation as
    /// passed on; the page shows it under the ones waiting for them, saying to whom and when it passed and that they can still
    /// acknowledge it, with the same acknowledge button, which acknowledges it; alone, it is never "No escalations are waiting".
    /// </summary>
    [Fact]
    public async Task An_escalation_passed_on_from_the_worker_is_shown_under_the_current_ones_saying_where_it_went_with_the_acknowledge_button()
    {
        var passedOnId = Guid.NewGuid();
        var referralId = Guid.NewGuid();
        var lead = new EscalationRecipient("TeamLead", "tl-nl-01", true);
        var passedOn = new EscalationSummary(passedOnId, referralId, Guid.NewGuid(), WebAppFixture.Programme, "Triage", "AwaitingAcknowledgement", 2,
            ["harm to others"], [lead], DateTimeOffset.UtcNow.AddMinutes(10), false, DateTimeOffset.UtcNow.AddMinutes(-20), 3,
            PassedOn: new EscalationPassedOn([lead], new DateTimeOffset(2026, 1, 5, 9, 15, 0, TimeSpan.Zero)));
        host.Answer(supportPlan: StubbedWebApp.Failure.None, worklist: host.WithOneEscalation() with { EscalationsPassedOn = [passedOn] });

        var page = await host.WorkerPageAsync("/worklist");

        Assert.Contains("Escalations waiting for you (2)", page, StringComparison.Ordinal);
        var row = PassedOnRow(page, passedOnId);
        Assert.True(page.IndexOf($"value=\"{host.EscalationId}\"", StringComparison.Ordinal) < page.IndexOf(row, StringComparison.Ordinal),
            "The passed-on escalation is listed under the current one");
        Assert.Contains(Labels.Reference(referralId), row, StringComparison.Ordinal);
        Assert.Contains("Passed to team lead tl-nl-01 at 5 Jan 2026, 09:15; you can still acknowledge it.", row, StringComparison.Ordinal);
        Assert.Contains($"<input type=\"hidden\" name=\"escalationId\" value=\"{passedOnId}\">", row, StringComparison.Ordinal);
        Assert.Contains($">Acknowledge<span class=\"nhsuk-u-visually-hidden\"> escalation {Labels.Reference(referralId)}</span></button>", row, StringComparison.Ordinal);

        var action = System.Net.WebUtility.HtmlDecode(Regex.Match(row, "<form [^>]*action=\"([^\"]+)\"").Groups[1].Value);
        var after = await host.PostAsync("/worklist", action, new Dictionary<string, string> { ["escalationId"] = passedOnId.ToString() });
        Assert.Equal([passedOnId], host.Acknowledged.ToArray());
        Assert.Contains("You acknowledged the escalation.", after, StringComparison.Ordinal);

        host.Answer(supportPlan: StubbedWebApp.Failure.None, worklist: new Worklist(Worker, DateTimeOffset.UtcNow, [], [], EscalationsPassedOn: [passedOn]));
        var alone = await host.WorkerPageAsync("/worklist");
        Assert.Contains("Escalations waiting for you (1)", alone, StringComparison.Ordinal);
        Assert.Contains("Passed to team lead tl-nl-01 at 5 Jan 2026, 09:15; you can still acknowledge it.", PassedOnRow(alone, passedOnId), StringComparison.Ordinal);
        Assert.DoesNotContain("No escalations are waiting for you", alone, StringComparison.Ordinal);
    }

    /// <summary>
    /// HAZ-001 C15: the duty worker asked about an escalation opens the person's journey from the worklist, for their own and
    /// their passed-on escalations, at the journey support-plan recorded the referral against (not triage's proposed id); a row
    /// whose journey support-plan does not let them read, or has not registered, says so without a link.
    /// </summary>
    [Fact]
    public async Task Each_escalation_on_the_worklist_links_to_the_journey_support_plan_lets_the_worker_read_and_says_why_not_otherwise()
    {
        var journeyId = Guid.NewGuid();
        var passedOnJourneyId = Guid.NewGuid();
        var lead = new EscalationRecipient("TeamLead", "tl-nl-01", true);
        EscalationSummary PassedOn(Guid referralId) => new(Guid.NewGuid(), referralId, Guid.NewGuid(), WebAppFixture.Programme, "Triage",
            "AwaitingAcknowledgement", 2, ["harm to others"], [lead], DateTimeOffset.UtcNow.AddMinutes(10), false, DateTimeOffset.UtcNow.AddMinutes(-20), 3,
            PassedOn: new EscalationPassedOn([lead], DateTimeOffset.UtcNow.AddMinutes(-5)));
        var (linked, refused, unregistered) = (PassedOn(Guid.NewGuid()), PassedOn(Guid.NewGuid()), PassedOn(Guid.NewGuid()));
        host.Answer(supportPlan: StubbedWebApp.Failure.None, worklist: host.WithOneEscalation() with { EscalationsPassedOn = [linked, refused, unregistered] },
            journeys: new Dictionary<Guid, Guid?>
            {
                [host.EscalatedReferralId] = journeyId,
                [linked.ReferralId] = passedOnJourneyId,
                [refused.ReferralId] = null,
            });

        var page = await host.WorkerPageAsync("/worklist");

        var own = Regex.Match(page, $"<tr class=\"nhsuk-table__row\" data-escalation=\"{host.EscalationId}\">.*?</tr>", RegexOptions.Singleline).Value;
        Assert.Contains($"<a href=\"/journeys/{journeyId}\">Open the journey<span class=\"nhsuk-u-visually-hidden\"> of referral {Labels.Reference(host.EscalatedReferralId)}</span></a>",
            own, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/journeys/{passedOnJourneyId}\">Open the journey", PassedOnRow(page, linked.EscalationId), StringComparison.Ordinal);
        Assert.DoesNotContain(linked.JourneyId.ToString(), page, StringComparison.Ordinal);
        var refusedRow = PassedOnRow(page, refused.EscalationId);
        Assert.DoesNotContain("Open the journey", refusedRow, StringComparison.Ordinal);
        Assert.Contains("Support-plan does not let you open the journey (yet)", refusedRow, StringComparison.Ordinal);
        var unregisteredRow = PassedOnRow(page, unregistered.EscalationId);
        Assert.DoesNotContain("Open the journey", unregisteredRow, StringComparison.Ordinal);
        Assert.Contains("No journey yet", unregisteredRow, StringComparison.Ordinal);

        // One column for the deadline of the worker's own and where a passed-on one went.
        Assert.Contains(">Acknowledge by, or passed on</th>", page, StringComparison.Ordinal);
    }

    private static string PassedOnRow(string page, Guid escalationId)
    {
        var row = Regex.Match(page, $"<tr class=\"nhsuk-table__row\" data-passed-on=\"{escalationId}\">.*?</tr>", RegexOptions.Singleline);
        Assert.True(row.Success, $"No passed-on row for {escalationId}");
        return row.Value;
    }

    /// <summary>The stub support-plan and triage (in this process) and the web app (a process) pointed at it.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private volatile StubbedWebApp.Failure _supportPlan;
        private volatile StubbedWebApp.Failure _triage;
        private volatile Worklist? _worklist;
        private volatile IReadOnlyDictionary<Guid, Guid?> _journeys = new Dictionary<Guid, Guid?>();
        private StubbedWebApp? _app;

        public Guid EscalationId { get; } = Guid.NewGuid();

        public Guid EscalatedReferralId { get; } = Guid.NewGuid();

        public Guid VisitId { get; } = Guid.NewGuid();

        /// <summary>Each <c>GET /worklist</c> triage was asked for since <see cref="Answer"/>.</summary>
        public ConcurrentQueue<string> WorklistRequests { get; private set; } = new();

        /// <summary>Each escalation triage was asked to acknowledge since <see cref="Answer"/>.</summary>
        public ConcurrentQueue<Guid> Acknowledged { get; private set; } = new();

        /// <summary>
        /// What the stub answers from now on (the tests of a class run one at a time): triage's worklist (one escalation waiting
        /// unless given) and support-plan's open home visits (one) and caseload (none), each failing as given.
        /// </summary>
        /// <param name="journeys">Support-plan's referral → journey map as the worker reads it: a journey, or null for 403; 404 for any other.</param>
        public void Answer(StubbedWebApp.Failure supportPlan, StubbedWebApp.Failure triage = StubbedWebApp.Failure.None, Worklist? worklist = null,
            IReadOnlyDictionary<Guid, Guid?>? journeys = null)
        {
            _supportPlan = supportPlan;
            _triage = triage;
            _worklist = worklist ?? WithOneEscalation();
            _journeys = journeys ?? new Dictionary<Guid, Guid?>();
            WorklistRequests = new();
            Acknowledged = new();
        }

        public Worklist WithOneEscalation() => new(Worker, DateTimeOffset.UtcNow,
            [
                new EscalationSummary(EscalationId, EscalatedReferralId, Guid.NewGuid(), WebAppFixture.Programme, "SafeguardingConcern",
                    "AwaitingAcknowledgement", 1, ["harm to self"], [new EscalationRecipient("DutyWorker", Worker, true)],
                    DateTimeOffset.UtcNow.AddMinutes(15), false, DateTimeOffset.UtcNow, 1),
            ],
            []);

        public async Task InitializeAsync()
        {
            _app = await StubbedWebApp.StartAsync("web-app-stub-worklist", stub =>
            {
                stub.MapGet("/worklist", async (HttpContext http) =>
                {
                    WorklistRequests.Enqueue(http.Request.Path);
                    return await StubbedWebApp.FailAsync(_triage, http, TimeSpan.FromSeconds(30)) ?? Results.Json(_worklist, ApiClient.Json);
                });
                stub.MapPost("/escalations/{escalationId:guid}/acknowledge", (Guid escalationId) =>
                {
                    Acknowledged.Enqueue(escalationId);
                    return Results.Json(new AcknowledgedEscalation(escalationId, Guid.NewGuid(), WebAppFixture.Programme), ApiClient.Json);
                });
                stub.MapGet("/journeys/home-visits/mine", async (HttpContext http) =>
                    await StubbedWebApp.FailAsync(_supportPlan, http, TimeSpan.FromSeconds(30)) ?? Results.Json(
                        new[] { new MyOpenVisit(Guid.NewGuid(), Guid.NewGuid(), VisitId, DateTimeOffset.UtcNow.AddMinutes(-30), DateTimeOffset.UtcNow.AddMinutes(30), null, null) },
                        ApiClient.Json));
                stub.MapGet("/referrals/{referralId:guid}/journey", async (Guid referralId, HttpContext http) =>
                    await StubbedWebApp.FailAsync(_supportPlan, http, TimeSpan.FromSeconds(30)) ?? (_journeys.TryGetValue(referralId, out var journeyId)
                        ? journeyId is { } id ? Results.Json(new ReferralJourney(referralId, id, false), ApiClient.Json) : Results.Problem(statusCode: 403)
                        : Results.Problem(statusCode: 404)));
                stub.MapGet("/caseload", async (HttpContext http) =>
                    await StubbedWebApp.FailAsync(_supportPlan, http, TimeSpan.FromSeconds(30)) ?? Results.Json(Array.Empty<JourneySummary>(), ApiClient.Json));
            });
        }

        /// <summary>The page read as link worker <see cref="Worker"/> of the programme; fails on any status but success.</summary>
        public Task<string> WorkerPageAsync(string path) => _app!.LinkWorkerPageAsync(path, Worker, WebAppFixture.Programme);

        /// <summary>As link worker <see cref="Worker"/> of the programme, posts a form of <paramref name="page"/> to <paramref name="action"/>; the page it leads to.</summary>
        public Task<string> PostAsync(string page, string action, IReadOnlyDictionary<string, string> form) =>
            _app!.LinkWorkerPostAsync(page, action, Worker, WebAppFixture.Programme, form);

        /// <summary>The page read as link worker <see cref="Worker"/> of the programme, whatever its status.</summary>
        public Task<(HttpStatusCode Status, string Html)> WorkerResponseAsync(string path) =>
            _app!.LinkWorkerResponseAsync(path, Worker, [WebAppFixture.Programme]);

        /// <summary>The page read as a link worker whose token names <paramref name="worker"/> (none when null) and <paramref name="programmes"/>.</summary>
        public Task<(HttpStatusCode Status, string Html)> WorkerResponseAsync(string path, string? worker, IEnumerable<string> programmes) =>
            _app!.LinkWorkerResponseAsync(path, worker, programmes);

        public async Task DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}
