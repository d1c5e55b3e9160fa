using Microsoft.Extensions.Configuration;
using Referrals.GpRecords;

namespace Referrals.GpRecords.Tests.Delivering;

public sealed class DeliveryOptionsTests
{
    private static GpRecordsOptions Bind(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(GpRecordsOptions.Section).Get<GpRecordsOptions>()
        ?? new GpRecordsOptions();

    [Fact]
    public void Configured_retry_delays_in_seconds_replace_the_default_ones()
    {
        var options = Bind(new()
        {
            ["GpRecords:Delivery:RetryDelaysSeconds:0"] = "5",
            ["GpRecords:Delivery:RetryDelaysSeconds:1"] = "30",
        });

        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)], options.Delivery.RetryDelays);
    }

    [Fact]
    public void Without_configured_retry_delays_the_default_ones_apply()
    {
        var options = Bind(new() { ["GpRecords:Delivery:RequestTimeoutSeconds"] = "10" });

        Assert.Equal(DeliveryOptions.DefaultRetryDelaysSeconds.Select(s => TimeSpan.FromSeconds(s)), options.Delivery.RetryDelays);
    }
}
