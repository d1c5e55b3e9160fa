using Microsoft.Extensions.DependencyInjection;
using Referrals.Contracts.Intake;
using Referrals.Contracts.SupportPlan;
using Referrals.Deploy.Practice;
using Referrals.EventStore;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using Referrals.Testing;

namespace Referrals.GpRecords.Tests.Journeys;

/// <summary>
/// A worker's safeguarding indicators are free text about the person: gp-records' copy of the concern (its journey's events)
/// holds them encrypted, the practice's Observation still carries the words, and after erasure they read as empty.
/// </summary>
public sealed class SafeguardingConcernAtRestTests : IAsyncLifetime
{
    private const string Practice = "D84011";

    private PracticeFhirReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await PracticeFhirReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task A_concerns_indicators_reach_the_practice_but_no_table_or_outbox_row_holds_them_in_plain_text_and_they_read_empty_after_erasure()
    {
        var script = new JourneyScript(Practice);
        var canary = "Zqindicator" + Guid.NewGuid().ToString("N")[..8];
        IReadOnlyList<object> history = [.. script.FullHistory().Take(4),
            script.Safeguarding() with { Indicators = [canary + " the neighbour's son visits at night"] }];
        await using var harness = await GpRecordsHarness.StartAsync(_receiver, [Practice]);
        var connection = (await TestInfrastructure.EnsureStartedAsync()).PostgresConnectionString;
        await PlainText.CaptureOutboxRowsAsync(connection, harness.SchemaName);

        await harness.PublishAsync(history);
        await harness.QuietAsync(script.JourneyId, history);

        var observation = ResourceIds.Safeguarding(script.JourneyId, script.ConcernId);
        Assert.Contains(_receiver.Transactions, t => t.BundleJson.Contains(observation, StringComparison.Ordinal)
                                                     && t.BundleJson.Contains(canary + " the neighbour", StringComparison.Ordinal));
        var written = await PlainText.OutboxRowsWrittenAsync(connection, harness.SchemaName);
        Assert.Empty(written.Where(row => row.Body.Contains(canary, StringComparison.Ordinal)).Select(row => row.Type));
        Assert.Empty(await PlainText.TablesHoldingAsync(connection, harness.SchemaName, canary, PlainText.OutboxCopies));

        await harness.PublishAsync(new PersonErased(script.PersonId, Guid.NewGuid(), DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(() => harness.Host.Services.GetRequiredService<DocumentStore>().IsErasedAsync(script.PersonId),
            "the person's key to be destroyed in gp-records", TimeSpan.FromSeconds(30));
        await using var session = harness.Store.QuerySession();
        var concern = (await session.Events.AggregateStreamAsync<GpJourney>(script.JourneyId))!.All<SafeguardingConcernRaised>().Single();
        Assert.Equal((script.ConcernId, 0, null), (concern.ConcernId, concern.Indicators.Count, concern.Details));
    }
}
