using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Referrals.ServiceDefaults.Messaging;
using Referrals.ServiceDefaults.Messaging.Topology;
using Referrals.Testing;
using Referrals.Testing.Hosting;

namespace Referrals.ServiceDefaults.Tests;

public sealed class MessagingDefaultsTests
{
    private static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(what);
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Ready messages in a queue, 0 when the queue was never declared (waiting and error queues are declared on first use).</summary>
    private static async Task<uint> CountOrNoneAsync(DefaultsApp app, string queue)
    {
        try
        {
            return await app.VirtualHost.GetQueueMessageCountAsync(queue);
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }

    [Fact]
    public async Task A_message_delivered_twice_with_one_message_id_is_applied_once()
    {
        await using var app = await DefaultsApp.StartAsync("defaults-test-dup-ping-sent");
        await using var bus = await TestBus.StartAsync(app.VirtualHost.AmqpUri);
        await app.App.Services.GetRequiredService<TopologyReadiness>().WaitUntilReadyAsync(CancellationToken.None);
        var ping = new PingSent(Guid.CreateVersion7(), Guid.CreateVersion7(), "hello");
        var messageId = Guid.NewGuid();

        await bus.PublishAsync(ping, messageId);
        await bus.PublishAsync(ping, messageId);
        await WaitUntilAsync(() => app.State.Handled.ContainsKey(ping.Id), "first delivery");
        var another = new PingSent(Guid.CreateVersion7(), ping.PersonId, "later");
        await bus.PublishAsync(another);
        await WaitUntilAsync(() => app.State.Handled.ContainsKey(another.Id), "later message");

        Assert.Equal(1, app.State.Handled[ping.Id]);
    }

    [Fact]
    public async Task A_follow_up_that_fails_after_the_message_was_applied_runs_again_on_redelivery_told_the_message_was_applied_before()
    {
        await using var app = await DefaultsApp.StartAsync("defaults-test-follow-ping-sent");
        await using var bus = await TestBus.StartAsync(app.VirtualHost.AmqpUri);
        await app.App.Services.GetRequiredService<TopologyReadiness>().WaitUntilReadyAsync(CancellationToken.None);
        app.State.FailingFollowUps = 2;
        var ping = new PingSent(Guid.CreateVersion7(), Guid.CreateVersion7(), "hello");

        await bus.PublishAsync(ping);
        await WaitUntilAsync(() => app.State.FollowUpAttempts.GetValueOrDefault(ping.Id) == 3, "the third follow-up");

        var store = app.App.Services.GetRequiredService<Referrals.EventStore.IDocumentStore>();
        await using var session = store.QuerySession();
        var followedUp = await session.Events.FetchStreamAsync(PingState.FollowUpStream(ping.Id));
        for (var polls = 0; followedUp.Count == 0 && polls < 200; polls++)
        {
            await Task.Delay(50);
            followedUp = await session.Events.FetchStreamAsync(PingState.FollowUpStream(ping.Id));
        }

        Assert.Single(followedUp);
        Assert.Equal(1, app.State.Attempts[ping.Id]);
        Assert.Single(await session.Events.FetchStreamAsync(ping.Id));
        Assert.Equal([true, false, false], app.State.FollowUpsAppliedNow.Where(f => f.PingId == ping.Id).Select(f => f.AppliedNow));
    }

    [Fact]
    public async Task One_persons_messages_are_handled_one_at_a_time_across_consumers_while_other_people_are_handled_alongside()
    {
        await using var app = await DefaultsApp.StartAsync("defaults-test-part-ping-sent", echoQueue: "defaults-test-part-ping-echo");
        await using var bus = await TestBus.StartAsync(app.VirtualHost.AmqpUri);
        await app.App.Services.GetRequiredService<TopologyReadiness>().WaitUntilReadyAsync(CancellationToken.None);
        app.State.Hold = TimeSpan.FromMilliseconds(150);
        var person = Guid.CreateVersion7();
        var pings = Enumerable.Range(0, 3).Select(_ => new PingSent(Guid.CreateVersion7(), person, "same person"))
            .Concat(Enumerable.Range(0, 3).Select(_ => new PingSent(Guid.CreateVersion7(), Guid.CreateVersion7(), "someone else")))
            .ToList();

        await Task.WhenAll(pings.Select(p => bus.PublishAsync(p)));
        await WaitUntilAsync(() => pings.All(p => app.State.Handled.ContainsKey(p.Id) && app.State.Echoed.ContainsKey(p.Id)), "every ping handled twice");

        Assert.Equal(1, app.State.MostAtOnceForOnePerson);
        Assert.True(app.State.MostAtOnce > 1, "different people's pings should be handled at the same time");
    }

    [Fact]
    public async Task A_failing_message_retries_then_waits_in_the_error_queue_until_replayed()
    {
        const string queue = "defaults-test-err-ping-sent";
        await using var app = await DefaultsApp.StartAsync(queue);
        await using var bus = await TestBus.StartAsync(app.VirtualHost.AmqpUri);
        await app.App.Services.GetRequiredService<TopologyReadiness>().WaitUntilReadyAsync(CancellationToken.None);
        var ping = await ParkInErrorQueueAsync(app, bus, queue);

        Assert.False(app.State.Handled.ContainsKey(ping.Id));
        Assert.Equal(4, app.State.Attempts[ping.Id]);
        Assert.Equal(0u, await CountOrNoneAsync(app, queue + OutOfOrderWaitingRoom.Suffix));

        app.State.Fail = false;
        var replay = await Deploy.ErrorQueueReplay.ReplayAsync(app.VirtualHost.AmqpUri.ToString(), queue, 10);
        Assert.Equal(new Deploy.ErrorQueueReplay.Result(Moved: 1, HeldBack: 0), replay);
        await WaitUntilAsync(() => app.State.Handled.ContainsKey(ping.Id), "replayed message");
        Assert.Equal(0u, await app.VirtualHost.GetQueueMessageCountAsync(queue + "_error"));
    }

    [Fact]
    public async Task A_message_that_failed_longer_ago_than_the_inboxes_remember_stays_in_the_error_queue_when_replayed()
    {
        const string queue = "defaults-test-old-ping-sent";
        await using var app = await DefaultsApp.StartAsync(queue);
        await using var bus = await TestBus.StartAsync(app.VirtualHost.AmqpUri);
        await app.App.Services.GetRequiredService<TopologyReadiness>().WaitUntilReadyAsync(CancellationToken.None);
        var old = await ParkInErrorQueueAsync(app, bus, queue);
        app.State.Fail = false;

        // Thirty days on, the consumer's inbox may have forgotten the message: replaying it could apply it twice.
        var replay = await Deploy.ErrorQueueReplay.ReplayAsync(app.VirtualHost.AmqpUri.ToString(), queue, 10,
            now: DateTimeOffset.UtcNow.AddDays(30));

        Assert.Equal(new Deploy.ErrorQueueReplay.Result(Moved: 0, HeldBack: 1), replay);
        await app.VirtualHost.WaitForQueueMessageCountAsync(queue + "_error", 1, TimeSpan.FromSeconds(10));
        Assert.False(app.State.Handled.ContainsKey(old.Id));

        // Within the window (an operator who checked it raises the limit) it moves as any other.
        replay = await Deploy.ErrorQueueReplay.ReplayAsync(app.VirtualHost.AmqpUri.ToString(), queue, 10,
            maxAge: TimeSpan.FromDays(31), now: DateTimeOffset.UtcNow.AddDays(30));
        Assert.Equal(new Deploy.ErrorQueueReplay.Result(Moved: 1, HeldBack: 0), replay);
        await WaitUntilAsync(() => app.State.Handled.ContainsKey(old.Id), "replayed message");
    }

    [Fact]
    public async Task A_message_that_fails_again_after_a_replay_is_aged_from_its_first_failure()
    {
        const string queue = "defaults-test-again-ping-sent";
        await using var app = await DefaultsApp.StartAsync(queue);
        await using var bus = await TestBus.StartAsync(app.VirtualHost.AmqpUri);
        await app.App.Services.GetRequiredService<TopologyReadiness>().WaitUntilReadyAsync(CancellationToken.None);
        var ping = await ParkInErrorQueueAsync(app, bus, queue);
        var firstParked = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(3));

        // Replayed while the consumer still fails: MassTransit parks it again with a fresh failure time.
        Assert.Equal(new Deploy.ErrorQueueReplay.Result(Moved: 1, HeldBack: 0),
            await Deploy.ErrorQueueReplay.ReplayAsync(app.VirtualHost.AmqpUri.ToString(), queue, 10));
        await app.VirtualHost.WaitForQueueMessageCountAsync(queue + "_error", 1, TimeSpan.FromSeconds(30));
        app.State.Fail = false;

        // The limit falls between the two failures: aged from the first, the message is too old to replay.
        var now = DateTimeOffset.UtcNow;
        var replay = await Deploy.ErrorQueueReplay.ReplayAsync(app.VirtualHost.AmqpUri.ToString(), queue, 10,
            maxAge: now - (firstParked + TimeSpan.FromSeconds(1.5)), now: now);

        Assert.Equal(new Deploy.ErrorQueueReplay.Result(Moved: 0, HeldBack: 1), replay);
        await app.VirtualHost.WaitForQueueMessageCountAsync(queue + "_error", 1, TimeSpan.FromSeconds(10));
        Assert.False(app.State.Handled.ContainsKey(ping.Id));
    }

