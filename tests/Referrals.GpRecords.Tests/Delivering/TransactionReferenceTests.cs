using System.Text.Json.Nodes;
using Referrals.Fhir;
using Referrals.Fhir.Model;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using static Referrals.GpRecords.Tests.Support.Journeys;

namespace Referrals.GpRecords.Tests.Delivering;

/// <summary>
/// A later delivery carries only what changed (and the Patient). The practice created the earlier resources by conditional
/// update under ids of its own (FHIR R4: no match performs a create, which ignores the client's id), so a reference to one
/// of them must find it by the identifier it was sent with, not by our id.
/// </summary>
public sealed class TransactionReferenceTests
{
    private readonly JourneyScript _script = new("A81001");

    private string ServiceRequestId => ResourceIds.ServiceRequest(_script.JourneyId, _script.ReferralId);

    private static string ByUuidIdentifier(string type, string id) => $"{type}?identifier=urn%3Aietf%3Arfc%3A3986|urn%3Auuid%3A{id}";

    private JsonNode Transaction(IEnumerable<object> facts, Func<MappedResource, bool> sent, bool withPatient = true)
    {
        var outgoing = new List<OutgoingResource>();
        if (withPatient)
        {
            outgoing.Add(new("Patient", ResourceIds.Patient(_script.PersonId),
                FhirJson.Serialize(JourneyRecordMapper.Patient(_script.PersonId, _script.Submitted().Person, _script.Practice)), true));
        }

        outgoing.AddRange(Map(_script, facts).Where(sent).Select(r => new OutgoingResource(r.Full.ResourceType, r.Full.Id!, FhirJson.Serialize(r.Full), false)));
        var json = FhirJson.Serialize(FhirTransactionTransport.BuildTransaction(new PracticeDelivery(Guid.NewGuid(), _script.JourneyId, _script.Practice, outgoing)));
        Emitted.AssertValid(json);
        return JsonNode.Parse(json)!;
    }

    private static JsonNode Resource(JsonNode transaction, string type) =>
        transaction["entry"]!.AsArray().Single(e => e!["resource"]!["resourceType"]!.GetValue<string>() == type)!["resource"]!;

    [Fact]
    public void A_later_delivery_refers_to_the_service_request_sent_before_by_its_identifier_and_to_the_patient_in_the_bundle_by_urn_uuid()
    {
        var transaction = Transaction([_script.Registered(), _script.Opened(), _script.Contact()], r => r.Full is Encounter);

        var encounter = Resource(transaction, "Encounter");
        Assert.Equal(ByUuidIdentifier("ServiceRequest", ServiceRequestId), encounter["basedOn"]![0]!["reference"]!.GetValue<string>());
        Assert.Equal("urn:uuid:" + ResourceIds.Patient(_script.PersonId), encounter["subject"]!["reference"]!.GetValue<string>());

        // The conditional reference searches exactly what the earlier conditional update filed the ServiceRequest under.
        var earlier = Transaction([_script.Registered()], r => r.Full is ServiceRequest);
        var filedUnder = earlier["entry"]!.AsArray().Single(e => e!["resource"]!["resourceType"]!.GetValue<string>() == "ServiceRequest")!["request"]!["url"]!;
        Assert.Equal(ByUuidIdentifier("ServiceRequest", ServiceRequestId), filedUnder.GetValue<string>());
    }

    [Fact]
    public void A_patient_not_in_the_bundle_is_referred_to_by_nhs_number()
    {
        var transaction = Transaction([_script.Registered()], r => r.Full is ServiceRequest, withPatient: false);

        Assert.Equal($"Patient?identifier={Uri.EscapeDataString(FhirSystems.NhsNumber)}|{_script.NhsNumber}",
            Resource(transaction, "ServiceRequest")["subject"]!["reference"]!.GetValue<string>());
    }
}
