using Referrals.Testing.Hosting.Platform;

namespace Referrals.EndToEnd.Tests.Journeys;

public abstract class PlatformFixture(int instances) : IAsyncLifetime
{
    public ProcessPlatform Platform { get; private set; } = null!;

    public async Task InitializeAsync() => Platform = await ProcessPlatform.StartAsync(instances);

    public async Task DisposeAsync() => await Platform.DisposeAsync();
}

/// <summary>One process per service.</summary>
public sealed class SingleInstancePlatform() : PlatformFixture(1);

/// <summary>Two processes per service: competing consumers, one daemon leader, cooperating relays and timers.</summary>
public sealed class ScaledOutPlatform() : PlatformFixture(2);
