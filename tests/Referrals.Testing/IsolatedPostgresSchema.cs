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

        await PostgresAdmin.ExecuteAsync(
            _adminConnectionString, $"DROP SCHEMA IF EXISTS \"{SchemaName}\" CASCADE", CancellationToken.None);
    }
}
