using Referrals.Testing;
using Xunit.Abstractions;

namespace Referrals.Platform.Tests;

/// <summary>
/// infra.sh's start/stop/restart logic, exercised against a private pair of servers (own state folder and ports):
/// killing these never affects the shared servers that other test assemblies use at the same time.
/// Tests in one class run one after another; each begins from "both servers running".
/// </summary>
public sealed class InfraScriptLifecycleTests(PrivateServerPair pair, ITestOutputHelper output) : IClassFixture<PrivateServerPair>
{
    [Fact]
    public async Task Concurrent_cold_starts_are_serialised_and_both_succeed_with_one_pair_of_servers()
    {
        foreach (var start in pair.ColdStarts)
        {
            output.WriteLine(start.ToString());
            Assert.True(start.Succeeded, start.ToString());
        }

        // The caller that waited for the lock found the servers the first one started.
        Assert.Contains(pair.ColdStarts, s => s.StandardError.Contains("postgres: already running", StringComparison.Ordinal)
                                              && s.StandardError.Contains("rabbitmq: already running", StringComparison.Ordinal));
        var status = await pair.StatusAsync();
        Assert.NotNull(status.Postgres);
        Assert.NotNull(status.RabbitMq);
        await pair.AssertPostgresAcceptsConnectionsAsync();
        await pair.AssertRabbitMqAcceptsConnectionsAsync();
    }

    [Fact]
    public async Task Start_on_running_servers_reuses_them_and_returns_in_well_under_a_second()
    {
        await pair.StartAsync();
        var before = await pair.StatusAsync();

        var again = await pair.StartAsync();
        var after = await pair.StatusAsync();

        output.WriteLine(again.ToString());
        Assert.Equal(before.Postgres, after.Postgres);
        Assert.Equal(before.RabbitMq, after.RabbitMq);
        Assert.Contains("postgres: already running", again.StandardError, StringComparison.Ordinal);
        Assert.Contains("rabbitmq: already running", again.StandardError, StringComparison.Ordinal);
        // Typically ~0.1 s; the bound leaves room for a loaded 2-core CI machine.
        Assert.True(again.Elapsed < TimeSpan.FromSeconds(3), $"warm start took {again.Elapsed}");
    }

    [Fact]
    public async Task Postgres_killed_with_sigkill_is_restarted_by_the_next_start_and_accepts_connections()
    {
        await pair.StartAsync();
        var before = await pair.StatusAsync();

        await PrivateServerPair.KillAsync(before.Postgres!.Value);
        var down = await pair.StatusAsync();
        var restart = await pair.StartAsync();
        var after = await pair.StatusAsync();

        output.WriteLine(restart.ToString());
        Assert.Null(down.Postgres);
        Assert.NotNull(after.Postgres);
        Assert.NotEqual(before.Postgres, after.Postgres);
        Assert.Equal(before.RabbitMq, after.RabbitMq);
        await pair.AssertPostgresAcceptsConnectionsAsync();
    }

    [Fact]
    public async Task RabbitMq_killed_with_sigkill_is_restarted_by_the_next_start_and_accepts_connections()
    {
        await pair.StartAsync();
        var before = await pair.StatusAsync();

        await PrivateServerPair.KillAsync(before.RabbitMq!.Value);
        var down = await pair.StatusAsync();
        var restart = await pair.StartAsync();
        var after = await pair.StatusAsync();

        output.WriteLine(restart.ToString());
        Assert.Null(down.RabbitMq);
        Assert.NotNull(after.RabbitMq);
        Assert.NotEqual(before.RabbitMq, after.RabbitMq);
        Assert.Equal(before.Postgres, after.Postgres);
        await pair.AssertRabbitMqAcceptsConnectionsAsync();
    }

    [Fact]
    public async Task Stop_stops_both_servers_is_idempotent_and_a_later_start_brings_them_back()
    {
        await pair.StartAsync();

        var stop = await pair.Script.RunCheckedAsync("stop", InfraScript.StartTimeout);
        var stopped = await pair.StatusAsync();
        var stopAgain = await pair.Script.RunCheckedAsync("stop", InfraScript.StartTimeout);
        var start = await pair.StartAsync();
        var started = await pair.StatusAsync();

        output.WriteLine(stop.ToString());
        output.WriteLine(start.ToString());
        Assert.Null(stopped.Postgres);
        Assert.Null(stopped.RabbitMq);
        Assert.Equal(3, stopped.Result.ExitCode);
        Assert.Contains("postgres: not running", stopAgain.StandardError, StringComparison.Ordinal);
        Assert.NotNull(started.Postgres);
        Assert.NotNull(started.RabbitMq);
        Assert.Equal(0, started.Result.ExitCode);
        await pair.AssertPostgresAcceptsConnectionsAsync();
        await pair.AssertRabbitMqAcceptsConnectionsAsync();
    }

    [Fact]
    public void Env_prints_connection_settings_for_the_overridden_ports()
    {
        Assert.Equal(
            $"Host=127.0.0.1;Port={pair.PostgresPort};Username=referrals;Password=referrals;Database=referrals",
            pair.Endpoints.PostgresConnectionString);
        Assert.Equal(new Uri($"amqp://referrals:referrals@127.0.0.1:{pair.AmqpPort}/"), pair.Endpoints.RabbitMqUri);
        Assert.Equal(new Uri($"http://127.0.0.1:{pair.ManagementPort}/"), pair.Endpoints.RabbitMqManagementUri);
    }
}
