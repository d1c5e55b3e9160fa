using Microsoft.Extensions.DependencyInjection;
using Referrals.Contracts.Intake;
using Referrals.Deploy.Practice;
using Referrals.EventStore;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Patients;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;

namespace Referrals.GpRecords.Tests.Delivering;

/// <summary>
/// HAZ-005 C6: nothing is delivered for an erased person, also when their journey's events are replayed - neither as
/// blanked conditional updates over what the practice has filed, nor at all - while other people's replays go out.
/// </summary>
public sealed class ErasureReplayTests : IAsyncLifetime
{
    private const string Practice = "D84002";

    /// <summary>Referral, registration, opening, agreement, a contact and what matters: delivered before the erasure.</summary>
    private const int FirstPart = 6;

    private PracticeFhirReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await PracticeFhirReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    /// <summary>Every delivery carries the person's Patient (a conditional create), blanked or not.</summary>
    private List<ReceivedTransaction> TransactionsOf(JourneyScript script, int from = 0) =>
        [.. _receiver.Transactions.Skip(from).Where(t => t.BundleJson.Contains(ResourceIds.Patient(script.PersonId), StringComparison.Ordinal)
                                                         || t.BundleJson.Contains(script.NhsNumber, StringComparison.Ordinal))];

    /// <summary>Erases the person and waits until gp-records has recorded it (not only destroyed the key).</summary>
    private static async Task EraseAsync(GpRecordsHarness harness, JourneyScript script)
    {
        await harness.PublishAsync(new PersonErased(script.PersonId, Guid.NewGuid(), DateTimeOffset.UtcNow));
        await Eventually.TrueAsync(async () =>
        {
            await using var session = harness.Store.QuerySession();
            return await session.Events.AggregateStreamAsync<PatientRecord>(script.PersonId) is { Erased: true };
        }, "the person to be erased in gp-records", TimeSpan.FromSeconds(30), async () =>
            $"key destroyed={await harness.Host.Services.GetRequiredService<DocumentStore>().IsErasedAsync(script.PersonId)}");
    }

    /// <summary>
    /// Publishes both whole histories (the erased person's first, so theirs are consumed before the other's settle) and
    /// waits for both. A parked delivery of the erased person counts as settled, so that it fails the assertions on what
    /// was queued for them rather than a wait.
    /// </summary>
    private static async Task ReplayAsync(GpRecordsHarness harness, JourneyScript erased, JourneyScript other)
    {
        await harness.PublishAsync(erased.FullHistory());
        await harness.PublishAsync(other.FullHistory());
        await harness.QuietAsync(other.JourneyId, other.FullHistory());
        await harness.QuietAsync(erased.JourneyId, erased.FullHistory(), heldBehindParked: true);
        // As in ReplayTests: a little longer, so that anything still on its way would have reached the receiver.
        await Task.Delay(TimeSpan.FromSeconds(2));
    }

    /// <summary>Nothing queued for the person since the erasure is sent or waits to be sent: each is withheld, if queued at all.</summary>
    private static async Task AssertSkippedAsync(GpRecordsHarness harness, JourneyScript erased, int queuedBeforeErasure)
    {
        var since = (await harness.DeliveriesAsync(erased.JourneyId)).Skip(queuedBeforeErasure).ToList();
        Assert.All(since, d => Assert.True(d.State == DeliveryState.Withheld, $"Delivery {d.Sequence} is {d.State}: {d.LastReason}"));
    }

    [Fact]
    public async Task After_the_person_is_erased_a_replay_delivers_nothing_for_them()
    {
        var erased = new JourneyScript(Practice);
        var other = new JourneyScript(Practice);
        var closing = "Bundle/" + ResourceIds.Document(other.JourneyId, other.ReferralId, JourneyRecordMapper.ClosureMessage);
        await using (var original = await GpRecordsHarness.StartAsync(_receiver, [Practice]))
        {
            foreach (var script in new[] { erased, other })
            {
                await original.PublishAsync(script.FullHistory().Take(FirstPart));
                await original.QuietAsync(script.JourneyId, script.FullHistory().Take(FirstPart));
            }

            var filed = TransactionsOf(erased);
            Assert.NotEmpty(filed);
            Assert.NotEmpty(TransactionsOf(other));
            var filedKeys = filed.SelectMany(t => t.Sent).Distinct().ToList();
            var filedBefore = _receiver.StoreBySenderIdOf(Practice).Where(r => filedKeys.Contains(r.Key)).ToDictionary();

            var queued = (await original.DeliveriesAsync(erased.JourneyId)).Count;
            await EraseAsync(original, erased);
            var before = _receiver.Transactions.Count;

            // The whole histories again, with new message ids: the other journey's rest goes out, nothing of the erased person.
            await ReplayAsync(original, erased, other);
            Assert.Contains(closing, _receiver.StoreBySenderIdOf(Practice).Keys);
            Assert.NotEmpty(TransactionsOf(other, before));
            Assert.Empty(TransactionsOf(erased, before));
            await AssertSkippedAsync(original, erased, queued);
            var filedAfter = _receiver.StoreBySenderIdOf(Practice);
            Assert.All(filedBefore, r => Assert.Equal(r.Value.Json, filedAfter[r.Key].Json));
        }

        // A new instance rebuilt from the history (a fresh schema), the erasure applied before any traffic as after a restore.
        await using (var rebuilt = await GpRecordsHarness.StartAsync(_receiver, [Practice]))
        {
            await EraseAsync(rebuilt, erased);
            var before = _receiver.Transactions.Count;
            await ReplayAsync(rebuilt, erased, other);
            Assert.NotEmpty(TransactionsOf(other, before));
            Assert.Empty(TransactionsOf(erased, before));
            await AssertSkippedAsync(rebuilt, erased, 0);
        }

        Assert.All(_receiver.Transactions, t => Emitted.AssertValid(t.BundleJson));
    }
}
