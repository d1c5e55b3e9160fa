using Referrals.Deploy.Practice;

namespace Referrals.GpRecords.Tests.Support;

/// <summary>
/// A gp-records host and the test practice system it delivers to, started before each test of the class and disposed
/// after it (the host first, so that nothing is delivered to a receiver that has gone).
/// </summary>
public abstract class PracticeDeliveryTest : IAsyncLifetime
{
    protected PracticeFhirReceiver Receiver { get; private set; } = null!;

    protected GpRecordsHarness Harness { get; private set; } = null!;

    /// <summary>Starts the host with this class's practices and settings, delivering to <paramref name="receiver"/>.</summary>
    protected abstract Task<GpRecordsHarness> StartHarnessAsync(PracticeFhirReceiver receiver);

    public async Task InitializeAsync()
    {
        Receiver = await PracticeFhirReceiver.StartAsync();
        Harness = await StartHarnessAsync(Receiver);
    }

    public async Task DisposeAsync()
    {
        await Harness.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
