using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RabbitMQ.Client;
using Referrals.Contracts.Intake;
using Referrals.Deploy.Practice;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Patients;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using Referrals.ServiceDefaults.Messaging.Topology;

namespace Referrals.GpRecords.Tests.Delivering;

/// <summary>
/// HAZ-016: erasing a person drops their messages from gp-records' error queues. When one of them was the
/// GpDeliveriesDue a pending delivery waited for, nothing would ever step that delivery again: the erasure itself records
/// the person's pending deliveries as withheld, so their status says what happened (nothing was or will be sent).
/// </summary>
public sealed class ErasurePendingDeliveryTests
{
    private const string Practice = "B82021";
    private static readonly string DueErrorQueue = GpRecordsTopology.GpDeliveriesDue.Queue + "_error";

    [Fact]
    public async Task A_delivery_whose_due_message_the_erasure_dropped_from_the_error_queue_is_recorded_as_withheld_for_the_erasure()
    {
        await using var receiver = await PracticeFhirReceiver.StartAsync();
        var transport = new TransientThenBroken();
        await using var harness = await GpRecordsHarness.StartAsync(receiver, [Practice], configureServices: services =>
        {
            services.AddSingleton<FhirTransactionTransport>();
            services.RemoveAll<IGpRecordTransport>();
            services.AddSingleton<IGpRecordTransport>(transport);
        });
        var script = new JourneyScript(Practice);

        // The first attempt fails transiently; the retry timer's GpDeliveriesDue then fails every time and is dead-lettered.
        await harness.PublishAsync(script.Submitted(), script.Registered());
        await Eventually.TrueAsync(async () => await ErrorQueueDepthAsync(harness) == 1, "the retry's GpDeliveriesDue in the error queue",
            diagnose: () => harness.DiagnoseAsync(script.JourneyId, script.PersonId));
        var pending = Assert.Single(await harness.DeliveriesAsync(script.JourneyId));
        Assert.Equal(DeliveryState.Retrying, pending.State);

        var erasure = await harness.PublishOneAsync(new PersonErased(script.PersonId, Guid.NewGuid(), DateTimeOffset.UtcNow));
        await harness.ClaimedAsync(nameof(PersonErasedConsumer), [erasure]);
        await Eventually.TrueAsync(async () => (await harness.DeliveriesAsync(script.JourneyId)).Single().State == DeliveryState.Withheld,
            "the pending delivery to be withheld", TimeSpan.FromSeconds(15), () => harness.DiagnoseAsync(script.JourneyId, script.PersonId));

        var withheld = Assert.Single(await harness.DeliveriesAsync(script.JourneyId));
        Assert.Equal(DeliveryDecider.ErasedReason, withheld.LastReason);
        Assert.Equal(0u, await ErrorQueueDepthAsync(harness));
        Assert.Empty(receiver.Transactions);

        // A replayed erasure finds nothing pending and records nothing more.
        var again = await harness.PublishOneAsync(new PersonErased(script.PersonId, Guid.NewGuid(), DateTimeOffset.UtcNow));
        await harness.ClaimedAsync(nameof(PersonErasedConsumer), [again]);
        await using var session = harness.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(ResourceIds.DeliveryQueue(script.JourneyId));
        Assert.Single(events, e => e.Data is DeliveryWithheld);
    }

    private static async Task<uint> ErrorQueueDepthAsync(GpRecordsHarness harness)
    {
        var uri = harness.Host.Services.GetRequiredService<IConfiguration>().GetConnectionString("RabbitMq")!;
        await using var connection = await new ConnectionFactory { Uri = new Uri(uri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(DueErrorQueue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }

    /// <summary>The practice is unavailable at the first attempt; every later attempt fails as a fault of the step would.</summary>
    private sealed class TransientThenBroken : IGpRecordTransport
    {
        private int _calls;

        public string Name => FhirTransactionTransport.TransportName;

        public Task<TransportOutcome> SendAsync(PracticeDelivery delivery, PracticeEndpointOptions endpoint, CancellationToken ct) =>
            Interlocked.Increment(ref _calls) == 1
                ? Task.FromResult<TransportOutcome>(new TransportOutcome.Transient("The practice system did not answer (test)."))
                : throw new InvalidOperationException("The step failed (test).");
    }
}
