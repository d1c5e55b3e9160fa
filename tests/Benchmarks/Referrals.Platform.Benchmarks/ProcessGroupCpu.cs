using System.Globalization;

namespace Referrals.Platform.Benchmarks;

/// <summary>CPU time of the platform's servers, read from /proc: where the machine's time per referral goes besides
/// the services. Only the servers the benchmark uses count, found by their ports, with every process under them.</summary>
public sealed class ProcessGroupCpu(int postgresPort, int rabbitMqPort)
{
    private sealed record Proc(int Id, int Parent, string Name, string CommandLine, string Environment, double Seconds);

    public static ProcessGroupCpu For(string postgresConnectionString, string rabbitMqUri) =>
        new(new Npgsql.NpgsqlConnectionStringBuilder(postgresConnectionString).Port, new Uri(rabbitMqUri).Port);

    /// <summary>
    /// Seconds of CPU used so far by PostgreSQL (the postmaster listening on the port, its backends, and those it has reaped)
    /// and by RabbitMQ (the Erlang VM serving the AMQP port, and its helpers).
    /// </summary>
    public IReadOnlyDictionary<string, double> Read()
    {
        var all = Processes();
        var children = all.ToLookup(p => p.Parent);
        double Tree(Proc? root) => root is null ? 0 : root.Seconds + children[root.Id].Sum(c => Tree(c));
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["PostgreSQL"] = Tree(all.FirstOrDefault(p => p.Name == "postgres" && p.CommandLine.Contains($" -p {postgresPort} ", StringComparison.Ordinal))),
            ["RabbitMQ"] = Tree(all.FirstOrDefault(p => p.Name == "beam.smp" && p.Environment.Contains($"\0RABBITMQ_NODE_PORT={rabbitMqPort}\0", StringComparison.Ordinal))),
        };
    }

    private static List<Proc> Processes()
    {
        var processes = new List<Proc>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var id))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // utime + stime, and the reaped children's cutime + cstime (for PostgreSQL: the backends of closed
                // connections), in clock ticks of 1/100 s; a process's live children are counted on their own.
                var seconds = new[] { 11, 12, 13, 14 }.Sum(f => long.Parse(fields[f], CultureInfo.InvariantCulture)) / 100.0;
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                var environment = name == "beam.smp" ? "\0" + File.ReadAllText(Path.Combine(directory, "environ")) : "";
                processes.Add(new Proc(id, int.Parse(fields[1], CultureInfo.InvariantCulture), name, commandLine, environment, seconds));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while being read.
            }
        }

        return processes;
    }
}
