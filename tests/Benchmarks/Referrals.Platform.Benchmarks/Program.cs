using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Referrals.Deploy.Journeys;
using Referrals.Deploy.Practice;
using Referrals.Platform.Benchmarks;
using Referrals.Testing;
using Referrals.Testing.Hosting.Platform;

// The platform load benchmark: the four services as Release processes on the real broker and database, a stand-in
// practice system receiving the coded records. Arguments (all optional):
//   --referrals N     referrals posted at the fixed rate for the latency run (default 500)
//   --rate R          referrals a second for the latency run (default 50)
//   --burst N         referrals posted as fast as accepted for the throughput run (default 600)
//   --bare N          messages for the bare MassTransit round trip (default 20000)
//   --bare-tx N       transactions for the bare PostgreSQL write (default 20000)
//   --warmup N        referrals posted before measuring, as fast as accepted (default 400)
var referrals = Argument("--referrals", 500);
var rate = Argument("--rate", 50);
var burst = Argument("--burst", 600);
var bareMessages = Argument("--bare", 20_000);
var bareTransactionCount = Argument("--bare-tx", 20_000);
var warmup = Argument("--warmup", 400);
const string Practice = "B86001";
// Broker hops on the critical path from the GP's POST to the FHIR transaction: ReferralSubmitted → triage,
// ReferralTriaged → support-plan, JourneyRegistered → gp-records, whose consumer records the fact, produces the records
// and sends them.
const int CriticalPathHops = 3;

var infrastructure = await TestInfrastructure.EnsureStartedAsync();
Console.WriteLine($"Platform load benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, one instance of each service (Release)");
Console.WriteLine();

// The services are not started yet: the machine's busy time over the bare run is the broker's and this program's.
var bare = await BareRoundTrip.RunAsync(infrastructure, bareMessages, inFlight: 100);
var bareMachinePerMessage = bare.MachineBusySeconds * 1000 / bareMessages;
Console.WriteLine($"Bare MassTransit publish→consume (same broker, 100 in flight, prefetch 64): {bare.MessagesPerSecond,8:0} msg/s");
Console.WriteLine($"  whole machine CPU {bareMachinePerMessage:0.00} ms/message ({bare.MachineBusySeconds / (bare.Elapsed.TotalSeconds * Environment.ProcessorCount):P0} of the machine busy)");
var bareTransactions = await BareTransactions.RunAsync(infrastructure, bareTransactionCount, connections: 16);
var bareMachinePerTransaction = bareTransactions.MachineBusySeconds * 1000 / bareTransactionCount;
Console.WriteLine($"Bare PostgreSQL write transaction (one event-sized insert and commit, 16 connections): {bareTransactions.TransactionsPerSecond,8:0} tx/s");
Console.WriteLine($"  whole machine CPU {bareMachinePerTransaction:0.00} ms/transaction ({bareTransactions.MachineBusySeconds / (bareTransactions.Elapsed.TotalSeconds * Environment.ProcessorCount):P0} of the machine busy)");

await using var platform = await ProcessPlatform.StartAsync();
var arrivals = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
platform.Practice.TransactionReceived += transaction =>
{
    var now = Stopwatch.GetTimestamp();
    if (ServiceRequestFor(transaction) is { } nhsNumber)
    {
        arrivals.TryAdd(nhsNumber, now);
    }
};

// MassTransit logs each in-process retry ("R-RETRY <input address> ..."): counted per queue, to show where work is redone.
var retries = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
foreach (var process in platform.Processes)
{
    process.LineWritten += line =>
    {
        var at = line.IndexOf("R-RETRY rabbitmq://", StringComparison.Ordinal);
        if (at >= 0)
        {
            var address = line[(at + "R-RETRY ".Length)..].Split(' ', 2)[0];
            retries.AddOrUpdate(address[(address.LastIndexOf('/') + 1)..], 1, (_, n) => n + 1);
        }
    };
}

// Warm-up, not measured: connection pools, prepared statements, and the JIT. The runtime recompiles hot methods in the
// background (tiered compilation) for tens of seconds after start; measured before that settles, a service runs
// unoptimised code and the compiler threads took a fifth of the machine (perf). A service in production runs for days.
await RunAsync(warmup, ratePerSecond: null, TimeSpan.FromMinutes(5));
retries.Clear();
var counters = new WorkCounters(platform.Schemas, infrastructure.PostgresConnectionString);
var workBefore = await counters.ReadAsync();
var cpuBefore = platform.Processes.ToDictionary(p => p.Name, p => CpuSeconds(p.ProcessId));
var machineBefore = MachineCpu.BusySeconds();
var servers = ProcessGroupCpu.For(infrastructure.PostgresConnectionString, infrastructure.RabbitMqUri.ToString());
var serversBefore = servers.Read();
var benchmarkBefore = CpuSeconds(Environment.ProcessId);

