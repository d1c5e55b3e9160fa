using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Referrals.ServiceDefaults.Messaging.Topology;

namespace Referrals.ServiceDefaults.Health;

internal static class HealthSetup
{
    public static void AddReferralsHealth(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"])
            .AddCheck<TopologyHealthCheck>("topology", tags: ["ready"]);

    /// <summary>/health/live: the process answers. /health/ready: PostgreSQL, RabbitMQ and the deployed topology.</summary>
    public static void MapReferralsHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live"), ResponseWriter = WriteAsync })
            .AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteAsync })
            .AllowAnonymous();
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }
}

internal sealed class TopologyHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(services.GetService<TopologyReadiness>() switch
        {
            null => HealthCheckResult.Healthy("This service uses no broker"),
            { IsDeployed: true } => HealthCheckResult.Healthy(),
            _ => HealthCheckResult.Unhealthy("Broker topology not deployed yet"),
        });
}
