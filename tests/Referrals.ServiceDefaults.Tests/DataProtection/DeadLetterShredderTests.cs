using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RabbitMQ.Client;
using Referrals.EventStore.Outbox;
using Referrals.ServiceDefaults.DataProtection;
using Referrals.ServiceDefaults.Messaging;
using Referrals.ServiceDefaults.Messaging.Topology;
using Referrals.Testing;

namespace Referrals.ServiceDefaults.Tests.DataProtection;

public sealed class DeadLetterShredderTests
{
    private const string Queue = "shred-test-queue";

    [Fact]
    public async Task Erasures_of_several_people_at_once_on_two_instances_leave_none_of_their_messages_in_the_error_queue()
    {
        var infrastructure = await TestInfrastructure.EnsureStartedAsync();
        await using var vhost = await IsolatedRabbitVirtualHost.CreateAsync(infrastructure, "shred");
        await using var dataSource = NpgsqlDataSource.Create(infrastructure.PostgresConnectionString);
        var registry = new ConsumerEndpointRegistry([new PlatformEndpoint("shred-test", Queue, [typeof(object)])]);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMq"] = vhost.AmqpUri.ToString(),
        }).Build();
        // Two instances of the service, each with its own shredder; the lock between them is PostgreSQL's.
        DeadLetterShredder[] instances =
        [
            new(configuration, registry, NullLogger<DeadLetterShredder>.Instance, dataSource),
            new(configuration, registry, NullLogger<DeadLetterShredder>.Instance, dataSource),
        ];
        var erased = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToList();
        var kept = Guid.NewGuid();
        await DeadLetterAsync(vhost, Enumerable.Range(0, 120).Select(i => i % 10 == 9 ? kept : erased[i % erased.Count]));

        var removed = await Task.WhenAll(erased.Select((person, i) => instances[i % 2].ShredAsync(person, CancellationToken.None)));

        Assert.Equal(108, removed.Sum());
        Assert.Equal(12u, await vhost.GetQueueMessageCountAsync(Queue + "_error"));
    }

    private static async Task DeadLetterAsync(IsolatedRabbitVirtualHost vhost, IEnumerable<Guid> people)
    {
        var factory = new ConnectionFactory { Uri = vhost.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.QueueDeclareAsync(Queue + "_error", durable: true, exclusive: false, autoDelete: false);
        foreach (var person in people)
        {
            var properties = new BasicProperties
            {
                Headers = new Dictionary<string, object?> { [MassTransitOutboxPublisher.PersonIdHeader] = person.ToString() },
            };
            await channel.BasicPublishAsync("", Queue + "_error", mandatory: true, properties, Encoding.UTF8.GetBytes("{}"));
        }
    }
}
