using System.Globalization;

namespace Referrals.Platform.Benchmarks;

/// <summary>The whole machine's CPU time, every process and the kernel included.</summary>
public static class MachineCpu
{
    /// <summary>Busy time from /proc/stat (all CPUs; clock ticks of 1/100 s): every state but idle and iowait.</summary>
    public static double BusySeconds()
    {
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal (guest time is already inside user).
        return (ticks.Take(8).Sum() - ticks[3] - ticks[4]) / 100.0;
    }
}
