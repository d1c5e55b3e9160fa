using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Referrals.Deploy.Practice;

/// <summary>A resource as the receiver holds it: its JSON (ids and references resolved) and how many versions it had.</summary>
public sealed record StoredResource(string Json, int Version)
{
    /// <summary>The resource's identifiers as "system|value", for conditional matching without re-parsing the JSON.</summary>
    internal IReadOnlyList<string> Identifiers { get; init; } = [];
}

/// <summary>A transaction the receiver processed: the practice, the raw Bundle and the resources it wrote ("Type/id" at the practice).</summary>
public sealed record ReceivedTransaction(string Practice, string BundleJson, string? DeliveryId, IReadOnlyList<string> Resources)
{
    /// <summary>The resources it wrote as the sender named them ("Type/&lt;sender's id&gt;", see <see cref="PracticeFhirReceiver.StoreBySenderIdOf"/>).</summary>
    public IReadOnlyList<string> Sent { get; init; } = [];
}

/// <summary>
/// A stand-in for practices' clinical systems, for local runs, the demo and tests: a small Kestrel app on a free loopback port with one FHIR base per practice
/// (<c>/{ods}/fhir</c>). It processes transaction Bundles as an R4 server does: conditional create (<c>ifNoneExist</c>),
/// conditional update by identifier (when nothing matches, a create: the server assigns the id and ignores the client's),
/// <c>urn:uuid</c> fullUrl and conditional reference (<c>Type?identifier=system|value</c>) resolution, a literal
/// reference to a resource it does not hold refused (400), all-or-nothing, and no new version when an update is
/// byte-identical. Document Bundles are kept as sent (their references resolve within them). It can be switched down
/// (connections are dropped) or told to reject transactions (422 with an OperationOutcome).
/// </summary>
public sealed class PracticeFhirReceiver : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, PracticeRecord> _stores = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ReceivedTransaction> _transactions = [];
    private WebApplication _app = null!;

    /// <summary>Raised after each transaction is applied (benchmarks time deliveries with it).</summary>
    public event Action<ReceivedTransaction>? TransactionReceived;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>While true every request's connection is dropped (the practice system is unreachable).</summary>
    public volatile bool Down;

    /// <summary>Transactions whose JSON matches are refused with 422 (the practice rejects the content).</summary>
    public Func<string, bool>? RejectWhen { get; set; }

    public static async Task<PracticeFhirReceiver> StartAsync(int port = 0)
    {
        var receiver = new PracticeFhirReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/{practice}/fhir", receiver.HandleAsync);
        app.MapGet("/{practice}/fhir", (string practice) => Results.Text(receiver.RecordOf(practice), "application/fhir+json"));
        await app.StartAsync();
        receiver._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseAddress = new Uri(address);
        return receiver;
    }

    public string FhirBaseFor(string practice) => new Uri(BaseAddress, $"/{practice}/fhir").ToString();

    public IReadOnlyList<ReceivedTransaction> Transactions
    {
        get
        {
            lock (_gate)
            {
                return [.. _transactions];
            }
        }
    }

    /// <summary>Everything the practice holds, as a FHIR collection Bundle (what its clinical system would show).</summary>
    public string RecordOf(string practice)
    {
        var entries = new JsonArray();
        foreach (var (_, resource) in StoreOf(practice).OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            entries.Add(new JsonObject { ["resource"] = JsonNode.Parse(resource.Json) });
        }

        return new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["total"] = entries.Count, ["entry"] = entries }.ToJsonString();
    }

    /// <summary>A copy of what the practice holds, keyed "Type/id" by the ids it assigned (references resolve to these).</summary>
    public IReadOnlyDictionary<string, StoredResource> StoreOf(string practice)
    {
        lock (_gate)
        {
            return _stores.TryGetValue(practice, out var store) ? store.Copy() : [];
        }
    }

    /// <summary>
    /// What the practice holds, keyed "Type/&lt;sender's id&gt;" as read from each resource's <c>urn:uuid</c> identifier (how
    /// a test finds what was sent); a resource without one (the Patient, matched by NHS number) under the practice's id.
    /// </summary>
    public IReadOnlyDictionary<string, StoredResource> StoreBySenderIdOf(string practice) =>
        StoreOf(practice).ToDictionary(
            r => SenderKey(r.Key, r.Value),
            r => r.Value,
            StringComparer.Ordinal);

    private static string SenderKey(string key, StoredResource resource) =>
        resource.Identifiers.FirstOrDefault(i => i.StartsWith(SenderIdPrefix, StringComparison.Ordinal)) is { } identifier
            ? key[..(key.IndexOf('/', StringComparison.Ordinal) + 1)] + identifier[SenderIdPrefix.Length..]
            : key;

    private const string SenderIdPrefix = "urn:ietf:rfc:3986|urn:uuid:";

    private async Task HandleAsync(string practice, HttpContext http)
    {
        if (Down)
        {
            http.Abort();
            return;
        }

        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        if (RejectWhen?.Invoke(body) == true)
        {
            await Write(http, 422, Outcome("business-rule", "Rejected by the test receiver"));
            return;
        }

        var (status, answer, received) = Process(practice, body);
        if (received is not null)
        {
            TransactionReceived?.Invoke(received);
        }

        await Write(http, status, answer);
    }

    private (int Status, JsonNode Answer, ReceivedTransaction? Received) Process(string practice, string body)
    {
        var bundle = JsonNode.Parse(body) as JsonObject;
        if (bundle?["resourceType"]?.GetValue<string>() != "Bundle" || bundle["type"]?.GetValue<string>() != "transaction")
        {
            return (400, Outcome("invalid", "A transaction Bundle is required"), null);
        }

        lock (_gate)
        {
            if (!_stores.TryGetValue(practice, out var live))
            {
                live = new PracticeRecord();
                _stores[practice] = live;
            }

            // All or nothing: the transaction's writes are staged over the live record and applied only if every entry succeeds.
            var staged = new Dictionary<string, StoredResource>(StringComparer.Ordinal);
            var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
            var work = new List<(JsonObject Resource, string Key, string Status)>();
            foreach (var entry in bundle["entry"]!.AsArray().Select(e => e!.AsObject()))
            {
                var resource = entry["resource"]!.AsObject();
                var type = resource["resourceType"]!.GetValue<string>();
                var request = entry["request"]!.AsObject();
                var method = request["method"]!.GetValue<string>();
                var url = request["url"]!.GetValue<string>();
                string key;
                string status;
                if (method == "POST")
                {
                    var condition = request["ifNoneExist"]?.GetValue<string>();
                    var matches = condition is null ? [] : live.Matches(staged, type, condition);
                    if (matches.Count > 1)
                    {
                        return (412, Outcome("duplicate", "ifNoneExist matched several resources"), null);
                    }

                    if (matches.Count == 1)
                    {
                        resolved[entry["fullUrl"]!.GetValue<string>()] = matches[0];
                        continue; // conditional create: the existing resource is kept as it is
                    }

                    key = $"{type}/{Guid.NewGuid():D}";
                    status = "201 Created";
                }
                else if (method == "PUT" && url.Contains('?', StringComparison.Ordinal))
                {
                    var matches = live.Matches(staged, type, url[(url.IndexOf('?', StringComparison.Ordinal) + 1)..]);
                    if (matches.Count > 1)
                    {
                        return (412, Outcome("multiple-matches", "Conditional update matched several resources"), null);
                    }

                    // No match is a create (R4), and a create ignores the id the client sent: the server assigns its own.
                    key = matches.Count == 1 ? matches[0] : $"{type}/{Guid.NewGuid():D}";
                    status = matches.Count == 1 ? "200 OK" : "201 Created";
                }
                else
                {
                    return (400, Outcome("not-supported", $"{method} {url} is not supported"), null);
                }

                resolved[entry["fullUrl"]!.GetValue<string>()] = key;
                work.Add((resource, key, status));
            }

            var responses = new JsonArray();
            var touched = new List<string>();
            var written = work.Select(w => w.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var (resource, key, status) in work)
            {
                var copy = resource.DeepClone().AsObject();
                copy["id"] = key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..];
                var unresolved = Resolve(copy, reference => ResolveReference(live, resolved, written, reference));
                if (unresolved is not null)
                {
                    return (400, Outcome(unresolved.Value.Code, unresolved.Value.Text), null);
                }

                var json = copy.ToJsonString();
                var existing = staged.GetValueOrDefault(key) ?? live.Find(key);
                var version = existing is null ? 1 : existing.Json == json ? existing.Version : existing.Version + 1;
                staged[key] = new StoredResource(json, version) { Identifiers = IdentifiersOf(copy) };
                touched.Add(key);
                responses.Add(new JsonObject { ["response"] = new JsonObject { ["status"] = status, ["location"] = $"{key}/_history/{version}" } });
            }

            foreach (var (fullUrl, key) in resolved.Where(r => !work.Any(w => w.Key == r.Value)))
            {
                responses.Insert(0, new JsonObject { ["response"] = new JsonObject { ["status"] = "200 OK", ["location"] = key } });
            }

            foreach (var (key, value) in staged)
            {
                live.Put(key, value);
            }

            var deliveryId = bundle["identifier"]?["value"]?.GetValue<string>()?.Replace("urn:uuid:", "", StringComparison.Ordinal);
            var received = new ReceivedTransaction(practice, body, deliveryId, touched) { Sent = [.. touched.Select(key => SenderKey(key, staged[key]))] };
            _transactions.Add(received);
            return (200, new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction-response", ["entry"] = responses }, received);
        }
    }

    private static List<string> IdentifiersOf(JsonNode resource)
    {
        var identifiers = resource["identifier"] switch
        {
            JsonArray array => array.Select(i => i!),
            JsonObject single => [single],
            _ => [],
        };
        return [.. identifiers.Select(i => $"{i["system"]?.GetValue<string>()}|{i["value"]?.GetValue<string>()}")];
    }

    /// <summary>One practice's resources, indexed by type and identifier so a conditional match costs no more as the record grows.</summary>
    private sealed class PracticeRecord
    {
        private readonly Dictionary<string, StoredResource> _resources = new(StringComparer.Ordinal);
        private readonly Dictionary<string, HashSet<string>> _byIdentifier = new(StringComparer.Ordinal);

        public StoredResource? Find(string key) => _resources.GetValueOrDefault(key);

        public Dictionary<string, StoredResource> Copy() => new(_resources, StringComparer.Ordinal);

        public void Put(string key, StoredResource resource)
        {
            var type = TypeOf(key);
            if (_resources.TryGetValue(key, out var previous))
            {
                foreach (var identifier in previous.Identifiers)
                {
                    _byIdentifier[type + "?" + identifier].Remove(key);
                }
            }

            _resources[key] = resource;
            foreach (var identifier in resource.Identifiers)
            {
                var indexKey = type + "?" + identifier;
                if (!_byIdentifier.TryGetValue(indexKey, out var keys))
                {
                    keys = new HashSet<string>(StringComparer.Ordinal);
                    _byIdentifier[indexKey] = keys;
                }

                keys.Add(key);
            }
        }

        /// <summary>Keys of resources of <paramref name="type"/> matching an <c>identifier=system|value</c> condition, staged writes first.</summary>
        public List<string> Matches(IReadOnlyDictionary<string, StoredResource> staged, string type, string condition)
        {
            var parts = condition.Split('=', 2);
            if (parts.Length != 2 || parts[0] != "identifier")
            {
                throw new InvalidOperationException("Only identifier conditions are supported by the test receiver.");
            }

            var identifier = Uri.UnescapeDataString(parts[1]);
            var live = _byIdentifier.GetValueOrDefault(type + "?" + identifier) ?? [];
            return [.. live.Where(key => !staged.ContainsKey(key))
                .Concat(staged.Where(kv => TypeOf(kv.Key) == type && kv.Value.Identifiers.Contains(identifier, StringComparer.Ordinal)).Select(kv => kv.Key))
                .Order(StringComparer.Ordinal)];
        }

        private static string TypeOf(string key) => key[..key.IndexOf('/', StringComparison.Ordinal)];
    }

    /// <summary>
    /// Where a reference in the transaction points at this practice (R4 transaction processing): an entry's fullUrl to the
    /// resource it became, a conditional reference to the one resource matching it, a literal one to a resource held or
    /// written here. The refusal names no value (references may carry an NHS number).
    /// </summary>
    private static ReferenceResolution ResolveReference(PracticeRecord live, IReadOnlyDictionary<string, string> resolved, IReadOnlySet<string> written,
        string reference)
    {
        if (resolved.TryGetValue(reference, out var key))
        {
            return new ReferenceResolution(key, null);
        }

        var query = reference.IndexOf('?', StringComparison.Ordinal);
        if (query > 0)
        {
            if (!reference[(query + 1)..].StartsWith("identifier=", StringComparison.Ordinal))
            {
                return new ReferenceResolution(null, ("not-supported", "Only identifier conditions are supported by the test receiver"));
            }

            var matches = live.Matches(new Dictionary<string, StoredResource>(), reference[..query], reference[(query + 1)..]);
            return matches.Count == 1
                ? new ReferenceResolution(matches[0], null)
                : new ReferenceResolution(null, ("processing", matches.Count == 0
                    ? "A conditional reference matched no resource"
                    : "A conditional reference matched several resources"));
        }

        if (reference.StartsWith("urn:uuid:", StringComparison.Ordinal))
        {
            return new ReferenceResolution(null, ("processing", "A urn:uuid reference names no entry of the transaction"));
        }

        var relative = System.Text.RegularExpressions.Regex.IsMatch(reference, "^[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}$");
        return !relative || live.Find(reference) is not null || written.Contains(reference)
            ? new ReferenceResolution(reference, null)
            : new ReferenceResolution(null, ("processing", "A reference names a resource this practice does not hold"));
    }

    private readonly record struct ReferenceResolution(string? Key, (string Code, string Text)? Refusal);

    /// <summary>Rewrites the references below <paramref name="node"/>; the first refusal, or null. A document Bundle is kept as sent.</summary>
    private static (string Code, string Text)? Resolve(JsonNode? node, Func<string, ReferenceResolution> resolve)
    {
        switch (node)
        {
            case JsonObject obj when obj["resourceType"] is JsonValue type && type.TryGetValue<string>(out var resourceType) && resourceType == "Bundle":
                return null;
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (name == "reference" && value is JsonValue v && v.TryGetValue<string>(out var reference))
                    {
                        var resolution = resolve(reference);
                        if (resolution.Refusal is not null)
                        {
                            return resolution.Refusal;
                        }

                        obj[name] = resolution.Key;
                    }
                    else if (Resolve(value, resolve) is { } refusal)
                    {
                        return refusal;
                    }
                }

                return null;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (Resolve(item, resolve) is { } refusal)
                    {
                        return refusal;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static JsonObject Outcome(string code, string text) => new()
    {
        ["resourceType"] = "OperationOutcome",
        ["issue"] = new JsonArray(new JsonObject { ["severity"] = "error", ["code"] = code, ["diagnostics"] = text }),
    };

    private static async Task Write(HttpContext http, int status, JsonNode body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/fhir+json";
        await http.Response.WriteAsync(body.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