    /// <summary>Publishes a ping the consumer fails on every retry, and waits for it in the error queue.</summary>
    private static async Task<PingSent> ParkInErrorQueueAsync(DefaultsApp app, TestBus bus, string queue)
    {
        app.State.Fail = true;
        var ping = new PingSent(Guid.CreateVersion7(), Guid.CreateVersion7(), "will fail");
        await bus.PublishAsync(ping);
        await app.VirtualHost.WaitForQueueMessageCountAsync(queue + "_error", 1, TimeSpan.FromSeconds(30));
        return ping;
    }

    [Fact]
    public async Task A_message_that_arrives_before_one_it_depends_on_waits_after_the_in_process_retries_and_is_applied_once_when_it_comes_back()
    {
        const string queue = "defaults-test-wait-ping-sent";
        await using var app = await DefaultsApp.StartAsync(queue, outOfOrderWaitMilliseconds: 300, outOfOrderWaitRounds: 50);
        await using var bus = await TestBus.StartAsync(app.VirtualHost.AmqpUri);
        await app.App.Services.GetRequiredService<TopologyReadiness>().WaitUntilReadyAsync(CancellationToken.None);
        app.State.OutOfOrder = true;
        var ping = new PingSent(Guid.CreateVersion7(), Guid.CreateVersion7(), "early");

        await bus.PublishAsync(ping);
        // The first arrival and three in-process retries, then at least one more arrival from the waiting queue.
        await WaitUntilAsync(() => app.State.Attempts.GetValueOrDefault(ping.Id) > 4, "the ping back from its waiting queue");
        app.State.OutOfOrder = false;
        await WaitUntilAsync(() => app.State.Handled.ContainsKey(ping.Id), "the ping applied once its turn came");
        await bus.PublishAsync(new PingSent(Guid.CreateVersion7(), ping.PersonId, "later"));
        await WaitUntilAsync(() => app.State.Handled.Count == 2, "a later ping");

        Assert.Equal(1, app.State.Handled[ping.Id]);
        Assert.Equal(0u, await CountOrNoneAsync(app, queue + "_error"));
        Assert.Equal(0u, await CountOrNoneAsync(app, queue + "_skipped"));
        Assert.Equal(0u, await CountOrNoneAsync(app, queue + OutOfOrderWaitingRoom.Suffix));
    }

