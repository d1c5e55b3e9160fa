using System.Diagnostics;
using MassTransit;
using Referrals.ServiceDefaults.Messaging;
using Referrals.Testing;

namespace Referrals.Platform.Benchmarks;

public sealed record Ping(int Sequence);

/// <summary>
/// The physical reference: MassTransit publish → consume on the same broker, with no database and no work in the
/// consumer. A fixed number of messages are kept in flight, as the platform's consumers see them.
/// </summary>
public static class BareRoundTrip
{
    /// <summary>The rate, and the machine's busy time while the messages flowed (the bus's start and stop left out).</summary>
    public sealed record Result(double MessagesPerSecond, TimeSpan Elapsed, double MachineBusySeconds);

    public static async Task<Result> RunAsync(InfrastructureEndpoints infrastructure, int messages, int inFlight)
    {
        await using var vhost = await IsolatedRabbitVirtualHost.CreateAsync(infrastructure, "bench_bare");
        var address = RabbitMqAddress.Parse(vhost.AmqpUri.ToString());
        var window = new SemaphoreSlim(inFlight);
        var consumed = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(address.Host, address.Port, address.VirtualHost, h =>
            {
                h.Username(address.Username);
                h.Password(address.Password);
            });
            cfg.ReceiveEndpoint("bench-ping", e =>
            {
                e.PrefetchCount = 64;
                e.Handler<Ping>(_ =>
                {
                    window.Release();
                    if (Interlocked.Increment(ref consumed) == messages)
                    {
                        done.TrySetResult();
                    }

                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync();
        try
        {
            var busyBefore = MachineCpu.BusySeconds();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < messages; i++)
            {
                await window.WaitAsync();
                await bus.Publish(new Ping(i));
            }

            await done.Task.WaitAsync(TimeSpan.FromMinutes(2));
            var elapsed = clock.Elapsed;
            return new Result(messages / elapsed.TotalSeconds, elapsed, MachineCpu.BusySeconds() - busyBefore);
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
