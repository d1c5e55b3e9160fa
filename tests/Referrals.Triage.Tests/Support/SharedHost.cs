namespace Referrals.Triage.Tests.Support;

/// <summary>One triage host for a test class (real clock); tests isolate themselves with their own programme ids.</summary>
public sealed class SharedHost : IAsyncLifetime
{
    public TriageHost Triage { get; private set; } = null!;

    public async Task InitializeAsync() => Triage = await TriageHost.StartAsync();

    public async Task DisposeAsync() => await Triage.DisposeAsync();
}
