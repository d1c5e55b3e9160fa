using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Referrals.WebApp.Api;
using Referrals.WebApp.Display;

namespace Referrals.WebApp.Tests;

/// <summary>
/// HAZ-001, a team lead of several programmes: every programme's escalations reach them, not only the first programme's, and a
/// programme whose queue cannot be read is named rather than read as "nothing waiting". Triage and support-plan are one stub
/// answering each programme's queue, acknowledgements, the journey list and overdue visits from what the test gives it, and
/// failing for a programme on request; the web app runs as a process, as in the other tests.
/// </summary>
public sealed partial class SeveralProgrammesTests(SeveralProgrammesTests.Host host) : IClassFixture<SeveralProgrammesTests.Host>
{
    /// <summary>The team lead's first programme claim: the one single-programme pages show unless another is chosen.</summary>
    private const string First = WebAppFixture.Programme;

    private const string Second = "east-bradford";

    private static readonly string[] Both = [First, Second];

    [Fact]
    public async Task A_team_lead_of_two_programmes_sees_the_escalations_of_both_each_naming_its_programme()
    {
        var first = Escalation(First, minutesAgo: 30);
        var second = Escalation(Second, minutesAgo: 60);
        host.Answer(escalations: [first, second]);

        var page = await host.PageAsync("/team/escalations", Both);

        // Oldest first, whichever programme.
        Assert.Equal([second.ReferralId, first.ReferralId], Rows(page));
        Assert.Contains($"<td class=\"nhsuk-table__cell\">{Second}</td>", Row(page, second.ReferralId), StringComparison.Ordinal);
        Assert.Contains($"<td class=\"nhsuk-table__cell\">{First}</td>", Row(page, first.ReferralId), StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"escalations-unknown\"", page, StringComparison.Ordinal);
        // Both queues asked for.
        Assert.Equal(Both.Order(), host.QueueRequests.Order());
    }

