using Referrals.Deploy.Practice;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Referrals.Contracts;
using Referrals.Contracts.GpRecords;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Patients;
using Referrals.GpRecords.Recording;
using Referrals.EventStore;
using Referrals.Fhir.Testing;
using Referrals.GpRecords.Delivering;
using Referrals.ServiceDefaults.Messaging.Topology;
using Referrals.Testing;
using Referrals.Testing.Hosting;

namespace Referrals.GpRecords.Tests.Support;

/// <summary>
/// gp-records hosted on its own schema and virtual host, with practices pointing at a <see cref="PracticeFhirReceiver"/>,
/// a <see cref="TestBus"/> to publish upstream events and a <see cref="MessageProbe"/> on what it publishes.
/// </summary>
public sealed class GpRecordsHarness : IAsyncDisposable
{
    public const string CanonicalBase = "https://gp-records.test.example.org/fhir";

    private readonly IsolatedRabbitVirtualHost _vhost;
    private readonly IsolatedPostgresSchema _schema;

    private GpRecordsHarness(IsolatedRabbitVirtualHost vhost, IsolatedPostgresSchema schema, ServiceHost<Program> host, TestBus bus, MessageProbe probe)
    {
        _vhost = vhost;
        _schema = schema;
        Host = host;
        Bus = bus;
        Probe = probe;
    }

    public ServiceHost<Program> Host { get; }
    public TestBus Bus { get; }
    public MessageProbe Probe { get; }
    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    /// <summary>The schema the service's store lives in.</summary>
    public string SchemaName => _schema.SchemaName;

