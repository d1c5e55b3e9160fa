using Referrals.Intake.Referrals;
using Referrals.Intake.SelfReferring;
using Referrals.Intake.Submitting;
using Referrals.Intake.Webhooks;

namespace Referrals.Intake.Tests.Webhooks;

public sealed class WebhookUnitTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static WebhookDelivery Delivery() => WebhookDelivery.Create(new WebhookDeliveryScheduled(Guid.NewGuid(), Guid.NewGuid(), "AGY-TEST",
        Guid.NewGuid(), ReferralStatus.Triaged, false, 2, Now));

    [Fact]
    public void A_failed_attempt_schedules_the_next_after_its_back_off_and_the_last_one_gives_up()
    {
        var delivery = Delivery();
        var failed = new WebhookAttemptResult(false, 503, "HTTP 503");

        var first = WebhookDeliveryDecider.Decide(delivery, 1, failed, [30, 120], Now);
        Assert.Equal(Now.AddSeconds(30), first.Next!.DueAt);
        Assert.Equal(2, first.Next.Message.Attempt);

        var second = WebhookDeliveryDecider.Decide(delivery, 2, failed, [30, 120], Now);
        Assert.Equal(Now.AddSeconds(120), second.Next!.DueAt);

        var third = WebhookDeliveryDecider.Decide(delivery, 3, failed, [30, 120], Now);
        Assert.Null(third.Next);
        Assert.IsType<WebhookDeliveryAbandoned>(Assert.Single(third.Events));
    }

    [Fact]
    public void A_refused_address_abandons_the_delivery_at_the_first_attempt_saying_why()
    {
        var delivery = Delivery();
        var refused = new WebhookAttemptResult(false, null, WebhookAddressRefusedException.Reason, Permanent: true);

        var decision = WebhookDeliveryDecider.Decide(delivery, 1, refused, [30, 120], Now);

        Assert.Null(decision.Next);
        var abandoned = Assert.IsType<WebhookDeliveryAbandoned>(Assert.Single(decision.Events));
        Assert.Equal(WebhookAddressRefusedException.Reason, abandoned.Reason);
    }

    [Fact]
    public void An_attempt_is_made_once_and_never_after_the_delivery_finished()
    {
        var delivery = Delivery();
        Assert.True(WebhookDeliveryDecider.ShouldAttempt(delivery, 1));
        Assert.False(WebhookDeliveryDecider.ShouldAttempt(delivery, 2));
        var delivered = delivery.Apply(new WebhookDelivered(delivery.Id, 1, 200, Now));
        Assert.False(WebhookDeliveryDecider.ShouldAttempt(delivered, 1));
        Assert.False(WebhookDeliveryDecider.ShouldAttempt(null, 1));
    }

    [Fact]
    public void Signatures_follow_the_Standard_Webhooks_scheme_and_secrets_differ_per_organisation_and_version()
    {
        var secrets = new WebhookSecrets(IntakeApp.WebhookKey);
        var secret = secrets.SecretFor("AGY-A", 1);
        Assert.NotEqual(secret, secrets.SecretFor("AGY-B", 1));
        Assert.NotEqual(secret, secrets.SecretFor("AGY-A", 2));

        var signature = WebhookSecrets.Sign(secrets.KeyFor("AGY-A", 1), "msg_1", 1_700_000_000, "{\"a\":1}");
        Assert.StartsWith("v1,", signature, StringComparison.Ordinal);
        Assert.True(WebhookSecrets.Verify(secret, "msg_1", 1_700_000_000, "{\"a\":1}", "v1,bogus " + signature));
        Assert.False(WebhookSecrets.Verify(secret, "msg_1", 1_700_000_001, "{\"a\":1}", signature));
    }

    [Theory]
    [InlineData("http://receiver.example.org/hook", false, false)]
    [InlineData("http://receiver.example.org/hook", true, true)]
    [InlineData("https://receiver.example.org/hook", false, true)]
    [InlineData("https://receiver.example.org/hook#frag", false, false)]
    public void Production_accepts_only_https_webhooks(string url, bool allowInsecureHttp, bool accepted)
    {
        var errors = new FieldErrors();
        WebhookEndpoints.ValidateUrl(errors, url, allowInsecureHttp, allowPrivateAddresses: false);
        Assert.Equal(accepted, !errors.Any);
    }

    [Theory]
    [InlineData("{\"risk\":{\"riskOfHarmToSelf\":true}}", true)]
    [InlineData("{\"risk\":{\"RiskOfHarmToOthers\":true},\"person\":", true)]
    [InlineData("{\"risk\":{\"riskOfHarmToOthers\":true},\"person\":{}}", true)]
    [InlineData("{\"risk\":{\"riskOfHarmToSelf\":false}}", false)]
    [InlineData("{\"risk\":{\"riskOfHarmToSelf\":\"yes\"}}", false)]
    [InlineData("not json", false)]
    public void Risk_is_read_leniently_from_a_self_referral_body(string body, bool atRisk) =>
        Assert.Equal(atRisk, CrisisSupport.IndicatedIn(System.Text.Encoding.UTF8.GetBytes(body)));
}