    [Fact]
    public async Task A_message_waits_even_when_its_waiting_queue_was_deleted_since_an_earlier_wait()
    {
        const string queue = "defaults-test-rewait-ping-sent";
        await using var app = await DefaultsApp.StartAsync(queue, outOfOrderWaitMilliseconds: 300, outOfOrderWaitRounds: 50);
        await using var bus = await TestBus.StartAsync(app.VirtualHost.AmqpUri);
        await app.App.Services.GetRequiredService<TopologyReadiness>().WaitUntilReadyAsync(CancellationToken.None);
        app.State.OutOfOrder = true;
        var first = new PingSent(Guid.CreateVersion7(), Guid.CreateVersion7(), "first");
        await bus.PublishAsync(first);
        await WaitUntilAsync(() => app.State.Attempts.GetValueOrDefault(first.Id) > 4, "the first ping back from its waiting queue");
        app.State.OutOfOrder = false;
        await WaitUntilAsync(() => app.State.Handled.ContainsKey(first.Id), "the first ping applied");

        // An operator deletes the (empty) waiting queue; the next message out of order must still wait, not fail.
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = app.VirtualHost.AmqpUri };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeleteAsync(queue + OutOfOrderWaitingRoom.Suffix, ifUnused: false, ifEmpty: true);
        }

        app.State.OutOfOrder = true;
        var second = new PingSent(Guid.CreateVersion7(), Guid.CreateVersion7(), "second");
        await bus.PublishAsync(second);
        await WaitUntilAsync(() => app.State.Attempts.GetValueOrDefault(second.Id) > 4, "the second ping back from its waiting queue");
        app.State.OutOfOrder = false;
        await WaitUntilAsync(() => app.State.Handled.ContainsKey(second.Id), "the second ping applied");
        Assert.Equal(0u, await CountOrNoneAsync(app, queue + "_error"));
    }

    [Fact]
    public async Task A_message_still_out_of_order_after_every_round_of_waiting_fails_into_the_error_queue()
    {
        const string queue = "defaults-test-gaveup-ping-sent";
        await using var app = await DefaultsApp.StartAsync(queue, outOfOrderWaitMilliseconds: 200, outOfOrderWaitRounds: 2);
        await using var bus = await TestBus.StartAsync(app.VirtualHost.AmqpUri);
        await app.App.Services.GetRequiredService<TopologyReadiness>().WaitUntilReadyAsync(CancellationToken.None);
        app.State.OutOfOrder = true;
        var ping = new PingSent(Guid.CreateVersion7(), Guid.CreateVersion7(), "never in order");

        await bus.PublishAsync(ping);
        await app.VirtualHost.WaitForQueueMessageCountAsync(queue + "_error", 1, TimeSpan.FromSeconds(30));

        // Four attempts (the first and three retries) on the first arrival and on each of the two returns.
        Assert.Equal(12, app.State.Attempts[ping.Id]);
        Assert.False(app.State.Handled.ContainsKey(ping.Id));
        Assert.Equal(0u, await CountOrNoneAsync(app, queue + OutOfOrderWaitingRoom.Suffix));
        Assert.Equal(0u, await CountOrNoneAsync(app, queue + "_skipped"));
    }

    [Fact]
    public async Task An_erased_persons_message_is_removed_from_the_waiting_queue_and_another_persons_stays()
    {
        const string queue = "defaults-test-shred-ping-sent";
        await using var app = await DefaultsApp.StartAsync(queue, outOfOrderWaitMilliseconds: 60_000, outOfOrderWaitRounds: 5);
        await using var bus = await TestBus.StartAsync(app.VirtualHost.AmqpUri);
        await app.App.Services.GetRequiredService<TopologyReadiness>().WaitUntilReadyAsync(CancellationToken.None);
        app.State.OutOfOrder = true;
        var erased = new PingSent(Guid.CreateVersion7(), Guid.CreateVersion7(), "erased");
        var other = new PingSent(Guid.CreateVersion7(), Guid.CreateVersion7(), "other");
        await bus.PublishAsync(erased);
        await bus.PublishAsync(other);
        await app.VirtualHost.WaitForQueueMessageCountAsync(queue + OutOfOrderWaitingRoom.Suffix, 2, TimeSpan.FromSeconds(30));

        Assert.Equal(0u, await CountOrNoneAsync(app, queue + "_skipped"));

        var removed = await app.App.Services.GetRequiredService<Referrals.ServiceDefaults.DataProtection.DeadLetterShredder>().ShredAsync(erased.PersonId, CancellationToken.None);

        Assert.Equal(1, removed);
        Assert.Equal(1u, await CountOrNoneAsync(app, queue + OutOfOrderWaitingRoom.Suffix));
    }

    [Fact]
    public async Task A_message_published_before_its_consumer_starts_waits_in_the_deployed_queue()
    {
        const string queue = "defaults-test-early-ping-sent";
        var infrastructure = await TestInfrastructure.EnsureStartedAsync();
        var vhost = await IsolatedRabbitVirtualHost.CreateAsync(infrastructure, "early");
        await TopologyDeployer.DeployAsync(vhost.AmqpUri.ToString(), [DefaultsApp.PingEndpoint(queue)], CancellationToken.None);
        var ping = new PingSent(Guid.CreateVersion7(), Guid.CreateVersion7(), "early bird");
        await using (var bus = await TestBus.StartAsync(vhost.AmqpUri))
        {
            await bus.PublishAsync(ping);
        }

        Assert.Equal(1u, await vhost.WaitForQueueMessageCountAsync(queue, 1, TimeSpan.FromSeconds(10)));

        await using var app = await DefaultsApp.StartAsync(queue, vhost);
        await WaitUntilAsync(() => app.State.Handled.ContainsKey(ping.Id), "message published before the consumer started");
    }

    [Fact]
    public async Task The_outbox_relay_publishes_through_rabbitmq_with_the_stored_message_id_and_source()
    {
        await using var app = await DefaultsApp.StartAsync("defaults-test-relay-ping-sent");
        await using var probe = await MessageProbe.CreateAsync(app.VirtualHost.AmqpUri, typeof(PingSent));
        var ping = new PingSent(Guid.CreateVersion7(), Guid.CreateVersion7(), "via outbox");

        var response = await app.Client().PostAsJsonAsync("/pings", ping);
        var messageId = await response.Content.ReadFromJsonAsync<Guid>();

        var delivered = await probe.WaitForAsync<PingSent>(p => p.Id == ping.Id);
        Assert.Equal(messageId, probe.Messages.Single(m => ((PingSent)m.Message).Id == ping.Id).MessageId);
        Assert.Equal(ping.Id, delivered.Source!.StreamId);
        Assert.Equal(1, delivered.Source.Version);
        Assert.Equal("via outbox", delivered.Text);
    }
}
