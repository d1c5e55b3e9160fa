using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Referrals.EventStore.Outbox;
using Referrals.ServiceDefaults.Messaging.Topology;

namespace Referrals.ServiceDefaults.Messaging;

/// <summary>The endpoints a service deploys before its relay publishes: the whole platform plus its own.</summary>
public sealed record DeployedTopology(IReadOnlyList<PlatformEndpoint> Endpoints);

/// <summary>Consumers a service registered, checked against <see cref="PlatformTopology"/> at start-up.</summary>
public sealed class ConsumerEndpointRegistry
{
    private readonly List<PlatformEndpoint> _endpoints = [];

    public ConsumerEndpointRegistry()
    {
    }

    /// <summary>Endpoints known up front, for work on a service's queues without hosting its consumers.</summary>
    public ConsumerEndpointRegistry(IEnumerable<PlatformEndpoint> endpoints) => _endpoints.AddRange(endpoints);

    public IReadOnlyList<PlatformEndpoint> Endpoints => _endpoints;

    internal void Add(PlatformEndpoint endpoint) => _endpoints.Add(endpoint);
}

/// <summary>Registers a service's consumers, each on the queue the platform topology names for it.</summary>
public sealed class ConsumerRegistrar(IBusRegistrationConfigurator bus, ConsumerEndpointRegistry registry)
{
    public IBusRegistrationConfigurator Bus { get; } = bus;

    public ConsumerRegistrar Add<TConsumer, TDefinition>(PlatformEndpoint endpoint)
        where TConsumer : class, IConsumer
        where TDefinition : class, IConsumerDefinition<TConsumer>
    {
        Bus.AddConsumer<TConsumer, TDefinition>().Endpoint(e => e.Name = endpoint.Queue);
        registry.Add(endpoint);
        return this;
    }
}

public static class MessagingSetup
{
    /// <summary>
    /// MassTransit over RabbitMQ with the platform's conventions: kebab-case endpoints named by <see cref="PlatformTopology"/>,
    /// publisher confirms, prefetch/concurrency/retry from configuration, the outbox relay publishing through the bus, and
    /// the topology gate. Services publish only through the event store's outbox.
    /// </summary>
    public static WebApplicationBuilder AddReferralsMessaging(this WebApplicationBuilder builder, string service,
        Action<ConsumerRegistrar> consumers, IReadOnlyList<PlatformEndpoint>? declaredEndpoints = null)
    {
        var declared = declaredEndpoints ?? PlatformTopology.For(service);
        builder.Services.AddSingleton(new DeployedTopology([.. PlatformTopology.All.Concat(declared).DistinctBy(e => e.Queue)]));
        builder.Services.Configure<MessagingOptions>(builder.Configuration.GetSection("Messaging"));
        var registry = new ConsumerEndpointRegistry();
        builder.Services.AddSingleton(registry);
        builder.Services.TryAddSingleton<TopologyReadiness>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TopologyReadiness>());
        builder.Services.Replace(ServiceDescriptor.Singleton<IOutboxReadiness>(sp => sp.GetRequiredService<TopologyReadiness>()));
        builder.Services.AddSingleton<IOutboxPublisher, MassTransitOutboxPublisher>();
        builder.Services.AddSingleton<DataProtection.DeadLetterShredder>();
        builder.Services.AddSingleton<PersonPartitioner>();
        builder.Services.AddSingleton<OutOfOrderWaitingRoom>();

        builder.Services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            consumers(new ConsumerRegistrar(x, registry));
            VerifyAgainstTopology(service, declared, registry);
            x.UsingRabbitMq((context, cfg) =>
            {
                var address = RabbitMqAddress.Parse(builder.Configuration.GetConnectionString("RabbitMq")
                    ?? throw new InvalidOperationException("ConnectionStrings:RabbitMq is not set."));
                cfg.Host(address.Host, address.Port, address.VirtualHost, h =>
                {
                    h.Username(address.Username);
                    h.Password(address.Password);
                    h.PublisherConfirmation = true;
                });
                cfg.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    private static void VerifyAgainstTopology(string service, IReadOnlyList<PlatformEndpoint> declaredEndpoints,
        ConsumerEndpointRegistry registry)
    {
        var declared = declaredEndpoints.Select(e => e.Queue).Order().ToList();
        var registered = registry.Endpoints.Select(e => e.Queue).Order().ToList();
        if (!declared.SequenceEqual(registered) || registry.Endpoints.Any(e => e.Service != service))
        {
            throw new InvalidOperationException(
                $"The consumers of '{service}' ({string.Join(", ", registered)}) do not match PlatformTopology ({string.Join(", ", declared)}).");
        }
    }
}
