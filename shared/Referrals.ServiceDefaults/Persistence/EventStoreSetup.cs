using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Referrals.EventStore;

namespace Referrals.ServiceDefaults.Persistence;

public static class EventStoreSetup
{
    /// <summary>
    /// The service's event store on PostgreSQL (ConnectionStrings:Postgres), in its own schema (EventStore:Schema, default
    /// <paramref name="defaultSchema"/>), with the platform's personal-data conventions and blind index key.
    /// </summary>
    public static WebApplicationBuilder AddReferralsEventStore(this WebApplicationBuilder builder, string defaultSchema,
        Action<EventStoreOptions> configure)
    {
        var connectionString = builder.Configuration.GetConnectionString("Postgres")
                               ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not set.");
        builder.Services.AddSingleton(_ => DocumentStore.CreateDataSource(connectionString, defaultSchema));
        builder.Services.AddEventStore((sp, options) =>
        {
            options.Schema = builder.Configuration["EventStore:Schema"] ?? defaultSchema;
            options.Time = sp.GetRequiredService<TimeProvider>();
            configure(options);
        });
        builder.Services.AddSingleton(_ => BlindIndex.FromBase64(
            builder.Configuration["PersonalData:BlindIndexKey"]
            ?? throw new InvalidOperationException("PersonalData:BlindIndexKey is not set (a base64 256-bit secret).")));
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        return builder;
    }
}

internal sealed class PostgresHealthCheck(NpgsqlDataSource dataSource, EventStoreReadiness readiness)
    : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.IsMigrated)
        {
            return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("Event store schema not migrated yet");
        }

        try
        {
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy("PostgreSQL unreachable: " + ex.GetType().Name);
        }
    }
}
