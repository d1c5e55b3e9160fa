using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Tests;

/// <summary>
/// HAZ-001: a team lead acting on an escalation reaches the person's journey from the escalations page, the journey support-plan
/// holds (not triage's journey id, which may be intake's proposal that support-plan did not use), and is told plainly when there
/// is none to open. Triage and support-plan are one stub answering the programme queue, support-plan's referral → journey map
/// and journeys from what the test gives it, failing on request; the web app runs as a process.
/// </summary>
public sealed class EscalationJourneyTests(EscalationJourneyTests.Host host) : IClassFixture<EscalationJourneyTests.Host>
{
    [Fact]
    public async Task An_escalation_links_to_the_journey_support_plan_recorded_its_referral_against_not_to_triages_journey_id()
    {
        var escalation = Escalation("Triage");
        var reopened = Guid.NewGuid();
        host.Answer([escalation], referralJourneys: new() { [escalation.ReferralId] = reopened }, journeys: [escalation.JourneyId, reopened]);

        var row = Row(await host.PageAsync("/team/escalations"), escalation.ReferralId);

        Assert.Contains($"href=\"/journeys/{reopened}\"", row, StringComparison.Ordinal);
        Assert.DoesNotContain(escalation.JourneyId.ToString(), row, StringComparison.Ordinal);
        Assert.Contains("Acknowledge", row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_escalation_whose_referral_support_plan_has_not_registered_says_there_is_no_journey_yet_and_never_links_triages_journey_id()
    {
        // Support-plan holds a journey under triage's id: intake proposed an id already taken, so it is not this referral's.
        var escalation = Escalation("Triage");
        host.Answer([escalation], referralJourneys: [], journeys: [escalation.JourneyId]);

        var row = Row(await host.PageAsync("/team/escalations"), escalation.ReferralId);

        Assert.Contains("No journey yet: the referral is still waiting to be registered as a journey", row, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/journeys/", row, StringComparison.Ordinal);
        Assert.DoesNotContain(escalation.JourneyId, host.JourneyRequests);
    }

    [Theory]
    [InlineData("LinkedReferral")]
    [InlineData("SafeguardingConcern")]
    public async Task An_escalation_support_plan_raised_or_recorded_on_a_journey_links_to_that_journey_without_reading_it_when_its_referral_is_not_in_the_map(
        string trigger)
    {
        // A further referral triage escalated on itself (it did not know the journey's referral); support-plan recorded it on the journey intake named.
        var escalation = Escalation(trigger);
        host.Answer([escalation], referralJourneys: [], journeys: [escalation.JourneyId]);

        var page = await host.PageAsync("/team/escalations");

        Assert.Contains($"href=\"/journeys/{escalation.JourneyId}\"", Row(page, escalation.ReferralId), StringComparison.Ordinal);
        // Reading the journey to see that it exists would be audited as the team lead's read of a journey they have not opened.
        Assert.Empty(host.JourneyRequests);
    }

    [Fact]
    public async Task An_escalation_whose_journey_support_plan_refuses_says_it_is_in_a_programme_the_team_lead_does_not_lead()
    {
        var escalation = Escalation("Triage");
        host.Answer([escalation], referralJourneys: new() { [escalation.ReferralId] = Guid.NewGuid() }, journeys: [], refuse: true);

        var row = Row(await host.PageAsync("/team/escalations"), escalation.ReferralId);

        Assert.Contains("The journey is in a programme you do not lead", row, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/journeys/", row, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StubbedWebApp.Failure.ConnectionLost)]
    [InlineData(StubbedWebApp.Failure.ServiceUnavailable)]
    [InlineData(StubbedWebApp.Failure.NotJson)]
    [InlineData(StubbedWebApp.Failure.Slow)]
    public async Task When_support_plan_does_not_answer_every_escalation_is_still_listed_to_acknowledge_and_says_its_journey_could_not_be_looked_up(
        StubbedWebApp.Failure failure)
    {
        var escalations = Enumerable.Range(0, 12).Select(_ => Escalation("Triage")).ToList();
        host.Answer(escalations, referralJourneys: escalations.ToDictionary(e => e.ReferralId, _ => Guid.NewGuid()), journeys: [], failure: failure);

        var started = Stopwatch.StartNew();
        var page = await host.PageAsync("/team/escalations");

        // The slow answers take 30 s each; the page waits 5 s for all its lookups.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"The escalations page took {started.Elapsed}");
        foreach (var escalation in escalations)
        {
            var row = Row(page, escalation.ReferralId);
            Assert.Contains("Could not look up the journey: support-plan did not answer", row, StringComparison.Ordinal);
            Assert.Contains($"value=\"{escalation.EscalationId}\"", row, StringComparison.Ordinal);
        }
    }

    private static EscalationSummary Escalation(string trigger) => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), WebAppFixture.Programme,
        trigger, "AwaitingAcknowledgement", 1, ["Self-harm"], [new EscalationRecipient("DutyWorker", "lw-duty", true)],
        DateTimeOffset.UtcNow.AddMinutes(30), false, DateTimeOffset.UtcNow.AddMinutes(-10), 2);

    private static string Row(string html, Guid referralId)
    {
        var start = html.IndexOf($"data-referral=\"{referralId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"Referral {referralId} is not listed.");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    /// <summary>The stub triage and support-plan (in this process) and the web app (a process) pointed at it.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private readonly object _gate = new();
        private IReadOnlyList<EscalationSummary> _escalations = [];
        private Dictionary<Guid, Guid> _referralJourneys = [];
        private HashSet<Guid> _journeys = [];
        private bool _refuse;
        private StubbedWebApp.Failure _failure;
        private StubbedWebApp? _app;

        /// <summary>The journeys asked for by id since <see cref="Answer"/>.</summary>
        public ConcurrentQueue<Guid> JourneyRequests { get; private set; } = new();

        /// <summary>
        /// What the stub answers from now on (the tests of a class run one at a time): the escalations awaiting acknowledgement,
        /// support-plan's referral → journey map and the journeys it holds; support-plan refusing them (403) or failing with
        /// <paramref name="failure"/>.
        /// </summary>
        public void Answer(IReadOnlyList<EscalationSummary> escalations, Dictionary<Guid, Guid> referralJourneys, IEnumerable<Guid> journeys,
            bool refuse = false, StubbedWebApp.Failure failure = StubbedWebApp.Failure.None)
        {
            lock (_gate)
            {
                _escalations = escalations;
                _referralJourneys = referralJourneys;
                _journeys = [.. journeys];
                _refuse = refuse;
                _failure = failure;
                JourneyRequests = new();
            }
        }

        public async Task InitializeAsync() => _app = await StubbedWebApp.StartAsync("web-app-stub-escalation-journeys", stub =>
        {
            stub.MapGet("/programmes/{programme}/queue", (string programme) => StubbedWebApp.Queue(programme, _escalations));
            stub.MapGet("/referrals/{referralId:guid}/journey", async (Guid referralId, HttpContext http) =>
            {
                if (await StubbedWebApp.FailAsync(_failure, http) is { } failed)
                {
                    return failed;
                }

                return _refuse ? Results.Problem(statusCode: 403, title: "Forbidden")
                    : _referralJourneys.TryGetValue(referralId, out var journeyId)
                        ? Results.Json(new ReferralJourney(referralId, journeyId, Reopened: true), ApiClient.Json)
                        : Results.Problem(statusCode: 404, title: "No journey is recorded for this referral (yet)");
            });
            stub.MapGet("/journeys/{journeyId:guid}", (Guid journeyId) =>
            {
                JourneyRequests.Enqueue(journeyId);
                // Enough of a journey for the page: it only asks whether support-plan holds it.
                return _journeys.Contains(journeyId)
                    ? Results.Json(new { journeyId, version = 3, programmeId = WebAppFixture.Programme, status = "Active" }, ApiClient.Json)
                    : Results.Problem(statusCode: 404, title: "Not found");
            });
        });

        /// <summary>A page read over HTTP as a team lead of the programme.</summary>
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
