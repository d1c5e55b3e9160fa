using Referrals.Deploy.Practice;
using System.Net;
using System.Text.Json.Nodes;
using Referrals.Contracts;
using Referrals.Fhir;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using Referrals.ServiceDefaults.Auth;

namespace Referrals.GpRecords.Tests.FhirApi;

/// <summary>One journey delivered once per class; each test reads it through the FHIR API as a clinical system would.</summary>
public sealed class FhirApiFixture : IAsyncLifetime
{
    public const string Practice = "G87001";
    public const string OtherPractice = "H88001";

    public PracticeFhirReceiver Receiver { get; private set; } = null!;
    public GpRecordsHarness Harness { get; private set; } = null!;
    public JourneyScript Script { get; } = new(Practice);
    public JourneyScript CodedOnly { get; } = new(Practice);
    public JourneyScript Withdrawn { get; } = new(Practice);

    public async Task InitializeAsync()
    {
        Receiver = await PracticeFhirReceiver.StartAsync();
        Harness = await GpRecordsHarness.StartAsync(Receiver, [Practice, OtherPractice]);
        await Harness.PublishAsync(Script.FullHistory());
        await Harness.PublishAsync(CodedOnly.Submitted(), CodedOnly.Registered(ConsentScope.CodedOnly), CodedOnly.Opened(), CodedOnly.Agreed(),
            CodedOnly.Plan(), CodedOnly.Declined() with { DeclinedAt = CodedOnly.At(4) });
        await Harness.PublishAsync(Withdrawn.Submitted(), Withdrawn.Registered(), Withdrawn.Opened(), Withdrawn.ConsentChanged(ConsentScope.None, true, 2));
        var closing = "Bundle/" + ResourceIds.Document(Script.JourneyId, Script.ReferralId, JourneyRecordMapper.ClosureMessage);
        await Eventually.TrueAsync(() => Task.FromResult(Receiver.StoreBySenderIdOf(Practice).ContainsKey(closing)), "the closing summary");
        await Harness.QuietAsync(Script.JourneyId, Script.FullHistory());
        await Harness.QuietAsync(CodedOnly.JourneyId, [CodedOnly.Registered(), CodedOnly.Opened(), CodedOnly.Agreed(), CodedOnly.Plan(), CodedOnly.Declined()]);
        await Harness.QuietAsync(Withdrawn.JourneyId, [Withdrawn.Registered(), Withdrawn.Opened(), Withdrawn.ConsentChanged(ConsentScope.None, true, 2)]);
    }

    public HttpClient ClinicalSystem(string ods = Practice) => Harness.Host.ClientFor(Roles.ClinicalSystem, (ReferralsClaims.OdsCode, ods));

