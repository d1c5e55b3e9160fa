using System.Net;
using System.Text.Json.Nodes;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Fhir.Testing;
using Referrals.Intake.Fhir;
using Referrals.ServiceDefaults.Auth;
using Referrals.Testing.Hosting;

namespace Referrals.Intake.Tests.Fhir;

public sealed class FhirIntakeTests(IntakeFixture fixture) : IClassFixture<IntakeFixture>
{
    private IntakeApp App => fixture.App;

    private HttpClient GpSystem(string ods = TestData.Practice) => App.Host.ClientFor(Roles.ClinicalSystem, (ReferralsClaims.OdsCode, ods));

    private static async Task<HttpResponseMessage> PostFhirAsync(HttpClient client, string path, JsonNode body) =>
        await client.PostAsync(new Uri(path, UriKind.Relative), Http.Json(body, IntakeFhir.MediaType));

    [Fact]
    public void The_example_ServiceRequest_and_Bundle_are_valid_FHIR_R4()
    {
        FhirSchemaValidator.Shared.AssertValid(TestFhir.ServiceRequest().ToJsonString());
        FhirSchemaValidator.Shared.AssertValid(TestFhir.Bundle().ToJsonString());
    }

    [Fact]
    public async Task A_ServiceRequest_with_a_contained_Patient_becomes_a_referral()
    {
        await using var probe = await App.ProbeAsync(typeof(ReferralSubmitted));
        var nhs = TestData.NhsNumber();
        var response = await PostFhirAsync(GpSystem(), "/fhir/ServiceRequest", TestFhir.ServiceRequest(nhs));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(IntakeFhir.MediaType, response.Content.Headers.ContentType?.MediaType);
        var location = response.Headers.Location!.OriginalString;
        var id = Guid.Parse(location["/referrals/".Length..]);
        var outcome = await response.Content.ReadAsStringAsync();
        FhirSchemaValidator.Shared.AssertValid(outcome);

        var submitted = await probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == id);
        Assert.Equal(nhs, submitted.Person!.NhsNumber);
        Assert.Equal("O'Brien", submitted.Person.FamilyName);
        Assert.Equal(new DateOnly(1958, 3, 14), submitted.Person.DateOfBirth);
        Assert.Equal(TestData.Practice, submitted.RegisteredPracticeOds);
        Assert.Equal(TestData.Programme, submitted.ProgrammeId); // derived: the one programme serving the practice
        Assert.Equal("Dr Priya Shah", submitted.Referrer.ProfessionalName);
        Assert.Equal("GP", submitted.Referrer.ProfessionalRole);
        Assert.Equal([NeedCategory.LonelinessOrIsolation], submitted.Needs);
        Assert.Equal(ConsentAuthority.Person, submitted.Consent!.Authority);
        Assert.Equal(ConsentScope.Full, submitted.Consent!.SharingScope);
        Assert.Equal("Aoife O'Brien", submitted.Consent!.GivenBy);
        Assert.Equal("Getting back to the allotment.", submitted.WhatMatters);
        Assert.Equal(Urgency.Routine, submitted.Urgency);
        Assert.False(submitted.Risk.RiskOfHarmToSelf);
    }

    [Fact]
    public async Task A_transaction_Bundle_becomes_a_referral()
    {
        await using var probe = await App.ProbeAsync(typeof(ReferralSubmitted));
        var nhs = TestData.NhsNumber();
        var response = await PostFhirAsync(GpSystem(), "/fhir", TestFhir.Bundle(nhs));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var submitted = await probe.WaitForAsync<ReferralSubmitted>(m => m.Person?.NhsNumber == nhs);
        Assert.Equal(TestData.Practice, submitted.Referrer.OrganisationId);
        Assert.Equal("Dr Priya Shah", submitted.Referrer.ProfessionalName);
        Assert.Equal(TestData.Practice, submitted.RegisteredPracticeOds);
    }

    [Fact]
    public async Task Resending_the_same_ServiceRequest_identifier_returns_the_same_referral()
    {
        var body = TestFhir.ServiceRequest();
        var first = await PostFhirAsync(GpSystem(), "/fhir/ServiceRequest", body);
        var second = await PostFhirAsync(GpSystem(), "/fhir/ServiceRequest", body);

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
    }

    [Fact]
    public async Task An_amended_resend_of_a_ServiceRequest_identifier_without_an_Idempotency_Key_is_refused_naming_the_identifier_not_a_key()
    {
        var nhs = TestData.NhsNumber();
        var identifier = Guid.NewGuid().ToString();
        var first = await PostFhirAsync(GpSystem(), "/fhir/ServiceRequest", TestFhir.ServiceRequest(nhs, identifier: identifier));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        var amended = TestFhir.ServiceRequest(nhs, identifier: identifier);
        amended["note"] = new JsonArray(new JsonObject { ["text"] = "Also struggling with money since the bereavement." });
        var response = await PostFhirAsync(GpSystem(), "/fhir/ServiceRequest", amended);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(IntakeFhir.MediaType, response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        FhirSchemaValidator.Shared.AssertValid(text);
        var issue = Assert.Single(JsonNode.Parse(text)!["issue"]!.AsArray())!;
        Assert.Equal("conflict", issue["code"]!.GetValue<string>());
        var diagnostics = issue["diagnostics"]!.GetValue<string>();
        Assert.Contains("ServiceRequest.identifier", diagnostics, StringComparison.Ordinal);
        Assert.DoesNotContain("Idempotency-Key", diagnostics, StringComparison.Ordinal);
        Assert.DoesNotContain(identifier, text, StringComparison.Ordinal);

        // With an Idempotency-Key of the sender's own, the refusal names the key, as on the JSON API.
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> WithKeyAsync(JsonNode body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/fhir/ServiceRequest") { Content = Http.Json(body, IntakeFhir.MediaType) };
            request.Headers.Add("Idempotency-Key", key);
            return await GpSystem().SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.Accepted, (await WithKeyAsync(TestFhir.ServiceRequest(nhs))).StatusCode);
        var keyed = await WithKeyAsync(TestFhir.ServiceRequest(nhs).With("note", new JsonArray(new JsonObject { ["text"] = "Another referral." })));
        Assert.Equal(HttpStatusCode.Conflict, keyed.StatusCode);
        Assert.Contains("Idempotency-Key", await keyed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_OpenAPI_document_declares_every_answer_of_the_FHIR_endpoints_with_its_media_type()
    {
        var document = await (await App.Anonymous().GetAsync(new Uri("/openapi/v1.json", UriKind.Relative))).ReadObjectAsync();
        foreach (var path in new[] { "/fhir/ServiceRequest", "/fhir" })
        {
            var responses = document["paths"]![path]!["post"]!["responses"]!.AsObject()
                .ToDictionary(r => r.Key, r => r.Value!["content"]?.AsObject().Select(c => c.Key).Order().ToList() ?? []);
            Assert.Equal(["202", "400", "401", "403", "409", "413", "415"], responses.Keys.Order());
            foreach (var status in new[] { "202", "400", "409", "413", "415" })
            {
                Assert.Equal([IntakeFhir.MediaType], responses[status]);
                var schema = document["paths"]![path]!["post"]!["responses"]![status]!["content"]![IntakeFhir.MediaType]!["schema"]!;
                Assert.Equal("OperationOutcome", schema["properties"]!["resourceType"]!["const"]!.GetValue<string>());
            }

            Assert.Equal(["application/problem+json"], responses["401"]);
            Assert.Equal([IntakeFhir.MediaType, "application/problem+json"], responses["403"]);
        }
    }

    [Fact]
    public async Task Invalid_FHIR_gets_400_with_an_OperationOutcome_naming_the_element()
    {
        var body = TestFhir.ServiceRequest();
        body["code"]!["coding"]![0]!["code"] = "306206005";
        body["contained"]![0]!["birthDate"] = "1958-02-30";
        var response = await PostFhirAsync(GpSystem(), "/fhir/ServiceRequest", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(IntakeFhir.MediaType, response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        FhirSchemaValidator.Shared.AssertValid(text);
        var outcome = JsonNode.Parse(text)!;
        Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
        Assert.DoesNotContain("1958-02-30", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_SNOMED_code_is_refused_with_the_element_named()
    {
        var body = TestFhir.ServiceRequest();
        body["code"]!["coding"]![0]!["code"] = "306206005";
        var response = await PostFhirAsync(GpSystem(), "/fhir/ServiceRequest", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var issues = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["issue"]!.AsArray();
        Assert.Contains(issues, i => i!["expression"]?[0]?.GetValue<string>() == "ServiceRequest.code");
    }

    [Fact]
    public async Task An_invalid_NHS_number_is_refused_on_Patient_identifier()
    {
        var response = await PostFhirAsync(GpSystem(), "/fhir/ServiceRequest", TestFhir.ServiceRequest(TestData.InvalidNhsNumber()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var issues = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["issue"]!.AsArray();
        Assert.Contains(issues, i => i!["expression"]?[0]?.GetValue<string>() == "Patient.identifier");
    }

    [Fact]
    public async Task A_requester_from_another_organisation_is_forbidden_with_an_OperationOutcome()
    {
        var response = await PostFhirAsync(GpSystem("B86003"), "/fhir/ServiceRequest", TestFhir.ServiceRequest(requesterOds: TestData.Practice));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(IntakeFhir.MediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Risk_in_the_FHIR_extension_reaches_the_referral()
    {
        await using var probe = await App.ProbeAsync(typeof(ReferralSubmitted));
        var body = TestFhir.ServiceRequest();
        body["extension"]![0] = TestFhir.RiskExtension(harmToSelf: true);
        body["priority"] = "urgent";
        var response = await PostFhirAsync(GpSystem(), "/fhir/ServiceRequest", body);
        var id = Guid.Parse(response.Headers.Location!.OriginalString["/referrals/".Length..]);

        var submitted = await probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == id);
        Assert.True(submitted.Risk.RiskOfHarmToSelf);
        Assert.Equal(Urgency.Urgent, submitted.Urgency);
    }

    [Fact]
    public async Task Without_risk_answers_a_FHIR_referral_is_refused_rather_than_read_as_no_risk()
    {
        var body = TestFhir.ServiceRequest();
        body["extension"]!.AsArray().RemoveAt(0);
        var response = await PostFhirAsync(GpSystem(), "/fhir/ServiceRequest", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var issues = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["issue"]!.AsArray();
        Assert.Contains(issues, i => i!["expression"]?[0]?.GetValue<string>() == "ServiceRequest.extension");
    }
}