var latency = await RunAsync(referrals, rate, TimeSpan.FromMinutes(3));
var sorted = latency.Latencies.Order().ToArray();
Console.WriteLine();
Console.WriteLine($"Latency, POST /referrals → ServiceRequest filed at the practice ({referrals} referrals at {rate}/s):");
Console.WriteLine($"  delivered {sorted.Length}/{referrals}; p50 {Percentile(sorted, 50),6:0} ms   p95 {Percentile(sorted, 95),6:0} ms   p99 {Percentile(sorted, 99),6:0} ms   max {sorted.LastOrDefault(),6:0} ms");
Console.WriteLine($"  target p99 < 500 ms: {(sorted.Length == referrals && Percentile(sorted, 99) < 500 ? "met" : "NOT met")}");

var throughput = await RunAsync(burst, ratePerSecond: null, TimeSpan.FromMinutes(5));
var sustained = throughput.Latencies.Count / throughput.Elapsed.TotalSeconds;
var bareRate = bare.MessagesPerSecond;
var target = 0.25 * bareRate / CriticalPathHops;
Console.WriteLine();
Console.WriteLine($"Sustained throughput ({burst} referrals posted as fast as intake accepts them, 32 at a time):");
Console.WriteLine($"  delivered {throughput.Latencies.Count}/{burst} in {throughput.Elapsed.TotalSeconds:0.0} s = {sustained:0.0} referrals/s end to end");
Console.WriteLine($"  bare rate ÷ {CriticalPathHops} critical-path hops = {bareRate / CriticalPathHops:0} /s; platform ÷ that = {sustained / (bareRate / CriticalPathHops):P0} (target ≥ 25%, i.e. ≥ {target:0} /s: {(sustained >= target ? "met" : "NOT met")})");
var measured = latency.Latencies.Count + throughput.Latencies.Count;
// Every consumed message is a broker round trip like the bare one, so bare ÷ all of them is the rate the broker alone
// would allow: the other reading of "hops", for throughput rather than latency.
var work = (await counters.ReadAsync()).Minus(workBefore);
var appliedPerReferral = (double)work.Applied / Math.Max(1, measured);
Console.WriteLine($"  work per referral over the {measured} measured: {appliedPerReferral:0.0} messages consumed " +
                  $"({string.Join(", ", work.AppliedByService.Select(s => $"{s.Key} {(double)s.Value / Math.Max(1, measured):0.0}"))}), " +
                  $"{(double)work.Transactions / Math.Max(1, measured):0.0} PostgreSQL transactions");
Console.WriteLine($"  bare rate ÷ {appliedPerReferral:0.0} consumed messages = {bareRate / appliedPerReferral:0} /s; platform ÷ that = {sustained / (bareRate / appliedPerReferral):P0} (for comparison; the target uses the critical path)");

// The count above waited for the trailing messages; the CPU window ends with it. What the services use idle (pollers,
// timers) over a wait as long is taken off, so that only the referrals' work is counted.
var cpuAfter = platform.Processes.ToDictionary(p => p.Name, p => CpuSeconds(p.ProcessId));
var machineAfter = MachineCpu.BusySeconds();
var serversAfter = servers.Read();
var benchmarkAfter = CpuSeconds(Environment.ProcessId);
await Task.Delay(WorkCounters.Settle);
var cpuIdle = platform.Processes.ToDictionary(p => p.Name, p => CpuSeconds(p.ProcessId) - cpuAfter[p.Name]);
var machineIdle = MachineCpu.BusySeconds() - machineAfter;
var serversIdle = servers.Read().ToDictionary(s => s.Key, s => s.Value - serversAfter[s.Key]);
var benchmarkIdle = CpuSeconds(Environment.ProcessId) - benchmarkAfter;

Console.WriteLine();
Console.WriteLine($"Per service process: resident memory (peak VmHWM / now VmRSS), and CPU used per referral over the {measured} measured referrals " +
                  $"(idle use over {WorkCounters.Settle.TotalSeconds:0} s taken off):");
foreach (var process in platform.Processes)
{
    var (peak, now) = Memory(process.ProcessId);
    var cpu = (cpuAfter[process.Name] - cpuBefore[process.Name] - cpuIdle[process.Name]) * 1000 / Math.Max(1, measured);
    Console.WriteLine($"  {process.Name,-16} {peak,6:0} MB / {now,6:0} MB   CPU {cpu,5:0.0} ms/referral (idle {cpuIdle[process.Name] * 1000,4:0} ms)   " +
                      $"target < 300 MB: {(peak < 300 ? "met" : "NOT met")}");
}

// Everything the machine did, PostgreSQL, RabbitMQ and this program included: the cost of a referral in the round.
var machine = (machineAfter - machineBefore - machineIdle) * 1000 / Math.Max(1, measured);
Console.WriteLine($"  whole machine    CPU {machine,5:0.0} ms/referral (all processes: the services, PostgreSQL, RabbitMQ, this benchmark; " +
                  $"idle use over {WorkCounters.Settle.TotalSeconds:0} s taken off: {machineIdle * 1000:0} ms)");
// Where the rest went: the servers, and this program (the client posting referrals and the practice stand-in).
foreach (var (group, after) in serversAfter)
{
    Console.WriteLine($"  {group,-16} CPU {(after - serversBefore[group] - serversIdle[group]) * 1000 / Math.Max(1, measured),5:0.0} ms/referral (idle {serversIdle[group] * 1000,4:0} ms)");
}

