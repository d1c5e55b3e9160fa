using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using Referrals.Testing;

namespace Referrals.Platform.Benchmarks;

/// <summary>
/// The database's physical reference: the smallest write transaction, one insert of an event-sized JSON row and its
/// commit, on the same server, with several connections at once as the services run them.
/// </summary>
public static class BareTransactions
{
    /// <summary>The rate, and the machine's busy time while the transactions ran (schema set-up left out).</summary>
    public sealed record Result(double TransactionsPerSecond, TimeSpan Elapsed, double MachineBusySeconds);

    public static async Task<Result> RunAsync(InfrastructureEndpoints infrastructure, int transactions, int connections)
    {
        await using var schema = await IsolatedPostgresSchema.CreateAsync(infrastructure, "bench_bare");
        await using var source = NpgsqlDataSource.Create(schema.ConnectionString);
        await using (var create = source.CreateCommand("create table bare_rows (id uuid primary key, data jsonb not null)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var payload = $$"""{"referralId":"{{Guid.NewGuid()}}","reason":"{{new string('x', 400)}}","priority":"Routine"}""";
        var remaining = transactions;
        var busyBefore = MachineCpu.BusySeconds();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            await using var connection = await source.OpenConnectionAsync();
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                await using var tx = await connection.BeginTransactionAsync();
                await using (var insert = new NpgsqlCommand("insert into bare_rows (id, data) values ($1, $2)", connection, tx))
                {
                    insert.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
                    insert.Parameters.Add(new NpgsqlParameter { Value = payload, NpgsqlDbType = NpgsqlDbType.Jsonb });
                    await insert.ExecuteNonQueryAsync();
                }

                await tx.CommitAsync();
            }
        })));
        var elapsed = clock.Elapsed;
        return new Result(transactions / elapsed.TotalSeconds, elapsed, MachineCpu.BusySeconds() - busyBefore);
    }
}
