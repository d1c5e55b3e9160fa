using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Referrals.WebApp.Api;

namespace Referrals.WebApp.Tests;

/// <summary>
/// HAZ-005 C12 in the web app: a journey gp-records has a parked delivery of is shown to its worker as not yet in the GP record,
/// saying the practice has not been sent the latest entries and to tell the programme admin. Support-plan is a stub answering the
/// journey and the caseload as it does (its mark is tested in support-plan); the web app runs as a process. The caseload line is
/// marked too.
/// </summary>
public sealed partial class GpRecordDeliveryTests : IAsyncLifetime
{
    private const string Worker = "lw-nl-07";
    private static readonly DateTimeOffset ParkedAt = new(2026, 12, 7, 9, 30, 0, TimeSpan.Zero);
    private readonly Guid _parkedDelivery = Guid.NewGuid();
    private readonly Journey _behind = Journey();
    private readonly Journey _upToDate = Journey();
    private StubbedWebApp? _app;

    [Fact]
    public async Task A_journey_with_a_parked_gp_delivery_warns_that_the_practice_has_not_been_sent_the_latest_entries_and_to_tell_the_programme_admin()
    {
        var page = await _app!.LinkWorkerPageAsync($"/journeys/{_behind.JourneyId}", Worker, WebAppFixture.Programme);

        var warning = Warning().Match(page);
        Assert.True(warning.Success, "No 'not yet in the GP record' warning on the journey page.");
        Assert.Contains("Not yet in the GP record", warning.Value, StringComparison.Ordinal);
        Assert.Contains("The practice has not been sent the latest entries", warning.Value, StringComparison.Ordinal);
        Assert.Contains("Tell the programme admin", warning.Value, StringComparison.Ordinal);
        Assert.Contains($"data-parked-delivery=\"{_parkedDelivery}\"", warning.Value, StringComparison.Ordinal);
        Assert.Contains("B82005", warning.Value, StringComparison.Ordinal);

        var upToDate = await _app.LinkWorkerPageAsync($"/journeys/{_upToDate.JourneyId}", Worker, WebAppFixture.Programme);
        Assert.DoesNotContain("not-yet-in-gp-record", upToDate, StringComparison.Ordinal);
        Assert.Contains(_upToDate.JourneyId.ToString(), upToDate, StringComparison.Ordinal); // the page itself did load
    }

    [Fact]
    public async Task The_caseload_marks_the_line_of_a_journey_not_yet_in_the_gp_record_and_no_other()
    {
        var page = await _app!.LinkWorkerPageAsync("/caseload", Worker, WebAppFixture.Programme);

        Assert.Contains("app-not-yet-in-gp-record\">Not yet in the GP record<", Row(page, _behind.JourneyId), StringComparison.Ordinal);
        Assert.DoesNotContain("Not yet in the GP record", Row(page, _upToDate.JourneyId), StringComparison.Ordinal);
    }

    private static string Row(string page, Guid journeyId)
    {
        var row = Regex.Match(page, $"<tr class=\"nhsuk-table__row\" data-journey=\"{journeyId}\">.*?</tr>", RegexOptions.Singleline);
        Assert.True(row.Success, $"No caseload line for {journeyId}");
        return row.Value;
    }

    private static JourneySummary Line(Journey j, bool notYetInGpRecord) => new(j.JourneyId, j.Version, j.PersonName, j.ProgrammeId, j.Status, Worker,
        "B82005", "Routine", false, false, j.OpenedAt, j.Engagement.LastContactAt, null, null, 2, 0, false, null, null, NotYetInGpRecord: notYetInGpRecord);

    private static Journey Journey() => new(Guid.NewGuid(), 4, WebAppFixture.Programme, "Active", 1, false,
        new PersonDetails("9912003888", "Alex", "Example", new DateOnly(1960, 4, 1), "LS6 1AA", "07700 900000", null, "Phone", null, null),
        new JourneyReferral(Guid.NewGuid(), "B82005", ["Housing"], "LS6", null, ParkedAt.AddDays(-10), true, [], 3, "LinkWorker", "Routine", false),
        Worker, ParkedAt.AddDays(-9), ParkedAt.AddDays(-8), new Decision(false, ParkedAt.AddDays(-8), 1, null, null),
        new Engagement(ParkedAt.AddDays(-1), null, 0, 2, 60), [], [], new Assessment(null, null, [], [], null, []), new Plan([], null, [], null), [], [], [],
        [], null, []);

    public async Task InitializeAsync()
    {
        var behind = _behind with { NotYetInGpRecord = new NotYetInGpRecord(ParkedAt, [new ParkedGpDelivery(_parkedDelivery, "B82005", ParkedAt)]) };
        _app = await StubbedWebApp.StartAsync("web-app-stub-gp-record-delivery", stub =>
        {
            stub.MapGet("/journeys/{journeyId:guid}", (Guid journeyId) =>
                journeyId == behind.JourneyId ? Results.Json(behind, ApiClient.Json)
                : journeyId == _upToDate.JourneyId ? Results.Json(_upToDate, ApiClient.Json)
                : Results.Problem(statusCode: 404, title: "Not found"));
            stub.MapGet("/caseload", () => Results.Json(new[] { Line(behind, true), Line(_upToDate, false) }, ApiClient.Json));
            stub.MapGet("/journeys/{journeyId:guid}/timeline", (Guid journeyId) => Results.Json(new Timeline(journeyId, []), ApiClient.Json));
            stub.MapGet("/journeys/{journeyId:guid}/outcome-measures", () => Results.Json(Array.Empty<InstrumentProgress>(), ApiClient.Json));
        });
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [GeneratedRegex("<div class=\"nhsuk-warning-callout\" id=\"not-yet-in-gp-record\">.*?</div>", RegexOptions.Singleline)]
    private static partial Regex Warning();
}