Console.WriteLine($"  {"this benchmark",-16} CPU {(benchmarkAfter - benchmarkBefore - benchmarkIdle) * 1000 / Math.Max(1, measured),5:0.0} ms/referral (the client and the practice stand-in)");
// The referral's messages and transactions, each at its bare cost, put a floor under what a referral can cost.
var transactionsPerReferral = (double)work.Transactions / Math.Max(1, measured);
var floor = appliedPerReferral * bareMachinePerMessage + transactionsPerReferral * bareMachinePerTransaction;
Console.WriteLine($"  floor: {appliedPerReferral:0.0} consumed messages at the bare cost ({appliedPerReferral * bareMachinePerMessage:0.0} ms) + " +
                  $"{transactionsPerReferral:0.0} transactions at the bare write cost ({transactionsPerReferral * bareMachinePerTransaction:0.0} ms) = {floor:0.0} ms/referral");
Console.WriteLine($"  {Environment.ProcessorCount} cores fully busy allow {Environment.ProcessorCount * 1000 / target:0.0} ms/referral at the throughput target ({target:0}/s) " +
                  $"and {Environment.ProcessorCount * 1000.0 / rate:0.0} ms at the latency run's {rate}/s");
Console.WriteLine();
Console.WriteLine($"In-process consumer retries during the measured runs: {(retries.IsEmpty ? "none" : string.Join(", ", retries.OrderByDescending(r => r.Value).Select(r => $"{r.Key} {r.Value}")))}");

return 0;

// Posts `count` referrals (open loop at a fixed rate, or closed loop with 32 in flight) and waits for each ServiceRequest.
async Task<(List<double> Latencies, TimeSpan Elapsed)> RunAsync(int count, int? ratePerSecond, TimeSpan limit)
{
    var submitted = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
    var window = new SemaphoreSlim(32);
    var clock = Stopwatch.StartNew();
    var posts = new List<Task>(count);
    for (var i = 0; i < count; i++)
    {
        if (ratePerSecond is { } r)
        {
            var due = TimeSpan.FromSeconds((double)i / r);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }
        }
        else
        {
            await window.WaitAsync();
        }

        var referral = ReferralForms.GpReferral(Practice);
        var nhsNumber = referral["person"]!["nhsNumber"]!.GetValue<string>();
        submitted[nhsNumber] = Stopwatch.GetTimestamp();
        posts.Add(Task.Run(async () =>
        {
            try
            {
                await platform.Client.SubmitReferralAsync(referral);
            }
            finally
            {
                window.Release();
            }
        }));
    }

    await Task.WhenAll(posts);
    var deadline = DateTime.UtcNow + limit;
    while (submitted.Keys.Any(n => !arrivals.ContainsKey(n)) && DateTime.UtcNow < deadline)
    {
        await Task.Delay(50);
    }

    var latencies = submitted.Where(s => arrivals.ContainsKey(s.Key))
        .Select(s => Stopwatch.GetElapsedTime(s.Value, arrivals[s.Key]).TotalMilliseconds).ToList();
    var last = submitted.Keys.Where(arrivals.ContainsKey).Select(n => arrivals[n]).DefaultIfEmpty(Stopwatch.GetTimestamp()).Max();
    var first = submitted.Values.Min();
    return (latencies, Stopwatch.GetElapsedTime(first, last));
}

// The NHS number of the person whose ServiceRequest this transaction carries, if it carries one.
static string? ServiceRequestFor(ReceivedTransaction transaction)
{
    using var bundle = JsonDocument.Parse(transaction.BundleJson);
    string? nhsNumber = null;
    var hasServiceRequest = false;
    foreach (var entry in bundle.RootElement.GetProperty("entry").EnumerateArray())
    {
        var resource = entry.GetProperty("resource");
        switch (resource.GetProperty("resourceType").GetString())
        {
            case "ServiceRequest":
                hasServiceRequest = true;
                break;
            case "Patient" when resource.TryGetProperty("identifier", out var identifiers):
                nhsNumber = identifiers.EnumerateArray()
                    .Where(i => i.GetProperty("system").GetString() == "https://fhir.nhs.uk/Id/nhs-number")
                    .Select(i => i.GetProperty("value").GetString()).FirstOrDefault();
                break;
        }
    }

    return hasServiceRequest ? nhsNumber : null;
}

static double Percentile(double[] sorted, int percentile) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

static (double PeakMegabytes, double NowMegabytes) Memory(int processId)
{
    double Read(string field) => File.ReadLines($"/proc/{processId}/status")
        .Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
        .Select(l => double.Parse(l.Split(':', StringSplitOptions.TrimEntries)[1].Split(' ')[0], CultureInfo.InvariantCulture) / 1024)
        .FirstOrDefault();
    return (Read("VmHWM"), Read("VmRSS"));
}

// utime + stime from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux).
static double CpuSeconds(int processId)
{
    var stat = File.ReadAllText($"/proc/{processId}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}

int Argument(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
