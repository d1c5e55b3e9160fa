using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.Intake.Tests.Tracking;
using Referrals.Intake.Webhooks;

namespace Referrals.Intake.Tests.Webhooks;

/// <summary>Intake as in production: internal webhook addresses refused (the other tests allow them for their receivers).</summary>
public sealed class PublicOnlyWebhookFixture : IntakeFixture
{
    protected override IDictionary<string, string?> Settings(global::Referrals.Testing.InfrastructureEndpoints infrastructure) => new Dictionary<string, string?>
    {
        ["Intake:Webhooks:AllowPrivateAddresses"] = "false",
        ["Intake:Webhooks:RetryDelaysSeconds:0"] = "1",
        ["Intake:Webhooks:RetryDelaysSeconds:1"] = "1",
        ["Intake:Webhooks:TimeoutSeconds"] = "2",
    };
}

public sealed class WebhookAddressRefusalTests(PublicOnlyWebhookFixture fixture) : IClassFixture<PublicOnlyWebhookFixture>
{
    private IntakeApp App => fixture.App;

    private static string NewAgency() => "AGY-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();

    [Theory]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://127.0.0.1:5432/")]
    [InlineData("https://10.0.0.5/admin")]
    [InlineData("https://hooks-7f3a.localhost/hook")]
    public async Task Registering_a_webhook_at_an_internal_address_is_refused_with_400_naming_the_url_field_and_nothing_is_stored(string url)
    {
        var agency = NewAgency();

        var response = await App.Agency(agency).SendAsync(new HttpRequestMessage(HttpMethod.Put, "/webhooks")
        {
            Content = Http.Json(new JsonObject { ["url"] = url }),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(JsonNode.Parse(body)!["errors"]!.AsObject().ContainsKey("url"));
        Assert.DoesNotContain(new Uri(url).Host, body, StringComparison.OrdinalIgnoreCase); // the URL is not echoed
        Assert.Equal(HttpStatusCode.NotFound, (await App.Agency(agency).GetAsync(new Uri("/webhooks", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task A_webhook_stored_before_the_rule_at_a_loopback_host_is_refused_at_send_without_connecting_and_abandoned_at_once(string host)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var agency = NewAgency();
        // Registered while internal addresses were accepted: stored as it was then, so only the send-time check stands.
        var subscriptionId = WebhookSubscription.StreamIdFor(App.Host.Services.GetRequiredService<BlindIndex>(), agency);
        await using (var session = App.Store.LightweightSession())
        {
            session.Events.StartStream<WebhookSubscription>(subscriptionId, new WebhookRegistered(subscriptionId, agency,
                $"http://{host}:{new Uri(receiver.BaseUrl).Port}/hooks/internal", 1, "before-the-rule", DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        await using var scope = await MessageProbeScope.CreateAsync(App);
        var submitted = await App.Agency(agency).PostJsonAsync("/referrals", TestData.Referral(referrerOds: agency));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var id = (await submitted.ReadObjectAsync()).ReferralId();
        var up = new Upstream(await scope.Probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == id));
        await scope.Bus.PublishAsync(up.Triaged(2));

        var delivery = await WaitForAbandonedDeliveryAsync(agency);
        Assert.Equal(1, delivery["attempts"]!.GetValue<int>()); // permanent: not retried for hours
        Assert.Equal(WebhookAddressRefusedException.Reason, delivery["lastError"]!.GetValue<string>());
        Assert.Null(delivery["lastStatusCode"]);
        await Task.Delay(1500); // past the first retry delay: nothing more is tried
        Assert.Empty(receiver.Received);
    }

    private async Task<JsonObject> WaitForAbandonedDeliveryAsync(string agency)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var list = JsonNode.Parse(await App.Agency(agency).GetStringAsync(new Uri("/webhooks/deliveries", UriKind.Relative)))!.AsArray();
            if (list.Select(d => d!.AsObject()).FirstOrDefault(d => d["state"]!.GetValue<string>() == "Abandoned") is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "No abandoned delivery: " + list.ToJsonString());
            await Task.Delay(100);
        }
    }
}
