using Referrals.Deploy.Journeys;
using Referrals.Testing.Hosting.Platform;

namespace Referrals.EndToEnd.Tests.Platform;

/// <summary>Nothing published before a consumer starts is lost: the topology is deployed before any traffic.</summary>
public sealed class StartOrderTests
{
    [Fact]
    public async Task A_referral_submitted_while_triage_is_stopped_is_triaged_when_triage_starts_thirty_seconds_later()
    {
        await using var platform = await ProcessPlatform.StartAsync(services: ["intake", "support-plan", "gp-records"]);
        var referralId = await platform.Client.SubmitReferralAsync(ReferralForms.GpReferral("B86001", "north-leeds"));

        await Task.Delay(TimeSpan.FromSeconds(30));
        var waiting = await platform.Client.ReferralStatusAsync(referralId, "B86001");
        Assert.Equal("Submitted", waiting.GetProperty("status").GetString());
        Assert.True(await platform.VirtualHost.GetQueueMessageCountAsync("triage-referral-submitted") >= 1);

        await platform.StartServiceAsync("triage");

        var triaged = await platform.Client.WaitForStatusAsync(referralId, "B86001", s => s is not "Submitted");
        Assert.Contains(triaged.GetProperty("history").EnumerateArray(), h => h.GetProperty("status").GetString() is "Triaged" or "Assigned" or "Queued");
    }
}
