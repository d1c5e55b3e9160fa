using System.Globalization;

namespace Referrals.Platform.Benchmarks;

/// <summary>CPU time of the servers' processes, read from /proc: where the machine's time per referral goes besides
/// the services.</summary>
public static class ProcessGroupCpu
{
    /// <summary>Seconds of CPU used so far by PostgreSQL (the postmaster, its live backends and those it has reaped) and
    /// by RabbitMQ (the Erlang VM and its helpers).</summary>
    public static IReadOnlyDictionary<string, double> Read()
    {
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal) { ["PostgreSQL"] = 0, ["RabbitMQ"] = 0 };
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out _))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // the process ended while being read
            }

            var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            double Ticks(int field) => long.Parse(fields[field], CultureInfo.InvariantCulture) / 100.0;
            var group = name switch
            {
                "postgres" => "PostgreSQL",
                "beam.smp" or "erl_child_setup" or "epmd" or "inet_gethost" => "RabbitMQ",
                _ => null,
            };
            if (group is null)
            {
                continue;
            }

            // utime + stime; a parent also holds its reaped children's time (cutime + cstime): for PostgreSQL, the
            // backends of connections that closed. A backend's own children are none, so nothing is counted twice.
            seconds[group] += Ticks(11) + Ticks(12) + Ticks(13) + Ticks(14);
        }

        return seconds;
    }
}
