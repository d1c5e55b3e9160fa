using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Referrals.WebApp.Api;
using Referrals.WebApp.Display;

namespace Referrals.WebApp.Tests;

/// <summary>
/// What a worker reads and records about contacts: the last contact (none until there is one), the contact form's time, and the
/// first-contact form's two writes. Support-plan is a stub that records what it is sent; the web app runs as a process.
/// </summary>
public sealed partial class ContactFormTests : IAsyncLifetime
{
    private const string Worker = "lw-nl-07";
    private static readonly DateTimeOffset OpenedAt = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly Journey _neverContacted = Journey([]);
    private readonly Journey _onAVisit = Journey([new HomeVisit(Guid.NewGuid(), Worker, OpenedAt.AddHours(1), OpenedAt.AddHours(2), null, true, null, false)]);
    private readonly ConcurrentQueue<(Guid JourneyId, JsonElement Body)> _contacts = new();
    private readonly ConcurrentQueue<Guid> _decisions = new();
    private int _version = 4;
    private StubbedWebApp? _app;

    [Fact]
    public async Task A_journey_nobody_has_contacted_reads_none_yet_as_its_last_contact_on_the_caseload_and_the_journey_page()
    {
        var caseload = await _app!.LinkWorkerPageAsync("/caseload", Worker, WebAppFixture.Programme);
        var journey = await _app.LinkWorkerPageAsync($"/journeys/{_neverContacted.JourneyId}", Worker, WebAppFixture.Programme);

        var row = Regex.Match(caseload, $"<tr class=\"nhsuk-table__row\" data-journey=\"{_neverContacted.JourneyId}\">.*?</tr>", RegexOptions.Singleline);
        Assert.True(row.Success, "No caseload line for the journey");
        Assert.Contains("<td class=\"nhsuk-table__cell\">None yet</td>", row.Value, StringComparison.Ordinal);
        Assert.Contains("0 (0 minutes), none with the person yet", journey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_decision_fails_after_the_contact_was_saved_the_first_contact_form_says_so_and_saving_again_sends_only_the_decision()
    {
        var page = $"/journeys/{_neverContacted.JourneyId}/first-contact";
        var form = new Dictionary<string, string>
        {
            ["Version"] = "4", ["Input.Kind"] = "Phone", ["Input.DurationMinutes"] = "15", ["Input.Decision"] = "Agreed", ["Input.Note"] = "Spoke at length",
        };

        var (status, html) = await _app!.LinkWorkerSubmitAsync(page, Worker, WebAppFixture.Programme, form);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Single(_contacts);
        Assert.Single(_decisions);
        Assert.Contains("The contact is saved;", html, StringComparison.Ordinal);
        Assert.Contains("the contact will not be recorded twice", html, StringComparison.Ordinal);
        Assert.Contains("while the journey is dormant", html, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing was saved", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<input type=\"hidden\" name=\"Input.ContactRecorded\" value=\"true\">", html, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"Version\" value=\"5\">", html, StringComparison.Ordinal);

        // Saved again from that form: the decision only, at the version the contact left.
        form["Version"] = "5";
        form["Input.ContactRecorded"] = "true";
        (status, _) = await _app.LinkWorkerSubmitAsync(page, Worker, WebAppFixture.Programme, form);

        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.Single(_contacts);
        Assert.Equal(2, _decisions.Count);
    }

    [Fact]
    public async Task A_decline_during_a_home_visit_is_refused_by_the_first_contact_form_before_the_contact_is_saved()
    {
        var (status, html) = await _app!.LinkWorkerSubmitAsync($"/journeys/{_onAVisit.JourneyId}/first-contact", Worker, WebAppFixture.Programme,
            new Dictionary<string, string>
            {
                ["Version"] = "4", ["Input.Kind"] = "Phone", ["Input.DurationMinutes"] = "15", ["Input.Decision"] = "Declined",
                ["Input.DeclineReason"] = "Has enough support",
            });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Check out of the home visit before recording a decline", html, StringComparison.Ordinal);
        Assert.Empty(_contacts);
        Assert.Empty(_decisions);
    }

    [Fact]
    public async Task The_contact_form_says_when_the_contact_happened_in_uk_time_now_unless_changed_and_never_in_the_future()
    {
        var page = $"/journeys/{_neverContacted.JourneyId}/contacts/new";
        var before = DateTimeOffset.UtcNow;
        var shown = OccurredAtInput().Match(await _app!.LinkWorkerPageAsync(page, Worker, WebAppFixture.Programme));
        Assert.True(shown.Success, "No 'when did it happen' input on the contact form");
        Assert.Contains(shown.Groups[1].Value, new[] { Labels.LocalInput(before), Labels.LocalInput(DateTimeOffset.UtcNow) });

        var form = new Dictionary<string, string>
        {
            ["Version"] = "4", ["Input.Kind"] = "Phone", ["Input.Outcome"] = "Attended", ["Input.DurationMinutes"] = "20",
            ["Input.OccurredAt"] = "2099-07-01T10:30",
        };
        var (status, html) = await _app.LinkWorkerSubmitAsync(page, Worker, WebAppFixture.Programme, form);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("When it happened cannot be in the future", html, StringComparison.Ordinal);
        Assert.Empty(_contacts);

        // British Summer Time: 10:30 in the UK is 09:30 UTC.
        form["Input.OccurredAt"] = "2025-07-01T10:30";
        (status, _) = await _app.LinkWorkerSubmitAsync(page, Worker, WebAppFixture.Programme, form);
        Assert.Equal(HttpStatusCode.Redirect, status);
        var sent = Assert.Single(_contacts).Body;
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 9, 30, 0, TimeSpan.Zero), sent.GetProperty("occurredAt").GetDateTimeOffset());

        // Left empty, it is now (support-plan's default).
        form.Remove("Input.OccurredAt");
        await _app.LinkWorkerSubmitAsync(page, Worker, WebAppFixture.Programme, form);
        Assert.Equal(JsonValueKind.Null, _contacts.Last().Body.GetProperty("occurredAt").ValueKind);
    }

