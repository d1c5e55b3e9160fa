using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Referrals.Contracts.Intake;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Messaging.Topology;
using Referrals.Testing;
using Referrals.Testing.Hosting;
using Referrals.Triage.Programmes;

namespace Referrals.Triage.Tests.Support;

/// <summary>
/// The triage service hosted in-process against the real PostgreSQL and RabbitMQ: its own schema and virtual host, a bus
/// to publish upstream events, and a probe that sees everything triage publishes. Can be restarted on the same schema.
/// </summary>
public sealed class TriageHost : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly Type[] Published =
    [
        typeof(ReferralTriaged), typeof(TriageOverridden), typeof(ReferralEscalated), typeof(EscalationAcknowledged), typeof(ReferralAssigned),
        typeof(ReferralQueued), typeof(AssignmentAccepted), typeof(AssignmentDeclined), typeof(AssignmentHandedBack), typeof(ServiceLevelBreached),
        typeof(SafeguardingConcernReceived), typeof(LinkedReferralReceived),
    ];

    private readonly InfrastructureEndpoints _infrastructure;

    private readonly IDictionary<string, string?>? _settings;

    private TriageHost(InfrastructureEndpoints infrastructure, IsolatedPostgresSchema schema, IsolatedRabbitVirtualHost virtualHost, TestClock? clock,
        IDictionary<string, string?>? settings)
    {
        _settings = settings;
        _infrastructure = infrastructure;
        Schema = schema;
        VirtualHost = virtualHost;
        Clock = clock;
    }

    public IsolatedPostgresSchema Schema { get; }
    public IsolatedRabbitVirtualHost VirtualHost { get; }
    public TestClock? Clock { get; }
    public ServiceHost<Program> Host { get; private set; } = null!;
    public TestBus Bus { get; private set; } = null!;
    public MessageProbe Probe { get; private set; } = null!;
    public IServiceProvider Services => Host.Services;
    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    /// <summary>The warnings and errors the service logged, across restarts.</summary>
    public CapturedLogs Logs { get; } = new();

    public static async Task<TriageHost> StartAsync(TestClock? clock = null, string prefix = "triage", IDictionary<string, string?>? settings = null)
    {
        var infrastructure = await TestInfrastructure.EnsureStartedAsync();
        var schema = await IsolatedPostgresSchema.CreateAsync(infrastructure, prefix);
        var vhost = await IsolatedRabbitVirtualHost.CreateAsync(infrastructure, prefix);
        var host = new TriageHost(infrastructure, schema, vhost, clock, settings);
        host.Probe = await MessageProbe.CreateAsync(vhost.AmqpUri, Published);
        await host.StartServiceAsync();
        host.Bus = await TestBus.StartAsync(vhost.AmqpUri);
        return host;
    }

    /// <summary>Stops the service (as a crash or deployment would) and starts a new instance on the same schema and virtual host.</summary>
    public async Task RestartAsync()
    {
        await Host.DisposeAsync();
        await StartServiceAsync();
    }

    public async Task StopServiceAsync() => await Host.DisposeAsync();

    public async Task StartServiceAsync()
    {
        Host = new ServiceHost<Program>(_infrastructure, VirtualHost.AmqpUri, Schema.SchemaName, Clock, settings: _settings,
            configureServices: services => services.AddSingleton<ILoggerProvider>(Logs));
        // Starting the server runs migrations; then wait until the broker topology exists so nothing published is dropped.
        await Services.GetRequiredService<TopologyReadiness>().WaitUntilReadyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        await Services.GetRequiredService<EventStoreReadiness>().Migrated.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public HttpClient Admin(string programmeId) => Host.ClientFor(Roles.ProgrammeAdmin, (ReferralsClaims.Programme, programmeId));

    public HttpClient TeamLead(string programmeId) => Host.ClientFor(Roles.TeamLead, (ReferralsClaims.Programme, programmeId));

    /// <summary>A team lead with a known user id, for tests of who is recorded as acting.</summary>
    public HttpClient TeamLead(string programmeId, string userId) => ServiceHost<Program>.WithToken(Host.CreateClient(),
        DevelopmentTokens.Create(DevelopmentTokens.DefaultKey, userId, [Roles.TeamLead], [new(ReferralsClaims.Programme, programmeId)]));

    public HttpClient LinkWorker(string programmeId, string linkWorkerId) =>
        Host.ClientFor(Roles.LinkWorker, (ReferralsClaims.Programme, programmeId), (ReferralsClaims.LinkWorkerId, linkWorkerId));

    /// <summary>Each of the three workers takes one routine referral (a yearly intake of one), so the next one waits.</summary>
    public async Task<(ProgrammeView Programme, ReferralSubmitted Waiting)> OneReferralWaitingBehindAFullTeamAsync(DateTimeOffset submittedAt)
    {
        var programme = await DefineAsync(Fixtures.ThreeWorkersFourPractices(yearly: 1));
        foreach (var practice in new[] { "F11001", "F11002", "F11004" })
        {
            var routine = Fixtures.Referral(programme.ProgrammeId, practice, submittedAt: submittedAt);
            await PublishAndWaitAsync<ReferralAssigned>(routine, a => a.ReferralId == routine.ReferralId);
        }

        var waiting = Fixtures.Referral(programme.ProgrammeId, "F11002", submittedAt: submittedAt);
        await PublishAndWaitAsync<ReferralQueued>(waiting, q => q.ReferralId == waiting.ReferralId);
        return (programme, waiting);
    }

    public async Task<ProgrammeView> DefineAsync(DefineProgramme programme)
    {
        using var client = Admin(programme.ProgrammeId);
        var response = await client.PostAsJsonAsync("/programmes", programme, Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ProgrammeView>(Json))!;
    }

    /// <summary>Publishes an upstream event and waits until triage has published something in reply that matches.</summary>
    public async Task<T> PublishAndWaitAsync<T>(object message, Func<T, bool> reply, TimeSpan? timeout = null) where T : class
    {
        await PublishAsync(message);
        return await Probe.WaitForAsync(reply, timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>Publishes a message as its runtime type (MassTransit routes by the static type).</summary>
    public Task<Guid> PublishAsync(object message, Guid? messageId = null) =>
        (Task<Guid>)typeof(TestBus).GetMethod(nameof(TestBus.PublishAsync))!.MakeGenericMethod(message.GetType())
            .Invoke(Bus, [message, messageId])!;

    /// <summary>Waits until a condition on the store holds (consumers and the relay run in the background).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(because ?? "The condition did not hold in time.");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Bus.DisposeAsync();
        await Probe.DisposeAsync();
        await Host.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Schema.DisposeAsync();
    }
}
