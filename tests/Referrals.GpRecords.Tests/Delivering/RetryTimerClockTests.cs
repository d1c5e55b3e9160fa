using Npgsql;
using Referrals.Contracts.GpRecords;
using Referrals.Deploy.Practice;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Tests.Support;
using Referrals.Testing;

namespace Referrals.GpRecords.Tests.Delivering;

/// <summary>
/// Instances' clocks differ a little: a retry timer fired by one instance's poller may reach an instance whose clock has not
/// yet reached the retry time. Its key is spent (the timer store fires a key once), so a step that only waits would leave the
/// delivery retrying with no timer to wake it.
/// </summary>
public sealed class RetryTimerClockTests : IAsyncLifetime
{
    private const string Practice = "E85021";
    private readonly TestClock _clock = new();
    private PracticeFhirReceiver _receiver = null!;
    private GpRecordsHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _receiver = await PracticeFhirReceiver.StartAsync();
        // A long back-off, so the retry timer never fires by itself while the test moves the clock.
        _harness = await GpRecordsHarness.StartAsync(_receiver, [Practice], _clock, [600_000, 600_000]);
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private Task HeadAsync(Guid journeyId, Func<DeliveryStatusDocument, bool> condition, string what) => Eventually.TrueAsync(async () =>
        (await _harness.DeliveriesAsync(journeyId)).FirstOrDefault() is { } head && condition(head), what, TimeSpan.FromSeconds(30),
        () => _harness.DiagnoseAsync(journeyId, Guid.Empty));

    [Fact]
    public async Task A_retry_timer_handled_before_its_due_time_by_this_hosts_clock_still_retries_at_its_due_time()
    {
        var script = new JourneyScript(Practice);
        _receiver.Down = true;
        await _harness.PublishAsync(script.Submitted(), script.Registered());
        await HeadAsync(script.JourneyId, d => d.State == DeliveryState.Retrying && d.Attempts == 1, "the first attempt to fail");
        var head = (await _harness.DeliveriesAsync(script.JourneyId))[0];
        var due = head.NextAttemptAt!.Value;

        // Another instance's poller, its clock a second ahead, fired the retry timer: the timer is spent, and its message
        // reaches this instance a second before the retry time by this instance's clock.
        await using (var connection = new NpgsqlConnection((await TestInfrastructure.EnsureStartedAsync()).PostgresConnectionString))
        {
            await connection.OpenAsync();
            await using var spend = new NpgsqlCommand($"update \"{_harness.SchemaName}\".mt_timers set fired_at = now() where key = $1", connection);
            spend.Parameters.AddWithValue($"gp-delivery:{head.Id}:attempt:1");
            Assert.Equal(1, await spend.ExecuteNonQueryAsync());
        }

        _receiver.Down = false;
        _clock.Advance(due - _clock.UtcNow - TimeSpan.FromSeconds(1));
        var early = await _harness.PublishOneAsync(new GpDeliveriesDue(script.PersonId, script.JourneyId)
        {
            RetryOfDeliveryId = head.Id, RetryOfAttempt = 1,
        });
        await _harness.ClaimedAsync(nameof(GpDeliveriesDueConsumer), [early]);
        var waiting = (await _harness.DeliveriesAsync(script.JourneyId))[0];
        Assert.Equal(DeliveryState.Retrying, waiting.State);
        Assert.Equal(1, waiting.Attempts);

        Assert.Equal(1, await RechecksAsync(head.Id));

        _clock.Advance(TimeSpan.FromSeconds(1));
        await HeadAsync(script.JourneyId, d => d.State == DeliveryState.Filed, "the delivery to be retried at its retry time and filed");
        Assert.Single(_receiver.Transactions, t => t.BundleJson.Contains(script.NhsNumber, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_step_requested_by_anything_but_the_retry_timer_while_a_retry_waits_sets_no_timer_of_its_own()
    {
        var script = new JourneyScript(Practice);
        _receiver.Down = true;
        await _harness.PublishAsync(script.Submitted(), script.Registered());
        await HeadAsync(script.JourneyId, d => d.State == DeliveryState.Retrying && d.Attempts == 1, "the first attempt to fail");
        var head = (await _harness.DeliveriesAsync(script.JourneyId))[0];

        // E.g. a consent change asks for a step while the head waits out its back-off: the retry timer is still to come.
        var asked = await _harness.PublishOneAsync(new GpDeliveriesDue(script.PersonId, script.JourneyId));
        await _harness.ClaimedAsync(nameof(GpDeliveriesDueConsumer), [asked]);

        Assert.Equal(0, await RechecksAsync(head.Id));
        Assert.Equal(1, (await _harness.DeliveriesAsync(script.JourneyId))[0].Attempts);
    }

    private async Task<long> RechecksAsync(Guid deliveryId)
    {
        await using var connection = new NpgsqlConnection((await TestInfrastructure.EnsureStartedAsync()).PostgresConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand($"select count(*) from \"{_harness.SchemaName}\".mt_timers where key like $1", connection);
        count.Parameters.AddWithValue($"gp-delivery:{deliveryId}:%:recheck:%");
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
