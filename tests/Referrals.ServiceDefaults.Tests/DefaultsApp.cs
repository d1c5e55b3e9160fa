using System.Collections.Concurrent;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Referrals.Contracts;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Messaging;
using Referrals.ServiceDefaults.Messaging.Topology;
using Referrals.ServiceDefaults.Persistence;
using Referrals.Testing;
using Referrals.Testing.Hosting;

namespace Referrals.ServiceDefaults.Tests;

public sealed record PingSent(Guid Id, Guid PersonId, [property: PersonalData] string? Text) : IIntegrationEvent
{
    public EventSource? Source { get; init; }
}

public sealed record PingReceived(Guid Id, Guid PersonId);

public sealed record PingFollowedUp(Guid Id, Guid PersonId);

public sealed record Greeting(string Name, int Count, GreetingDetails Details);

public sealed record GreetingDetails(DateOnly On, string Channel);

/// <summary>Switches and counters shared between a test and the consumer it hosts.</summary>
public sealed class PingState
{
    public ConcurrentDictionary<Guid, int> Handled { get; } = new();

    /// <summary>Every delivery attempt per ping, including those that failed and were retried.</summary>
    public ConcurrentDictionary<Guid, int> Attempts { get; } = new();

    public volatile bool Fail;

    /// <summary>Fail as a message that arrived before one it depends on.</summary>
    public volatile bool OutOfOrder;

    /// <summary>How long each consumer holds a ping, so overlapping handling can be seen.</summary>
    public TimeSpan Hold { get; set; }

    private readonly ConcurrentDictionary<Guid, int> _inFlightByPerson = new();
    private int _inFlight;

    /// <summary>The most pings handled at once for one person, and overall.</summary>
    public int MostAtOnceForOnePerson { get; private set; }

    public int MostAtOnce { get; private set; }

    public ConcurrentDictionary<Guid, int> Echoed { get; } = new();

    /// <summary>How many of each ping's follow-ups fail (after the ping's own effects are committed) before one succeeds.</summary>
    public int FailingFollowUps { get; set; }

    public ConcurrentDictionary<Guid, int> FollowUpAttempts { get; } = new();

    /// <summary>Each follow-up in the order run, with whether its delivery applied the ping.</summary>
    public ConcurrentQueue<(Guid PingId, bool AppliedNow)> FollowUpsAppliedNow { get; } = new();

    /// <summary>The stream where a ping's follow-up is recorded.</summary>
    public static Guid FollowUpStream(Guid pingId)
    {
        var bytes = pingId.ToByteArray();
        bytes[0] ^= 0xFF;
        return new Guid(bytes);
    }

    public async Task HoldAsync(Guid personId)
    {
        lock (this)
        {
            MostAtOnceForOnePerson = Math.Max(MostAtOnceForOnePerson, _inFlightByPerson.AddOrUpdate(personId, 1, (_, n) => n + 1));
            MostAtOnce = Math.Max(MostAtOnce, ++_inFlight);
        }

        await Task.Delay(Hold);
        lock (this)
        {
            _inFlightByPerson.AddOrUpdate(personId, 0, (_, n) => n - 1);
            _inFlight--;
        }
    }
}

public sealed class PingSentConsumer(IDocumentStore store, ILogger<PingSentConsumer> logger, PingState state)
    : IdempotentConsumer<PingSent>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<PingSent> context)
    {
        state.Attempts.AddOrUpdate(context.Message.Id, 1, (_, n) => n + 1);
        if (state.Fail)
        {
            throw new InvalidOperationException("simulated failure");
        }

        if (state.OutOfOrder)
        {
            throw new MessageOutOfOrderException("simulated: the ping this one depends on has not arrived");
        }

        await state.HoldAsync(context.Message.PersonId);
        session.Events.Append(context.Message.Id, new PingReceived(context.Message.Id, context.Message.PersonId));
        state.Handled.AddOrUpdate(context.Message.Id, 1, (_, n) => n + 1);
    }

    protected override async Task FollowUpAsync(IDocumentSession session, ConsumeContext<PingSent> context, bool appliedNow)
    {
        var ping = context.Message;
        state.FollowUpsAppliedNow.Enqueue((ping.Id, appliedNow));
        if (state.FollowUpAttempts.AddOrUpdate(ping.Id, 1, (_, n) => n + 1) <= state.FailingFollowUps)
        {
            throw new InvalidOperationException("simulated failure after the ping's effects were committed");
        }

        var stream = PingState.FollowUpStream(ping.Id);
        if (await session.Events.FetchStreamStateAsync(stream, context.CancellationToken) is null)
        {
            session.Events.StartStream(stream, new PingFollowedUp(ping.Id, ping.PersonId));
        }
    }
}

public sealed class PingSentConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<PingSentConsumer>(options);

