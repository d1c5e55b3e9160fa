using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Referrals.Deploy.Practice;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;

namespace Referrals.GpRecords.Tests.Delivering;

/// <summary>
/// The stand-in practice behaves as an R4 server: a conditional update that matches nothing creates under an id of the
/// server's, so a later delivery's references to what it sent before must resolve there by identifier (HAZ-005 C13).
/// </summary>
public sealed class PracticeReferenceTests : PracticeDeliveryTest
{
    private const string Practice = "B82001";

    protected override Task<GpRecordsHarness> StartHarnessAsync(PracticeFhirReceiver receiver) => GpRecordsHarness.StartAsync(receiver, [Practice]);

    [Fact]
    public async Task A_later_deliverys_encounter_is_filed_based_on_the_service_request_the_practice_created_earlier_under_its_own_id()
    {
        var script = new JourneyScript(Practice);
        object[] first = [script.Submitted(), script.Registered()];
        await Harness.PublishAsync(first);
        await Harness.QuietAsync(script.JourneyId, first);
        object[] later = [script.Opened(), script.Contact()];
        await Harness.PublishAsync(later);
        await Harness.QuietAsync(script.JourneyId, [.. first, .. later], heldBehindParked: true);

        Assert.All(await Harness.DeliveriesAsync(script.JourneyId), d => Assert.Equal(DeliveryState.Filed, d.State));
        var sent = Receiver.StoreBySenderIdOf(Practice);
        var serviceRequestAtPractice = "ServiceRequest/" + JsonNode.Parse(sent["ServiceRequest/" + ResourceIds.ServiceRequest(script.JourneyId, script.ReferralId)].Json)!["id"]!.GetValue<string>();
        Assert.NotEqual("ServiceRequest/" + ResourceIds.ServiceRequest(script.JourneyId, script.ReferralId), serviceRequestAtPractice);
        var encounter = JsonNode.Parse(sent["Encounter/" + ResourceIds.Encounter(script.JourneyId, script.ContactId)].Json)!;
        Assert.Equal(serviceRequestAtPractice, encounter["basedOn"]![0]!["reference"]!.GetValue<string>());
        Assert.All(Receiver.Transactions, t => Emitted.AssertValid(t.BundleJson));
    }
}

/// <summary>The stand-in practice's R4 transaction rules, met directly.</summary>
public sealed class PracticeStandInTests : IAsyncLifetime
{
    private const string Practice = "B82001";
    private const string System = "urn:ietf:rfc:3986";
    private PracticeFhirReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await PracticeFhirReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private static JsonObject Entry(string type, string id, JsonObject? extra = null, string? url = null)
    {
        var resource = new JsonObject
        {
            ["resourceType"] = type,
            ["id"] = id,
            ["identifier"] = new JsonArray(new JsonObject { ["system"] = System, ["value"] = "urn:uuid:" + id }),
        };
        foreach (var (name, value) in extra ?? [])
        {
            resource[name] = value?.DeepClone();
        }

        return new JsonObject
        {
            ["fullUrl"] = "urn:uuid:" + id,
            ["resource"] = resource,
            ["request"] = new JsonObject { ["method"] = url is null ? "PUT" : "POST", ["url"] = url ?? $"{type}?identifier={Uri.EscapeDataString(System)}|{Uri.EscapeDataString("urn:uuid:" + id)}" },
        };
    }

    private static JsonObject BasedOn(string reference) => new() { ["basedOn"] = new JsonArray(new JsonObject { ["reference"] = reference }) };

    private static string ByIdentifier(string type, string id) => $"{type}?identifier={Uri.EscapeDataString(System)}|{Uri.EscapeDataString("urn:uuid:" + id)}";

    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(params JsonObject[] entries)
    {
        using var client = new HttpClient();
        var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = new JsonArray([.. entries]) };
        using var response = await client.PostAsync(_receiver.FhirBaseFor(Practice), new StringContent(bundle.ToJsonString(), Encoding.UTF8, "application/fhir+json"));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task A_conditional_update_matching_nothing_creates_under_an_id_the_practice_assigns_and_a_conditional_reference_resolves_to_it()
    {
        var request = Guid.NewGuid().ToString("D");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Entry("ServiceRequest", request))).Status);

        var held = Assert.Single(_receiver.StoreOf(Practice)).Key;
        Assert.NotEqual("ServiceRequest/" + request, held);
        var sentAs = JsonNode.Parse(_receiver.StoreBySenderIdOf(Practice)["ServiceRequest/" + request].Json)!;
        Assert.Equal(held, "ServiceRequest/" + sentAs["id"]!.GetValue<string>());

        var encounter = Guid.NewGuid().ToString("D");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Entry("Encounter", encounter, BasedOn(ByIdentifier("ServiceRequest", request))))).Status);
        var filed = JsonNode.Parse(_receiver.StoreBySenderIdOf(Practice)["Encounter/" + encounter].Json)!;
        Assert.Equal(held, filed["basedOn"]![0]!["reference"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_transaction_referring_to_what_the_practice_does_not_hold_or_ambiguously_is_refused_400_and_nothing_is_filed()
    {
        var request = Guid.NewGuid().ToString("D");
        var twice = Guid.NewGuid().ToString("D");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Entry("ServiceRequest", request),
            Entry("ServiceRequest", twice, url: "ServiceRequest"), Entry("ServiceRequest", twice, url: "ServiceRequest"))).Status);
        var held = _receiver.StoreOf(Practice).Count;

        foreach (var reference in new[] { "ServiceRequest/" + request, ByIdentifier("ServiceRequest", Guid.NewGuid().ToString("D")), ByIdentifier("ServiceRequest", twice) })
        {
            var (status, body) = await SendAsync(Entry("Encounter", Guid.NewGuid().ToString("D"), BasedOn(reference)));
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("OperationOutcome", body["resourceType"]!.GetValue<string>());
            Assert.DoesNotContain(request, body.ToJsonString(), StringComparison.Ordinal);
        }

        Assert.Equal(held, _receiver.StoreOf(Practice).Count);
    }
}
