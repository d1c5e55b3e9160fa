using MassTransit;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.Testing.Hosting;

/// <summary>Publishes integration events into a virtual host as an upstream service would, with explicit MessageIds.</summary>
public sealed class TestBus : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private TestBus(IBusControl bus) => _bus = bus;

    public static async Task<TestBus> StartAsync(Uri virtualHost)
    {
        var address = RabbitMqAddress.Parse(virtualHost.ToString());
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(address.Host, address.Port, address.VirtualHost, h =>
        {
            h.Username(address.Username);
            h.Password(address.Password);
        }));
        await bus.StartAsync();
        return new TestBus(bus);
    }

    public async Task<Guid> PublishAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var id = messageId ?? Guid.NewGuid();
        await _bus.Publish(message, ctx => ctx.MessageId = id);
        return id;
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
