using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Referrals.ServiceDefaults.Messaging;
using Referrals.ServiceDefaults.Messaging.Topology;
using Referrals.Testing.Hosting;

namespace Referrals.ServiceDefaults.Tests;

public sealed class MessagingOptionsTests
{
    private static MessagingOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        // The same binding MessagingSetup uses.
        services.Configure<MessagingOptions>(configuration.GetSection("Messaging"));
        return services.BuildServiceProvider().GetRequiredService<IOptions<MessagingOptions>>().Value;
    }

    [Fact]
    public void Configured_retry_intervals_replace_the_default_ones()
    {
        var options = Bind(new()
        {
            ["Messaging:RetryIntervalsMilliseconds:0"] = "50",
            ["Messaging:RetryIntervalsMilliseconds:1"] = "200",
        });

        Assert.Equal([50, 200], options.RetryIntervals);
    }

    [Fact]
    public void Without_configured_retry_intervals_the_default_ones_apply()
    {
        var options = Bind(new() { ["Messaging:PrefetchCount"] = "4" });

        Assert.Equal(MessagingOptions.DefaultRetryIntervalsMilliseconds, options.RetryIntervals);
        Assert.Equal(4, options.PrefetchCount);
    }

    [Fact]
    public async Task A_failing_message_is_retried_exactly_as_often_as_configured()
    {
        const string queue = "defaults-test-count-ping-sent";
        await using var app = await DefaultsApp.StartAsync(queue);
        await using var bus = await TestBus.StartAsync(app.VirtualHost.AmqpUri);
        await app.App.Services.GetRequiredService<TopologyReadiness>().WaitUntilReadyAsync(CancellationToken.None);
        app.State.Fail = true;
        var ping = new PingSent(Guid.CreateVersion7(), Guid.CreateVersion7(), "always fails");

        await bus.PublishAsync(ping);
        await app.VirtualHost.WaitForQueueMessageCountAsync(queue + "_error", 1, TimeSpan.FromSeconds(30));

        // DefaultsApp configures three intervals: the first attempt and three retries, not the defaults appended.
        Assert.Equal(4, app.State.Attempts[ping.Id]);
    }
}
