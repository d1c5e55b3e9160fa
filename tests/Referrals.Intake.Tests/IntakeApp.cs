using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Referrals.EventStore;
using Referrals.Intake.Referrals;
using Referrals.ServiceDefaults.Auth;
using Referrals.Testing;
using Referrals.Testing.Hosting;

namespace Referrals.Intake.Tests;

/// <summary>
/// The intake service hosted in-process against the real PostgreSQL (a schema of its own) and RabbitMQ (a virtual host of
/// its own), ready (topology deployed) before the test uses it. Disposing drops both.
/// </summary>
public sealed class IntakeApp : IAsyncDisposable
{
    public const string WebhookKey = "dGVzdC13ZWJob29rLXNpZ25pbmcta2V5LTMyLWJ5dGVzIQ==";

    /// <summary>Header a test sets to choose its client address (for the per-client rate limit).</summary>
    public const string TestRemoteIpHeader = "X-Test-Remote-Ip";

    private static readonly Dictionary<string, string?> BaseSettings = new()
    {
        ["Intake:Webhooks:SecretKey"] = WebhookKey,
        ["Intake:Webhooks:AllowInsecureHttp"] = "true",
        // Test receivers listen on 127.0.0.1; the refusal of internal addresses is tested with this off.
        ["Intake:Webhooks:AllowPrivateAddresses"] = "true",
        ["Intake:SelfReferral:PermitLimit"] = "1000",
        ["Intake:SelfReferral:WindowSeconds"] = "60",
        ["Intake:Programmes:north-leeds:Name"] = "North Leeds Social Prescribing",
        ["Intake:Programmes:north-leeds:Practices:0"] = "B86001",
        ["Intake:Programmes:north-leeds:Practices:1"] = "B86002",
        ["Intake:Programmes:north-leeds:Practices:2"] = "B86003",
        ["Intake:Programmes:north-leeds:Practices:3"] = "B86004",
        ["Intake:Programmes:east-bradford:Name"] = "East Bradford Community Connectors",
        ["Intake:Programmes:east-bradford:Practices:0"] = "B83001",
        ["Intake:Programmes:wellbeing-a:Practices:0"] = "Y99999",
        ["Intake:Programmes:wellbeing-b:Practices:0"] = "Y99999",
    };

    private IntakeApp(ServiceHost<Program> host, IsolatedPostgresSchema schema, IsolatedRabbitVirtualHost vhost, InfrastructureEndpoints infrastructure)
    {
        Host = host;
        Schema = schema;
        VirtualHost = vhost;
        Infrastructure = infrastructure;
    }

    public ServiceHost<Program> Host { get; }

    public IsolatedPostgresSchema Schema { get; }

    public IsolatedRabbitVirtualHost VirtualHost { get; }

    public InfrastructureEndpoints Infrastructure { get; }

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    public static async Task<IntakeApp> StartAsync(Func<InfrastructureEndpoints, IDictionary<string, string?>?>? overrides = null,
        TimeProvider? clock = null)
    {
        var infrastructure = await TestInfrastructure.EnsureStartedAsync();
        var settings = overrides?.Invoke(infrastructure);
        var schema = await IsolatedPostgresSchema.CreateAsync(infrastructure, "intake");
        var vhost = await IsolatedRabbitVirtualHost.CreateAsync(infrastructure, "intake");
        var all = new Dictionary<string, string?>(BaseSettings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var host = new ServiceHost<Program>(infrastructure, vhost.AmqpUri, schema.SchemaName, clock, settings: all,
            configureServices: services => services.AddSingleton<IStartupFilter, TestRemoteIpStartupFilter>());
        var app = new IntakeApp(host, schema, vhost, infrastructure);
        await app.WaitUntilReadyAsync();
        return app;
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = Host.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Intake did not become ready: " + await response.Content.ReadAsStringAsync());
            }

            await Task.Delay(100);
        }
    }

    public HttpClient Referrer(string ods) => Host.ClientFor(Roles.Referrer, (ReferralsClaims.OdsCode, ods));

    public HttpClient Agency(string agencyId) => Host.ClientFor(Roles.Referrer, (ReferralsClaims.AgencyId, agencyId));

    public HttpClient Anonymous() => Host.AnonymousClient();

    public Task<MessageProbe> ProbeAsync(params Type[] types) => MessageProbe.CreateAsync(VirtualHost.AmqpUri, types);

    public Task<TestBus> BusAsync() => TestBus.StartAsync(VirtualHost.AmqpUri);

    /// <summary>A scalar from this service's schema; <c>{schema}</c> in the SQL is replaced by its name.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Infrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", Schema.SchemaName, StringComparison.Ordinal), connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<long> CountEventsAsync(string? type = null) => type is null
        ? ScalarAsync("select count(*) from {schema}.mt_events")
        : ScalarAsync($"select count(*) from {{schema}}.mt_events where type = '{type}'");

    /// <summary>Every text value stored in the schema's tables, concatenated (to prove what is not there).</summary>
    public async Task<string> DumpSchemaTextAsync()
    {
        await using var connection = new NpgsqlConnection(Infrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
                         "select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE'", connection))
        {
            list.Parameters.AddWithValue(Schema.SchemaName);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var text = new StringBuilder();
        foreach (var table in tables)
        {
            await using var dump = new NpgsqlCommand($"select coalesce(string_agg(t::text, E'\\n'), '') from \"{Schema.SchemaName}\".\"{table}\" t", connection);
            text.AppendLine((string?)await dump.ExecuteScalarAsync());
        }

        return text.ToString();
    }

    public async Task<Referral?> LoadReferralAsync(Guid id)
    {
        await using var session = Store.QuerySession();
        return await session.LoadAsync<Referral>(id);
    }

    /// <summary>Waits until the referral satisfies the condition (consumers run asynchronously).</summary>
    public async Task<Referral> WaitForReferralAsync(Guid id, Func<Referral, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var referral = await LoadReferralAsync(id);
            if (referral is not null && condition(referral))
            {
                return referral;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Referral {id} did not reach the expected state; it is {referral?.Status}.");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Schema.DisposeAsync();
    }

    private sealed class TestRemoteIpStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(TestRemoteIpHeader, out var value) && IPAddress.TryParse(value, out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>HTTP helpers for tests.</summary>
public static class Http
{
    public static StringContent Json(JsonNode node, string mediaType = "application/json") =>
        new(node.ToJsonString(), Encoding.UTF8, mediaType);

    public static StringContent Raw(string body, string mediaType = "application/json") => new(body, Encoding.UTF8, mediaType);

    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static async Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, JsonNode body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    public static Guid ReferralId(this JsonObject body) => body["referralId"]!.GetValue<Guid>();

    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static Task<T?> ReadAsAsync<T>(this HttpResponseMessage response) => response.Content.ReadFromJsonAsync<T>(Web);
}
