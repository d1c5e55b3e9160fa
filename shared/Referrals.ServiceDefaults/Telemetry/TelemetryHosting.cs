using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Referrals.ServiceDefaults.Telemetry;

/// <summary>
/// Stands in for OpenTelemetry.Extensions.Hosting, which the package feed here does not carry. Like the real
/// <c>AddOpenTelemetry()</c> it returns an <see cref="IOpenTelemetryBuilder"/> for the core <c>WithTracing</c>/<c>WithMetrics</c>
/// extensions, and registers a hosted service, first in line, that builds the providers at start-up. The providers are
/// singletons, so disposing the container flushes the exporters.
/// </summary>
public static class TelemetryHosting
{
    public static IOpenTelemetryBuilder AddTelemetry(this IServiceCollection services)
    {
        _ = Sdk.SuppressInstrumentation; // runs Sdk's static constructor: W3C ids and the default propagators
        services.AddOptions();
        if (!services.Any(d => d.ImplementationType == typeof(TelemetryHostedService)))
        {
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService, TelemetryHostedService>());
        }

        return new TelemetryBuilder(services);
    }

    private sealed class TelemetryBuilder(IServiceCollection services) : IOpenTelemetryBuilder
    {
        public IServiceCollection Services => services;
    }

    private sealed class TelemetryHostedService(IServiceProvider provider) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = provider.GetService<TracerProvider>();
            _ = provider.GetService<MeterProvider>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
