namespace Referrals.Intake.Tests;

/// <summary>One intake host shared by the tests of a class (each test uses its own people and keys).</summary>
public class IntakeFixture : IAsyncLifetime
{
    private IntakeApp? _app;

    public IntakeApp App => _app ?? throw new InvalidOperationException("Not started.");

    /// <summary>Settings over the test defaults, given where the servers are.</summary>
    protected virtual IDictionary<string, string?>? Settings(global::Referrals.Testing.InfrastructureEndpoints infrastructure) => null;

    /// <summary>The clock the service runs on; the system clock unless overridden.</summary>
    protected virtual TimeProvider? Clock => null;

    public async Task InitializeAsync() => _app = await IntakeApp.StartAsync(Settings, Clock);

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
