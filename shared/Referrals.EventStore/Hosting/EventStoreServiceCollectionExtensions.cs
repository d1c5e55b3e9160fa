using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Referrals.EventStore.Daemon;
using Referrals.EventStore.Outbox;
using Referrals.EventStore.Timers;

namespace Referrals.EventStore;

public static class EventStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the store and its background work: migration at start-up, the async daemon (when there are async
    /// projections), the outbox relay (when an <see cref="IOutboxPublisher"/> is registered) and the timer poller.
    /// </summary>
    public static IServiceCollection AddEventStore(this IServiceCollection services, Action<IServiceProvider, EventStoreOptions> configure)
    {
        services.TryAddSingleton(sp =>
        {
            var options = new EventStoreOptions();
            configure(sp, options);
            return options;
        });
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<EventStoreOptions>();
            var dataSource = sp.GetService<NpgsqlDataSource>();
            return new DocumentStore(options, dataSource);
        });
        services.TryAddSingleton<IDocumentStore>(sp => sp.GetRequiredService<DocumentStore>());
        services.TryAddScoped(sp => sp.GetRequiredService<IDocumentStore>().LightweightSession());
        services.TryAddSingleton<EventStoreReadiness>();
        services.TryAddSingleton<IOutboxReadiness, AlwaysReady>();
        services.AddHostedService<EventStoreHostedService>();
        return services;
    }

    private sealed class AlwaysReady : IOutboxReadiness
    {
        public Task WaitUntilReadyAsync(CancellationToken ct) => Task.CompletedTask;
    }
}

/// <summary>Completes once the schema is migrated; health checks and background loops wait for it.</summary>
public sealed class EventStoreReadiness
{
    private readonly TaskCompletionSource _migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsMigrated => _migrated.Task.IsCompletedSuccessfully;

    public Task Migrated => _migrated.Task;

    internal void MarkMigrated() => _migrated.TrySetResult();
}

/// <summary>Migrates at start-up, then runs the daemon, relay and timer poller until shutdown.</summary>
internal sealed class EventStoreHostedService(
    DocumentStore store,
    EventStoreReadiness readiness,
    IOutboxReadiness outboxReadiness,
    IServiceProvider services,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<EventStoreHostedService>();

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await MigrateWithRetryAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    private async Task MigrateWithRetryAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.MigrateAsync(ct);
                readiness.MarkMigrated();
                return;
            }
            catch (Exception ex) when (attempt < 30 && ex is NpgsqlException or System.Net.Sockets.SocketException)
            {
                _logger.LogWarning("Event store migration attempt {Attempt} failed ({Error}); PostgreSQL may still be starting",
                    attempt, ex.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = new List<Task>();
        if (store.Options.Projections.Async.Any())
        {
            var daemon = new ProjectionDaemon(store, loggers.CreateLogger<ProjectionDaemon>());
            loops.Add(daemon.RunAsync(stoppingToken));
        }

        loops.Add(new TimerPoller(store, loggers.CreateLogger<TimerPoller>()).RunAsync(stoppingToken));

        if (services.GetService(typeof(IOutboxPublisher)) is IOutboxPublisher publisher)
        {
            loops.Add(RunRelayAsync(publisher, stoppingToken));
        }

        await Task.WhenAll(loops);
    }

    private async Task RunRelayAsync(IOutboxPublisher publisher, CancellationToken ct)
    {
        try
        {
            await outboxReadiness.WaitUntilReadyAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var relay = new OutboxRelay(store, publisher, loggers.CreateLogger<OutboxRelay>());
        var cleaner = Task.Run(async () =>
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await relay.CleanInboxAsync(ct);
                    await new TimerPoller(store).CleanAsync(ct);
                    await Task.Delay(TimeSpan.FromHours(1), ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (Exception ex)
                {
                    _logger.LogWarning("Inbox/timer clean-up failed ({Error})", ex.GetType().Name);
                    await Task.Delay(TimeSpan.FromMinutes(1), ct).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        }, ct);
        await relay.RunAsync(ct);
        await cleaner.ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
