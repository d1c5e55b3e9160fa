using System.Text;
using RabbitMQ.Client;
using Referrals.Testing;

namespace Referrals.Platform.Tests;

public sealed class RabbitIsolationTests
{
    [Fact]
    public async Task Two_isolated_virtual_hosts_do_not_see_each_others_queues()
    {
        var endpoints = await TestInfrastructure.EnsureStartedAsync();
        await using var first = await IsolatedRabbitVirtualHost.CreateAsync(endpoints, "isolation");
        await using var second = await IsolatedRabbitVirtualHost.CreateAsync(endpoints, "isolation");

        await PublishAsync(first.AmqpUri, "referral-submitted", "one", "two");
        await DeclareAsync(second.AmqpUri, "triage-requested");

        Assert.Equal(2u, await first.GetQueueMessageCountAsync("referral-submitted"));
        Assert.Equal(["referral-submitted"], (await first.ListQueuesAsync()).Select(q => q.Name));
        Assert.Equal(["triage-requested"], (await second.ListQueuesAsync()).Select(q => q.Name));
        await Assert.ThrowsAsync<InvalidOperationException>(() => second.GetQueueMessageCountAsync("referral-submitted"));
    }

    [Fact]
    public async Task Messages_in_a_queue_can_be_counted_and_read_without_removing_them()
    {
        var endpoints = await TestInfrastructure.EnsureStartedAsync();
        await using var vhost = await IsolatedRabbitVirtualHost.CreateAsync(endpoints, "inspect");
        await PublishAsync(vhost.AmqpUri, "intake_error", """{"referralId":"r-1"}""", """{"referralId":"r-2"}""");

        var payloads = await vhost.GetMessagesAsync("intake_error", 10);
        var peeked = await vhost.PeekMessagesAsync("intake_error", 1);

        Assert.Equal(["""{"referralId":"r-1"}""", """{"referralId":"r-2"}"""], payloads.Order(StringComparer.Ordinal));
        Assert.Equal("value", peeked[0].GetHeader("x-test"));
        Assert.Equal(2u, await vhost.GetQueueMessageCountAsync("intake_error"));
        Assert.Equal(2u, await vhost.WaitForQueueMessageCountAsync("intake_error", 2, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Disposing_an_isolated_virtual_host_deletes_it()
    {
        var endpoints = await TestInfrastructure.EnsureStartedAsync();
        using var management = RabbitManagementClient.Create(endpoints);
        var vhost = await IsolatedRabbitVirtualHost.CreateAsync(endpoints, "dispose");
        await DeclareAsync(vhost.AmqpUri, "support-plan");
        Assert.True(await management.VirtualHostExistsAsync(vhost.Name));

        await vhost.DisposeAsync();

        Assert.False(await management.VirtualHostExistsAsync(vhost.Name));
        // RabbitMQ.Client 7 may hand back the connection before the broker's 530 NOT_ALLOWED arrives; using it fails.
        var refused = await Record.ExceptionAsync(() => DeclareAsync(vhost.AmqpUri, "support-plan"));
        Assert.Contains("NOT_ALLOWED", refused?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Amqp_uri_names_the_virtual_host_with_the_servers_credentials()
    {
        var endpoints = await TestInfrastructure.EnsureStartedAsync();
        await using var vhost = await IsolatedRabbitVirtualHost.CreateAsync(endpoints, "uri");

        Assert.Equal("/" + vhost.Name, vhost.AmqpUri.AbsolutePath);
        Assert.Equal(endpoints.RabbitMqUri.Authority, vhost.AmqpUri.Authority);
        Assert.Equal(endpoints.RabbitMqUri.UserInfo, vhost.AmqpUri.UserInfo);
    }

    private static async Task DeclareAsync(Uri amqpUri, string queue)
    {
        var factory = new ConnectionFactory { Uri = amqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
    }

    private static async Task PublishAsync(Uri amqpUri, string queue, params string[] bodies)
    {
        var factory = new ConnectionFactory { Uri = amqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        foreach (var body in bodies)
        {
            var properties = new BasicProperties
            {
                ContentType = "application/json",
                Headers = new Dictionary<string, object?> { ["x-test"] = "value" },
            };
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, Encoding.UTF8.GetBytes(body));
        }
    }
}
