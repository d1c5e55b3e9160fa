using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.DataProtection;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.AccessAudit;

/// <summary>One access to a journey: who, when, what (read or write, and which operation), why (the basis and stated purpose).</summary>
public sealed record AccessAuditEntry(
    long Id,
    DateTimeOffset At,
    string UserId,
    IReadOnlyList<string> Roles,
    Guid? JourneyId,
    AccessKind Access,
    string Operation,
    bool Allowed,
    string Basis,
    string? Purpose,
    string? TraceId);

/// <summary>
/// The append-only access audit: every read and write of a journey, allowed or refused, in a table of its own (never the
/// journey stream, so reading a journey does not change its version or ETag). A trigger refuses UPDATE, DELETE and TRUNCATE.
/// Entries hold identifiers only, never personal data. Recording fails closed: if the audit cannot be written, the access fails.
/// </summary>
public sealed class AccessAuditLog(NpgsqlDataSource dataSource, EventStoreOptions storeOptions, TimeProvider clock)
{
    /// <summary>The optional request header in which a client states why it is accessing the journey (e.g. "supervision").</summary>
    public const string PurposeHeader = "X-Access-Purpose";

    private const int MaxPurposeLength = 200;

    private string Table => $"{storeOptions.Schema}.access_audit";

    public async Task MigrateAsync(CancellationToken ct)
    {
        var s = storeOptions.Schema;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var lockCommand = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))", connection, tx))
        {
            lockCommand.Parameters.AddWithValue("referrals-access-audit-migration:" + s);
            await lockCommand.ExecuteNonQueryAsync(ct);
        }

        await using (var ddl = new NpgsqlCommand($"""
            create schema if not exists {s};
            create table if not exists {s}.access_audit (
                id bigint generated always as identity primary key,
                at timestamptz not null,
                user_id varchar not null,
                roles varchar[] not null,
                journey_id uuid null,
                access varchar not null,
                operation varchar not null,
                allowed boolean not null,
                basis varchar not null,
                purpose varchar null,
                trace_id varchar null
            );
            create index if not exists ix_access_audit_journey on {s}.access_audit (journey_id, id);
            create or replace function {s}.access_audit_is_append_only() returns trigger language plpgsql as $$
            begin
                raise exception 'access_audit is append-only';
            end $$;
            create or replace trigger access_audit_no_update before update or delete on {s}.access_audit
                for each row execute function {s}.access_audit_is_append_only();
            create or replace trigger access_audit_no_truncate before truncate on {s}.access_audit
                for each statement execute function {s}.access_audit_is_append_only();
            """, connection, tx))
        {
            await ddl.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
    }

    /// <summary>Records one access to each of <paramref name="journeyIds"/> (none: an access to a list that held no journey).</summary>
    public async Task RecordAsync(ClaimsPrincipal user, HttpContext? http, IReadOnlyCollection<Guid> journeyIds, AccessKind access,
        string operation, AccessDecision decision, CancellationToken ct)
    {
        var purpose = http?.Request.Headers[PurposeHeader].ToString();
        purpose = string.IsNullOrWhiteSpace(purpose) ? null : purpose.Trim()[..Math.Min(purpose.Trim().Length, MaxPurposeLength)];
        var roles = user.FindAll(ReferralsClaims.Role).Select(c => c.Value).ToArray();
        Guid?[] ids = journeyIds.Count == 0 ? [null] : journeyIds.Select(id => (Guid?)id).ToArray();

        await using var command = dataSource.CreateCommand($"""
            insert into {Table} (at, user_id, roles, journey_id, access, operation, allowed, basis, purpose, trace_id)
            select $1, $2, $3, j, $5, $6, $7, $8, $9, $10 from unnest($4::uuid[]) as j
            """);
        command.Parameters.AddWithValue(clock.GetUtcNow());
        command.Parameters.AddWithValue(user.UserId());
        command.Parameters.Add(new NpgsqlParameter { Value = roles, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.AddWithValue(access.ToString());
        command.Parameters.AddWithValue(operation);
        command.Parameters.AddWithValue(decision.Allowed);
        command.Parameters.AddWithValue(decision.Basis);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)purpose ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        command.Parameters.Add(new NpgsqlParameter
        {
            Value = (object?)Activity.Current?.TraceId.ToString() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar,
        });
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<AccessAuditEntry>> ForJourneyAsync(Guid journeyId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            select id, at, user_id, roles, journey_id, access, operation, allowed, basis, purpose, trace_id
              from {Table} where journey_id = $1 order by id
            """);
        command.Parameters.AddWithValue(journeyId);
        var entries = new List<AccessAuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            entries.Add(new AccessAuditEntry(
                reader.GetInt64(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetString(2),
                reader.GetFieldValue<string[]>(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4),
                Enum.Parse<AccessKind>(reader.GetString(5)),
                reader.GetString(6),
                reader.GetBoolean(7),
                reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
        }

        return entries;
    }
}

/// <summary>
/// The access audit of the person's journeys in support-plan's subject access export: who read or changed their record,
/// when and on what basis (UK GDPR Article 15). Entries hold identifiers only.
/// </summary>
public sealed class AccessAuditExport(AccessAuditLog log, IDocumentStore store, IOptions<JsonOptions> json) : IPersonalDataSource
{
    public string Name => "accessAudit";

    public async Task<JsonElement> ExportAsync(Guid personId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var entries = new List<AccessAuditEntry>();
        foreach (var journey in (await session.QueryAsync<Journey>("person_id = ?", [personId], ct)).OrderBy(j => j.Id))
        {
            entries.AddRange(await log.ForJourneyAsync(journey.Id, ct));
        }

        // Written as the service's HTTP answers are (camel case, enums by name).
        return JsonSerializer.SerializeToElement(entries.OrderBy(e => e.Id), json.Value.SerializerOptions);
    }
}

/// <summary>Creates the access audit table at start-up, before the service takes requests.</summary>
internal sealed class AccessAuditMigration(AccessAuditLog log, ILogger<AccessAuditMigration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await log.MigrateAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException ex) when (attempt < 30)
            {
                logger.LogWarning("Access audit migration attempt {Attempt} failed ({Error}); retrying", attempt, ex.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
