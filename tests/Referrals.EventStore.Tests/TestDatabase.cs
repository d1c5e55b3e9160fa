using Referrals.Testing;

namespace Referrals.EventStore.Tests;

internal static class TestDatabase
{
    public static async Task<string> ConnectionStringAsync() =>
        (await TestInfrastructure.EnsureStartedAsync()).PostgresConnectionString;
}
