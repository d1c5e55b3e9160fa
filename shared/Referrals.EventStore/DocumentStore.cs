using System.Diagnostics;
using Npgsql;
using Referrals.EventStore.PersonalData;
using Referrals.EventStore.Schema;

namespace Referrals.EventStore;

public interface IDocumentStore
{
    EventStoreOptions Options { get; }

    /// <summary>A unit of work for one tenant (a social prescribing programme, or the default tenant).</summary>
    IDocumentSession LightweightSession(string? tenantId = null);

    IQuerySession QuerySession(string? tenantId = null);

    /// <summary>Creates or upgrades the schema. Safe to run from several instances at once.</summary>
    Task MigrateAsync(CancellationToken ct = default);
}

/// <summary>The store: one schema on one database. Thread-safe; register as a singleton.</summary>
public sealed class DocumentStore : IDocumentStore, IAsyncDisposable
{
    private readonly bool _ownsDataSource;

    public DocumentStore(EventStoreOptions options, NpgsqlDataSource? dataSource = null)
    {
        Options = options;
        _ownsDataSource = dataSource is null;
        DataSource = dataSource ?? CreateDataSource(options.ConnectionString
            ?? throw new EventStoreException("The event store needs a connection string or a data source."));
        foreach (var projection in options.Projections.All)
        {
            foreach (var type in projection.Projection.DocumentTypes)
            {
                options.Documents.Add(type);
            }
        }

        Protector = new PersonalDataProtector(options);
    }

    public EventStoreOptions Options { get; }

    internal NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// A data source tuned for the store: the same few statements run constantly, so they are auto-prepared; and a
    /// connection going back to the pool is not reset. The reset is seven statements on every close (under load, over a
    /// third of all statements the platform ran); the store leaves no session state to reset: every transaction ends
    /// with commit or rollback, its advisory locks are transaction-scoped, and the one session lock (the daemon leader's)
    /// is released explicitly before its connection closes.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString, string? name = null)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = name };
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        builder.ConnectionStringBuilder.NoResetOnClose = true;

        return builder.Build();
    }

    internal PersonalDataProtector Protector { get; }

    /// <summary>Raised after a commit that wrote outbox rows, so a local relay can deliver at once.</summary>
    internal event Action? OutboxWritten;

    internal void NotifyOutboxWritten() => OutboxWritten?.Invoke();

    public IDocumentSession LightweightSession(string? tenantId = null) =>
        new DocumentSession(this, tenantId ?? EventStoreOptions.DefaultTenantId);

    public IQuerySession QuerySession(string? tenantId = null) => LightweightSession(tenantId);

    public Task MigrateAsync(CancellationToken ct = default) => SchemaMigrator.MigrateAsync(DataSource, Options, ct);

    /// <summary>Erases a person in this store: their key is destroyed, so every personal field they own reads as null.</summary>
    public async Task ErasePersonAsync(Guid personId, CancellationToken ct = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"""
            insert into {Options.Schema}.mt_person_keys (person_id, key, erased_at) values ($1, null, now())
            on conflict (person_id) do update set key = null, erased_at = coalesce({Options.Schema}.mt_person_keys.erased_at, now());
            """, connection);
        command.Parameters.AddWithValue(personId);
        await command.ExecuteNonQueryAsync(ct);
        Telemetry.EventStoreTelemetry.Erasures.Add(1);
    }

    /// <summary>Everything this store holds about one person (subject access), decrypted; nothing about anyone else.</summary>
    public Task<PersonalData.PersonalDataHoldings> ExportPersonAsync(Guid personId, CancellationToken ct = default) =>
        PersonalData.PersonalDataExport.ExportAsync(this, personId, ct);

    public async Task<bool> IsErasedAsync(Guid personId, CancellationToken ct = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select erased_at is not null from {Options.Schema}.mt_person_keys where person_id = $1", connection);
        command.Parameters.AddWithValue(personId);
        return await command.ExecuteScalarAsync(ct) is true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await DataSource.DisposeAsync();
        }
    }

    internal static (string? TraceParent, string? TraceState, string? TraceId, string? SpanId) CurrentTrace()
    {
        var activity = Activity.Current;
        return activity is null ? default : (activity.Id, activity.TraceStateString, activity.TraceId.ToString(), activity.SpanId.ToString());
    }
}
