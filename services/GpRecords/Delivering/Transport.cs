using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Referrals.Fhir;
using Referrals.Fhir.Model;
using Referrals.GpRecords.Recording;

namespace Referrals.GpRecords.Delivering;

/// <summary>One delivery as a transport sees it: the resources allowed by the consent scope, for one practice.</summary>
public sealed record PracticeDelivery(Guid DeliveryId, Guid JourneyId, string PracticeOds, IReadOnlyList<OutgoingResource> Resources);

/// <summary>
/// How record updates reach a practice's clinical system. The reference transport is a FHIR R4 transaction Bundle
/// (<see cref="FhirTransactionTransport"/>); ITK3 / GP Connect Update Record over MESH and a letter/PDF fallback fit the
/// same interface (see the service README) but are not built.
/// </summary>
public interface IGpRecordTransport
{
    string Name { get; }

    Task<TransportOutcome> SendAsync(PracticeDelivery delivery, PracticeEndpointOptions endpoint, CancellationToken ct);
}

/// <summary>Routes a delivery to the transport and endpoint configured for its practice (GpRecords:Practices:&lt;ODS&gt;).</summary>
public sealed class PracticeRouter(IOptionsMonitor<GpRecordsOptions> options, IEnumerable<IGpRecordTransport> transports)
{
    public async Task<(TransportOutcome Outcome, string Transport)> SendAsync(PracticeDelivery delivery, CancellationToken ct)
    {
        if (!options.CurrentValue.Practices.TryGetValue(delivery.PracticeOds, out var endpoint) || string.IsNullOrWhiteSpace(endpoint.FhirBaseUrl))
        {
            return (new TransportOutcome.Transient($"No endpoint is configured for practice {delivery.PracticeOds}."), "none");
        }

        var transport = transports.FirstOrDefault(t => string.Equals(t.Name, endpoint.Transport, StringComparison.OrdinalIgnoreCase));
        if (transport is null)
        {
            return (new TransportOutcome.Transient($"Transport '{endpoint.Transport}' is not available."), endpoint.Transport);
        }

        return (await transport.SendAsync(delivery, endpoint, ct), transport.Name);
    }
}

/// <summary>
/// The reference transport: one FHIR R4 transaction Bundle per delivery, POSTed to the practice's FHIR base. The Patient
/// is a conditional create (<c>ifNoneExist</c> on the NHS number), every other resource a conditional update on its
/// <c>urn:uuid</c> identifier, so a replay updates what is there and never duplicates. References to resources in the
/// Bundle become <c>urn:uuid:</c> fullUrls for the server to resolve; references to resources sent in an earlier delivery
/// become conditional references by the identifier they were sent with (<c>Type?identifier=system|value</c>), because a
/// conditional update that matched nothing was a create, and a server without update-as-create chose the id (FHIR R4;
/// one with it kept ours, and the conditional reference resolves there too). A document Bundle is sent as built (its references resolve within the document). A 200 answer is both
/// acknowledgements (the transaction was processed and filed); a 202 is the infrastructure acknowledgement only.
/// </summary>
public sealed class FhirTransactionTransport(IHttpClientFactory httpClients, ILogger<FhirTransactionTransport> logger) : IGpRecordTransport
{
    public const string TransportName = "fhir-transaction";
    public const string HttpClientName = "gp-practice-fhir";
    public const string FhirJsonMediaType = "application/fhir+json";

    public string Name => TransportName;

    public static Bundle BuildTransaction(PracticeDelivery delivery)
    {
        var local = delivery.Resources.ToDictionary(r => r.ResourceType + "/" + r.Id, r => "urn:uuid:" + r.Id, StringComparer.Ordinal);
        var entries = new List<BundleEntry>();
        foreach (var outgoing in delivery.Resources)
        {
            var node = JsonNode.Parse(outgoing.Json)!;
            RewriteReferences(node, local);
            var resource = FhirJson.Parse<Resource>(node.ToJsonString());
            BundleEntryRequest request;
            if (outgoing.ConditionalCreate)
            {
                var nhs = (resource as Patient)?.Identifier.FirstOrDefault(i => i.System == FhirSystems.NhsNumber)?.Value
                          ?? throw new PatientNotMatchableException();
                request = new BundleEntryRequest { Method = HttpVerb.Post, Url = outgoing.ResourceType, IfNoneExist = $"identifier={FhirSystems.NhsNumber}|{nhs}" };
            }
            else
            {
                request = new BundleEntryRequest { Method = HttpVerb.Put, Url = SearchByIdentifier(outgoing.ResourceType, FhirVocabulary.IdentifierFor(outgoing.Id)) };
            }

            entries.Add(new BundleEntry { FullUrl = "urn:uuid:" + outgoing.Id, Resource = resource, Request = request });
        }

        return new Bundle
        {
            Identifier = FhirVocabulary.IdentifierFor(delivery.DeliveryId.ToString("D")),
            Type = BundleType.Transaction,
            Entry = entries,
        };
    }

