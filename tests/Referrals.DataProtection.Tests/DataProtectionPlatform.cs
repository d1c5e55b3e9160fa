using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Referrals.Contracts.Intake;
using Referrals.Deploy.Journeys;
using Referrals.ServiceDefaults.Auth;
using Referrals.Testing.Hosting;
using Referrals.Testing.Hosting.Platform;

namespace Referrals.DataProtection.Tests;

/// <summary>The four services as processes, shared by the subject-rights tests, with a probe that learns each referral's person id.</summary>
public sealed class DataProtectionPlatform : IAsyncLifetime
{
    public const string Practice = "B86001";
    public const string Programme = "north-leeds";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public ProcessPlatform Platform { get; private set; } = null!;

    public PlatformClient Client => Platform.Client;

    public MessageProbe Submissions { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Platform = await ProcessPlatform.StartAsync();
        Submissions = await MessageProbe.CreateAsync(Platform.VirtualHost.AmqpUri, typeof(ReferralSubmitted));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await Submissions.DisposeAsync();
        await Platform.DisposeAsync();
    }

    public static string OfficerToken(string id = "dpo-1") =>
        DevelopmentTokens.Create(DevelopmentTokens.DefaultKey, id, [Roles.DataProtectionOfficer], []);

    /// <summary>A family name no fixture or other person shares: if it is anywhere, it is this person's.</summary>
    public static string Canary() =>
        "Canary" + new string(Enumerable.Range(0, 10).Select(_ => (char)('a' + Random.Shared.Next(26))).ToArray());

    public sealed record Person(Guid PersonId, Guid ReferralId, string NhsNumber, string Canary, Guid JourneyId, Worker Worker);

