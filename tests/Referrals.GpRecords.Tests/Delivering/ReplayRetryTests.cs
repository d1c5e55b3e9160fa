using System.Net;
using Referrals.Deploy.Practice;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Tests.Support;
using Referrals.ServiceDefaults.Auth;
using Referrals.Testing;

namespace Referrals.GpRecords.Tests.Delivering;

/// <summary>
/// A replayed delivery starts a new round of attempts: its retry timers must not collide with the first round's (the
/// timer store ignores a key it has seen), or a replayed delivery that fails again would wait for good.
/// </summary>
public sealed class ReplayRetryTests : PracticeDeliveryTest
{
    private const string Practice = "E85011";
    private readonly TestClock _clock = new();

    protected override Task<GpRecordsHarness> StartHarnessAsync(PracticeFhirReceiver receiver) =>
        GpRecordsHarness.StartAsync(receiver, [Practice], _clock, [1_000, 2_000]);

    private Task HeadAsync(Guid journeyId, Func<DeliveryStatusDocument, bool> condition, string what, bool tick = false) => Eventually.TrueAsync(async () =>
        {
            if (tick)
            {
                _clock.Advance(TimeSpan.FromSeconds(5));
            }

            return (await Harness.DeliveriesAsync(journeyId)).FirstOrDefault() is { } head && condition(head);
        },
        what, TimeSpan.FromSeconds(40), () => Harness.DiagnoseAsync(journeyId, Guid.Empty));

    [Fact]
    public async Task A_replayed_delivery_that_fails_again_is_retried_when_its_back_off_is_over()
    {
        var script = new JourneyScript(Practice);
        Receiver.Down = true;
        await Harness.PublishAsync(script.Submitted(), script.Registered());
        await HeadAsync(script.JourneyId, d => d.State == DeliveryState.Parked, "the delivery to be parked", tick: true);

        using var admin = Harness.Host.ClientFor(Roles.ProgrammeAdmin);
        var head = (await Harness.DeliveriesAsync(script.JourneyId))[0];
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/deliveries/{head.Id}/replay", null)).StatusCode);
        await HeadAsync(script.JourneyId, d => d.State == DeliveryState.Retrying && d.Attempts == 1, "the replayed attempt to fail");

        Receiver.Down = false;
        await HeadAsync(script.JourneyId, d => d.State == DeliveryState.Filed || d.Attempts > 1,
            "the replayed delivery to be retried after its back-off", tick: true);
    }
}