    [Fact]
    public async Task A_team_lead_of_one_programme_sees_its_escalations_without_a_programme_column()
    {
        var only = Escalation(First, minutesAgo: 5);
        host.Answer(escalations: [only, Escalation(Second, minutesAgo: 5)]);

        var page = await host.PageAsync("/team/escalations", [First]);

        Assert.Equal([only.ReferralId], Rows(page));
        Assert.DoesNotContain(">Programme</th>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_team_lead_acknowledges_an_escalation_of_their_second_programme_and_is_told_its_referral()
    {
        var first = Escalation(First, minutesAgo: 30);
        var second = Escalation(Second, minutesAgo: 60);
        host.Answer(escalations: [first, second]);

        var page = await host.PostAsync("/team/escalations", Both, new Dictionary<string, string> { ["escalationId"] = second.EscalationId.ToString() });

        Assert.Equal([second.EscalationId], host.Acknowledged);
        Assert.Contains($"You acknowledged the escalation for referral {Labels.Reference(second.ReferralId)} in {Second}.", page, StringComparison.Ordinal);
        Assert.Equal([first.ReferralId], Rows(page));
    }

    [Theory]
    [InlineData(StubbedWebApp.Failure.ConnectionLost)]
    [InlineData(StubbedWebApp.Failure.ServiceUnavailable)]
    [InlineData(StubbedWebApp.Failure.NotJson)]
    [InlineData(StubbedWebApp.Failure.Slow)]
    public async Task When_one_programmes_queue_cannot_be_read_the_escalations_page_names_it_and_never_says_no_escalation_is_waiting(
        StubbedWebApp.Failure failure)
    {
        host.Answer(escalations: [Escalation(Second, minutesAgo: 5)], failing: Second, failure: failure);

        var started = Stopwatch.StartNew();
        var page = await host.PageAsync("/team/escalations", Both);

        // The slow answer takes 30 s; the page waits 10 s for each queue, all at once.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(25), $"The escalations page took {started.Elapsed}");
        Assert.Contains("id=\"escalations-unknown\"", page, StringComparison.Ordinal);
        Assert.Contains($"Could not check programme {Second} for escalations awaiting acknowledgement", page, StringComparison.Ordinal);
        Assert.DoesNotContain("No escalation is waiting.", page, StringComparison.Ordinal);
        Assert.Contains($"No escalation is waiting in {First}.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_landing_page_warns_of_escalations_and_unconfirmed_concerns_in_the_team_leads_other_programme_and_links_to_it()
    {
        host.Answer(escalations: [Escalation(Second, minutesAgo: 5), Escalation(Second, minutesAgo: 9)], unconfirmedConcerns: [Journey(Second)]);

        var page = await host.PageAsync("/team", Both);

        Assert.Contains($"Programme queue: {First}", page, StringComparison.Ordinal);
        var warning = Callout(page, "other-programmes");
        Assert.Contains($"{Second}: 2 escalations are awaiting acknowledgement.", warning, StringComparison.Ordinal);
        Assert.Contains("href=\"/team/escalations\"", warning, StringComparison.Ordinal);
        Assert.Contains($"{Second}: 1 journey has a safeguarding concern triage has not confirmed", warning, StringComparison.Ordinal);
        Assert.Contains($"href=\"/team/safeguarding?programme={Second}\"", warning, StringComparison.Ordinal);
        Assert.Contains($"href=\"/team?programme={Second}\"", page, StringComparison.Ordinal);
        // One page of one journey for the other programme only; the shown programme's concerns are on its safeguarding page.
        var asked = Assert.Single(host.JourneyRequests, r => r.Contains("unconfirmedConcern", StringComparison.Ordinal));
        Assert.Contains($"programme={Second}", asked, StringComparison.Ordinal);
        Assert.Contains("unconfirmedConcern=true", asked, StringComparison.Ordinal);
        Assert.Contains("pageSize=1", asked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_landing_page_of_the_second_programme_warns_of_the_first_programmes_escalations()
    {
        host.Answer(escalations: [Escalation(First, minutesAgo: 5), Escalation(Second, minutesAgo: 5)]);

        var page = await host.PageAsync($"/team?programme={Second}", Both);

        Assert.Contains($"Programme queue: {Second}", page, StringComparison.Ordinal);
        Assert.Contains($"{First}: 1 escalation is awaiting acknowledgement.", Callout(page, "other-programmes"), StringComparison.Ordinal);
        Assert.DoesNotContain($"{Second}: 1 escalation", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/team?programme={First}\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_landing_page_of_a_team_lead_of_one_programme_checks_no_other()
    {
        host.Answer(escalations: [Escalation(Second, minutesAgo: 5)], unconfirmedConcerns: [Journey(Second)]);

        var page = await host.PageAsync("/team", [First]);

        Assert.DoesNotContain("id=\"other-programmes\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"programme-choice\"", page, StringComparison.Ordinal);
        Assert.Equal([First], host.QueueRequests);
    }

    [Theory]
    [InlineData(StubbedWebApp.Failure.ConnectionLost)]
    [InlineData(StubbedWebApp.Failure.ServiceUnavailable)]
    [InlineData(StubbedWebApp.Failure.NotJson)]
    [InlineData(StubbedWebApp.Failure.Slow)]
    public async Task When_the_other_programme_cannot_be_checked_the_landing_page_still_shows_the_queue_and_says_it_could_not_check_it(
        StubbedWebApp.Failure failure)
    {
        host.Answer(escalations: [Escalation(Second, minutesAgo: 5)], unconfirmedConcerns: [Journey(Second)], failing: Second, failure: failure);

        var started = Stopwatch.StartNew();
        var page = await host.PageAsync("/team", Both);

        // The slow answers take 30 s; the page waits 5 s for its checks, all at once.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"The landing page took {started.Elapsed}");
        Assert.Contains($"Programme queue: {First}", page, StringComparison.Ordinal);
        var warning = Callout(page, "other-programmes");
        Assert.Contains($"Could not check {Second} for escalations awaiting acknowledgement", warning, StringComparison.Ordinal);
        Assert.Contains($"Could not check {Second} for safeguarding concerns triage has not confirmed", warning, StringComparison.Ordinal);
        Assert.Contains("href=\"/team/escalations\"", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_safeguarding_page_names_its_programme_and_links_to_itself_for_the_team_leads_other_and_no_one_elses()
    {
        host.Answer(unconfirmedConcerns: [Journey(First), Journey(Second)]);

        var page = await host.PageAsync($"/team/safeguarding?programme={Second}", Both);
        var elsewhere = await host.PageAsync("/team/safeguarding?programme=somebody-elses", Both);

        Assert.Contains($"Journeys with safeguarding concerns: {Second}", page, StringComparison.Ordinal);
        Assert.Contains($"this page shows <strong>{Second}</strong>", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/team/safeguarding?programme={First}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"href=\"/team/safeguarding?programme={Second}\"", page, StringComparison.Ordinal);
        // A programme not among their claims is never shown: the first of theirs instead.
        Assert.Contains($"Journeys with safeguarding concerns: {First}", elsewhere, StringComparison.Ordinal);
        Assert.DoesNotContain("programme=somebody-elses", string.Join('\n', host.JourneyRequests), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_lone_working_page_of_a_team_lead_of_two_programmes_names_each_visits_programme()
    {
        var visit = new OverdueVisit(Guid.NewGuid(), Guid.NewGuid(), Second, "lw-eb-01", DateTimeOffset.UtcNow.AddHours(-2),
            DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(-50));
        host.Answer(overdue: [visit]);

        var page = await host.PageAsync("/team/lone-working", Both);

        var start = page.IndexOf($"data-visit=\"{visit.VisitId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "The visit is not listed.");
        Assert.Contains($"<td class=\"nhsuk-table__cell\">{Second}</td>", page[start..page.IndexOf("</tr>", start, StringComparison.Ordinal)],
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_reassigning_a_referral_of_the_second_programme_the_team_lead_is_back_at_that_programmes_queue()
    {
        var referral = new TriageReferral(Guid.NewGuid(), Guid.NewGuid(), Second, "B83001", "Queued", false, "Tier1", "Routine", ["Loneliness"],
            DateTimeOffset.UtcNow.AddDays(-1), null, null, 4);
        host.Answer(referrals: [referral]);

        var page = await host.PostAsync($"/team/reassign/{referral.ReferralId}", Both, new Dictionary<string, string>
        {
            ["Version"] = "4", ["LinkWorkerId"] = "lw-eb-01", ["Reason"] = "Knows the family.",
        });

        Assert.Contains($"Referral {Labels.Reference(referral.ReferralId)} is now offered to lw-eb-01.", page, StringComparison.Ordinal);
        Assert.Contains($"Programme queue: {Second}", page, StringComparison.Ordinal);
    }

    private static EscalationSummary Escalation(string programme, int minutesAgo) => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), programme,
        "Triage", "AwaitingAcknowledgement", 1, ["Self-harm"], [new EscalationRecipient("DutyWorker", "lw-duty", true)],
        DateTimeOffset.UtcNow.AddMinutes(30), false, DateTimeOffset.UtcNow.AddMinutes(-minutesAgo), 2);

    private static JourneySummary Journey(string programme) => new(Guid.NewGuid(), 3, "A person", programme, "Active", "lw-nl-03", "B86003",
        "Routine", false, false, null, null, null, null, 1, 1, false, null, null, UnconfirmedConcern: true);

    private static List<Guid> Rows(string html) => EscalationRow().Matches(html).Select(m => Guid.Parse(m.Groups[1].Value)).ToList();

    private static string Row(string html, Guid referralId)
    {
        var start = html.IndexOf($"data-referral=\"{referralId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"Referral {referralId} is not listed.");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private static string Callout(string html, string id)
    {
        var start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No #{id} on the page.");
        return html[start..html.IndexOf("</div>", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex("<tr class=\"nhsuk-table__row\" data-referral=\"([0-9a-f-]{36})\"")]
    private static partial Regex EscalationRow();

    /// <summary>The stub triage and support-plan (in this process) and the web app (a process) pointed at it.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private readonly object _gate = new();
        private List<EscalationSummary> _escalations = [];
        private IReadOnlyList<JourneySummary> _unconfirmed = [];
        private IReadOnlyList<OverdueVisit> _overdue = [];
        private IReadOnlyList<TriageReferral> _referrals = [];
        private string? _failing;
        private StubbedWebApp.Failure _failure;
        private StubbedWebApp? _app;

        /// <summary>The programme of each queue asked for since <see cref="Answer"/>.</summary>
        public ConcurrentQueue<string> QueueRequests { get; private set; } = new();

        /// <summary>The query of each <c>GET /journeys</c> since <see cref="Answer"/>.</summary>
        public ConcurrentQueue<string> JourneyRequests { get; private set; } = new();

        /// <summary>The escalations acknowledged since <see cref="Answer"/>.</summary>
        public ConcurrentQueue<Guid> Acknowledged { get; private set; } = new();

        /// <summary>
        /// What the stub answers from now on (the tests of a class run one at a time): escalations awaiting acknowledgement, journeys
        /// with an unconfirmed concern, overdue visits, referrals to reassign; and a programme whose queue and journey list fail with <paramref name="failure"/>.
        /// </summary>
        public void Answer(IReadOnlyList<EscalationSummary>? escalations = null, IReadOnlyList<JourneySummary>? unconfirmedConcerns = null,
            IReadOnlyList<OverdueVisit>? overdue = null, IReadOnlyList<TriageReferral>? referrals = null, string? failing = null,
            StubbedWebApp.Failure failure = StubbedWebApp.Failure.None)
        {
            lock (_gate)
            {
                _escalations = [.. escalations ?? []];
                _unconfirmed = unconfirmedConcerns ?? [];
                _overdue = overdue ?? [];
                _referrals = referrals ?? [];
                _failing = failing;
                _failure = failure;
                QueueRequests = new();
                JourneyRequests = new();
                Acknowledged = new();
            }
        }

        public async Task InitializeAsync()
        {
            _app = await StubbedWebApp.StartAsync("web-app-stub-several-programmes", stub =>
            {
                stub.MapGet("/programmes/{programme}/queue", async (string programme, HttpContext http) =>
                {
                    QueueRequests.Enqueue(programme);
                    if (programme == _failing && await StubbedWebApp.FailAsync(_failure, http) is { } failed)
                    {
                        return failed;
                    }

                    lock (_gate)
                    {
                        return StubbedWebApp.Queue(programme, [.. _escalations]);
                    }
                });
                stub.MapPost("/escalations/{escalationId:guid}/acknowledge", (Guid escalationId) =>
                {
                    EscalationSummary? escalation;
                    lock (_gate)
                    {
                        escalation = _escalations.FirstOrDefault(e => e.EscalationId == escalationId);
                        if (escalation is not null)
                        {
                            _escalations.Remove(escalation);
                        }
                    }

                    if (escalation is null)
                    {
                        return Results.NotFound();
                    }

                    Acknowledged.Enqueue(escalationId);
                    // Triage's answer is the whole escalation; the web app reads part of it.
                    return Results.Json(new
                    {
                        escalation.EscalationId, escalation.ReferralId, escalation.JourneyId, escalation.ProgrammeId, escalation.Trigger,
                        State = "Acknowledged", AcknowledgedBy = "tl-nl-01", AcknowledgedAt = DateTimeOffset.UtcNow, Version = 3,
                    }, ApiClient.Json);
                });
                stub.MapGet("/journeys", async (string? programme, bool? safeguarding, bool? unconfirmedConcern, bool? unreadFurtherReferral,
                    int page, int pageSize, HttpContext http) =>
                {
                    JourneyRequests.Enqueue(http.Request.QueryString.Value ?? string.Empty);
                    if (programme is not null && programme == _failing && await StubbedWebApp.FailAsync(_failure, http) is { } failed)
                    {
                        return failed;
                    }

                    // Only journeys with an unconfirmed concern exist here: none has an unread further referral.
                    var matching = _unconfirmed.Where(j => unreadFurtherReferral != true && safeguarding == true && j.ProgrammeId == programme
                        && unconfirmedConcern != false).ToList();
                    var shown = matching.Skip((page - 1) * pageSize).Take(pageSize).ToList();
                    return Results.Json(new JourneyPage(shown, page, pageSize, matching.Count > page * pageSize), ApiClient.Json);
                });
                stub.MapGet("/lone-working/overdue", () => Results.Json(_overdue, ApiClient.Json));
                stub.MapGet("/referrals/{referralId:guid}", (Guid referralId) =>
                    _referrals.FirstOrDefault(r => r.ReferralId == referralId) is { } r ? Results.Json(r, ApiClient.Json) : Results.NotFound());
                stub.MapPost("/referrals/{referralId:guid}/reassign", (Guid referralId) =>
                    _referrals.FirstOrDefault(r => r.ReferralId == referralId) is { } r ? Results.Json(r with { Version = r.Version + 1 }, ApiClient.Json) : Results.NotFound());
            });
        }

        /// <summary>A page read over HTTP as team lead of <paramref name="programmes"/>.</summary>
        public Task<string> PageAsync(string path, IEnumerable<string> programmes) => _app!.TeamLeadPageAsync(path, programmes);

        /// <summary>A form posted on the page as team lead of <paramref name="programmes"/>, and the page it redirects to.</summary>
        public Task<string> PostAsync(string path, IEnumerable<string> programmes, IReadOnlyDictionary<string, string> form) =>
            _app!.TeamLeadPostAsync(path, programmes, form);

        public async Task DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}
