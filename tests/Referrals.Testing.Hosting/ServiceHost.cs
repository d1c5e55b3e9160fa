using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Referrals.ServiceDefaults.Auth;

namespace Referrals.Testing.Hosting;

/// <summary>
/// Hosts one service in-process against the real servers: its own PostgreSQL schema, a virtual host shared with the
/// other services of the same test, development tokens, and optionally a test clock and an in-memory span exporter.
/// </summary>
public sealed class ServiceHost<TProgram> : WebApplicationFactory<TProgram> where TProgram : class
{
    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider? _clock;
    private readonly InMemorySpanExporter? _spans;
    private readonly Action<IServiceCollection>? _configureServices;
    private readonly string _environment;

    public ServiceHost(
        InfrastructureEndpoints infrastructure,
        Uri virtualHost,
        string schema,
        TimeProvider? clock = null,
        InMemorySpanExporter? spans = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null,
        string environment = "Testing")
    {
        _environment = environment;
        _clock = clock;
        _spans = spans;
        _configureServices = configureServices;
        Schema = schema;
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = infrastructure.PostgresConnectionString,
            ["ConnectionStrings:RabbitMq"] = virtualHost.ToString(),
            ["EventStore:Schema"] = schema,
            ["Auth:AllowDevelopmentTokens"] = "true",
            ["Auth:DevelopmentSigningKey"] = DevelopmentTokens.DefaultKey,
            ["PersonalData:BlindIndexKey"] = TestSecrets.BlindIndexKey,
            ["Messaging:RetryIntervalsMilliseconds:0"] = "50",
            ["Messaging:RetryIntervalsMilliseconds:1"] = "200",
            ["Messaging:RetryIntervalsMilliseconds:2"] = "500",
            ["Messaging:RetryIntervalsMilliseconds:3"] = "1000",
            ["Messaging:RetryIntervalsMilliseconds:4"] = "2000",
            ["Messaging:OutOfOrderWaitMilliseconds"] = "1000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string Schema { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            if (_clock is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(_clock);
            }

            if (_spans is not null)
            {
                services.ConfigureOpenTelemetryTracerProvider(t => t.AddProcessor(new SimpleActivityExportProcessor(_spans)));
            }

            _configureServices?.Invoke(services);
        });
    }

    /// <summary>A client carrying a development token with the given role and claims.</summary>
    public HttpClient ClientFor(string role, params (string Type, string Value)[] claims) =>
        WithToken(CreateClient(), Tokens.For(role, claims));

    public HttpClient AnonymousClient() => CreateClient();

    public static HttpClient WithToken(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

public static class Tokens
{
    public static string For(string role, params (string Type, string Value)[] claims) =>
        DevelopmentTokens.Create(DevelopmentTokens.DefaultKey, $"{role}-{Guid.NewGuid():N}"[..24], [role],
            claims.Select(c => new KeyValuePair<string, string>(c.Type, c.Value)));
}

public static class TestSecrets
{
    /// <summary>A fixed 256-bit blind-index key for tests (never a production secret).</summary>
    public const string BlindIndexKey = "dGVzdC1ibGluZC1pbmRleC1rZXktMzItYnl0ZXMtbG9uZyE=";
}
