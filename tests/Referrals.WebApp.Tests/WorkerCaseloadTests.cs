using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Tests;

/// <summary>
/// HAZ-021 C2, HAZ-001: a team lead sees any worker's caseload, so the journeys of a worker who is away or has left (open, dormant,
/// made urgent) are shown to someone. Support-plan and triage are one stub answering <c>GET /link-workers/{id}/caseload</c> (its
/// programme rule and order are support-plan's, tested there) and the programme queue; the web app runs as a process.
/// </summary>
public sealed partial class WorkerCaseloadTests(WorkerCaseloadTests.Host host) : IClassFixture<WorkerCaseloadTests.Host>
{
    private const string Worker = "lw-nl-07";
    private const string Second = "east-bradford";

    private static readonly JourneySummary Urgent = Journey("Made urgent", "Active", "Urgent", escalated: true) with { RequiredTier = "PsychosocialLinkWorker" };
    private static readonly JourneySummary Dormant = Journey("Gone quiet", "Dormant", "Routine") with { ProgrammeId = Second };
    private static readonly JourneySummary Unread = Journey("Referred again", "Open", "Routine") with { UnacknowledgedFurtherReferrals = 1 };
    private static readonly JourneySummary Closed = Journey("Finished", "Closed", "Routine");

    [Fact]
    public async Task A_team_lead_sees_a_workers_caseload_in_support_plans_order_with_the_marks_of_the_workers_own_page_and_closed_ones_on_request()
    {
        host.Requests.Clear();
        var page = await host.App.TeamLeadPageAsync($"/team/workers/{Worker}", [WebAppFixture.Programme]);
        var withClosed = await host.App.TeamLeadPageAsync($"/team/workers/{Worker}?includeClosed=true", [WebAppFixture.Programme]);

        Assert.Contains($"Caseload of {Worker}", page, StringComparison.Ordinal);
        var rows = Rows(page);
        Assert.Equal([Urgent.JourneyId, Dormant.JourneyId, Unread.JourneyId], rows.Select(r => r.Id));
        Assert.Contains("app-urgent", rows[0].Html, StringComparison.Ordinal);
        Assert.Contains("Escalated for risk", rows[0].Html, StringComparison.Ordinal);
        Assert.Contains("Needs a psychosocial link worker (tier 3)", rows[0].Html, StringComparison.Ordinal);
        Assert.Contains(">Dormant</strong>", rows[1].Html, StringComparison.Ordinal);
        Assert.Contains("New referral to read", rows[2].Html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/journeys/{Dormant.JourneyId}\"", rows[1].Html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/team/workers/{Worker}?includeClosed=true\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain(">Programme</th>", page, StringComparison.Ordinal);
        Assert.Equal([Urgent.JourneyId, Dormant.JourneyId, Unread.JourneyId, Closed.JourneyId], Rows(withClosed).Select(r => r.Id));
        Assert.Equal([$"/link-workers/{Worker}/caseload?includeClosed=false", $"/link-workers/{Worker}/caseload?includeClosed=true"], host.Requests);
    }

    [Fact]
    public async Task A_team_lead_of_two_programmes_sees_which_programme_each_of_the_workers_journeys_is_in()
    {
        var page = await host.App.TeamLeadPageAsync($"/team/workers/{Worker}", [WebAppFixture.Programme, Second]);

        Assert.Contains(">Programme</th>", page, StringComparison.Ordinal);
        Assert.Contains($"<td class=\"nhsuk-table__cell\">{Second}</td>", Rows(page)[1].Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_with_no_journeys_in_the_team_leads_programmes_is_said_to_have_none_there_rather_than_an_error_page()
    {
        var page = await host.App.TeamLeadPageAsync("/team/workers/lw-elsewhere", [WebAppFixture.Programme]);

        Assert.Contains("id=\"no-journeys\"", page, StringComparison.Ordinal);
        Assert.Contains($"lw-elsewhere has no journeys on their caseload in your programme ({WebAppFixture.Programme})", page, StringComparison.Ordinal);
        Assert.Empty(Rows(page));
    }

    [Fact]
    public async Task Each_worker_in_the_capacity_table_of_the_programme_queue_links_to_their_caseload()
    {
        var page = await host.App.TeamLeadPageAsync("/team", [WebAppFixture.Programme]);

        var start = page.IndexOf($"data-worker=\"{Worker}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "The worker is not in the capacity table.");
        Assert.Contains($"<a href=\"/team/workers/{Worker}\">Sam Okafor ({Worker})", page[start..page.IndexOf("</tr>", start, StringComparison.Ordinal)],
            StringComparison.Ordinal);
    }

    /// <summary>The stub support-plan and triage (in this process) and the web app (a process) pointed at it.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private StubbedWebApp? _app;

        public StubbedWebApp App => _app!;

        /// <summary>The path and query of each caseload asked for.</summary>
        public ConcurrentQueue<string> Requests { get; } = new();

        public async Task InitializeAsync() => _app = await StubbedWebApp.StartAsync("web-app-stub-worker-caseload", stub =>
        {
            // Support-plan's answer: the worker's journeys in the team lead's programmes, in its order; nothing for another worker.
            stub.MapGet("/link-workers/{linkWorkerId}/caseload", (string linkWorkerId, bool includeClosed, HttpContext http) =>
            {
                Requests.Enqueue(http.Request.Path + http.Request.QueryString);
                JourneySummary[] journeys = linkWorkerId != Worker ? [] : includeClosed ? [Urgent, Dormant, Unread, Closed] : [Urgent, Dormant, Unread];
                return Results.Json(journeys, ApiClient.Json);
            });
            stub.MapGet("/programmes/{programme}/queue", (string programme) => Results.Json(new ProgrammeQueue(programme, 1, DateTimeOffset.UtcNow, [], [],
                [], [new WorkerCapacity(Worker, "Sam Okafor", "LinkWorker", false, 0, 12, 12, 30, 40, 200, false)], [], []), ApiClient.Json));
            stub.MapGet("/journeys", (int page, int pageSize) => Results.Json(new JourneyPage([], page, pageSize, false), ApiClient.Json));
        });

        public async Task DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }

    private static JourneySummary Journey(string name, string status, string priority, bool escalated = false) =>
        new(Guid.NewGuid(), 4, name, WebAppFixture.Programme, status, Worker, "B86003", priority, escalated, false, null, null, null, null, 2, 0,
            false, status == "Closed" ? DateTimeOffset.UtcNow : null, status == "Closed" ? "GoalsMet" : null);

    private static List<(Guid Id, string Html)> Rows(string page) =>
        Row().Matches(page).Select(m => (Guid.Parse(m.Groups[1].Value), m.Groups[2].Value)).ToList();

    [GeneratedRegex("data-journey=\"([0-9a-f-]{36})\">(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();
}
