using System.Reflection;
using MassTransit;

namespace Referrals.ServiceDefaults.Messaging.Topology;

/// <summary>
/// Declares the exchanges, queues and bindings of the given endpoints exactly as the services' own receive endpoints do,
/// without consuming anything (MassTransit's DeployTopologyOnly). Idempotent.
/// </summary>
public static class TopologyDeployer
{
    private static readonly MethodInfo AddHandlerMethod =
        typeof(TopologyDeployer).GetMethod(nameof(AddHandler), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static async Task DeployAsync(string rabbitMqConnectionString, IEnumerable<PlatformEndpoint> endpoints, CancellationToken ct)
    {
        var address = RabbitMqAddress.Parse(rabbitMqConnectionString);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(address.Host, address.Port, address.VirtualHost, h =>
            {
                h.Username(address.Username);
                h.Password(address.Password);
            });
            cfg.DeployTopologyOnly = true;
            foreach (var endpoint in endpoints)
            {
                cfg.ReceiveEndpoint(endpoint.Queue, e =>
                {
                    foreach (var type in endpoint.MessageTypes)
                    {
                        // A handler that never runs: it makes MassTransit bind the message-type exchange, as the real consumer does.
                        AddHandlerMethod.MakeGenericMethod(type).Invoke(null, [e]);
                    }
                });
            }
        });

        // Not bus.DeployAsync: it stops the bus with no time limit, and a stop racing an endpoint's channel recovery was seen
        // to wait for ever (a test host hung 15 minutes in it under load). Start returns once every endpoint has declared its
        // topology (MassTransit stops the bus itself when the start fails or is cancelled; its own limit is 60 s), so the
        // topology is in place when it returns and the stop need not hold up the caller, nor count against its time limit.
        await bus.StartAsync(ct);
        _ = StopQuietlyAsync(bus);
    }

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private static async Task StopQuietlyAsync(IBusControl bus)
    {
        try
        {
            await bus.StopAsync(StopTimeout);
        }
        catch (Exception)
        {
            // Only the deploy bus's own connection is left; it closes with the process. Nothing deployed depends on it.
        }
    }

    private static void AddHandler<T>(IReceiveEndpointConfigurator endpoint) where T : class =>
        endpoint.Handler<T>(_ => Task.CompletedTask);
}
