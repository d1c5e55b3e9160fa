using System.Net;
using Npgsql;
using Referrals.Contracts.Intake;
using Referrals.EventStore.Daemon;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Support;
using Referrals.SupportPlan.Timeline;
using Referrals.Testing;

namespace Referrals.SupportPlan.Tests.Safeguarding;

/// <summary>
/// A concern's indicators are the worker's free text (they may describe the person or someone around them): personal data in
/// support-plan's event, journey document, timeline and outbox rows, and in the message triage and gp-records receive.
/// </summary>
public sealed class ConcernIndicatorsTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    [Fact]
    public async Task A_concerns_indicators_reach_the_worker_and_the_message_but_no_table_or_outbox_row_holds_them_in_plain_text()
    {
        await PlainText.CaptureOutboxRowsAsync(fixture.Infrastructure.PostgresConnectionString, fixture.Schema);
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        var canary = "Zqindicator" + Guid.NewGuid().ToString("N")[..8];
        string[] indicators = [canary + " the neighbour's son visits at night", "self-neglect"];
        using var worker = _scenario.Worker(c);

        var concern = await worker.Post($"/journeys/{journey.JourneyId}/safeguarding-concerns",
            new { crisis = false, indicators, details = "The flat is very cold" }).Expect<JourneyWritten>(HttpStatusCode.Created);

        var sent = await fixture.Probe.WaitForAsync<Integration.SafeguardingConcernRaised>(e => e.ConcernId == concern.Id);
        Assert.Equal(indicators, sent.Indicators);
        var view = await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}");
        Assert.Equal(indicators, view.SafeguardingConcerns.Single().Indicators);
        var entry = (await worker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline")).Entries.Single(e => e.Kind == "SafeguardingConcern");
        Assert.Equal("Safeguarding concern raised", entry.Summary);
        Assert.Equal($"Indicators: {indicators[0]}, self-neglect. The flat is very cold", entry.Detail);

        var written = await PlainText.OutboxRowsWrittenAsync(fixture.Infrastructure.PostgresConnectionString, fixture.Schema);
        Assert.Contains(written, row => row.Type.Contains("." + nameof(Integration.SafeguardingConcernRaised) + ",", StringComparison.Ordinal));
        Assert.Empty(written.Where(row => row.Body.Contains(canary, StringComparison.Ordinal)).Select(row => row.Type));
        Assert.Empty(await PlainText.TablesHoldingAsync(fixture.Infrastructure.PostgresConnectionString, fixture.Schema, canary, PlainText.OutboxCopies));
    }

    [Fact]
    public async Task After_erasure_a_concern_is_still_listed_and_its_indicators_read_as_empty()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);
        var concern = await worker.Post($"/journeys/{journey.JourneyId}/safeguarding-concerns",
            new { crisis = true, indicators = new[] { "Says the neighbour threatens them" } }).Expect<JourneyWritten>(HttpStatusCode.Created);
        await fixture.Probe.WaitForAsync<Integration.SafeguardingConcernRaised>(e => e.ConcernId == concern.Id);

        await fixture.Bus.PublishAsync(new PersonErased(c.PersonId, Guid.NewGuid(), fixture.Clock.UtcNow));
        var erased = await _scenario.WaitForJourneyAsync(journey.JourneyId, c.ProgrammeId, j => j.Person is null);

        var listed = Assert.Single(erased.SafeguardingConcerns);
        Assert.Equal((concern.Id, true), (listed.ConcernId, listed.Crisis));
        Assert.Empty(listed.Indicators);
        var entry = (await worker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline")).Entries.Single(e => e.Kind == "Crisis");
        Assert.Equal(("Crisis raised", null), (entry.Summary, entry.Detail));
    }

    [Fact]
    public async Task A_concern_stored_before_its_indicators_were_encrypted_still_shows_them_and_a_rebuilt_timeline_keeps_them_out_of_the_summary()
    {
        var c = ReferralCase.New();
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);
        var concern = await worker.Post($"/journeys/{journey.JourneyId}/safeguarding-concerns",
            new { crisis = false, indicators = new[] { "hoarding" } }).Expect<JourneyWritten>(HttpStatusCode.Created);
        await fixture.Probe.WaitForAsync<Integration.SafeguardingConcernRaised>(e => e.ConcernId == concern.Id);

        // As written before the indicators were marked: plain in the event and in the journey document's concern.
        await using (var connection = new NpgsqlConnection(fixture.Infrastructure.PostgresConnectionString))
        {
            await connection.OpenAsync();
            await using var events = new NpgsqlCommand(
                $"update \"{fixture.Schema}\".mt_events set data = jsonb_set(data, '{{indicators}}', '[\"hoarding, written plain\"]') where stream_id = $1 and data->>'concernId' = $2",
                connection);
            events.Parameters.AddWithValue(journey.JourneyId);
            events.Parameters.AddWithValue(concern.Id!.Value.ToString("D"));
            Assert.Equal(1, await events.ExecuteNonQueryAsync());
            await using var document = new NpgsqlCommand(
                $"update \"{fixture.Schema}\".mt_doc_journey set data = jsonb_set(data - 'concernIndicators', '{{concerns,0,indicators}}', '[\"hoarding, written plain\"]') where id = $1",
                connection);
            document.Parameters.AddWithValue(journey.JourneyId.ToString("D"));
            Assert.Equal(1, await document.ExecuteNonQueryAsync());
        }

        Assert.Equal(["hoarding, written plain"], (await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}")).SafeguardingConcerns.Single().Indicators);
        await new ProjectionDaemon(fixture.Store).RebuildAsync(JourneyTimelineProjection.ProjectionName);
        var entry = (await worker.Get<TimelineView>($"/journeys/{journey.JourneyId}/timeline")).Entries.Single(e => e.Kind == "SafeguardingConcern");
        Assert.Equal(("Safeguarding concern raised", "Indicators: hoarding, written plain"), (entry.Summary, entry.Detail));
    }
}
