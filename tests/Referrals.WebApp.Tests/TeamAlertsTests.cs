using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Referrals.WebApp.Api;
using Referrals.WebApp.Display;

namespace Referrals.WebApp.Tests;

/// <summary>
/// HAZ-008 and HAZ-002 on the page a team lead keeps open: the landing page (<c>/team</c>) calls out home visits overdue for
/// check-out in every programme they lead and the shown programme's escalations awaiting acknowledgement, above every other
/// warning, or says it could not check.
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
    }

    [Fact]
    public async Task The_landing_page_calls_out_the_programmes_escalations_saying_which_have_nobody_to_ask_or_are_in_a_repeat_round()
    {
        host.Answer(escalations:
        [
            Escalation(First), Escalation(First) with { State = "NobodyToAsk", Step = 0, CurrentRecipients = [] }, Escalation(First) with { RepeatRound = 2 },
            Escalation(Second),
        ]);

        var page = await host.PageAsync("/team", Both);

        var callout = Section(page, "escalations-waiting");
        Assert.Contains("Important: </span>Escalations awaiting acknowledgement", callout, StringComparison.Ordinal);
        Assert.Contains("nhsuk-card--care--urgent", callout, StringComparison.Ordinal);
        Assert.Contains($"3 escalations in {First} are awaiting acknowledgement.", callout, StringComparison.Ordinal);
        Assert.Contains("1 has nobody to ask: no duty worker, practice or referrer could be reached. Act on it now.", callout, StringComparison.Ordinal);
        Assert.Contains("1 is in a repeat round: nobody acknowledged the whole chain.", callout, StringComparison.Ordinal);
        Assert.Contains("href=\"/team/escalations\"", callout, StringComparison.Ordinal);
        // Above the other programmes' warning, which counts the second programme's.
        Assert.True(page.IndexOf("id=\"escalations-waiting\"", StringComparison.Ordinal) < page.IndexOf("id=\"other-programmes\"", StringComparison.Ordinal));

        host.Answer(escalations: [Escalation(First)]);
        var one = Section(await host.PageAsync("/team", [First]), "escalations-waiting");
        Assert.Contains($"1 escalation in {First} is awaiting acknowledgement.", one, StringComparison.Ordinal);
        Assert.DoesNotContain("data-check=", one, StringComparison.Ordinal);

        host.Answer();
        Assert.DoesNotContain("id=\"escalations-waiting\"", await host.PageAsync("/team", [First]), StringComparison.Ordinal);
    }

    private static OverdueVisit Visit(string programme, int endedMinutesAgo) => new(Guid.NewGuid(), Guid.NewGuid(), programme, "lw-nl-03",
        DateTimeOffset.UtcNow.AddMinutes(-endedMinutesAgo - 60), DateTimeOffset.UtcNow.AddMinutes(-endedMinutesAgo),
        DateTimeOffset.UtcNow.AddMinutes(-endedMinutesAgo));

    private static EscalationSummary Escalation(string programme) => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), programme, "Triage",
        "AwaitingAcknowledgement", 1, ["Self-harm"], [new EscalationRecipient("DutyWorker", "lw-duty", true)], DateTimeOffset.UtcNow.AddMinutes(30),
        false, DateTimeOffset.UtcNow.AddMinutes(-5), 2);

    /// <summary>The page from the element with <paramref name="id"/> to the next callout, or to the capacity table.</summary>
    private static string Section(string html, string id)
    {
        var start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No #{id} on the page.");
        var ends = new[] { "<div id=\"", "<div class=\"nhsuk-warning-callout\"", "<h2>Capacity by worker</h2>" }
            .Select(marker => html.IndexOf(marker, start + id.Length, StringComparison.Ordinal)).Where(i => i >= 0);
        return html[start..ends.Min()];
    }

    /// <summary>The stub triage and support-plan (in this process) and the web app (a process) pointed at it.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private readonly object _gate = new();
        private IReadOnlyList<OverdueVisit> _overdue = [];
        private IReadOnlyList<EscalationSummary> _escalations = [];
        private StubbedWebApp.Failure _failure;
        private string? _failingQueue;
        private int _overdueRequests;
        private StubbedWebApp? _app;

        /// <summary>The programme of each queue asked for since <see cref="Answer"/>.</summary>
        public ConcurrentQueue<string> QueueRequests { get; private set; } = new();

        /// <summary>How many times the overdue visits were asked for since <see cref="Answer"/>.</summary>
        public int OverdueRequests => Volatile.Read(ref _overdueRequests);

        /// <summary>
        /// What the stub answers from now on (the tests of a class run one at a time): the overdue visits (or the failure of their list),
        /// the escalations awaiting acknowledgement, and a programme whose queue fails the same way.
        /// </summary>
        public void Answer(IReadOnlyList<OverdueVisit>? overdue = null, IReadOnlyList<EscalationSummary>? escalations = null,
            StubbedWebApp.Failure failure = StubbedWebApp.Failure.None, string? failingQueue = null)
        {
            lock (_gate)
            {
                _overdue = overdue ?? [];
                _escalations = escalations ?? [];
                _failure = failure;
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
                    if (programme == _failingQueue && await StubbedWebApp.FailAsync(_failure, http) is { } failed)
                    {
                        return failed;
                    }

                    List<EscalationSummary> waiting;
                    lock (_gate)
                    {
                        waiting = _escalations.Where(e => e.ProgrammeId == programme).ToList();
                    }

                    return Results.Json(new ProgrammeQueue(programme, 1, DateTimeOffset.UtcNow, waiting, [], [], [], [], []), ApiClient.Json);
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

        public async Task DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}