/// <summary>A second consumer of the same pings on its own queue (as when two of a service's consumers touch one person).</summary>
public sealed class PingEchoConsumer(IDocumentStore store, ILogger<PingEchoConsumer> logger, PingState state)
    : IdempotentConsumer<PingSent>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<PingSent> context)
    {
        await state.HoldAsync(context.Message.PersonId);
        state.Echoed.AddOrUpdate(context.Message.Id, 1, (_, n) => n + 1);
    }
}

public sealed class PingEchoConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<PingEchoConsumer>(options);

/// <summary>A minimal service built with the shared defaults, hosted on the test server.</summary>
public sealed class DefaultsApp : IAsyncDisposable
{
    public const string Service = "defaults-test";

    private DefaultsApp(WebApplication app, IsolatedPostgresSchema schema, IsolatedRabbitVirtualHost vhost, PingState state)
    {
        App = app;
        Schema = schema;
        VirtualHost = vhost;
        State = state;
    }

    public WebApplication App { get; }
    public IsolatedPostgresSchema Schema { get; }
    public IsolatedRabbitVirtualHost VirtualHost { get; }
    public PingState State { get; }

    public static PlatformEndpoint PingEndpoint(string queue) => new(Service, queue, [typeof(PingSent)]);

    public static async Task<DefaultsApp> StartAsync(string queue, IsolatedRabbitVirtualHost? sharedVhost = null, string? echoQueue = null,
        int outOfOrderWaitMilliseconds = 300, int outOfOrderWaitRounds = 2)
    {
        var infrastructure = await TestInfrastructure.EnsureStartedAsync();
        var schema = await IsolatedPostgresSchema.CreateAsync(infrastructure, "defaults");
        var vhost = sharedVhost ?? await IsolatedRabbitVirtualHost.CreateAsync(infrastructure, "defaults");
        var state = new PingState();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = Service });
        builder.WebHost.UseTestServer();
        builder.Configuration["ConnectionStrings:Postgres"] = infrastructure.PostgresConnectionString;
        builder.Configuration["ConnectionStrings:RabbitMq"] = vhost.AmqpUri.ToString();
        builder.Configuration["EventStore:Schema"] = schema.SchemaName;
        builder.Configuration["Auth:AllowDevelopmentTokens"] = "true";
        builder.Configuration["Auth:DevelopmentSigningKey"] = DevelopmentTokens.DefaultKey;
        builder.Configuration["PersonalData:BlindIndexKey"] = TestSecrets.BlindIndexKey;
        builder.Configuration["Messaging:RetryIntervalsMilliseconds:0"] = "20";
        builder.Configuration["Messaging:RetryIntervalsMilliseconds:1"] = "20";
        builder.Configuration["Messaging:RetryIntervalsMilliseconds:2"] = "20";
        builder.Configuration["Messaging:OutOfOrderWaitMilliseconds"] = outOfOrderWaitMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Configuration["Messaging:OutOfOrderWaitRounds"] = outOfOrderWaitRounds.ToString(System.Globalization.CultureInfo.InvariantCulture);

        builder.AddServiceDefaults();
        builder.Services.AddSingleton(state);
        builder.AddReferralsEventStore(schema.SchemaName, o => o.Events.AddFromNamespaceOf<PingSent>());
        var endpoint = PingEndpoint(queue);
        var echo = echoQueue is null ? null : PingEndpoint(echoQueue);
        builder.AddReferralsMessaging(Service, c =>
        {
            c.Add<PingSentConsumer, PingSentConsumerDefinition>(endpoint);
            if (echo is not null)
            {
                c.Add<PingEchoConsumer, PingEchoConsumerDefinition>(echo);
            }
        }, echo is null ? [endpoint] : [endpoint, echo]);

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapPost("/greetings", (Greeting greeting) => TypedResultsOk(greeting)).RequireAuthorization(Roles.Referrer);
        app.MapGet("/secure", () => "ok").RequireAuthorization(Roles.Referrer);
        app.MapGet("/boom", string () => throw new InvalidOperationException("secret internal detail 9434765919"));
        app.MapPost("/pings", async (IDocumentStore store, PingSent ping) =>
        {
            await using var session = store.LightweightSession();
            session.Events.Append(ping.Id, new PingReceived(ping.Id, ping.PersonId));
            var messageId = session.Outbox.Publish(ping, ping.Id);
            await session.SaveChangesAsync();
            return Results.Ok(messageId);
        });
        await app.StartAsync();
        return new DefaultsApp(app, schema, vhost, state);
    }

    private static IResult TypedResultsOk(Greeting greeting) => Results.Ok(greeting.Name);

    public HttpClient Client(string? token = null)
    {
        var client = App.GetTestClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Schema.DisposeAsync();
        await VirtualHost.DisposeAsync();
    }
}
