using Npgsql;
using Referrals.Testing;

namespace Referrals.Platform.Tests;

public sealed class PostgresIsolationTests
{
    [Fact]
    public async Task Two_isolated_schemas_do_not_see_each_others_tables()
    {
        var endpoints = await TestInfrastructure.EnsureStartedAsync();
        await using var first = await IsolatedPostgresSchema.CreateAsync(endpoints, "isolation");
        await using var second = await IsolatedPostgresSchema.CreateAsync(endpoints, "isolation");

        // Same unqualified table name in both; each connection string's search path picks its own schema.
        await ExecuteAsync(first.ConnectionString, "create table referral (id int primary key); insert into referral values (1), (2)");
        await ExecuteAsync(second.ConnectionString, "create table referral (id int primary key); insert into referral values (3)");
        await ExecuteAsync(first.ConnectionString, "create table only_in_first (id int)");

        Assert.NotEqual(first.SchemaName, second.SchemaName);
        Assert.Equal(2L, await ScalarAsync<long>(first.ConnectionString, "select count(*) from referral"));
        Assert.Equal(1L, await ScalarAsync<long>(second.ConnectionString, "select count(*) from referral"));
        Assert.Equal(3, await ScalarAsync<int>(second.ConnectionString, "select id from referral"));
        Assert.True(await ScalarAsync<bool>(second.ConnectionString, "select to_regclass('only_in_first') is null"));
        Assert.Equal(first.SchemaName, await ScalarAsync<string>(first.ConnectionString, "select current_schema()"));
    }

    [Fact]
    public async Task Disposing_an_isolated_schema_drops_it_with_its_tables()
    {
        var endpoints = await TestInfrastructure.EnsureStartedAsync();
        var schema = await IsolatedPostgresSchema.CreateAsync(endpoints, "dispose");
        await ExecuteAsync(schema.ConnectionString, "create table journey (id uuid primary key)");
        Assert.True(await SchemaExistsAsync(endpoints, schema.SchemaName));

        await schema.DisposeAsync();

        Assert.False(await SchemaExistsAsync(endpoints, schema.SchemaName));
    }

    [Fact]
    public async Task Disposing_an_isolated_schema_ends_a_session_that_still_holds_a_lock_in_it_and_drops_it()
    {
        var endpoints = await TestInfrastructure.EnsureStartedAsync();
        var schema = await IsolatedPostgresSchema.CreateAsync(endpoints, "held");
        await ExecuteAsync(schema.ConnectionString, "create table outbox (seq bigint primary key); insert into outbox values (1)");
        // Like a host that outlived its disposal: a transaction left open with a row locked in the schema.
        await using var lingering = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(schema.ConnectionString) { Pooling = false }.ConnectionString);
        await lingering.OpenAsync();
        await using var tx = await lingering.BeginTransactionAsync();
        await using (var claim = new NpgsqlCommand("select seq from outbox for update", lingering, tx))
        {
            await claim.ExecuteScalarAsync();
        }

        await schema.DisposeAsync();

        Assert.False(await SchemaExistsAsync(endpoints, schema.SchemaName));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => new NpgsqlCommand("select 1", lingering, tx).ExecuteScalarAsync());
    }

    [Fact]
    public async Task Isolated_database_is_created_and_dropped_even_while_a_connection_is_open()
    {
        var endpoints = await TestInfrastructure.EnsureStartedAsync();
        var database = await IsolatedPostgresDatabase.CreateAsync(endpoints, "db");
        await using var open = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await open.OpenAsync();
        Assert.Equal(database.DatabaseName, await ScalarAsync<string>(database.ConnectionString, "select current_database()"));

        await database.DisposeAsync();

        Assert.False(await ScalarAsync<bool>(
            endpoints.PostgresConnectionString, $"select exists(select from pg_database where datname = '{database.DatabaseName}')"));
    }

    [Theory]
    [InlineData("triage")]
    [InlineData("Support-Plan Tests!")]
    [InlineData("a_prefix_that_is_much_too_long_to_fit_into_a_postgres_identifier")]
    [InlineData("")]
    public void Isolated_names_are_unique_lower_case_identifiers_of_at_most_63_characters(string prefix)
    {
        var first = IsolatedNames.Create(prefix);
        var second = IsolatedNames.Create(prefix);

        Assert.NotEqual(first, second);
        Assert.Matches("^t_[a-z0-9_]+_[0-9a-f]{32}$", first);
        Assert.InRange(first.Length, 1, IsolatedNames.MaxLength);
    }

    private static async Task<bool> SchemaExistsAsync(InfrastructureEndpoints endpoints, string schema) =>
        await ScalarAsync<bool>(
            endpoints.PostgresConnectionString, $"select exists(select from pg_namespace where nspname = '{schema}')");

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
