using System.Net;
using Referrals.Intake.Submitting;
using Referrals.Intake.Webhooks;

namespace Referrals.Intake.Tests.Webhooks;

public sealed class WebhookAddressesTests
{
    [Theory]
    // unspecified and "this network"
    [InlineData("0.0.0.0")]
    [InlineData("0.255.255.255")]
    // loopback, first and last
    [InlineData("127.0.0.0")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.255")]
    // link-local, the cloud metadata service in it
    [InlineData("169.254.0.0")]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.255.255")]
    // private
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.5")]
    [InlineData("10.255.255.255")]
    [InlineData("172.16.0.0")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.0")]
    [InlineData("192.168.255.255")]
    // carrier-grade NAT
    [InlineData("100.64.0.0")]
    [InlineData("100.127.255.255")]
    // multicast, reserved and broadcast
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.255")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    // documentation, benchmarking and protocol assignments
    [InlineData("192.0.0.8")]
    [InlineData("192.0.2.2")]
    [InlineData("198.18.0.1")]
    [InlineData("198.19.255.255")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.9")]
    public void Internal_IPv4_addresses_are_refused(string address) =>
        Assert.True(WebhookAddresses.IsInternal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::127.0.0.1")] // deprecated IPv4-compatible form
    [InlineData("fe80::1")]
    [InlineData("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("fec0::1")]
    [InlineData("fc00::")]
    [InlineData("fd12:3456::1")]
    [InlineData("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("ff02::1")]
    [InlineData("2001:db8::1")]
    public void Internal_IPv6_addresses_are_refused(string address) =>
        Assert.True(WebhookAddresses.IsInternal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.0.0.5")]
    [InlineData("::ffff:172.16.0.1")]
    [InlineData("::ffff:192.168.1.1")]
    [InlineData("::ffff:100.64.0.1")]
    [InlineData("::ffff:0.0.0.0")]
    [InlineData("::ffff:255.255.255.255")]
    [InlineData("64:ff9b::10.0.0.5")] // NAT64 carries an IPv4 address the same way
    [InlineData("64:ff9b::a9fe:a9fe")] // 169.254.169.254
    public void An_internal_IPv4_address_written_as_IPv6_is_refused(string address) =>
        Assert.True(WebhookAddresses.IsInternal(IPAddress.Parse(address)));

    [Theory]
    // just outside each IPv4 range
    [InlineData("1.0.0.0")]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("126.255.255.255")]
    [InlineData("128.0.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("223.255.255.255")]
    [InlineData("8.8.8.8")]
    // public IPv6, and a public IPv4 address in the mapped and NAT64 forms
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4009:81f::200e")]
    [InlineData("fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.False(WebhookAddresses.IsInternal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LocalHost", true)]
    [InlineData("localhost.", true)]
    [InlineData("hooks.localhost", true)]
    [InlineData("a.b.localhost.", true)]
    [InlineData("localhost.example.org", false)]
    [InlineData("notlocalhost", false)]
    [InlineData("hooks.example.org", false)]
    public void Localhost_and_names_under_it_are_local(string host, bool local) =>
        Assert.Equal(local, WebhookAddresses.IsLocalHostName(host));

    [Theory]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://127.0.0.1:5432/")]
    [InlineData("https://10.0.0.5/admin")]
    [InlineData("https://127.1/")] // read by Uri as 127.0.0.1, as by the resolver
    [InlineData("https://2130706433/")]
    [InlineData("https://0x7f000001/")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[::ffff:127.0.0.1]/hook")]
    [InlineData("https://[::ffff:a9fe:a9fe]/hook")]
    [InlineData("https://[fe80::1%25eth0]/hook")]
    [InlineData("https://[fd00::2]:8443/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://LOCALHOST./hook")]
    [InlineData("https://hooks.localhost/hook")]
    public void A_webhook_url_at_an_internal_host_is_refused_naming_the_url_field(string url)
    {
        var errors = new FieldErrors();
        Assert.Null(WebhookEndpoints.ValidateUrl(errors, url, allowInsecureHttp: false, allowPrivateAddresses: false));
        Assert.True(errors.Has("url"));
    }

    [Theory]
    [InlineData("https://hooks.example.org/referrals")]
    [InlineData("https://8.8.8.8/hook")]
    [InlineData("https://[2606:4700:4700::1111]/hook")]
    [InlineData("https://localhost.example.org/hook")]
    public void A_webhook_url_at_a_public_host_or_name_is_accepted(string url)
    {
        var errors = new FieldErrors();
        Assert.NotNull(WebhookEndpoints.ValidateUrl(errors, url, allowInsecureHttp: false, allowPrivateAddresses: false));
        Assert.False(errors.Any);
    }

    [Fact]
    public void With_private_addresses_allowed_a_loopback_url_is_accepted_for_development_and_tests()
    {
        var errors = new FieldErrors();
        Assert.NotNull(WebhookEndpoints.ValidateUrl(errors, "http://127.0.0.1:5000/hook", allowInsecureHttp: true, allowPrivateAddresses: true));
        Assert.False(errors.Any);
    }
}
