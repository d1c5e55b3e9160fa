using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Referrals.WebApp.Api;
using Referrals.WebApp.Pages.Team;

namespace Referrals.WebApp.Tests;

/// <summary>
/// HAZ-001 C11 at scale and when support-plan fails: a further referral on a journey with no worker reaches the team lead however
/// many other journeys have one, and the landing page says whether any exists, or that it could not check. Support-plan and
/// triage are one stub answering <c>GET /journeys</c> from a list held in memory and the queue with nobody waiting, since more
/// than 10,000 real journeys would take too long to make; the web app runs as a process, as in the other tests.
/// </summary>
public sealed partial class FurtherReferralListTests(FurtherReferralListTests.Host host) : IClassFixture<FurtherReferralListTests.Host>
{
    [Fact]
    public async Task Journeys_with_no_worker_and_an_unread_further_referral_are_listed_first_even_behind_more_other_journeys_than_the_page_loads()
    {
        // Newest referral first (support-plan's order): more journeys with a worker than the page loads, then three with none.
        var others = Enumerable.Range(0, FurtherReferralsModel.MaxPages * 200).Select(i => Journey(i, "lw-nl-03")).ToList();
        var nobodys = Enumerable.Range(0, 3).Select(i => Journey(others.Count + i, worker: null)).ToList();
        host.Answer([.. others, .. nobodys]);

        var page = await host.PageAsync("/team/further-referrals");

        var rows = JourneyRow().Matches(page).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(nobodys.Select(j => j.JourneyId), rows.Take(3));
        Assert.Contains("3 journeys have no worker", page, StringComparison.Ordinal);
        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.Equal(others.Take(rows.Count - 3).Select(j => j.JourneyId), rows.Skip(3));
        Assert.Contains("id=\"more-journeys\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"more-nobodys\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_landing_page_warns_of_further_referrals_on_nobodys_caseload_from_one_journey_read_saying_two_or_more_when_more_exist()
    {
        host.Answer([Journey(0, "lw-nl-03"), Journey(1, worker: null), Journey(2, worker: null), Journey(3, worker: null)]);

        var page = await host.PageAsync("/team");

        Assert.Contains("Programme queue: north-leeds", page, StringComparison.Ordinal);
        Assert.Contains("id=\"nobodys-further-referrals\"", page, StringComparison.Ordinal);
        Assert.Contains("2 or more journeys in your programmes have a further referral nobody has read and no worker", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/team/further-referrals\"", page, StringComparison.Ordinal);
        // One page of one journey, no more: support-plan gives no total, and the landing page must not load every journey.
        var asked = Assert.Single(host.Requests);
        Assert.Contains("unreadFurtherReferral=true", asked, StringComparison.Ordinal);
        Assert.Contains("unassigned=true", asked, StringComparison.Ordinal);
        Assert.Contains("pageSize=1", asked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StubbedWebApp.Failure.ConnectionLost)]
    [InlineData(StubbedWebApp.Failure.ServiceUnavailable)]
    [InlineData(StubbedWebApp.Failure.NotJson)]
    [InlineData(StubbedWebApp.Failure.Slow)]
    public async Task When_support_plan_does_not_answer_the_landing_page_still_shows_the_queue_and_says_it_could_not_check_for_further_referrals(
        StubbedWebApp.Failure failure)
    {
        host.Answer([Journey(0, worker: null)], failure);

        var started = Stopwatch.StartNew();
        var page = await host.PageAsync("/team");

        // The slow answer takes 30 s; the page waits 5 s for it.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"The landing page took {started.Elapsed}");
        Assert.Contains("Programme queue: north-leeds", page, StringComparison.Ordinal);
        Assert.Contains("id=\"nobodys-further-referrals-unknown\"", page, StringComparison.Ordinal);
        Assert.Contains("Could not check for further referrals on journeys with no worker", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"nobodys-further-referrals\"", page, StringComparison.Ordinal);
    }

    private static JourneySummary Journey(int index, string? worker) => new(Guid.NewGuid(), 3, $"Person {index}", WebAppFixture.Programme,
        worker is null ? "Closed" : "Active", worker, "B86003", "Routine", false, false, null, null, null, null, 1, 0, false, null, null,
        UnacknowledgedFurtherReferrals: 1);

    [GeneratedRegex("data-journey=\"([0-9a-f-]{36})\"")]
    private static partial Regex JourneyRow();

    /// <summary>The stub support-plan and triage (in this process) and the web app (a process) pointed at it.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private volatile IReadOnlyList<JourneySummary> _journeys = [];
        private volatile StubbedWebApp.Failure _failure;
        private StubbedWebApp? _app;

        /// <summary>The query of each <c>GET /journeys</c> since <see cref="Answer"/>.</summary>
        public ConcurrentQueue<string> Requests { get; private set; } = new();

        /// <summary>What the stub answers from now on (the tests of a class run one at a time).</summary>
        public void Answer(IReadOnlyList<JourneySummary> journeys, StubbedWebApp.Failure failure = StubbedWebApp.Failure.None)
        {
            _journeys = journeys;
            _failure = failure;
            Requests = new();
        }

        public async Task InitializeAsync()
        {
            _app = await StubbedWebApp.StartAsync("web-app-stub-further-referrals", stub =>
            {
                stub.MapGet("/journeys", async (bool? unreadFurtherReferral, bool? unassigned, int page, int pageSize, HttpContext http) =>
                {
                    Requests.Enqueue(http.Request.QueryString.Value ?? string.Empty);
                    if (await StubbedWebApp.FailAsync(_failure, http) is { } failed)
                    {
                        return failed;
                    }

                    var matching = _journeys.Where(j => unreadFurtherReferral == true && j.UnacknowledgedFurtherReferrals > 0
                        && (unassigned is not { } u || (j.LinkWorkerId is null) == u)).ToList();
                    var shown = matching.Skip((page - 1) * pageSize).Take(pageSize).ToList();
                    return Results.Json(new JourneyPage(shown, page, pageSize, matching.Count > page * pageSize), ApiClient.Json);
                });
                stub.MapGet("/programmes/{programme}/queue", (string programme) => StubbedWebApp.Queue(programme, []));
            });
        }

        /// <summary>A page read over HTTP as the programme's team lead.</summary>
        public Task<string> PageAsync(string path) => _app!.TeamLeadPageAsync(path, [WebAppFixture.Programme]);

        public async Task DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}
