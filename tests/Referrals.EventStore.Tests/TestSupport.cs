using Npgsql;
using Referrals.EventStore.Daemon;

namespace Referrals.EventStore.Tests;

/// <summary>A store in a schema of its own on the shared real PostgreSQL, dropped afterwards.</summary>
public sealed class StoreFixture : IAsyncDisposable
{
    private StoreFixture(DocumentStore store, string connectionString)
    {
        Store = store;
        ConnectionString = connectionString;
    }

    public DocumentStore Store { get; }
    public string ConnectionString { get; }
    public string Schema => Store.Options.Schema;

    public static async Task<StoreFixture> CreateAsync(Action<EventStoreOptions>? configure = null)
    {
        var connectionString = await TestDatabase.ConnectionStringAsync();
        var options = new EventStoreOptions
        {
            Schema = "es_" + Guid.NewGuid().ToString("N")[..20],
            ConnectionString = connectionString,
        };
        options.Events.AddFromNamespaceOf<TestEvents.TripStarted>();
        configure?.Invoke(options);
        var store = new DocumentStore(options);
        await store.MigrateAsync();
        return new StoreFixture(store, connectionString);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", Schema, StringComparison.Ordinal), connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public ProjectionDaemon Daemon() => new(Store);

    public async ValueTask DisposeAsync()
    {
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"drop schema if exists {Schema} cascade", connection);
            await command.ExecuteNonQueryAsync();
        }

        await Store.DisposeAsync();
    }
}
