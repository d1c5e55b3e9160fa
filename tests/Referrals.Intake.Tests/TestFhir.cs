using System.Text.Json.Nodes;
using Referrals.Fhir;
using Referrals.Intake.Fhir;

namespace Referrals.Intake.Tests;

/// <summary>FHIR R4 referrals as a GP system would send them (valid against the official schema; see FhirIntakeTests).</summary>
public static class TestFhir
{
    public static JsonObject Patient(string nhsNumber, string id = "patient", string practice = TestData.Practice) => new()
    {
        ["resourceType"] = "Patient",
        ["id"] = id,
        ["identifier"] = new JsonArray(new JsonObject { ["system"] = FhirSystems.NhsNumber, ["value"] = nhsNumber }),
        ["name"] = new JsonArray(new JsonObject { ["use"] = "official", ["family"] = "O'Brien", ["given"] = new JsonArray("Aoife") }),
        ["telecom"] = new JsonArray(new JsonObject { ["system"] = "phone", ["value"] = "0113 496 0000", ["rank"] = 1 }),
        ["birthDate"] = "1958-03-14",
        ["address"] = new JsonArray(new JsonObject { ["use"] = "home", ["postalCode"] = "LS7 3JB" }),
        ["generalPractitioner"] = new JsonArray(new JsonObject
        {
            ["identifier"] = new JsonObject { ["system"] = FhirSystems.OdsOrganizationCode, ["value"] = practice },
        }),
    };