    private static Journey Journey(IReadOnlyList<HomeVisit> visits) => new(Guid.NewGuid(), 4, WebAppFixture.Programme, "Open", 1, false,
        new PersonDetails("9912003888", "Alex", "Example", new DateOnly(1960, 4, 1), "LS6 1AA", "07700 900000", null, "Phone", null, null),
        new JourneyReferral(Guid.NewGuid(), "B82005", ["Housing"], "LS6", null, OpenedAt.AddDays(-3), true, [], 3, "LinkWorker", "Routine", false),
        Worker, OpenedAt.AddDays(-2), OpenedAt, new Decision(true, null, null, null, null),
        new Engagement(null, null, 0, 0, 0), [], visits, new Assessment(null, null, [], [], null, []), new Plan([], null, [], null), [], [], [],
        [], null, []);

    private static JourneySummary Line(Journey j) => new(j.JourneyId, j.Version, j.PersonName, j.ProgrammeId, j.Status, Worker,
        "B82005", "Routine", false, true, j.OpenedAt, j.Engagement.LastContactAt, null, null, 0, 0, false, null, null);

    public async Task InitializeAsync()
    {
        var journeys = new[] { _neverContacted, _onAVisit }.ToDictionary(j => j.JourneyId);
        _app = await StubbedWebApp.StartAsync("web-app-stub-contact-forms", stub =>
        {
            stub.MapGet("/journeys/{journeyId:guid}", (Guid journeyId) => journeys.TryGetValue(journeyId, out var j)
                ? Results.Json(j with { Version = _version }, ApiClient.Json)
                : Results.Problem(statusCode: 404, title: "Not found"));
            stub.MapGet("/caseload", () => Results.Json(journeys.Values.Select(Line), ApiClient.Json));
            stub.MapGet("/journeys/{journeyId:guid}/timeline", (Guid journeyId) => Results.Json(new Timeline(journeyId, []), ApiClient.Json));
            stub.MapGet("/journeys/{journeyId:guid}/outcome-measures", () => Results.Json(Array.Empty<InstrumentProgress>(), ApiClient.Json));
            stub.MapPost("/journeys/{journeyId:guid}/contacts", (Guid journeyId, JsonElement body) =>
            {
                _contacts.Enqueue((journeyId, body.Clone()));
                return Results.Json(new { journeyId, version = Interlocked.Increment(ref _version), id = Guid.NewGuid() }, ApiClient.Json);
            });
            // The first decision is refused (as when the journey changed state meanwhile), the next one recorded.
            stub.MapPost("/journeys/{journeyId:guid}/agreement", (Guid journeyId) =>
            {
                _decisions.Enqueue(journeyId);
                return _decisions.Count == 1
                    ? Results.Problem(statusCode: 409, title: "You cannot record the person's agreement while the journey is dormant.")
                    : Results.Json(new { journeyId, version = Interlocked.Increment(ref _version) }, ApiClient.Json);
            });
        });
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [GeneratedRegex("name=\"Input.OccurredAt\"[^>]*value=\"([^\"]*)\"")]
    private static partial Regex OccurredAtInput();
}
