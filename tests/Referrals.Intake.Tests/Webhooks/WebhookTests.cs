using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Referrals.Contracts.Intake;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.Intake.Referrals;
using Referrals.Intake.Submitting;
using Referrals.Intake.Tests.Tracking;
using Referrals.Intake.Webhooks;

namespace Referrals.Intake.Tests.Webhooks;

public sealed class WebhookFixture : IntakeFixture
{
    protected override IDictionary<string, string?> Settings(global::Referrals.Testing.InfrastructureEndpoints infrastructure) => new Dictionary<string, string?>
    {
        ["Intake:Webhooks:RetryDelaysSeconds:0"] = "1",
        ["Intake:Webhooks:RetryDelaysSeconds:1"] = "2",
        ["Intake:Webhooks:TimeoutSeconds"] = "2",
    };
}

public sealed class WebhookTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>, IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    private IntakeApp App => fixture.App;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private async Task<string> RegisterAsync(string organisation, string path)
    {
        var response = await App.Agency(organisation).SendAsync(new HttpRequestMessage(HttpMethod.Put, "/webhooks")
        {
            Content = Http.Json(new JsonObject { ["url"] = _receiver.BaseUrl + path }),
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadObjectAsync())["secret"]!.GetValue<string>();
    }

    private async Task<Upstream> SubmitAsync(MessageProbeScope scope, string agency, string? nhs = null)
    {
        var response = await App.Agency(agency).PostJsonAsync("/referrals", TestData.Referral(nhs, referrerOds: agency));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.ReadObjectAsync()).ReferralId();
        return new Upstream(await scope.Probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == id));
    }

    private static string NewAgency() => "AGY-" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();

    [Fact]
    public async Task A_status_change_is_pushed_signed_with_no_more_than_the_referral_id_and_status()
    {
        var agency = NewAgency();
        var secret = await RegisterAsync(agency, "/hooks/a");
        Assert.StartsWith(WebhookSecrets.Prefix, secret, StringComparison.Ordinal);
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var up = await SubmitAsync(scope, agency, nhs);

        await scope.Bus.PublishAsync(up.Triaged(2));
        var received = (await _receiver.WaitForAsync("/hooks/a", 1)).Single();

        Assert.True(WebhookSecrets.Verify(secret, received.Id!, long.Parse(received.Timestamp!, CultureInfo.InvariantCulture), received.Body,
            received.Signature!), "The signature does not verify with the secret issued at registration.");
        Assert.False(WebhookSecrets.Verify(secret, received.Id!, long.Parse(received.Timestamp!, CultureInfo.InvariantCulture),
            received.Body.Replace("Triaged", "Closed", StringComparison.Ordinal), received.Signature!));
        var payload = JsonNode.Parse(received.Body)!.AsObject();
        Assert.Equal(up.Referral.ReferralId, payload["referralId"]!.GetValue<Guid>());
        Assert.Equal("Triaged", payload["status"]!.GetValue<string>());
        Assert.Equal(received.Id, payload["deliveryId"]!.GetValue<string>());
        Assert.Equal(["type", "deliveryId", "referralId", "status", "escalated", "sequence", "occurredAt"], payload.Select(p => p.Key));
        Assert.DoesNotContain(nhs, received.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("O'Brien", received.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_escalation_notice_for_the_referrer_is_pushed_with_its_ids_and_step_and_nothing_personal()
    {
        const string statement = "The social prescribing link worker service is not a crisis service and cannot act on this now. The case needs your action.";
        var agency = NewAgency();
        var secret = await RegisterAsync(agency, "/hooks/escalation");
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var nhs = TestData.NhsNumber();
        var up = await SubmitAsync(scope, agency, nhs);
        var escalationId = Guid.NewGuid();
        var message = up.EscalatedTo(EscalationRecipientKind.Referrer, agency, escalationId, 3, statement, 4);

        await scope.Bus.PublishAsync(message);
        // The first escalation message also sets the flag: a status change and the notice are both pushed.
        var received = await _receiver.WaitForAsync("/hooks/escalation", 2);

        var push = received.Single(r => JsonNode.Parse(r.Body)!["type"]!.GetValue<string>() == WebhookPayload.EscalationNoticeType);
        Assert.True(WebhookSecrets.Verify(secret, push.Id!, long.Parse(push.Timestamp!, CultureInfo.InvariantCulture), push.Body, push.Signature!));
        var payload = JsonNode.Parse(push.Body)!.AsObject();
        Assert.Equal(["type", "deliveryId", "referralId", "status", "escalated", "sequence", "occurredAt", "escalationNotice"],
            payload.Select(p => p.Key));
        Assert.Equal(up.Referral.ReferralId, payload["referralId"]!.GetValue<Guid>());
        Assert.True(payload["escalated"]!.GetValue<bool>());
        var notice = payload["escalationNotice"]!.AsObject();
        Assert.Equal(["escalationId", "step", "outsideRotaHours", "acknowledgeBy", "sentAt"], notice.Select(p => p.Key));
        Assert.Equal(escalationId, notice["escalationId"]!.GetValue<Guid>());
        Assert.Equal(3, notice["step"]!.GetValue<int>());
        Assert.Equal(message.EscalatedAt, notice["sentAt"]!.GetValue<DateTimeOffset>());
        Assert.DoesNotContain(nhs, push.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("O'Brien", push.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("harm", push.Body, StringComparison.OrdinalIgnoreCase); // not the indicators
        Assert.DoesNotContain("crisis", push.Body, StringComparison.OrdinalIgnoreCase); // the statement is read with GET /referrals/{id}

        await WaitForDeliveriesAsync(agency, d => d["type"]!.GetValue<string>() == WebhookPayload.EscalationNoticeType &&
                                                   d["state"]!.GetValue<string>() == "Delivered");
    }

    [Fact]
    public async Task Every_push_for_a_referral_has_its_own_increasing_sequence_and_a_redelivered_escalation_pushes_nothing_new()
    {
        const string statement = "The social prescribing link worker service is not a crisis service and cannot act on this now. The case needs your action.";
        const string path = "/hooks/sequence";
        var agency = NewAgency();
        await RegisterAsync(agency, path);
        // The first push is taken, the next refused once: a retried push must keep its sequence.
        _receiver.AnswerWith(path, 200, 503);
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var up = await SubmitAsync(scope, agency);
        var id = up.Referral.ReferralId;
        var escalationId = Guid.NewGuid();

        await scope.Bus.PublishAsync(up.Triaged(2));
        await _receiver.WaitForAsync(path, 1);
        // The first escalation message sets the flag and records the notice: two pushes (and the refused one's retry).
        var first = up.EscalatedTo(EscalationRecipientKind.Referrer, agency, escalationId, 3, statement, 4);
        var firstId = await scope.Bus.PublishAsync(first);
        await _receiver.WaitForAsync(path, 4);
        // Redelivered (same message id) and sent again by triage (new id): nothing is applied or pushed again.
        await scope.Bus.PublishAsync(first, firstId);
        await scope.Bus.PublishAsync(first);
        // The next step's notice, on the same queue and partition, is handled after them.
        await scope.Bus.PublishAsync(up.EscalatedTo(EscalationRecipientKind.Referrer, agency, escalationId, 4, statement, 5));
        await _receiver.WaitForAsync(path, 5);
        await Task.Delay(1500);

        var requests = _receiver.Received.Where(r => r.Path == path).ToList();
        Assert.All(requests.GroupBy(r => r.Id), attempts => Assert.Single(attempts.Select(a => a.Body).Distinct())); // a retry re-sends the same body
        var pushes = requests.DistinctBy(r => r.Id).Select(r => JsonNode.Parse(r.Body)!.AsObject()).ToList();
        Assert.All(pushes, p => Assert.Equal(id, p["referralId"]!.GetValue<Guid>()));
        var sequences = pushes.Select(p => p["sequence"]!.GetValue<long>()).ToList();
        Assert.Equal(sequences.Count, sequences.Distinct().Count()); // a receiver de-duplicating by sequence keeps every push

        var ordered = pushes.OrderBy(p => p["sequence"]!.GetValue<long>())
            .Select(p => (Type: p["type"]!.GetValue<string>(), Escalated: p["escalated"]!.GetValue<bool>(),
                Step: p["escalationNotice"]?["step"]!.GetValue<int>()))
            .ToList();
        (string Type, bool Escalated, int? Step)[] expected =
        [
            (WebhookPayload.StatusChanged, false, null), // Triaged
            (WebhookPayload.StatusChanged, true, null), // the flag set by the first escalation message
            (WebhookPayload.EscalationNoticeType, true, 3),
            (WebhookPayload.EscalationNoticeType, true, 4),
        ];
        Assert.Equal(expected, ordered);

        // Each sequence is the referral version that made the change; the last is the version the referral is at now.
        var view = await App.Agency(agency).GetAsync(new Uri($"/referrals/{id}", UriKind.Relative));
        var version = long.Parse(view.Headers.ETag!.Tag.Trim('"'), CultureInfo.InvariantCulture);
        Assert.Equal([version - 3, version - 2, version - 1, version], sequences.Order());
    }

    [Fact]
    public async Task A_failed_push_is_retried_with_back_off_until_it_is_delivered()
    {
        var agency = NewAgency();
        await RegisterAsync(agency, "/hooks/flaky");
        _receiver.AnswerWith("/hooks/flaky", 500, 503);
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var up = await SubmitAsync(scope, agency);

        await scope.Bus.PublishAsync(up.Assigned(3));
        var attempts = await _receiver.WaitForAsync("/hooks/flaky", 3);

        Assert.Equal([500, 503, 200], attempts.Select(a => a.Answered));
        Assert.Single(attempts.Select(a => a.Id).Distinct()); // one delivery id: receivers de-duplicate on it
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromSeconds(0.9), $"second attempt after {attempts[1].At - attempts[0].At}");
        Assert.True(attempts[2].At - attempts[1].At >= TimeSpan.FromSeconds(1.9), $"third attempt after {attempts[2].At - attempts[1].At}");

        var deliveries = await WaitForDeliveriesAsync(agency, d => d["state"]!.GetValue<string>() == "Delivered");
        Assert.Equal(3, deliveries["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_push_that_keeps_failing_is_abandoned_after_the_last_retry()
    {
        var agency = NewAgency();
        await RegisterAsync(agency, "/hooks/down");
        _receiver.AnswerWith("/hooks/down", 500, 500, 500, 500);
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var up = await SubmitAsync(scope, agency);

        await scope.Bus.PublishAsync(up.Queued(2));
        await _receiver.WaitForAsync("/hooks/down", 3);

        var delivery = await WaitForDeliveriesAsync(agency, d => d["state"]!.GetValue<string>() == "Abandoned");
        Assert.Equal(3, delivery["attempts"]!.GetValue<int>());
        Assert.Equal(500, delivery["lastStatusCode"]!.GetValue<int>());
        await Task.Delay(1500);
        Assert.Equal(3, _receiver.Received.Count(r => r.Path == "/hooks/down"));
    }

    [Fact]
    public async Task Only_the_referring_organisations_webhook_hears_of_its_referrals()
    {
        var listening = NewAgency();
        var other = NewAgency();
        await RegisterAsync(listening, "/hooks/mine");
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var mine = await SubmitAsync(scope, listening);
        var theirs = await SubmitAsync(scope, other);

        await scope.Bus.PublishAsync(theirs.Triaged(2));
        await App.WaitForReferralAsync(theirs.Referral.ReferralId, r => r.Status == ReferralStatus.Triaged);
        await scope.Bus.PublishAsync(mine.Triaged(2));
        await _receiver.WaitForAsync("/hooks/mine", 1);
        await Task.Delay(700);

        var received = _receiver.Received.Where(r => r.Path == "/hooks/mine").ToList();
        Assert.Single(received);
        Assert.Equal(mine.Referral.ReferralId, JsonNode.Parse(received[0].Body)!["referralId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task A_webhook_held_under_the_self_referral_placeholder_hears_of_no_self_referral()
    {
        // A subscription registered under SELF before sign-ins naming it were refused.
        var index = App.Host.Services.GetRequiredService<BlindIndex>();
        var subscriptionId = WebhookSubscription.StreamIdFor(index, ReferralValidator.SelfReferralOrganisation);
        await using (var session = App.Store.LightweightSession())
        {
            session.Events.StartStream<WebhookSubscription>(subscriptionId, new WebhookRegistered(subscriptionId,
                ReferralValidator.SelfReferralOrganisation, _receiver.BaseUrl + "/hooks/self", 1, "before-the-fix", DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        var agency = NewAgency();
        await RegisterAsync(agency, "/hooks/professional");
        await using var scope = await MessageProbeScope.CreateAsync(App);
        var response = await App.Anonymous().PostJsonAsync("/self-referrals", TestData.SelfReferral());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var selfReferralId = (await response.ReadObjectAsync()).ReferralId();
        var self = new Upstream(await scope.Probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == selfReferralId));
        var professional = await SubmitAsync(scope, agency);

        await scope.Bus.PublishAsync(self.Triaged(2));
        await App.WaitForReferralAsync(selfReferralId, r => r.Status == ReferralStatus.Triaged);
        await scope.Bus.PublishAsync(professional.Triaged(2));
        await _receiver.WaitForAsync("/hooks/professional", 1);
        await Task.Delay(700);

        Assert.DoesNotContain(_receiver.Received, r => r.Path == "/hooks/self");
    }

    [Fact]
    public async Task Registering_again_rotates_the_secret_and_removing_stops_the_pushes()
    {
        var agency = NewAgency();
        var first = await RegisterAsync(agency, "/hooks/rotate");
        var second = await RegisterAsync(agency, "/hooks/rotate");
        Assert.NotEqual(first, second);
        var info = await (await App.Agency(agency).GetAsync(new Uri("/webhooks", UriKind.Relative))).ReadObjectAsync();
        Assert.Equal(2, info["secretVersion"]!.GetValue<int>());
        Assert.DoesNotContain("whsec_", info.ToJsonString(), StringComparison.Ordinal);

        await using var scope = await MessageProbeScope.CreateAsync(App);
        var up = await SubmitAsync(scope, agency);
        await scope.Bus.PublishAsync(up.Triaged(2));
        var received = (await _receiver.WaitForAsync("/hooks/rotate", 1)).Single();
        var timestamp = long.Parse(received.Timestamp!, CultureInfo.InvariantCulture);
        Assert.True(WebhookSecrets.Verify(second, received.Id!, timestamp, received.Body, received.Signature!));
        Assert.False(WebhookSecrets.Verify(first, received.Id!, timestamp, received.Body, received.Signature!));

        Assert.Equal(HttpStatusCode.NoContent, (await App.Agency(agency).DeleteAsync(new Uri("/webhooks", UriKind.Relative))).StatusCode);
        await scope.Bus.PublishAsync(up.Assigned(3));
        await App.WaitForReferralAsync(up.Referral.ReferralId, r => r.Status == ReferralStatus.Assigned);
        await Task.Delay(1000);
        Assert.Single(_receiver.Received, r => r.Path == "/hooks/rotate");
    }

    [Fact]
    public async Task A_webhook_url_must_be_absolute_http_or_https_without_credentials()
    {
        foreach (var url in new[] { "ftp://example.org/hook", "/relative", "https://user:pass@example.org/hook", "not a url" })
        {
            var response = await App.Agency(NewAgency()).SendAsync(new HttpRequestMessage(HttpMethod.Put, "/webhooks")
            {
                Content = Http.Json(new JsonObject { ["url"] = url }),
            });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.ReadObjectAsync())["errors"]!.AsObject().ContainsKey("url"));
        }
    }

    private async Task<JsonObject> WaitForDeliveriesAsync(string agency, Func<JsonObject, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var list = JsonNode.Parse(await App.Agency(agency).GetStringAsync(new Uri("/webhooks/deliveries", UriKind.Relative)))!.AsArray();
            if (list.Select(d => d!.AsObject()).FirstOrDefault(condition) is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "No matching delivery: " + list.ToJsonString());
            await Task.Delay(100);
        }
    }
}
