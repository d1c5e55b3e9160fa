using MassTransit;
using Microsoft.Extensions.Options;

namespace Referrals.ServiceDefaults.Messaging;

/// <summary>
/// Retry and concurrency for one consumer: in-process retries at the configured intervals, then the <c>_error</c> queue
/// (RabbitMQ here has no delayed-message plugin, so there is no delayed redelivery; durable timers live in PostgreSQL).
/// </summary>
public abstract class ReferralsConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    private readonly MessagingOptions _options;

    protected ReferralsConsumerDefinition(IOptions<MessagingOptions> options)
    {
        _options = options.Value;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Intervals(_options.RetryIntervals));
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = _options.PrefetchCount;
        }

        ConfigureMore(endpointConfigurator, consumerConfigurator, context);
    }

    /// <summary>Per-consumer additions (e.g. a partitioner so one journey's messages are handled one at a time).</summary>
    protected virtual void ConfigureMore(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
    }
}
