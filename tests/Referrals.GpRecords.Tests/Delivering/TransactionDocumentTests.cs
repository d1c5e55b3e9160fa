using System.Text.Json.Nodes;
using Referrals.Fhir;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using static Referrals.GpRecords.Tests.Support.Journeys;

namespace Referrals.GpRecords.Tests.Delivering;

/// <summary>
/// HAZ-021 C3: the messages back (agreement, decline, closing summary) travel as document Bundles inside the transaction. A
/// document is self-contained: its Composition's subject and section entries must resolve against its own entries.
/// </summary>
public sealed class TransactionDocumentTests
{
    private readonly JourneyScript _script = new("A81001");

    /// <summary>The Composition's references in a document that match none of the document's own entry fullUrls.</summary>
    public static IReadOnlyList<string> UnresolvedInDocument(JsonNode document)
    {
        var fullUrls = document["entry"]!.AsArray().Select(e => e!["fullUrl"]!.GetValue<string>()).ToList();
        var composition = document["entry"]![0]!["resource"]!;
        var references = new List<string> { composition["subject"]!["reference"]!.GetValue<string>() };
        foreach (var section in composition["section"]?.AsArray() ?? [])
        {
            references.AddRange((section!["entry"]?.AsArray() ?? []).Select(e => e!["reference"]!.GetValue<string>()));
        }

        return [.. references.Where(r => !fullUrls.Any(u => u.EndsWith("/" + r, StringComparison.Ordinal)))];
    }

    [Fact]
    public void Document_bundles_in_a_transaction_keep_their_references_resolvable_within_the_document_while_the_transactions_own_entries_refer_by_urn_uuid()
    {
        var outgoing = new List<OutgoingResource>
        {
            new("Patient", ResourceIds.Patient(_script.PersonId),
                FhirJson.Serialize(JourneyRecordMapper.Patient(_script.PersonId, _script.Submitted().Person, _script.Practice)), true),
        };
        outgoing.AddRange(Map(_script, _script.FullHistory()).Select(r => new OutgoingResource(r.Full.ResourceType, r.Full.Id!, FhirJson.Serialize(r.Full), false)));

        var transaction = FhirTransactionTransport.BuildTransaction(new PracticeDelivery(Guid.NewGuid(), _script.JourneyId, _script.Practice, outgoing));
        var json = FhirJson.Serialize(transaction);
        Emitted.AssertValid(json);

        var entries = JsonNode.Parse(json)!["entry"]!.AsArray().Select(e => e!["resource"]!).ToList();
        var documents = entries.Where(r => r["resourceType"]!.GetValue<string>() == "Bundle").ToList();
        Assert.Equal(2, documents.Count); // agreement and closing summary
        Assert.All(documents, d => Assert.Empty(UnresolvedInDocument(d)));

        // The transaction's own entries still refer to each other by the urn:uuid fullUrls the server resolves.
        var task = entries.Single(r => r["resourceType"]!.GetValue<string>() == "Task");
        Assert.Equal("urn:uuid:" + ResourceIds.ServiceRequest(_script.JourneyId, _script.ReferralId), task["focus"]!["reference"]!.GetValue<string>());
        Assert.Equal("urn:uuid:" + ResourceIds.Patient(_script.PersonId), task["for"]!["reference"]!.GetValue<string>());
    }
}
