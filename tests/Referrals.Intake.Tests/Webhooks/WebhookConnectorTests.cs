using System.Net;
using Referrals.Intake.Webhooks;

namespace Referrals.Intake.Tests.Webhooks;

/// <summary>
/// The webhook client's connection against a real receiver on 127.0.0.1: what it refuses never reaches the receiver. A
/// resolver stands in for DNS where a test needs a name to resolve to chosen addresses.
/// </summary>
public sealed class WebhookConnectorTests : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    private int Port => new Uri(_receiver.BaseUrl).Port;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private static async Task<HttpResponseMessage> PostAsync(HttpMessageHandler handler, string url)
    {
        using var client = new HttpClient(handler);
        return await client.PostAsync(new Uri(url), new StringContent("{}"));
    }

    private static Func<string, CancellationToken, Task<IPAddress[]>> Resolving(string name, params string[] addresses) =>
        (host, _) => Task.FromResult(host == name ? addresses.Select(IPAddress.Parse).ToArray() : throw new InvalidOperationException(host));

    [Fact]
    public async Task A_name_that_resolves_only_to_internal_addresses_is_refused_without_connecting()
    {
        var handler = WebhookConnector.CreateCheckingHandler(Resolving("hooks.example.test", "127.0.0.1", "10.0.0.5"), WebhookAddresses.IsInternal);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => PostAsync(handler, $"http://hooks.example.test:{Port}/hooks/rebound"));

        Assert.IsType<WebhookAddressRefusedException>(error.InnerException);
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task A_name_resolved_to_an_allowed_address_is_connected_to_and_the_push_arrives()
    {
        // 127.0.0.2 stands for an internal address and 127.0.0.1 for a public one, so that a receiver here can answer.
        var refused = IPAddress.Parse("127.0.0.2");
        var handler = WebhookConnector.CreateCheckingHandler(Resolving("hooks.example.test", "127.0.0.2", "127.0.0.1"), a => a.Equals(refused));

        using var response = await PostAsync(handler, $"http://hooks.example.test:{Port}/hooks/public");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_receiver.Received, r => r.Path == "/hooks/public");
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("hooks.localhost")]
    public async Task In_production_a_loopback_address_or_localhost_name_is_refused_without_connecting(string host)
    {
        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            PostAsync(WebhookConnector.CreateHandler(allowPrivateAddresses: false), $"http://{host}:{Port}/hooks/internal"));

        Assert.IsType<WebhookAddressRefusedException>(error.InnerException);
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task With_private_addresses_allowed_the_local_receiver_is_reached()
    {
        using var response = await PostAsync(WebhookConnector.CreateHandler(allowPrivateAddresses: true), $"http://localhost:{Port}/hooks/local");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_receiver.Received, r => r.Path == "/hooks/local");
    }
}
