using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Referrals.EventStore;
using Referrals.EventStore.Benchmarks;
using Referrals.EventStore.Daemon;
using Referrals.Testing;

// Measures the event store against the same PostgreSQL in one run. Arguments (all optional):
//   --appends N        single-event appends per client for the append/INSERT comparison (default 4000)
//   --events N         events for the batch append and the rebuild (default 1000000)
var appendsPerClient = Argument("--appends", 4000);
var totalEvents = Argument("--events", 1_000_000);
var infrastructure = await TestInfrastructure.EnsureStartedAsync();
var schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
var options = new EventStoreOptions { Schema = schema, ConnectionString = infrastructure.PostgresConnectionString };
options.Events.Add<CounterStarted>().Add<CounterIncremented>();
options.Projections.Snapshot<Counter>(ProjectionLifecycle.Async);
options.Daemon.BatchSize = 10_000;
await using var store = new DocumentStore(options);
await store.MigrateAsync();
// The plain INSERTs get the same auto-prepared data source as the store, so the comparison is like for like.
await using var dataSource = DocumentStore.CreateDataSource(infrastructure.PostgresConnectionString);
await using (var create = dataSource.CreateCommand($"create table {schema}.plain_insert (id bigserial primary key, stream_id uuid not null, data jsonb not null, created timestamptz not null default now())"))
{
    await create.ExecuteNonQueryAsync();
}

Console.WriteLine($"Event store benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, PostgreSQL {await ScalarAsync<string>("show server_version")}, synchronous_commit={await ScalarAsync<string>("show synchronous_commit")}");
Console.WriteLine();

var payload = """{"counterId":"00000000-0000-0000-0000-000000000000","by":1}""";
foreach (var clients in new[] { 1, 8 })
{
    var plain = await RateAsync(clients, appendsPerClient, async (_, _) =>
    {
        await using var insert = dataSource.CreateCommand($"insert into {schema}.plain_insert (stream_id, data) values ($1, $2)");
        insert.Parameters.AddWithValue(Guid.CreateVersion7());
        insert.Parameters.Add(new NpgsqlParameter { Value = payload, NpgsqlDbType = NpgsqlDbType.Jsonb });
        await insert.ExecuteNonQueryAsync();
    });

    var streams = Enumerable.Range(0, clients * 50).Select(_ => Guid.CreateVersion7()).ToArray();
    foreach (var stream in streams)
    {
        await using var start = store.LightweightSession();
        start.Events.StartStream<Counter>(stream, new CounterStarted(stream));
        await start.SaveChangesAsync();
    }

    var appends = await RateAsync(clients, appendsPerClient, async (client, i) =>
    {
        var stream = streams[(client * 50) + (i % 50)];
        await using var session = store.LightweightSession();
        session.Events.Append(stream, new CounterIncremented(stream, 1));
        await session.SaveChangesAsync();
    });

    Console.WriteLine($"Single-event appends, {clients} client(s): store {appends:N0}/s, plain INSERT commits {plain:N0}/s, ratio {appends / plain:P0}");
}

// Batch append: 1,000 streams of 1,000 events (or as many as --events asks), 4 writers, one session per stream.
var perStream = 1000;
var streamCount = totalEvents / perStream;
var written = 0L;
var batch = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, streamCount), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, ct) =>
{
    var id = Guid.CreateVersion7();
    var events = new object[perStream];
    events[0] = new CounterStarted(id);
    for (var i = 1; i < perStream; i++)
    {
        events[i] = new CounterIncremented(id, i);
    }

    await using var session = store.LightweightSession();
    session.Events.StartStream<Counter>(id, events);
    await session.SaveChangesAsync(ct);
    Interlocked.Add(ref written, perStream);
});
batch.Stop();
Console.WriteLine($"Batch append of {written:N0} events: {batch.Elapsed.TotalSeconds:N1} s ({written / batch.Elapsed.TotalSeconds:N0} events/s)");

// AggregateStream over one 1,000-event stream.
var longStream = Guid.CreateVersion7();
await using (var session = store.LightweightSession())
{
    session.Events.StartStream<Counter>(longStream, [new CounterStarted(longStream), .. Enumerable.Range(1, 999).Select(i => (object)new CounterIncremented(longStream, 1))]);
    await session.SaveChangesAsync();
}

var timings = new List<double>();
for (var i = 0; i < 25; i++)
{
    await using var query = store.QuerySession();
    var watch = Stopwatch.StartNew();
    var counter = await query.Events.AggregateStreamAsync<Counter>(longStream);
    watch.Stop();
    if (counter!.Total != 999)
    {
        throw new InvalidOperationException("AggregateStream folded the wrong total.");
    }

    timings.Add(watch.Elapsed.TotalMilliseconds);
}

timings.Sort();
Console.WriteLine($"AggregateStream over 1,000 events: median {timings[timings.Count / 2]:N1} ms, best {timings[0]:N1} ms (25 runs)");

// Full rebuild of an async projection over everything appended above.
var total = await ScalarAsync<long>($"select count(*) from {schema}.mt_events");
await using (var daemon = new ProjectionDaemon(store))
{
    var rebuild = Stopwatch.StartNew();
    await daemon.RebuildAsync(nameof(Counter));
    rebuild.Stop();
    var documents = await ScalarAsync<long>($"select count(*) from {schema}.mt_doc_counter");
    Console.WriteLine($"Projection rebuild over {total:N0} events ({documents:N0} documents): {rebuild.Elapsed.TotalSeconds:N1} s ({total / rebuild.Elapsed.TotalSeconds:N0} events/s)");
}

Console.WriteLine($"Peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024:N0} MB");
await using (var drop = dataSource.CreateCommand($"drop schema {schema} cascade"))
{
    await drop.ExecuteNonQueryAsync();
}

return;

int Argument(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

async Task<T> ScalarAsync<T>(string sql)
{
    await using var command = dataSource.CreateCommand(sql);
    return (T)(await command.ExecuteScalarAsync())!;
}

static async Task<double> RateAsync(int clients, int perClient, Func<int, int, Task> operation)
{
    for (var i = 0; i < 50; i++)
    {
        await operation(0, i); // warm-up
    }

    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
    {
        for (var i = 0; i < perClient; i++)
        {
            await operation(client, i);
        }
    })));
    watch.Stop();
    return clients * perClient / watch.Elapsed.TotalSeconds;
}
