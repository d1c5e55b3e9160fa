using Npgsql;

namespace Referrals.Testing;

/// <summary>
/// A schema of its own for one test (class): <see cref="ConnectionString"/> sets <c>Search Path</c> to it, so
/// unqualified table names land there. Disposing drops the schema with CASCADE.
/// </summary>
public sealed class IsolatedPostgresSchema : IAsyncDisposable
{
    private readonly string _adminConnectionString;
    private int _disposed;

    private IsolatedPostgresSchema(string adminConnectionString, string schemaName)
    {
        _adminConnectionString = adminConnectionString;
        SchemaName = schemaName;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { SearchPath = schemaName }.ConnectionString;
    }

    public string SchemaName { get; }

    /// <summary>The server's connection string with <c>Search Path=&lt;schema&gt;</c>.</summary>
    public string ConnectionString { get; }

    public static async Task<IsolatedPostgresSchema> CreateAsync(
        InfrastructureEndpoints endpoints, string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var schema = new IsolatedPostgresSchema(endpoints.PostgresConnectionString, IsolatedNames.Create(prefix));
        await PostgresAdmin.ExecuteAsync(
            endpoints.PostgresConnectionString, $"CREATE SCHEMA \"{schema.SchemaName}\"", cancellationToken);
        return schema;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Close this schema's pooled connections first: they would otherwise linger until the pool prunes them.
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        // A host still shutting down (a relay or daemon finishing its last transaction) can deadlock with the drop:
        // PostgreSQL picks one side as the victim, so try again. A host that outlived its disposal on a busy machine can
        // also hold a lock in the schema for long (the drop once waited more than its 60 s command timeout): after a short
        // lock wait, the sessions holding locks in this schema are ended, as nothing of this test may use it any more.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await PostgresAdmin.ExecuteAsync(_adminConnectionString,
                    $"SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS \"{SchemaName}\" CASCADE", CancellationToken.None);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                await Task.Delay(200 * attempt);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable && attempt < 5)
            {
                await PostgresAdmin.ExecuteAsync(_adminConnectionString, $"""
                    select pg_terminate_backend(held.pid)
                      from (select distinct l.pid from pg_locks l
                              join pg_class c on c.oid = l.relation
                              join pg_namespace n on n.oid = c.relnamespace
                             where n.nspname = '{SchemaName}' and l.pid <> pg_backend_pid() and l.granted) held
                    """, CancellationToken.None);
            }
        }
    }
}