    /// <summary>Refers a person with a canary family name; the journey opens with the assigned worker.</summary>
    public async Task<Person> ReferAndOpenAsync(string? canary = null)
    {
        canary ??= Canary();
        var nhsNumber = ReferralForms.NewNhsNumber();
        var referralId = await Client.SubmitReferralAsync(ReferralForms.GpReferral(Practice, Programme, nhsNumber, familyName: canary));
        var submitted = await Submissions.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == referralId, TimeSpan.FromSeconds(60));
        var (assignmentId, worker) = await Client.WaitForAssignmentAsync(referralId, Programme);
        await Client.AcceptAsync(assignmentId, worker);
        var journeyId = await Client.WaitForOpenJourneyAsync(referralId, worker);
        return new Person(submitted.PersonId, referralId, nhsNumber, canary, journeyId, worker);
    }

    /// <summary>The journey's full course: contact, agreement, measures, plan, connection, closure.</summary>
    public async Task RunToClosureAsync(Person person)
    {
        await Client.JourneyCommandAsync(person.JourneyId, person.Worker, "contacts",
            new { kind = "FaceToFaceCommunity", outcome = "Attended", durationMinutes = 45, venue = "Library" });
        await Client.JourneyCommandAsync(person.JourneyId, person.Worker, "agreement", null);
        await Client.JourneyCommandAsync(person.JourneyId, person.Worker, "outcome-measures",
            new { instrument = "Swemwbs", point = "Baseline", items = new[] { 2, 3, 2, 3, 2, 3, 2 } });
        await Client.JourneyCommandAsync(person.JourneyId, person.Worker, "plan/goals",
            new { description = "Walk with the Tuesday group", targetDate = DateTime.UtcNow.AddMonths(2).ToString("yyyy-MM-dd") });
        await Client.JourneyCommandAsync(person.JourneyId, person.Worker, "plan/agreement", new { personAgreed = true });
        await Client.JourneyCommandAsync(person.JourneyId, person.Worker, "outcome-measures",
            new { instrument = "Swemwbs", point = "Closing", items = new[] { 4, 4, 3, 4, 3, 4, 4 } });
        await Client.JourneyCommandAsync(person.JourneyId, person.Worker, "closure", new { reason = "GoalsMet", note = "Connected" });
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, Uri service, string path, string token,
        object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(service, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>The subject access package (intake gathers the four services' exports).</summary>
    public async Task<JsonElement> SubjectAccessAsync(Guid personId)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, Platform.Addresses.Intake, $"/people/{personId}/subject-access", OfficerToken());
        Assert.True(status == HttpStatusCode.OK, $"subject access answered {(int)status}: {body}");
        return body;
    }

    public static JsonElement Part(JsonElement package, string service) =>
        package.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == service);

    /// <summary>Waits until the package satisfies <paramref name="done"/> (the services apply events asynchronously).</summary>
    public Task<JsonElement> WaitForPackageAsync(Guid personId, Func<JsonElement, bool> done, string what) =>
        Client.PollAsync(() => SubjectAccessAsync(personId), done, what);

    public static bool Holds(JsonElement part, string text) => part.GetRawText().Contains(text, StringComparison.OrdinalIgnoreCase);

    public async Task<Guid> RequestErasureAsync(Guid personId, string requesterToken)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, Platform.Addresses.Intake, $"/people/{personId}/erasure-requests", requesterToken,
            new { ground = "ConsentWithdrawn" });
        Assert.True(status == HttpStatusCode.Created, $"erasure request answered {(int)status}: {body}");
        return body.GetProperty("erasureRequestId").GetGuid();
    }

    public async Task<JsonElement> ReviewAsync(Guid requestId, object review)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, Platform.Addresses.Intake, $"/erasure-requests/{requestId}/review", OfficerToken(), review);
        Assert.True(status == HttpStatusCode.OK, $"review answered {(int)status}: {body}");
        return body;
    }

    public async Task<JsonElement> AuditAsync(Guid personId) =>
        (await SendAsync(HttpMethod.Get, Platform.Addresses.Intake, $"/people/{personId}/data-protection-audit", OfficerToken())).Body;

    /// <summary>Every table of every service's schema whose rows, as text, contain <paramref name="text"/>, with the count.</summary>
    public async Task<IReadOnlyList<string>> TablesHoldingAsync(string text)
    {
        var found = new List<string>();
        await using var connection = new NpgsqlConnection(Platform.Infrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        foreach (var schema in Platform.Schemas.Values)
        {
            var tables = new List<string>();
            await using (var list = new NpgsqlCommand(
                "select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE'", connection))
            {
                list.Parameters.AddWithValue(schema);
                await using var reader = await list.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            Assert.NotEmpty(tables);
            foreach (var table in tables)
            {
                await using var count = new NpgsqlCommand($"select count(*) from \"{schema}\".\"{table}\" t where t::text ilike '%' || $1 || '%'", connection);
                count.Parameters.AddWithValue(text);
                if ((long)(await count.ExecuteScalarAsync())! > 0)
                {
                    found.Add($"{schema}.{table}");
                }
            }
        }

        return found;
    }

    /// <summary>Per service schema: whether the person's key row exists and is destroyed.</summary>
    public async Task<IReadOnlyDictionary<string, bool?>> KeysDestroyedAsync(Guid personId)
    {
        var result = new Dictionary<string, bool?>();
        await using var connection = new NpgsqlConnection(Platform.Infrastructure.PostgresConnectionString);
        await connection.OpenAsync();
        foreach (var (service, schema) in Platform.Schemas)
        {
            await using var command = new NpgsqlCommand($"select key is null from \"{schema}\".mt_person_keys where person_id = $1", connection);
            command.Parameters.AddWithValue(personId);
            result[service] = await command.ExecuteScalarAsync() as bool?;
        }

        return result;
    }

    /// <summary>Every queue of the virtual host (inputs, _error and _skipped) holding a message that contains the text.</summary>
    public async Task<IReadOnlyList<string>> QueuesHoldingAsync(string text)
    {
        var found = new List<string>();
        foreach (var queue in await Platform.VirtualHost.ListQueuesAsync())
        {
            // The test's own probes listen on exclusive server-named queues: they are not the platform's.
            if (queue.Name.StartsWith("amq.gen-", StringComparison.Ordinal))
            {
                continue;
            }

            // Read and put back; statistics lag, so every queue is read whatever its count says.
            var messages = await Platform.VirtualHost.PeekMessagesAsync(queue.Name, 1000);
            if (messages.Any(m => m.Payload.Contains(text, StringComparison.OrdinalIgnoreCase)))
            {
                found.Add(queue.Name);
            }
        }

        return found;
    }

    /// <summary>Puts a message into a queue as MassTransit dead-letters one: the body as it was, the person-id header of the relay.</summary>
    public async Task DeadLetterAsync(string queue, Guid personId, string body)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = Platform.VirtualHost.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        var properties = new RabbitMQ.Client.BasicProperties
        {
            MessageId = Guid.NewGuid().ToString(),
            ContentType = "application/vnd.masstransit+json",
            Persistent = true,
            Headers = new Dictionary<string, object?>
            {
                ["Referrals-Person-Id"] = personId.ToString(),
                ["MT-Reason"] = "fault",
            },
        };
        await channel.BasicPublishAsync("", queue, mandatory: true, properties, Encoding.UTF8.GetBytes(body));
    }

    public static JsonObject Details(string givenName, string familyName, string nhsNumber) => new()
    {
        ["nhsNumber"] = nhsNumber,
        ["givenName"] = givenName,
        ["familyName"] = familyName,
        ["dateOfBirth"] = "1961-04-12",
        ["postcode"] = "LS7 3AB",
        ["phone"] = "07700 900123",
        ["preferredContactMethod"] = "Phone",
    };
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<DataProtectionPlatform>
{
    public const string Name = "data-protection platform";
}
