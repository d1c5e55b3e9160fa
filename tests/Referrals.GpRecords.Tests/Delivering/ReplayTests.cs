using Referrals.Deploy.Practice;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;

namespace Referrals.GpRecords.Tests.Delivering;

public sealed class ReplayTests : IAsyncLifetime
{
    private const string Practice = "D84001";
    private PracticeFhirReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await PracticeFhirReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    /// <summary>Every journey's closing summary has arrived, its deliveries are settled and the receiver has been quiet for a while.</summary>
    private async Task CompleteAsync(GpRecordsHarness harness, IEnumerable<JourneyScript> journeys)
    {
        foreach (var script in journeys)
        {
            var closing = "Bundle/" + ResourceIds.Document(script.JourneyId, script.ReferralId, JourneyRecordMapper.ClosureMessage);
            await Eventually.TrueAsync(() => Task.FromResult(_receiver.StoreBySenderIdOf(Practice).ContainsKey(closing)), "the closing summary");
            await harness.QuietAsync(script.JourneyId, script.FullHistory());
        }
    }

    private static bool Identical(IReadOnlyDictionary<string, StoredResource> first, IReadOnlyDictionary<string, StoredResource> second) =>
        first.Count == second.Count && first.All(kv => second.TryGetValue(kv.Key, out var other) && other.Json == kv.Value.Json);

    [Fact]
    public async Task Replaying_the_whole_event_history_yields_byte_identical_resources_and_no_duplicates_at_the_receiver()
    {
        var journeys = new[] { new JourneyScript(Practice), new JourneyScript(Practice) };
        IReadOnlyDictionary<string, StoredResource> first;
        await using (var original = await GpRecordsHarness.StartAsync(_receiver, [Practice]))
        {
            foreach (var script in journeys)
            {
                await original.PublishAsync(script.FullHistory());
            }

            await CompleteAsync(original, journeys);
            first = _receiver.StoreBySenderIdOf(Practice);
            var transactions = _receiver.Transactions.Count;

            // The same history again (redelivered with new message ids): nothing new is produced or sent.
            foreach (var script in journeys)
            {
                await original.PublishAsync(script.FullHistory());
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.True(transactions == _receiver.Transactions.Count,
                string.Join(" | ", _receiver.Transactions.Skip(transactions).Select(t => string.Join(",", t.Sent))));
        }

        // A new instance rebuilds everything from the history (a fresh schema) and sends it to the same practice.
        await using (var rebuilt = await GpRecordsHarness.StartAsync(_receiver, [Practice]))
        {
            var before = _receiver.Transactions.Count;
            foreach (var script in journeys)
            {
                await rebuilt.PublishAsync(script.FullHistory());
            }

            await CompleteAsync(rebuilt, journeys);
            Assert.True(_receiver.Transactions.Count > before);
        }

        // Byte-identical: the rebuilt instance converges on exactly what the first one left at the practice.
        await Eventually.TrueAsync(() => Task.FromResult(Identical(first, _receiver.StoreBySenderIdOf(Practice))), "the rebuilt resources to match", TimeSpan.FromSeconds(20))
            .ContinueWith(_ => { }, TaskScheduler.Default);
        var second = _receiver.StoreBySenderIdOf(Practice);
        Assert.Equal(first.Keys.Order(StringComparer.Ordinal), second.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, resource) in first)
        {
            Assert.Equal(resource.Json, second[key].Json);
        }

        Assert.Equal(journeys.Length, second.Keys.Count(k => k.StartsWith("Patient/", StringComparison.Ordinal)));
        Assert.All(_receiver.Transactions, t => Emitted.AssertValid(t.BundleJson));
    }
}
