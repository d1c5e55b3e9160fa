using Npgsql;

namespace Referrals.EventStore.Schema;

/// <summary>
/// Creates or upgrades the store's objects idempotently. Runs under a transaction-scoped advisory lock,
/// so several instances starting at once apply it one after another.
/// </summary>
internal static class SchemaMigrator
{
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, EventStoreOptions options, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var lockCommand = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))", connection, tx))
        {
            lockCommand.Parameters.AddWithValue("referrals-event-store-migration:" + options.Schema);
            await lockCommand.ExecuteNonQueryAsync(ct);
        }

        await using (var ddl = new NpgsqlCommand(Ddl(options), connection, tx))
        {
            await ddl.ExecuteNonQueryAsync(ct);
        }

        foreach (var document in options.Documents.All)
        {
            await using var docDdl = new NpgsqlCommand(DocumentDdl(options.Schema, document), connection, tx);
            await docDdl.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
    }

    internal static string DocumentDdl(string schema, DocumentMapping document) => $"""
        create table if not exists {schema}.{document.TableName} (
            tenant_id varchar not null default '{EventStoreOptions.DefaultTenantId}',
            id varchar not null,
            data jsonb not null,
            person_id uuid null,
            version bigint not null default 1,
            last_modified timestamptz not null default transaction_timestamp(),
            constraint pk_{document.TableName} primary key (tenant_id, id)
        );
        create index if not exists ix_{document.TableName}_person on {schema}.{document.TableName} (person_id) where person_id is not null;
        {string.Concat(document.Indexes.Select(index => StoreFunctions.Qualify(
            $"create index if not exists {index.PhysicalName} on {schema}.{document.TableName} " +
            $"(tenant_id{index.Expressions}){(index.Where is null ? "" : $" where {index.Where}")};\n", schema)))}
        do $drop$
        declare stale record;
        begin
            for stale in select indexname from pg_indexes
                          where schemaname = '{schema}' and tablename = '{document.TableName}'
                            and left(indexname, {DocumentIndex.PrefixFor(document.TableName).Length}) = '{DocumentIndex.PrefixFor(document.TableName)}'
                            and indexname <> all(array[{string.Join(", ", document.Indexes.Select(i => $"'{i.PhysicalName}'").Append("''"))}])
            loop
                execute format('drop index %I.%I', '{schema}', stale.indexname);
            end loop;
        end
        $drop$;
        """;

    private static string Ddl(EventStoreOptions options)
    {
        var s = options.Schema;
        var defaultTenant = EventStoreOptions.DefaultTenantId;
        return $$"""
        create schema if not exists {{s}};

        create table if not exists {{s}}.mt_streams (
            tenant_id varchar not null default '{{defaultTenant}}',
            id uuid not null,
            type varchar null,
            version bigint not null default 0,
            timestamp timestamptz not null default now(),
            created timestamptz not null default now(),
            is_archived boolean not null default false,
            constraint pk_mt_streams primary key (tenant_id, id)
        );

        create sequence if not exists {{s}}.mt_events_sequence;

        create table if not exists {{s}}.mt_events (
            seq_id bigint not null,
            id uuid not null,
            stream_id uuid not null,
            version bigint not null,
            data jsonb not null,
            type varchar(500) not null,
            timestamp timestamptz not null default now(),
            tenant_id varchar not null default '{{defaultTenant}}',
            mt_dotnet_type varchar null,
            correlation_id varchar null,
            causation_id varchar null,
            headers jsonb null,
            is_archived boolean not null default false,
            constraint pk_mt_events primary key (seq_id),
            constraint fkey_mt_events_stream_id foreign key (tenant_id, stream_id)
                references {{s}}.mt_streams (tenant_id, id) on delete cascade
        );
        alter sequence {{s}}.mt_events_sequence owned by {{s}}.mt_events.seq_id;
        create unique index if not exists pk_mt_events_stream_and_version on {{s}}.mt_events (tenant_id, stream_id, version);

        create table if not exists {{s}}.mt_event_progression (
            name varchar not null primary key,
            last_seq_id bigint null,
            last_updated timestamptz null default transaction_timestamp()
        );

        create table if not exists {{s}}.mt_high_water_skips (
            seq_id bigint not null primary key,
            skipped_at timestamptz not null default now()
        );

        create table if not exists {{s}}.mt_outbox (
            seq bigserial primary key,
            message_id uuid not null,
            tenant_id varchar not null default '{{defaultTenant}}',
            stream_id uuid null,
            stream_version bigint null,
            stream_key uuid generated always as (coalesce(stream_id, message_id)) stored,
            person_id uuid null,
            message_type varchar not null,
            body jsonb not null,
            headers jsonb null,
            destination varchar null,
            created timestamptz not null default now(),
            attempts integer not null default 0,
            last_error varchar null,
            not_before timestamptz null,
            constraint uq_mt_outbox_message_id unique (message_id)
        );
        create index if not exists ix_mt_outbox_stream on {{s}}.mt_outbox (stream_key, stream_version, seq);
        create index if not exists ix_mt_outbox_person on {{s}}.mt_outbox (person_id) where person_id is not null;

        create table if not exists {{s}}.mt_inbox (
            consumer varchar not null,
            message_id uuid not null,
            received timestamptz not null default now(),
            constraint pk_mt_inbox primary key (consumer, message_id)
        );
        create index if not exists ix_mt_inbox_received on {{s}}.mt_inbox (received);

        create table if not exists {{s}}.mt_timers (
            id uuid not null primary key,
            key varchar not null,
            tenant_id varchar not null default '{{defaultTenant}}',
            due_at timestamptz not null,
            message_type varchar not null,
            body jsonb not null,
            headers jsonb null,
            stream_id uuid null,
            person_id uuid null,
            created timestamptz not null default now(),
            fired_at timestamptz null,
            cancelled_at timestamptz null,
            constraint uq_mt_timers_key unique (key)
        );
        create index if not exists ix_mt_timers_due on {{s}}.mt_timers (due_at) where fired_at is null and cancelled_at is null;
        create index if not exists ix_mt_timers_person on {{s}}.mt_timers (person_id) where person_id is not null;

        create table if not exists {{s}}.mt_person_keys (
            person_id uuid not null primary key,
            key bytea null,
            created timestamptz not null default now(),
            erased_at timestamptz null
        );

        create or replace function {{s}}.mt_append_events(
            p_stream uuid, p_stream_type varchar, p_tenant varchar, p_expected bigint, p_must_start boolean,
            p_ids uuid[], p_types varchar[], p_dotnet_types varchar[], p_bodies jsonb[],
            p_correlation varchar, p_causation varchar, p_headers jsonb)
        returns bigint[] language plpgsql as $fn$
        declare
            v_version bigint;
            v_archived boolean;
            v_result bigint[];
            v_count integer := coalesce(array_length(p_ids, 1), 0);
        begin
            -- Take a transaction id before any sequence number, so the async daemon can tell from the
            -- transaction ids still running whether the owner of a sequence gap is still in flight.
            perform pg_current_xact_id();

            -- Lock and advance the stream in one statement (an UPDATE takes the row lock a SELECT … FOR UPDATE would).
            update {{s}}.mt_streams set version = version + v_count, timestamp = now(), type = coalesce(type, p_stream_type)
             where id = p_stream and tenant_id = p_tenant and not p_must_start
            returning version - v_count, is_archived into v_version, v_archived;

            if not found then
                if p_expected is not null and p_expected <> 0 then
                    raise exception using errcode = 'MT003', message = format('stream %s: unexpected version, actual 0', p_stream);
                end if;
                insert into {{s}}.mt_streams (id, tenant_id, type, version) values (p_stream, p_tenant, p_stream_type, v_count)
                on conflict do nothing;
                if not found then
                    -- The stream exists (must-start), or another writer created it first (its commit is what we waited for).
                    if p_must_start then
                        raise exception using errcode = 'MT001', message = format('stream %s: already exists', p_stream);
                    end if;
                    raise exception using errcode = 'MT003', message = format('stream %s: unexpected version, actual unknown', p_stream);
                end if;
                v_version := 0;
            else
                if v_archived then
                    raise exception using errcode = 'MT002', message = format('stream %s: archived', p_stream);
                end if;
                if p_expected is not null and v_version <> p_expected then
                    raise exception using errcode = 'MT003', message = format('stream %s: unexpected version, actual %s', p_stream, v_version);
                end if;
            end if;

            -- One set-based insert; unnest keeps array order, so sequence numbers and versions rise together.
            with inserted as (
                insert into {{s}}.mt_events (seq_id, id, stream_id, version, data, type, mt_dotnet_type, tenant_id,
                                             correlation_id, causation_id, headers)
                select nextval('{{s}}.mt_events_sequence'), e.id, p_stream, v_version + e.n, e.body, e.type, e.dotnet, p_tenant,
                       p_correlation, p_causation, p_headers
                  from unnest(p_ids, p_types, p_dotnet_types, p_bodies) with ordinality as e(id, type, dotnet, body, n)
                returning seq_id, version)
            select array[v_version + v_count] || coalesce(array_agg(seq_id order by version), array[]::bigint[])
              into v_result from inserted;
            return v_result;
        end
        $fn$;

        {{StoreFunctions.Ddl(s)}}

        create or replace function {{s}}.mt_mark_event_progression(p_name varchar, p_seq bigint) returns void
        language sql as $fn$
            insert into {{s}}.mt_event_progression (name, last_seq_id, last_updated)
            values (p_name, p_seq, transaction_timestamp())
            on conflict (name) do update set last_seq_id = excluded.last_seq_id, last_updated = excluded.last_updated;
        $fn$;
        """;
    }
}
