using Referrals.Contracts.Intake;
using Referrals.Testing.Hosting;

namespace Referrals.Intake.Tests;

/// <summary>A probe on intake's own events and a bus to publish upstream events, for one test.</summary>
public sealed class MessageProbeScope : IAsyncDisposable
{
    private MessageProbeScope(MessageProbe probe, TestBus bus)
    {
        Probe = probe;
        Bus = bus;
    }

    public MessageProbe Probe { get; }

    public TestBus Bus { get; }

    public static async Task<MessageProbeScope> CreateAsync(IntakeApp app) =>
        new(await app.ProbeAsync(typeof(ReferralSubmitted), typeof(ReferralLinkedToOpenJourney), typeof(ReferralWithdrawn)), await app.BusAsync());

    public async ValueTask DisposeAsync()
    {
        await Bus.DisposeAsync();
        await Probe.DisposeAsync();
    }
}
