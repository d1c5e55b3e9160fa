using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Referrals.EventStore.Telemetry;
using Referrals.ServiceDefaults.Auth;
using Referrals.ServiceDefaults.Health;
using Referrals.ServiceDefaults.Problems;
using Referrals.ServiceDefaults.Telemetry;

namespace Referrals.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Everything every service shares: telemetry (traces, metrics, logs with trace ids and no personal data), RFC 9457
    /// problem details, JWT bearer authentication with the platform's roles, health checks, OpenAPI and a clock.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        var serviceName = builder.Environment.ApplicationName;
        // Fail at start, not at the first date: without UK time zone data every UK date and time would be wrong.
        _ = Referrals.SharedKernel.UkTime.Zone;
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });

        var telemetry = builder.Services.AddTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(t => t
                .AddSource("Microsoft.AspNetCore", "System.Net.Http", "MassTransit", "Npgsql", EventStoreTelemetry.Name, ReferralsTelemetry.Name)
                .SetSampler(new AlwaysOnSampler()))
            .WithMetrics(m => m.AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http",
                "System.Runtime", "MassTransit", "Npgsql", EventStoreTelemetry.Name, ReferralsTelemetry.Name));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddReferralsProblemDetails();
        builder.AddReferralsAuthentication();
        builder.Services.AddReferralsHealth();
        builder.Services.AddOpenApi();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize =
            builder.Configuration.GetValue<long?>("Http:MaxRequestBodyBytes") ?? 256 * 1024);
        return builder;
    }

    /// <summary>The shared pipeline: problem details, authentication, health endpoints and the OpenAPI document.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseReferralsProblemDetails();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapReferralsHealth();
        app.MapOpenApi().AllowAnonymous();
        return app;
    }
}