    public static JsonObject Consent(string patientReference, string id = "consent") => new()
    {
        ["resourceType"] = "Consent",
        ["id"] = id,
        ["extension"] = new JsonArray(
            new JsonObject { ["url"] = IntakeFhir.ConsentAuthorityExtension, ["valueCode"] = "person" },
            new JsonObject { ["url"] = IntakeFhir.ConsentRecordedByExtension, ["valueString"] = "Dr Priya Shah" },
            new JsonObject { ["url"] = IntakeFhir.GpSharingScopeExtension, ["valueCode"] = "full" }),
        ["status"] = "active",
        ["scope"] = new JsonObject
        {
            ["coding"] = new JsonArray(new JsonObject { ["system"] = FhirSystems.ConsentScope, ["code"] = "patient-privacy" }),
        },
        ["category"] = new JsonArray(new JsonObject
        {
            ["coding"] = new JsonArray(new JsonObject { ["system"] = FhirSystems.V3ActCode, ["code"] = "IDSCL" }),
        }),
        ["patient"] = new JsonObject { ["reference"] = patientReference },
        ["dateTime"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        ["performer"] = new JsonArray(new JsonObject { ["reference"] = patientReference }),
        ["provision"] = new JsonObject { ["type"] = "permit" },
    };

    public static JsonObject RiskExtension(bool harmToSelf = false) => new()
    {
        ["url"] = IntakeFhir.RiskExtension,
        ["extension"] = new JsonArray(
            new JsonObject { ["url"] = "harm-to-self", ["valueBoolean"] = harmToSelf },
            new JsonObject { ["url"] = "harm-to-others", ["valueBoolean"] = false },
            new JsonObject { ["url"] = "safeguarding-concern", ["valueBoolean"] = false },
            new JsonObject { ["url"] = "risks-to-visiting-worker", ["valueBoolean"] = false }),
    };

    /// <summary>A ServiceRequest with its Patient, requester (PractitionerRole) and Consent contained.</summary>
    public static JsonObject ServiceRequest(string? nhsNumber = null, string requesterOds = TestData.Practice, string? identifier = null) => new()
    {
        ["resourceType"] = "ServiceRequest",
        ["contained"] = new JsonArray(
            Patient(nhsNumber ?? TestData.NhsNumber()),
            new JsonObject
            {
                ["resourceType"] = "PractitionerRole",
                ["id"] = "requester",
                ["practitioner"] = new JsonObject { ["display"] = "Dr Priya Shah" },
                ["organization"] = new JsonObject
                {
                    ["identifier"] = new JsonObject { ["system"] = FhirSystems.OdsOrganizationCode, ["value"] = requesterOds },
                },
                ["code"] = new JsonArray(new JsonObject { ["text"] = "GP" }),
            },
            Consent("#patient")),
        ["extension"] = new JsonArray(
            RiskExtension(),
            new JsonObject { ["url"] = IntakeFhir.WhatMattersExtension, ["valueString"] = "Getting back to the allotment." }),
        ["identifier"] = new JsonArray(new JsonObject
        {
            ["system"] = "https://fhir.example-gp-system.co.uk/Id/referral",
            ["value"] = identifier ?? Guid.NewGuid().ToString(),
        }),
        ["status"] = "active",
        ["intent"] = "order",
        ["priority"] = "routine",
        ["code"] = new JsonObject
        {
            ["coding"] = new JsonArray(new JsonObject
            {
                ["system"] = FhirSystems.Snomed,
                ["code"] = IntakeFhir.ReferralToSocialPrescribing,
                ["display"] = "Referral to social prescribing service",
            }),
        },
        ["subject"] = new JsonObject { ["reference"] = "#patient" },
        ["requester"] = new JsonObject { ["reference"] = "#requester" },
        ["reasonCode"] = new JsonArray(new JsonObject
        {
            ["coding"] = new JsonArray(new JsonObject { ["system"] = IntakeFhir.NeedCategorySystem, ["code"] = "loneliness-or-isolation" }),
        }),
        ["supportingInfo"] = new JsonArray(new JsonObject { ["reference"] = "#consent" }),
        ["note"] = new JsonArray(new JsonObject { ["text"] = "Widowed last year; rarely leaves the house." }),
    };

    /// <summary>
    /// A transaction Bundle: ServiceRequest, Patient (registered practice as a logical ODS reference), the requesting
    /// Organization and the Consent, cross-referenced by fullUrl.
    /// </summary>
    public static JsonObject Bundle(string? nhsNumber = null, string requesterOds = TestData.Practice)
    {
        const string sr = "urn:uuid:6f1c2f8e-4c55-4a8b-9d3e-0a1b2c3d4e01";
        const string patient = "urn:uuid:6f1c2f8e-4c55-4a8b-9d3e-0a1b2c3d4e02";
        const string organisation = "urn:uuid:6f1c2f8e-4c55-4a8b-9d3e-0a1b2c3d4e03";
        const string consent = "urn:uuid:6f1c2f8e-4c55-4a8b-9d3e-0a1b2c3d4e04";
        var request = ServiceRequest(nhsNumber, requesterOds);
        request.Remove("contained");
        request["subject"] = new JsonObject { ["reference"] = patient };
        request["requester"] = new JsonObject { ["reference"] = organisation, ["display"] = "Dr Priya Shah" };
        request["supportingInfo"] = new JsonArray(new JsonObject { ["reference"] = consent });
        var patientResource = Patient(nhsNumber ?? TestData.NhsNumber());
        patientResource.Remove("id");
        var consentResource = Consent(patient);
        consentResource.Remove("id");
        return new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "transaction",
            ["entry"] = new JsonArray(
                Entry(sr, request, "ServiceRequest"),
                Entry(patient, patientResource, "Patient"),
                Entry(organisation, new JsonObject
                {
                    ["resourceType"] = "Organization",
                    ["identifier"] = new JsonArray(new JsonObject { ["system"] = FhirSystems.OdsOrganizationCode, ["value"] = requesterOds }),
                    ["name"] = "Chapeltown Road Surgery",
                }, "Organization"),
                Entry(consent, consentResource, "Consent")),
        };
    }

    /// <summary>
    /// The referral a FHIR submission was answered with. Intake serves no FHIR read of it, so it names the referral's
    /// status (<c>GET /referrals/{id}</c>): in Content-Location on a 202, in the ServiceRequest entry's <c>status</c> link
    /// of a transaction-response.
    /// </summary>
    public static Guid ReferralIdOf(HttpResponseMessage response) =>
        IdOfStatusUrl(response.Content.Headers.ContentLocation?.OriginalString
                      ?? throw new InvalidOperationException($"A {(int)response.StatusCode} without Content-Location."));

    public static Guid ReferralIdOf(JsonNode transactionResponse) =>
        IdOfStatusUrl(transactionResponse["entry"]![0]!["link"]!.AsArray().Single(l => l!["relation"]!.GetValue<string>() == "status")!["url"]!
            .GetValue<string>());

    private static Guid IdOfStatusUrl(string url) =>
        url.StartsWith("/referrals/", StringComparison.Ordinal) ? Guid.Parse(url["/referrals/".Length..]) : throw new InvalidOperationException(url);

    private static JsonObject Entry(string fullUrl, JsonObject resource, string type) => new()
    {
        ["fullUrl"] = fullUrl,
        ["resource"] = resource,
        ["request"] = new JsonObject { ["method"] = "POST", ["url"] = type },
    };
}