    /// <param name="settings">Further configuration, applied last (e.g. the platform's default message retry intervals).</param>
    /// <param name="configureServices">Changes to the service's registrations (e.g. a transport that fails on purpose).</param>
    public static async Task<GpRecordsHarness> StartAsync(PracticeFhirReceiver receiver, IEnumerable<string> practices, TestClock? clock = null,
        int[]? retryDelaysMilliseconds = null, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var infrastructure = await TestInfrastructure.EnsureStartedAsync();
        var vhost = await IsolatedRabbitVirtualHost.CreateAsync(infrastructure, "gprecords");
        var schema = await IsolatedPostgresSchema.CreateAsync(infrastructure, "gpr");
        var configuration = new Dictionary<string, string?> { ["GpRecords:Fhir:CanonicalBase"] = CanonicalBase };
        foreach (var practice in practices)
        {
            configuration[$"GpRecords:Practices:{practice}:FhirBaseUrl"] = receiver.FhirBaseFor(practice);
        }

        var delays = retryDelaysMilliseconds ?? [200, 400, 800, 1600, 3200];
        for (var i = 0; i < delays.Length; i++)
        {
            configuration[$"GpRecords:Delivery:RetryDelaysMilliseconds:{i}"] = delays[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        configuration["GpRecords:Delivery:RequestTimeoutSeconds"] = "30";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var host = new ServiceHost<Program>(infrastructure, vhost.AmqpUri, schema.SchemaName, clock, settings: configuration,
            configureServices: configureServices);
        var readiness = host.Services.GetRequiredService<TopologyReadiness>();
        await Eventually.TrueAsync(() => Task.FromResult(readiness.IsDeployed), "the topology to be deployed");
        var bus = await TestBus.StartAsync(vhost.AmqpUri);
        var probe = await MessageProbe.CreateAsync(vhost.AmqpUri, typeof(GpRecordDeliveryAccepted), typeof(GpRecordFiled),
            typeof(GpRecordDeliveryParked), typeof(GpMessageSent), typeof(GpRecordDeliveryWithheld), typeof(GpRecordParkedDeliveryAccepted));
        return new GpRecordsHarness(vhost, schema, host, bus, probe);
    }

    /// <summary>Publishes upstream events in order, each with a fresh MessageId, as intake and support-plan would.</summary>
    public async Task PublishAsync(IEnumerable<object> messages)
    {
        foreach (var message in messages)
        {
            await (Task<Guid>)typeof(TestBus).GetMethod(nameof(TestBus.PublishAsync))!.MakeGenericMethod(message.GetType())
                .Invoke(Bus, [message, null])!;
        }
    }

    public Task PublishAsync(params object[] messages) => PublishAsync((IEnumerable<object>)messages);

    /// <summary>
    /// The journey's queue records a delivery withheld as superseded before the complete delivery (sequence 2) that supersedes
    /// it: withheld in the reset's own transaction, so no step in between could have sent it alone.
    /// </summary>
    public async Task AssertSupersededBeforeTheCompleteDeliveryAsync(Guid journeyId)
    {
        await using var session = Store.QuerySession();
        var events = (await session.Events.FetchStreamAsync(ResourceIds.DeliveryQueue(journeyId))).Select(e => e.Data).ToList();
        var withheld = events.FindIndex(e => e is DeliveryWithheld { Reason: DeliveryDecider.SupersededReason });
        var complete = events.FindIndex(e => e is DeliveryQueued { Complete: true, Sequence: 2 });
        Assert.True(withheld >= 0 && withheld < complete, $"superseded at {withheld}, complete delivery queued at {complete}");
    }

    public async Task<IReadOnlyList<DeliveryStatusDocument>> DeliveriesAsync(Guid journeyId)
    {
        await using var session = Store.QuerySession();
        return await session.QueryAsync<DeliveryStatusDocument>("data->>'journeyId' = ? order by (data->>'sequence')::int", journeyId.ToString());
    }

    /// <summary>Waits until the journey has deliveries and none is still queued or retrying.</summary>
    public Task SettledAsync(Guid journeyId, TimeSpan? timeout = null) => Eventually.TrueAsync(async () =>
    {
        var deliveries = await DeliveriesAsync(journeyId);
        return deliveries.Count > 0 && deliveries.All(d => d.State is not (DeliveryState.Queued or DeliveryState.Retrying));
    }, "the journey's deliveries to settle", timeout);

    /// <summary>
    /// Waits until every published fact of the journey is recorded, nothing is left to produce, and every delivery is
    /// settled (not queued or retrying). A parked delivery is settled only with <paramref name="heldBehindParked"/>, which
    /// also lets the deliveries behind it wait. With a clock, time is moved on while waiting so that retry timers fire.
    /// </summary>
    public Task QuietAsync(Guid journeyId, IEnumerable<object> published, TestClock? tick = null, TimeSpan? timeout = null, bool heldBehindParked = false)
    {
        var history = published.ToList();
        var facts = history.OfType<IIntegrationEvent>().Where(f => f is not Contracts.Intake.ReferralSubmitted && JourneyFacts.IsJourneyFact(f))
            .Select(JourneyFacts.KeyOf).Distinct().Count();
        var mapper = Host.Services.GetRequiredService<JourneyRecordMapper>();
        var personKnown = history.Any(f => f is Contracts.Intake.ReferralSubmitted);
        return Eventually.TrueAsync(async () =>
        {
            tick?.Advance(TimeSpan.FromSeconds(1));
            await using var session = Store.QuerySession();
            var journey = await session.Events.AggregateStreamAsync<GpJourney>(journeyId);
            if (journey is null || journey.Facts.Count < facts)
            {
                return false;
            }

            var patient = await session.Events.AggregateStreamAsync<PatientRecord>(journey.PersonId);
            // Nothing is produced before the person's details are known: without them "nothing to produce" is not quiet.
            if ((patient is null && personKnown) || RecordProduction.Decide(journey, patient, mapper, DateTimeOffset.UtcNow) is not null)
            {
                return false;
            }

            var deliveries = await DeliveriesAsync(journeyId);
            var parkedAt = deliveries.FirstOrDefault(d => d.State == DeliveryState.Parked)?.Sequence;
            if (parkedAt is not null && !heldBehindParked)
            {
                // A parked delivery is stuck, not settled: unless the test parked it, it never counts as quiet.
                return false;
            }

            return deliveries.Count == journey.DeliveriesQueued && deliveries.All(d =>
                d.State is not (DeliveryState.Queued or DeliveryState.Retrying) || (heldBehindParked && d.Sequence > parkedAt));
        }, "the journey to be recorded, produced and delivered", timeout, () => DiagnoseAsync(journeyId, Guid.Empty));
    }

    /// <summary>Publishes one message and returns its MessageId (for <see cref="ClaimedAsync"/>).</summary>
    public Task<Guid> PublishOneAsync<T>(T message) where T : class => Bus.PublishAsync(message);

    /// <summary>Waits until <paramref name="consumer"/> has claimed every one of the messages in its inbox (its handling committed).</summary>
    public Task ClaimedAsync(string consumer, IReadOnlyCollection<Guid> messageIds) => Eventually.TrueAsync(async () =>
    {
        await using var connection = new Npgsql.NpgsqlConnection((await TestInfrastructure.EnsureStartedAsync()).PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            $"select count(*) from {_schema.SchemaName}.mt_inbox where consumer = $1 and message_id = any($2)", connection);
        command.Parameters.AddWithValue(consumer);
        command.Parameters.AddWithValue(messageIds.ToArray());
        return (long)(await command.ExecuteScalarAsync())! == messageIds.Count;
    }, $"{consumer} to claim {messageIds.Count} message(s)");

    /// <summary>What the service holds, for a timeout's message (no personal data).</summary>
    public async Task<string> DiagnoseAsync(Guid journeyId, Guid personId)
    {
        await using var session = Store.QuerySession();
        var journey = await session.Events.AggregateStreamAsync<GpJourney>(journeyId);
        var patient = await session.Events.AggregateStreamAsync<PatientRecord>(personId);
        var deliveries = await DeliveriesAsync(journeyId);
        await using var connection = new Npgsql.NpgsqlConnection((await TestInfrastructure.EnsureStartedAsync()).PostgresConnectionString);
        await connection.OpenAsync();
        async Task<long> Count(string table)
        {
            await using var command = new Npgsql.NpgsqlCommand($"select count(*) from {_schema.SchemaName}.{table}", connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        return $"facts={journey?.Facts.Count ?? -1} patient={(patient is null ? "absent" : "known")} deliveries=" +
               string.Join(",", deliveries.Select(d => $"{d.Sequence}:{d.State}:{d.LastReason}")) +
               $" outbox={await Count("mt_outbox")} inbox={await Count("mt_inbox")} timers={await Count("mt_timers")}";
    }

    public async ValueTask DisposeAsync()
    {
        await Probe.DisposeAsync();
        await Bus.DisposeAsync();
        await Host.DisposeAsync();
        await _vhost.DisposeAsync();
        await _schema.DisposeAsync();
    }
}

public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<Task<string>>? diagnose = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Timed out waiting for {what}." + (diagnose is null ? "" : " " + await diagnose()));
    }
}

/// <summary>Schema and required-binding checks of everything the service emitted.</summary>
public static class Emitted
{
    public static void AssertValid(string json)
    {
        FhirSchemaValidator.Shared.AssertValid(json);
        RequiredBindingChecker.AssertValid(json);
    }
}
