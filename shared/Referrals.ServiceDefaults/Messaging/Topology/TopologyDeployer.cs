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

        await bus.DeployAsync(ct);
    }

    private static void AddHandler<T>(IReceiveEndpointConfigurator endpoint) where T : class =>
        endpoint.Handler<T>(_ => Task.CompletedTask);
}
