namespace Referrals.EventStore.Tests;

internal static class TestDatabase
{
    public static Task<string> ConnectionStringAsync() => Task.FromResult(
        Environment.GetEnvironmentVariable("REFERRALS_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=55432;Username=referrals;Password=referrals;Database=referrals");
}
