using System.Reflection;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Referrals.ServiceDefaults.Messaging;

/// <summary>
/// Retry and concurrency for one consumer: in-process retries at the configured intervals, then the <c>_error</c> queue,
/// except for a message that arrived before one it depends on, which waits and comes back (<see cref="OutOfOrderWaitingRoom"/>).
/// A message that names a person (a <c>PersonId</c>) is partitioned by that person across all of the service's consumers
/// (<see cref="PersonPartitioner"/>).
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
        if (context.GetService<OutOfOrderWaitingRoom>() is { } waitingRoom)
        {
            // Inside the endpoint's retry, so it sees each attempt and knows the last; outside the partition.
            foreach (var messageType in ConsumedMessageTypes())
            {
                WaitMethod.MakeGenericMethod(messageType).Invoke(null, [consumerConfigurator, waitingRoom, _options.RetryIntervals.Length]);
            }
        }

        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = _options.PrefetchCount;
        }

        if (context.GetService<PersonPartitioner>() is { } partitioner)
        {
            foreach (var messageType in ConsumedMessageTypes())
            {
                PersonPartitioner.ConfigureMethod.MakeGenericMethod(typeof(TConsumer), messageType)
                    .Invoke(partitioner, [consumerConfigurator]);
            }
        }

        ConfigureMore(endpointConfigurator, consumerConfigurator, context);
    }

    private static readonly MethodInfo WaitMethod =
        typeof(ReferralsConsumerDefinition<TConsumer>).GetMethod(nameof(WaitWhenOutOfOrder), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static void WaitWhenOutOfOrder<TMessage>(IConsumerConfigurator<TConsumer> consumer, OutOfOrderWaitingRoom room, int inProcessRetries)
        where TMessage : class =>
        consumer.Message<TMessage>(m => m.UseFilter(new OutOfOrderWaitingFilter<TMessage>(room, inProcessRetries)));

    private static IEnumerable<Type> ConsumedMessageTypes() => typeof(TConsumer).GetInterfaces()
        .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
        .Select(i => i.GetGenericArguments()[0]);

    /// <summary>Per-consumer additions.</summary>
    protected virtual void ConfigureMore(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
    }
}

/// <summary>
/// One partitioner for all of a service's consumers, keyed by the person a message names: one person's messages are handled
/// one at a time in this instance, whichever queue they arrive on. Several facts about one referral or journey (e.g. triage's
/// ReferralTriaged and ReferralQueued, published together) otherwise race for the same streams, and all but one fail on
/// the version check and go round the retry policy. The retry filter sits outside the partition, so a message waiting to
/// be retried does not hold its partition.
/// </summary>
public sealed class PersonPartitioner : IAsyncDisposable
{
    internal static readonly MethodInfo ConfigureMethod =
        typeof(PersonPartitioner).GetMethod(nameof(Configure), BindingFlags.Instance | BindingFlags.NonPublic)!;

    private readonly Partitioner _partitioner = new(64, new Murmur3UnsafeHashGenerator());

    internal void Configure<TConsumer, TMessage>(IConsumerConfigurator<TConsumer> consumer)
        where TConsumer : class, IConsumer
        where TMessage : class
    {
        if (typeof(TMessage).GetProperty("PersonId") is not { } property || property.PropertyType != typeof(Guid))
        {
            return;
        }

        var personOf = property.GetMethod!.CreateDelegate<Func<TMessage, Guid>>();
        consumer.ConsumerMessage<TMessage>(m => m.UsePartitioner(_partitioner, context => personOf(context.Message)));
    }

    public ValueTask DisposeAsync() => _partitioner.DisposeAsync();
}
