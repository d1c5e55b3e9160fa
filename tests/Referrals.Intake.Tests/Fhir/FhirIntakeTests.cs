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
        var id = TestFhir.ReferralIdOf(response);
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

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = TestFhir.ReferralIdOf(JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
        var submitted = await probe.WaitForAsync<ReferralSubmitted>(m => m.ReferralId == id);
        Assert.Equal(nhs, submitted.Person!.NhsNumber);
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
        Assert.Equal(TestFhir.ReferralIdOf(first), TestFhir.ReferralIdOf(second));
    }

    [Fact]
    public async Task A_ServiceRequest_is_answered_202_naming_the_referral_status_in_Content_Location_and_no_FHIR_Location_it_could_not_read()
    {
        var client = GpSystem();
        var response = await PostFhirAsync(client, "/fhir/ServiceRequest", TestFhir.ServiceRequest());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Null(response.Headers.Location); // a FHIR client reads Location as [base]/ServiceRequest/[id]/_history/[vid]
        Assert.Null(response.Headers.ETag);
        Assert.False(response.Headers.Contains("Preference-Applied"));
        var id = TestFhir.ReferralIdOf(response);
        var text = await response.Content.ReadAsStringAsync();
        FhirSchemaValidator.Shared.AssertValid(text);
        var issue = Assert.Single(JsonNode.Parse(text)!["issue"]!.AsArray())!;
        Assert.Equal("information", issue["severity"]!.GetValue<string>());
        Assert.Contains($"/referrals/{id}", issue["diagnostics"]!.GetValue<string>(), StringComparison.Ordinal);

        // The status URL is one the same sign-in can read.
        var status = await client.GetAsync(response.Content.Headers.ContentLocation);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(id, (await status.ReadObjectAsync()).ReferralId());
    }

    [Theory]
    [InlineData("return=minimal", false, "return=minimal")]
    [InlineData("return=OperationOutcome", true, "return=OperationOutcome")]
    [InlineData("return=representation", true, null)] // no FHIR representation is kept to return
    public async Task The_answer_to_a_ServiceRequest_follows_Prefer_return_where_it_can(string prefer, bool outcome, string? applied)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fhir/ServiceRequest") { Content = Http.Json(TestFhir.ServiceRequest(), IntakeFhir.MediaType) };
        request.Headers.TryAddWithoutValidation("Prefer", prefer);
        var response = await GpSystem().SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        TestFhir.ReferralIdOf(response);
        var text = await response.Content.ReadAsStringAsync();
        if (outcome)
        {
            FhirSchemaValidator.Shared.AssertValid(text);
            Assert.Equal("OperationOutcome", JsonNode.Parse(text)!["resourceType"]!.GetValue<string>());
        }
        else
        {
            Assert.Empty(text);
        }

        Assert.Equal(applied, response.Headers.TryGetValues("Preference-Applied", out var values) ? Assert.Single(values) : null);
    }

    [Fact]
    public async Task A_transaction_is_answered_200_with_a_transaction_response_answering_each_entry_in_order()
    {
        var client = GpSystem();
        var bundle = TestFhir.Bundle();
        var response = await PostFhirAsync(client, "/fhir", bundle);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(IntakeFhir.MediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Headers.Location);
        Assert.Null(response.Content.Headers.ContentLocation);
        var text = await response.Content.ReadAsStringAsync();
        FhirSchemaValidator.Shared.AssertValid(text);
        var answer = JsonNode.Parse(text)!;
        Assert.Equal("Bundle", answer["resourceType"]!.GetValue<string>());
        Assert.Equal("transaction-response", answer["type"]!.GetValue<string>());
        var entries = answer["entry"]!.AsArray();
        Assert.Equal(bundle["entry"]!.AsArray().Count, entries.Count);

        // The ServiceRequest (entry 0): accepted; the referral's status linked; no FHIR location or version it could not serve.
        var id = TestFhir.ReferralIdOf(answer);
        var referral = entries[0]!;
        Assert.Equal("202 Accepted", referral["response"]!["status"]!.GetValue<string>());
        Assert.Null(referral["response"]!["location"]);
        Assert.Null(referral["response"]!["etag"]);
        Assert.Null(referral["resource"]);
        Assert.Contains($"/referrals/{id}", referral["response"]!["outcome"]!["issue"]![0]!["diagnostics"]!.GetValue<string>(), StringComparison.Ordinal);

        // Patient, Organization, Consent: accepted with the referral, none kept as a resource of its own.
        foreach (var (entry, type) in entries.Skip(1).Zip(new[] { "Patient", "Organization", "Consent" }))
        {
            Assert.Equal("202 Accepted", entry!["response"]!["status"]!.GetValue<string>());
            Assert.Null(entry["response"]!["location"]);
            Assert.Null(entry["link"]);
            var diagnostics = entry["response"]!["outcome"]!["issue"]![0]!["diagnostics"]!.GetValue<string>();
            Assert.Contains(id.ToString(), diagnostics, StringComparison.Ordinal);
            Assert.Contains(type, diagnostics, StringComparison.Ordinal);
        }

        var status = await client.GetAsync(new Uri($"/referrals/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);

        // A resend is answered the same way, naming the same referral.
        var again = await PostFhirAsync(client, "/fhir", bundle);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(id, TestFhir.ReferralIdOf(JsonNode.Parse(await again.Content.ReadAsStringAsync())!));
    }

    [Fact]
    public async Task A_transaction_with_Prefer_return_minimal_is_answered_without_the_entries_outcomes()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fhir") { Content = Http.Json(TestFhir.Bundle(), IntakeFhir.MediaType) };
        request.Headers.TryAddWithoutValidation("Prefer", "return=minimal");
        var response = await GpSystem().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        FhirSchemaValidator.Shared.AssertValid(text);
        var answer = JsonNode.Parse(text)!;
        TestFhir.ReferralIdOf(answer);
        Assert.All(answer["entry"]!.AsArray(), e => Assert.Null(e!["response"]!["outcome"]));
        Assert.Equal("return=minimal", Assert.Single(response.Headers.GetValues("Preference-Applied")));
    }

    [Fact]
    public async Task A_collection_Bundle_is_answered_as_a_ServiceRequest_is_not_as_a_transaction()
    {
        var bundle = TestFhir.Bundle();
        bundle["type"] = "collection";
        foreach (var entry in bundle["entry"]!.AsArray())
        {
            entry!.AsObject().Remove("request");
        }

        var response = await PostFhirAsync(GpSystem(), "/fhir", bundle);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var id = TestFhir.ReferralIdOf(response);
        var text = await response.Content.ReadAsStringAsync();
        FhirSchemaValidator.Shared.AssertValid(text);
        Assert.Equal("OperationOutcome", JsonNode.Parse(text)!["resourceType"]!.GetValue<string>());
        Assert.Contains($"/referrals/{id}", text, StringComparison.Ordinal);
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
        foreach (var (path, statuses) in new[]
                 {
                     ("/fhir/ServiceRequest", new[] { "202", "400", "401", "403", "409", "413", "415" }),
                     ("/fhir", new[] { "200", "202", "400", "401", "403", "409", "413", "415" }),
                 })
        {
            var operation = document["paths"]![path]!["post"]!;
            var responses = operation["responses"]!.AsObject()
                .ToDictionary(r => r.Key, r => r.Value!["content"]?.AsObject().Select(c => c.Key).Order().ToList() ?? []);
            Assert.Equal(statuses, responses.Keys.Order());
            foreach (var status in new[] { "202", "400", "409", "413", "415" })
            {
                Assert.Equal([IntakeFhir.MediaType], responses[status]);
                var schema = operation["responses"]![status]!["content"]![IntakeFhir.MediaType]!["schema"]!;
                Assert.Equal("OperationOutcome", schema["properties"]!["resourceType"]!["const"]!.GetValue<string>());
            }

            // The 202 names the referral's status in Content-Location, and says which Prefer it followed.
            var accepted = operation["responses"]!["202"]!["headers"]!.AsObject();
            Assert.True(accepted.ContainsKey("Content-Location") && accepted.ContainsKey("Preference-Applied"), accepted.ToJsonString());
            Assert.Contains(operation["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "Prefer" && p["in"]!.GetValue<string>() == "header");
            Assert.Equal(["application/problem+json"], responses["401"]);
            Assert.Equal([IntakeFhir.MediaType, "application/problem+json"], responses["403"]);
        }

        // A transaction's 200 is a transaction-response Bundle.
        var transaction = document["paths"]!["/fhir"]!["post"]!["responses"]!["200"]!["content"]![IntakeFhir.MediaType]!["schema"]!;
        Assert.Equal("Bundle", transaction["properties"]!["resourceType"]!["const"]!.GetValue<string>());
        Assert.Equal("transaction-response", transaction["properties"]!["type"]!["const"]!.GetValue<string>());
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
        var id = TestFhir.ReferralIdOf(response);

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