    public async Task DisposeAsync()
    {
        await Harness.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

public sealed class FhirApiTests(FhirApiFixture fixture) : IClassFixture<FhirApiFixture>
{
    private JourneyScript Script => fixture.Script;

    private string PatientId => ResourceIds.Patient(Script.PersonId);

    private static async Task<JsonNode> FhirAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Emitted.AssertValid(body);
        return JsonNode.Parse(body)!;
    }

    private static IReadOnlyList<JsonNode> Entries(JsonNode bundle) =>
        bundle["entry"]?.AsArray().Select(e => e!["resource"]!).ToList() ?? [];

    [Fact]
    public async Task The_capability_statement_describes_the_api()
    {
        var statement = await FhirAsync(await fixture.Harness.Host.AnonymousClient().GetAsync("/fhir/metadata"), HttpStatusCode.OK);
        Assert.Equal("CapabilityStatement", statement["resourceType"]!.GetValue<string>());
        Assert.Equal("4.0.1", statement["fhirVersion"]!.GetValue<string>());
        var types = statement["rest"]![0]!["resource"]!.AsArray().Select(r => r!["type"]!.GetValue<string>()).ToList();
        Assert.Contains("ServiceRequest", types);
        Assert.Contains("Patient", types);
    }

    [Fact]
    public async Task A_clinical_system_finds_its_patient_by_nhs_number_and_reads_them()
    {
        using var client = fixture.ClinicalSystem();
        var bundle = await FhirAsync(await client.GetAsync($"/fhir/Patient?identifier={FhirSystems.NhsNumber}|{Script.NhsNumber}"), HttpStatusCode.OK);
        var patient = Assert.Single(Entries(bundle));
        Assert.Equal(PatientId, patient["id"]!.GetValue<string>());
        Assert.Equal(Script.NhsNumber, patient["identifier"]![0]!["value"]!.GetValue<string>());

        var read = await FhirAsync(await client.GetAsync($"/fhir/Patient/{PatientId}"), HttpStatusCode.OK);
        Assert.Equal("Patient", read["resourceType"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_clinical_system_acting_for_several_practices_sees_the_patients_of_each_of_them_and_no_others()
    {
        // One token naming two practices, one of them in lower case (ODS codes are compared without regard to case).
        using var both = fixture.Harness.Host.ClientFor(Roles.ClinicalSystem,
            (ReferralsClaims.OdsCode, FhirApiFixture.OtherPractice), (ReferralsClaims.OdsCode, FhirApiFixture.Practice.ToLowerInvariant()));
        var found = await FhirAsync(await both.GetAsync($"/fhir/Patient?identifier={FhirSystems.NhsNumber}|{Script.NhsNumber}"), HttpStatusCode.OK);
        Assert.Equal(PatientId, Assert.Single(Entries(found))["id"]!.GetValue<string>());
        var everything = await FhirAsync(await both.GetAsync($"/fhir/Patient/{PatientId}/$everything"), HttpStatusCode.OK);
        Assert.Contains(Entries(everything), r => r["resourceType"]!.GetValue<string>() == "ServiceRequest");

        using var neither = fixture.Harness.Host.ClientFor(Roles.ClinicalSystem,
            (ReferralsClaims.OdsCode, FhirApiFixture.OtherPractice), (ReferralsClaims.OdsCode, "Y99999"));
        Assert.Empty(Entries(await FhirAsync(await neither.GetAsync($"/fhir/Patient?identifier={FhirSystems.NhsNumber}|{Script.NhsNumber}"), HttpStatusCode.OK)));
        await FhirAsync(await neither.GetAsync($"/fhir/Patient/{PatientId}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_practice_sees_nothing_of_a_patient_registered_elsewhere()
    {
        using var other = fixture.ClinicalSystem(FhirApiFixture.OtherPractice);
        Assert.Empty(Entries(await FhirAsync(await other.GetAsync($"/fhir/Patient?identifier={FhirSystems.NhsNumber}|{Script.NhsNumber}"), HttpStatusCode.OK)));
        var outcome = await FhirAsync(await other.GetAsync($"/fhir/Patient/{PatientId}"), HttpStatusCode.NotFound);
        Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
        Assert.Empty(Entries(await FhirAsync(await other.GetAsync($"/fhir/ServiceRequest?patient={PatientId}"), HttpStatusCode.OK)));
        var serviceRequest = ResourceIds.ServiceRequest(Script.JourneyId, Script.ReferralId);
        Assert.Equal("OperationOutcome", (await FhirAsync(await other.GetAsync($"/fhir/ServiceRequest/{serviceRequest}"), HttpStatusCode.NotFound))["resourceType"]!.GetValue<string>());
        foreach (var everything in new[] { $"/fhir/Patient/{PatientId}/$everything", $"/fhir/ServiceRequest/{serviceRequest}/$everything" })
        {
            var refused = await other.GetAsync(everything);
            var body = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal("OperationOutcome", JsonNode.Parse(body)!["resourceType"]!.GetValue<string>());
            Assert.DoesNotContain(Script.NhsNumber, body, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Harness.Host.ClientFor(Roles.LinkWorker).GetAsync("/fhir/Patient/" + PatientId)).StatusCode);
    }

    [Fact]
    public async Task Service_requests_tasks_observations_and_procedures_are_searchable_by_patient_and_date()
    {
        using var client = fixture.ClinicalSystem();
        var requests = Entries(await FhirAsync(await client.GetAsync($"/fhir/ServiceRequest?patient=Patient/{PatientId}"), HttpStatusCode.OK));
        Assert.Equal(ResourceIds.ServiceRequest(Script.JourneyId, Script.ReferralId), Assert.Single(requests)["id"]!.GetValue<string>());
        Assert.Equal("completed", Assert.Single(Entries(await FhirAsync(await client.GetAsync($"/fhir/Task?patient={PatientId}"), HttpStatusCode.OK)))["status"]!.GetValue<string>());
        var procedure = Assert.Single(Entries(await FhirAsync(await client.GetAsync($"/fhir/Procedure?patient={PatientId}&date=2026-01-07"), HttpStatusCode.OK)));
        Assert.Equal("871731000000106", procedure["code"]!["coding"]![0]!["code"]!.GetValue<string>());
        Assert.Empty(Entries(await FhirAsync(await client.GetAsync($"/fhir/Procedure?patient={PatientId}&date=lt2026-01-06"), HttpStatusCode.OK)));

        var all = Entries(await FhirAsync(await client.GetAsync($"/fhir/Observation?patient={PatientId}"), HttpStatusCode.OK));
        var closing = Entries(await FhirAsync(await client.GetAsync($"/fhir/Observation?patient={PatientId}&date=ge2026-01-20&date=le2026-01-31"), HttpStatusCode.OK));
        Assert.True(all.Count >= 8);
        var swemwbs = Assert.Single(closing);
        Assert.Equal(21.54m, swemwbs["valueQuantity"]!["value"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Everything_for_a_journey_is_one_bundle_with_the_patient()
    {
        using var client = fixture.ClinicalSystem();
        var bundle = await FhirAsync(await client.GetAsync($"/fhir/ServiceRequest/{ResourceIds.ServiceRequest(Script.JourneyId, Script.ReferralId)}/$everything"),
            HttpStatusCode.OK);
        var types = Entries(bundle).Select(r => r["resourceType"]!.GetValue<string>()).ToList();
        foreach (var type in new[] { "Patient", "ServiceRequest", "Task", "Procedure", "Observation", "Encounter", "Consent", "Goal", "CarePlan" })
        {
            Assert.Contains(type, types);
        }

        var patientBundle = await FhirAsync(await client.GetAsync($"/fhir/Patient/{PatientId}/$everything"), HttpStatusCode.OK);
        Assert.Equal(Entries(bundle).Count, Entries(patientBundle).Count);
    }

    [Fact]
    public async Task The_api_honours_coded_only_and_withdrawn_consent()
    {
        using var client = fixture.ClinicalSystem();
        var coded = fixture.CodedOnly;
        var everything = await client.GetStringAsync($"/fhir/Patient/{ResourceIds.Patient(coded.PersonId)}/$everything");
        Assert.Contains("871711000000103", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(JourneyScript.GoalText, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(JourneyScript.DeclineReasonText, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Goal\"", everything, StringComparison.Ordinal);

        var withdrawn = fixture.Withdrawn;
        await FhirAsync(await client.GetAsync($"/fhir/Patient/{ResourceIds.Patient(withdrawn.PersonId)}"), HttpStatusCode.NotFound);
        Assert.Empty(Entries(await FhirAsync(await client.GetAsync($"/fhir/ServiceRequest?patient={ResourceIds.Patient(withdrawn.PersonId)}"), HttpStatusCode.OK)));
    }

    [Fact]
    public async Task Errors_are_operation_outcomes()
    {
        using var client = fixture.ClinicalSystem();
        var unknownParameter = await FhirAsync(await client.GetAsync($"/fhir/ServiceRequest?subject=Patient/{PatientId}"), HttpStatusCode.BadRequest);
        Assert.Equal("not-supported", unknownParameter["issue"]![0]!["code"]!.GetValue<string>());
        await FhirAsync(await client.GetAsync($"/fhir/Observation?patient={PatientId}&date=yesterday"), HttpStatusCode.BadRequest);

        // A validation error names the field, never the value the caller sent (it may be personal data).
        var badDate = await FhirAsync(await client.GetAsync($"/fhir/Observation?patient={PatientId}&date={Script.NhsNumber}"), HttpStatusCode.BadRequest);
        var diagnostics = badDate["issue"]![0]!["diagnostics"]!.GetValue<string>();
        Assert.Contains("date", diagnostics, StringComparison.Ordinal);
        Assert.DoesNotContain(Script.NhsNumber, badDate.ToJsonString(), StringComparison.Ordinal);
        await FhirAsync(await client.GetAsync("/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|1234567890"), HttpStatusCode.BadRequest);
        await FhirAsync(await client.GetAsync($"/fhir/Task/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await FhirAsync(await client.GetAsync("/fhir/Medication?patient=x"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Error_answers_never_echo_the_id_type_or_parameter_names_of_the_request()
    {
        // What a caller puts in a URL may be personal data (an NHS number in the id's place, a name as a parameter): HAZ-015.
        const string Canary = "Canary9434765919";
        using var client = fixture.ClinicalSystem();
        using var other = fixture.ClinicalSystem(FhirApiFixture.OtherPractice);
        var serviceRequest = ResourceIds.ServiceRequest(Script.JourneyId, Script.ReferralId);
        var refusals = new (HttpClient Client, string Url, HttpStatusCode Status, string Echo)[]
        {
            (client, $"/fhir/Patient/{Canary}", HttpStatusCode.NotFound, Canary),
            (client, $"/fhir/Patient/{Canary}/$everything", HttpStatusCode.NotFound, Canary),
            (client, $"/fhir/ServiceRequest/{Canary}/$everything", HttpStatusCode.NotFound, Canary),
            (client, $"/fhir/Task/{Canary}", HttpStatusCode.NotFound, Canary),
            (client, $"/fhir/{Canary}?patient={PatientId}", HttpStatusCode.NotFound, Canary),
            (client, $"/fhir/{Canary}/{PatientId}", HttpStatusCode.NotFound, Canary),
            (client, $"/fhir/ServiceRequest?{Canary}={PatientId}", HttpStatusCode.BadRequest, Canary),
            (client, $"/fhir/Patient?{Canary}=1", HttpStatusCode.BadRequest, Canary),
            (client, $"/fhir/Patient?identifier={FhirSystems.NhsNumber}|{Canary}", HttpStatusCode.BadRequest, Canary),
            // Held but not visible to this organisation: its ids are not given back either.
            (other, $"/fhir/Patient/{PatientId}", HttpStatusCode.NotFound, PatientId),
            (other, $"/fhir/Patient/{PatientId}/$everything", HttpStatusCode.NotFound, PatientId),
            (other, $"/fhir/ServiceRequest/{serviceRequest}", HttpStatusCode.NotFound, serviceRequest),
            (other, $"/fhir/ServiceRequest/{serviceRequest}/$everything", HttpStatusCode.NotFound, serviceRequest),
        };

        var echoed = new List<string>();
        foreach (var (caller, url, status, echo) in refusals)
        {
            var outcome = await FhirAsync(await caller.GetAsync(url), status);
            Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
            if (outcome.ToJsonString().Contains(echo, StringComparison.OrdinalIgnoreCase))
            {
                echoed.Add($"{url} answered {outcome["issue"]![0]!["diagnostics"]}");
            }
        }

        Assert.True(echoed.Count == 0, string.Join(Environment.NewLine, echoed));
    }
}
