using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Referrals.WebApp.Api;
using Referrals.WebApp.Pages.Team;

namespace Referrals.WebApp.Tests;

/// <summary>
/// HAZ-001 C7 at scale: the team lead's safeguarding page shows every journey with an unconfirmed concern, however many
/// safeguarding journeys the programme has. The web app runs as a process, as in the other tests; support-plan is a stub
/// answering <c>GET /journeys</c> from lists held in memory, since thousands of real journeys would take too long to make.
/// </summary>
public sealed partial class SafeguardingListTests(SafeguardingListTests.Host host) : IClassFixture<SafeguardingListTests.Host>
{
    /// <summary>1,200 safeguarding journeys, newest referral first; two have an unconfirmed concern, one of them 1,151st.</summary>
    private const string Large = "large-programme";

    /// <summary>
    /// Three safeguarding journeys; the oldest has an unconfirmed concern, and is confirmed between the page's two requests, so
    /// support-plan lists it under both.
    /// </summary>
    private const string Small = "small-programme";

    /// <summary>50 more journeys with an unconfirmed concern than the page loads (triage down for long), then 5 others.</summary>
    private const string Outage = "outage-programme";

    [Fact]
    public async Task A_journey_with_an_unconfirmed_concern_is_listed_first_even_beyond_the_first_thousand_safeguarding_journeys()
    {
        var journeys = host.Programmes[Large];
        var unconfirmed = journeys.Where(j => j.UnconfirmedConcern).Select(j => j.JourneyId).ToList();
        Assert.Equal(1150, journeys.FindIndex(j => j.JourneyId == unconfirmed[1]));

        var page = await host.PageAsync(Large);

        var rows = Rows(page);
        Assert.Equal(unconfirmed, rows.Take(2));
        Assert.Contains("Not confirmed by the duty team", Row(page, unconfirmed[1]), StringComparison.Ordinal);
        Assert.Contains("2 journeys have a concern", page, StringComparison.Ordinal);
        // Up to the cap, each journey once, the rest newest referral first; and the page says more exist.
        Assert.Equal(SafeguardingModel.MaxJourneys, rows.Count);
        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.Equal(journeys.Where(j => !j.UnconfirmedConcern).Take(SafeguardingModel.MaxJourneys - 2).Select(j => j.JourneyId), rows.Skip(2));
        Assert.Contains("id=\"more-journeys\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"more-unconfirmed\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_programme_with_few_safeguarding_journeys_lists_them_all_once_and_does_not_say_more_exist()
    {
        var journeys = host.Programmes[Small];

        var page = await host.PageAsync(Small);

        // Listed once, as first read: unconfirmed, so the team lead still checks with the duty team.
        Assert.Equal([journeys[2].JourneyId, journeys[0].JourneyId, journeys[1].JourneyId], Rows(page));
        Assert.Contains("Not confirmed by the duty team", Row(page, journeys[2].JourneyId), StringComparison.Ordinal);
        Assert.Contains("1 journey has a concern", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"more-journeys\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"more-unconfirmed\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Beyond_its_safety_cap_of_journeys_with_an_unconfirmed_concern_the_page_says_more_have_one()
    {
        var page = await host.PageAsync(Outage);

        var rows = Rows(page);
        var loaded = SafeguardingModel.MaxUnconfirmedPages * 200;
        Assert.Equal(host.Programmes[Outage].Where(j => j.UnconfirmedConcern).Take(loaded).Select(j => j.JourneyId), rows);
        Assert.Contains("id=\"more-unconfirmed\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"more-journeys\"", page, StringComparison.Ordinal);
    }

    private static List<Guid> Rows(string html) => JourneyRow().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();

    private static string Row(string html, Guid journeyId)
    {
        var start = html.IndexOf($"data-journey=\"{journeyId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"Journey {journeyId} is not listed.");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex("data-journey=\"([0-9a-f-]{36})\"")]
    private static partial Regex JourneyRow();

    /// <summary>The stub support-plan (in this process) and the web app (a process) pointed at it.</summary>
    public sealed class Host : IAsyncLifetime
    {
        /// <summary>Journeys the stub lists whichever way the page filters them, as if their concern changed between two requests.</summary>
        private readonly HashSet<Guid> _changedBetweenRequests = [];
        private StubbedWebApp? _app;

        /// <summary>Each programme's safeguarding journeys, newest referral first (support-plan's order).</summary>
        public Dictionary<string, List<JourneySummary>> Programmes { get; } = new()
        {
            [Large] = Enumerable.Range(0, 1200).Select(i => Journey(Large, i, unconfirmed: i is 2 or 1150)).ToList(),
            [Small] = Enumerable.Range(0, 3).Select(i => Journey(Small, i, unconfirmed: i == 2)).ToList(),
            [Outage] = Enumerable.Range(0, SafeguardingModel.MaxUnconfirmedPages * 200 + 55)
                .Select(i => Journey(Outage, i, unconfirmed: i < SafeguardingModel.MaxUnconfirmedPages * 200 + 50)).ToList(),
        };

        public async Task InitializeAsync()
        {
            _changedBetweenRequests.Add(Programmes[Small][2].JourneyId);
            _app = await StubbedWebApp.StartAsync("web-app-stub-support-plan", stub =>
                stub.MapGet("/journeys", (string programme, bool? safeguarding, bool? unconfirmedConcern, int page, int pageSize) =>
                {
                    var matching = Programmes.GetValueOrDefault(programme, [])
                        .Where(j => safeguarding == true
                            && (unconfirmedConcern is not { } u || j.UnconfirmedConcern == u || _changedBetweenRequests.Contains(j.JourneyId)))
                        .Select(j => unconfirmedConcern is { } u ? j with { UnconfirmedConcern = u } : j).ToList();
                    var shown = matching.Skip((page - 1) * pageSize).Take(pageSize).ToList();
                    return Results.Json(new JourneyPage(shown, page, pageSize, matching.Count > page * pageSize), ApiClient.Json);
                }));
        }

        /// <summary>The team lead's safeguarding page for the programme, read over HTTP.</summary>
        public Task<string> PageAsync(string programme) =>
            _app!.TeamLeadPageAsync($"/team/safeguarding?programme={programme}", Programmes.Keys);

        private static JourneySummary Journey(string programme, int index, bool unconfirmed) => new(Guid.NewGuid(), 3, $"Person {index}", programme,
            "Active", "lw-nl-03", "B86003", "Routine", false, false, null, null, null, null, 1, 1, false, null, null, unconfirmed);

        public async Task DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}
