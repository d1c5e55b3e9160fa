using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;
using RabbitMQ.Client;
using Referrals.Testing;

namespace Referrals.Platform.Tests;

/// <summary>
/// A second, private PostgreSQL + RabbitMQ pair run by infra.sh from its own state folder on free ports, so tests
/// can kill and restart servers without disturbing the shared servers other test assemblies use in parallel.
/// Started cold by two concurrent <c>start</c> calls (exercising the flock); stopped and deleted at the end.
/// </summary>
public sealed partial class PrivateServerPair : IAsyncLifetime
{
    public PrivateServerPair()
    {
        StateDirectory = Path.Combine("/var/tmp", $"referrals-test-{Guid.NewGuid():N}"[..30]);
        var ports = FreePorts(5);
        PostgresPort = ports[0];
        AmqpPort = ports[1];
        ManagementPort = ports[2];
        Script = InfraScript.ForRepository(new Dictionary<string, string>
        {
            ["REFERRALS_STATE_DIR"] = StateDirectory,
            ["REFERRALS_PG_PORT"] = ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["REFERRALS_AMQP_PORT"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["REFERRALS_RABBIT_MGMT_PORT"] = ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["REFERRALS_RABBIT_DIST_PORT"] = ports[3].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["REFERRALS_EPMD_PORT"] = ports[4].ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    public string StateDirectory { get; }

    public int PostgresPort { get; }

    public int AmqpPort { get; }

    public int ManagementPort { get; }

    public InfraScript Script { get; }

    /// <summary>The two concurrent cold starts made by <see cref="InitializeAsync"/>.</summary>
    public IReadOnlyList<InfraScriptResult> ColdStarts { get; private set; } = [];

    public InfrastructureEndpoints Endpoints { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Script.RunCheckedAsync("install", InfraScript.InstallTimeout);
        ColdStarts = await Task.WhenAll(
            Script.RunAsync("start", InfraScript.StartTimeout),
            Script.RunAsync("start", InfraScript.StartTimeout));
        Endpoints = await Script.ReadEndpointsAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Script.RunAsync("stop", InfraScript.StartTimeout);
        }
        finally
        {
            if (Directory.Exists(StateDirectory))
            {
                Directory.Delete(StateDirectory, recursive: true);
            }
        }
    }

    public async Task<InfraScriptResult> StartAsync() => await Script.RunCheckedAsync("start", InfraScript.StartTimeout);

    /// <summary>Runs <c>status</c> and returns the PostgreSQL and RabbitMQ pids (null for a stopped server).</summary>
    public async Task<(int? Postgres, int? RabbitMq, InfraScriptResult Result)> StatusAsync()
    {
        var result = await Script.RunAsync("status", InfraScript.QuickTimeout);
        return (Pid(PostgresRunning(), result.StandardOutput), Pid(RabbitRunning(), result.StandardOutput), result);
    }

    /// <summary>SIGKILL (kill -9), then wait until the process is gone or a zombie.</summary>
    public static async Task KillAsync(int pid)
    {
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(entireProcessTree: false);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (IsAlive(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    public async Task AssertPostgresAcceptsConnectionsAsync()
    {
        await using var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(Endpoints.PostgresConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select current_user", connection);
        Assert.Equal("referrals", await command.ExecuteScalarAsync());
    }

    public async Task AssertRabbitMqAcceptsConnectionsAsync()
    {
        var factory = new ConnectionFactory { Uri = Endpoints.RabbitMqUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(exclusive: true, autoDelete: true);
        using var management = RabbitManagementClient.Create(Endpoints);
        using var whoami = await management.GetJsonAsync("api/whoami");
        Assert.Equal("referrals", whoami.RootElement.GetProperty("name").GetString());
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int? Pid(Regex pattern, string status)
    {
        var match = pattern.Match(status);
        return match.Success ? int.Parse(match.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    [GeneratedRegex(@"^postgres: running pid=(?<pid>\d+)", RegexOptions.Multiline)]
    private static partial Regex PostgresRunning();

    [GeneratedRegex(@"^rabbitmq: running pid=(?<pid>\d+)", RegexOptions.Multiline)]
    private static partial Regex RabbitRunning();
}