    public async Task<TransportOutcome> SendAsync(PracticeDelivery delivery, PracticeEndpointOptions endpoint, CancellationToken ct)
    {
        Bundle transaction;
        try
        {
            transaction = BuildTransaction(delivery);
        }
        catch (PatientNotMatchableException)
        {
            return new TransportOutcome.Rejected("the person has no valid NHS number, so the practice cannot match the record");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.FhirBaseUrl!.TrimEnd('/'))
        {
            Content = new ByteArrayContent(FhirJson.SerializeToUtf8Bytes(transaction)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(FhirJsonMediaType) { CharSet = "utf-8" };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(FhirJsonMediaType));
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, ct);
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return new TransportOutcome.Accepted(Filed: false);
            }

            if (response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                var answer = FhirJson.TryParse<Bundle>(body);
                var filed = answer.Success && answer.Resource.Type == BundleType.TransactionResponse &&
                            answer.Resource.Entry.Count == transaction.Entry.Count &&
                            answer.Resource.Entry.All(e => e.Response?.Status.StartsWith('2') == true);
                return filed
                    ? new TransportOutcome.Accepted(Filed: true)
                    : new TransportOutcome.Rejected($"HTTP {status} without a complete transaction-response");
            }

            if (status is 408 or 429 || status >= 500)
            {
                return new TransportOutcome.Transient($"HTTP {status}");
            }

            // The practice refused the content. Only the issue codes are kept: diagnostics may echo personal data.
            var outcome = FhirJson.TryParse<OperationOutcome>(await response.Content.ReadAsStringAsync(ct));
            var codes = outcome.Success ? string.Join(",", outcome.Resource.Issue.Select(i => FhirEnum.ToCode(i.Code!.Value))) : "no OperationOutcome";
            return new TransportOutcome.Rejected($"HTTP {status} ({codes})");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
        {
            logger.LogInformation("Delivery {DeliveryId} to practice {Practice} failed ({Error})", delivery.DeliveryId, delivery.PracticeOds, ex.GetType().Name);
            return new TransportOutcome.Transient(ex is TaskCanceledException ? "timed out" : "connection failed (" + ex.GetType().Name + ")");
        }
    }

    /// <summary>
    /// A search URL by business identifier (<c>Type?identifier=system|value</c>), system and value percent-encoded so that
    /// a reserved character in either cannot change the query; the <c>|</c> is FHIR's token separator.
    /// </summary>
    public static string SearchByIdentifier(string resourceType, Identifier identifier) =>
        $"{resourceType}?identifier={Uri.EscapeDataString(identifier.System!)}|{Uri.EscapeDataString(identifier.Value!)}";

    /// <summary>
    /// The conditional reference for one of our resources not in this transaction: the practice holds it under an id of its
    /// own, so it is found by the identifier it was sent with - <c>urn:uuid:&lt;our id&gt;</c>, or for the Patient (filed by
    /// conditional create) the NHS number the reference carries. Null when the reference is not to one of our resources.
    /// </summary>
    private static string? ConditionalReference(string reference, JsonObject referenceElement)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !Guid.TryParseExact(reference[(slash + 1)..], "D", out var id) || !reference[..slash].All(char.IsAsciiLetter))
        {
            return null;
        }

        var type = reference[..slash];
        if (type != "Patient")
        {
            return SearchByIdentifier(type, FhirVocabulary.IdentifierFor(id.ToString("D")));
        }

        return referenceElement["identifier"] is JsonObject identifier &&
               identifier["system"]?.GetValue<string>() == FhirSystems.NhsNumber &&
               identifier["value"]?.GetValue<string>() is { Length: > 0 } nhs
            ? SearchByIdentifier(type, new Identifier { System = FhirSystems.NhsNumber, Value = nhs })
            : null;
    }

    private static void RewriteReferences(JsonNode? node, IReadOnlyDictionary<string, string> local)
    {
        switch (node)
        {
            // A Bundle in the transaction is a document (a message back): self-contained, its references resolve against its
            // own entries' fullUrls, so it is sent as built; rewriting them would leave the document's references dangling.
            case JsonObject obj when obj["resourceType"] is JsonValue type && type.TryGetValue<string>(out var resourceType) && resourceType == "Bundle":
                break;
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (name == "reference" && value is JsonValue v && v.TryGetValue<string>(out var reference) &&
                        (local.GetValueOrDefault(reference) ?? ConditionalReference(reference, obj)) is { } rewritten)
                    {
                        obj[name] = rewritten;
                    }
                    else
                    {
                        RewriteReferences(value, local);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RewriteReferences(item, local);
                }

                break;
        }
    }

    private sealed class PatientNotMatchableException : Exception;
}
