using Npgsql;
using Referrals.EventStore.Tests.TestEvents;

namespace Referrals.EventStore.Tests.Schema;

public sealed class ComputedIndexTests
{
    private static void TripIndexes(EventStoreOptions o)
    {
        o.Projections.Snapshot<Trip>(ProjectionLifecycle.Inline);
        o.Documents
            .Index<Trip>("by_destination_miles", ["data->>'destination'", "(data->>'miles')::int"])
            .Index<Trip>("ended", ["data->>'destination'"], where: "(data->>'ended')::boolean")
            .Index<Trip>("by_when", [$"{StoreFunctions.ImmutableTimestamp}(data->>'when')"])
            .Index<Trip>("long", [], where: "(data->>'miles')::int > 100");
    }

    private static string PhysicalName(EventStoreOptions options, string name) =>
        options.Documents.For<Trip>().Indexes.Single(i => i.Name == name).PhysicalName;

    private static async Task<string?> IndexDefinitionAsync(StoreFixture fixture, string physicalName)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select indexdef from pg_indexes where schemaname = $1 and indexname = $2", connection)
        {
            Parameters = { new() { Value = fixture.Schema }, new() { Value = physicalName } },
        };
        return (string?)await command.ExecuteScalarAsync();
    }

    private static async Task<List<string>> IndexNamesAsync(StoreFixture fixture)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select indexname from pg_indexes where schemaname = $1 and tablename = 'mt_doc_trip' order by indexname", connection)
        {
            Parameters = { new() { Value = fixture.Schema } },
        };
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task<DocumentStore> MigratedStoreAsync(StoreFixture fixture, Action<EventStoreOptions> configure)
    {
        var options = new EventStoreOptions { Schema = fixture.Schema, ConnectionString = fixture.ConnectionString };
        options.Events.AddFromNamespaceOf<TripStarted>();
        configure(options);
        var store = new DocumentStore(options);
        await store.MigrateAsync();
        return store;
    }

    [Fact]
    public async Task The_migration_creates_each_computed_index_on_the_tenant_then_its_expressions_if_any_with_its_predicate_and_the_store_functions_qualified()
    {
        await using var fixture = await StoreFixture.CreateAsync(TripIndexes);
        string Named(string name) => PhysicalName(fixture.Store.Options, name);

        Assert.Equal($"CREATE INDEX {Named("by_destination_miles")} ON {fixture.Schema}.mt_doc_trip USING btree (tenant_id, ((data ->> 'destination'::text)), (((data ->> 'miles'::text))::integer))",
            await IndexDefinitionAsync(fixture, Named("by_destination_miles")));
        Assert.Equal($"CREATE INDEX {Named("ended")} ON {fixture.Schema}.mt_doc_trip USING btree (tenant_id, ((data ->> 'destination'::text))) WHERE ((data ->> 'ended'::text))::boolean",
            await IndexDefinitionAsync(fixture, Named("ended")));
        Assert.Equal($"CREATE INDEX {Named("by_when")} ON {fixture.Schema}.mt_doc_trip USING btree (tenant_id, {fixture.Schema}.mt_immutable_timestamptz((data ->> 'when'::text)))",
            await IndexDefinitionAsync(fixture, Named("by_when")));
        Assert.Equal($"CREATE INDEX {Named("long")} ON {fixture.Schema}.mt_doc_trip USING btree (tenant_id) WHERE (((data ->> 'miles'::text))::integer > 100)",
            await IndexDefinitionAsync(fixture, Named("long")));
        Assert.StartsWith("cx_mt_doc_trip_by_when_", Named("by_when"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_index_added_to_a_store_that_already_has_its_table_is_created_by_the_next_migration()
    {
        await using var fixture = await StoreFixture.CreateAsync(o => o.Projections.Snapshot<Trip>(ProjectionLifecycle.Inline));
        Assert.DoesNotContain(await IndexNamesAsync(fixture), n => n.StartsWith("cx_", StringComparison.Ordinal));

        await using var upgraded = await MigratedStoreAsync(fixture, TripIndexes);

        Assert.NotNull(await IndexDefinitionAsync(fixture, PhysicalName(upgraded.Options, "ended")));
    }

    [Fact]
    public async Task A_changed_index_replaces_the_old_one_and_an_index_no_longer_declared_is_dropped()
    {
        await using var fixture = await StoreFixture.CreateAsync(TripIndexes);
        var before = await IndexNamesAsync(fixture);

        await using var changed = await MigratedStoreAsync(fixture, o => o.Documents
            .Index<Trip>("ended", ["data->>'destination'", "(data->>'miles')::int"], where: "(data->>'ended')::boolean"));

        var after = await IndexNamesAsync(fixture);
        Assert.Equal([PhysicalName(changed.Options, "ended")], after.Where(n => n.StartsWith("cx_", StringComparison.Ordinal)));
        Assert.DoesNotContain(PhysicalName(fixture.Store.Options, "ended"), after);
        Assert.Contains("ix_mt_doc_trip_person", after);
        Assert.Contains("ix_mt_doc_trip_person", before);
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("Pacific/Auckland")]
    [InlineData("America/Los_Angeles")]
    public async Task The_immutable_timestamp_reads_a_stored_timestamp_as_the_same_instant_in_every_session_time_zone(string timeZone)
    {
        await using var fixture = await StoreFixture.CreateAsync();

        var seconds = await fixture.ScalarAsync(
            $"set timezone to '{timeZone}'; select extract(epoch from {{schema}}.mt_immutable_timestamptz('2026-06-01T09:30:00.1234567+01:00'))::bigint");

        Assert.Equal(new DateTimeOffset(2026, 6, 1, 8, 30, 0, TimeSpan.Zero).ToUnixTimeSeconds(), seconds);
    }

    [Fact]
    public void A_session_qualifies_bare_calls_of_the_store_functions_only()
    {
        Assert.Equal("s1.mt_immutable_timestamptz(data->>'a') < other.mt_immutable_timestamptz(x) and s1.mt_immutable_timestamptz(y)",
            StoreFunctions.Qualify("mt_immutable_timestamptz(data->>'a') < other.mt_immutable_timestamptz(x) and mt_immutable_timestamptz (y)", "s1"));
        Assert.Equal("my_mt_immutable_timestamptz(x)", StoreFunctions.Qualify("my_mt_immutable_timestamptz(x)", "s1"));
    }

    [Fact]
    public void An_index_name_must_be_a_safe_identifier_and_cannot_be_given_two_definitions()
    {
        var documents = new DocumentRegistry();
        Assert.Throws<ArgumentException>(() => documents.Index<Trip>("by destination; drop table x", ["data->>'destination'"]));

        documents.Index<Trip>("by_destination", ["data->>'destination'"]).Index<Trip>("by_destination", ["data->>'destination'"]);
        Assert.Single(documents.For<Trip>().Indexes);
        Assert.Throws<EventStoreException>(() => documents.Index<Trip>("by_destination", ["data->>'miles'"]));
    }
}
