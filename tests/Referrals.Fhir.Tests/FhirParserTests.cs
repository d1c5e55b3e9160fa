using System.Text.Json;
using Referrals.Fhir.Model;

namespace Referrals.Fhir.Tests;

public sealed class FhirParserTests
{
    private const string ValidReferral =
        """{"resourceType":"ServiceRequest","status":"active","intent":"order","subject":{"reference":"Patient/1"},"occurrenceDateTime":"2025-03-10"}""";

    [Fact]
    public void A_valid_service_request_parses()
    {
        var result = FhirJson.TryParse<ServiceRequest>(ValidReferral);

        Assert.True(result.Success, string.Join("; ", result.Issues));
        Assert.Equal(RequestStatus.Active, result.Resource.Status);
        Assert.Equal("2025-03-10", result.Resource.OccurrenceDateTime!.Value);
    }

    [Fact]
    public void An_unknown_element_is_rejected_with_its_path()
    {
        var issue = SingleIssue<ServiceRequest>(ValidReferral.Replace("\"intent\"", "\"colour\":\"blue\",\"intent\"", StringComparison.Ordinal));

        Assert.Equal("ServiceRequest.colour", issue.Path);
        Assert.Contains("Unknown element 'colour'", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_element_deep_inside_is_rejected_with_its_full_path()
    {
        var issue = SingleIssue<ServiceRequest>(ValidReferral.Replace("{\"reference\":\"Patient/1\"}", "{\"reference\":\"Patient/1\",\"nhsNumber\":\"9912003888\"}", StringComparison.Ordinal));

        Assert.Equal("ServiceRequest.subject.nhsNumber", issue.Path);
    }

    [Fact]
    public void A_modifier_extension_is_rejected_because_the_service_cannot_honour_it()
    {
        var issue = SingleIssue<ServiceRequest>(ValidReferral.Replace("\"status\"", "\"modifierExtension\":[{\"url\":\"https://x\",\"valueBoolean\":true}],\"status\"", StringComparison.Ordinal));

        Assert.Equal("ServiceRequest.modifierExtension", issue.Path);
    }

    [Theory]
    [InlineData("\"subject\":{\"reference\":\"Patient/1\"}", "\"subject\":\"Patient/1\"", "ServiceRequest.subject", "expected an object (ResourceReference)")]
    [InlineData("\"intent\":\"order\"", "\"intent\":\"order\",\"doNotPerform\":\"false\"", "ServiceRequest.doNotPerform", "expected true or false")]
    [InlineData("\"intent\":\"order\"", "\"intent\":\"order\",\"category\":{\"text\":\"x\"}", "ServiceRequest.category", "expected an array")]
    [InlineData("\"intent\":\"order\"", "\"intent\":\"order\",\"patientInstruction\":42", "ServiceRequest.patientInstruction", "expected a string")]
    [InlineData("\"status\":\"active\"", "\"status\":1", "ServiceRequest.status", "Expected a code (JSON string)")]
    public void A_value_of_the_wrong_json_type_is_rejected_with_its_path(string find, string replace, string path, string message)
    {
        var issue = SingleIssue<ServiceRequest>(ValidReferral.Replace(find, replace, StringComparison.Ordinal));

        Assert.Equal(path, issue.Path);
        Assert.Contains(message, issue.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2025-02-30", "day that exists")]
    [InlineData("2025-13-01", "no valid month")]
    [InlineData("2025-03-10T09:30:00", "no timezone")]
    [InlineData("2025-03-10T09:30Z", "seconds are required")]
    [InlineData("10/03/2025", "four-digit year")]
    [InlineData("2025-03-10T25:00:00Z", "out of range")]
    public void An_invalid_dateTime_is_rejected_with_its_path(string value, string reason)
    {
        var issue = SingleIssue<ServiceRequest>(ValidReferral.Replace("2025-03-10", value, StringComparison.Ordinal));

        Assert.Equal("ServiceRequest.occurrenceDateTime", issue.Path);
        Assert.Contains(reason, issue.Message, StringComparison.Ordinal);
        Assert.Equal(IssueType.Value, issue.Code);
    }

    [Fact]
    public void A_date_with_a_time_is_rejected_where_only_a_date_is_allowed()
    {
        var issue = SingleIssue<Patient>("""{"resourceType":"Patient","birthDate":"1970-01-01T00:00:00Z"}""");

        Assert.Equal("Patient.birthDate", issue.Path);
    }

    [Fact]
    public void An_instant_without_seconds_or_time_is_rejected()
    {
        var issue = SingleIssue<Bundle>("""{"resourceType":"Bundle","type":"collection","timestamp":"2025-03-04"}""");

        Assert.Equal("Bundle.timestamp", issue.Path);
        Assert.Contains("instant", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_values_of_one_choice_element_are_rejected()
    {
        var issue = SingleIssue<ServiceRequest>(
            """{"resourceType":"ServiceRequest","status":"active","intent":"order","subject":{"reference":"Patient/1"},"occurrenceDateTime":"2025-03-10","occurrencePeriod":{"start":"2025-03-10"}}""");

        Assert.Equal("ServiceRequest.occurrence[x]", issue.Path);
        Assert.Contains("occurrenceDateTime and occurrencePeriod", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_required_elements_are_all_reported()
    {
        var result = FhirJson.TryParse<ServiceRequest>("""{"resourceType":"ServiceRequest","priority":"routine"}""");

        Assert.False(result.Success);
        Assert.Equal(["ServiceRequest.status", "ServiceRequest.intent", "ServiceRequest.subject"], result.Issues.Select(i => i.Path));
        Assert.All(result.Issues, i => Assert.Equal(IssueType.Required, i.Code));
    }

    [Fact]
    public void A_code_outside_its_required_value_set_is_rejected()
    {
        var issue = SingleIssue<ServiceRequest>(ValidReferral.Replace("\"active\"", "\"in-progress\"", StringComparison.Ordinal));

        Assert.Equal("ServiceRequest.status", issue.Path);
        Assert.Equal(IssueType.CodeInvalid, issue.Code);
        Assert.Contains("http://hl7.org/fhir/ValueSet/request-status", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enum_codes_are_matched_exactly_not_by_csharp_name()
    {
        Assert.False(FhirJson.TryParse<ServiceRequest>(ValidReferral.Replace("\"active\"", "\"Active\"", StringComparison.Ordinal)).Success);
        Assert.False(FhirJson.TryParse<FhirTask>("""{"resourceType":"Task","status":"InProgress","intent":"order"}""").Success);
        Assert.True(FhirJson.TryParse<FhirTask>("""{"resourceType":"Task","status":"in-progress","intent":"order"}""").Success);
    }

    [Theory]
    [InlineData("\"patientInstruction\":null", "ServiceRequest.patientInstruction", "null")]
    [InlineData("\"category\":[]", "ServiceRequest.category", "Empty arrays")]
    [InlineData("\"code\":{}", "ServiceRequest.code", "Empty objects")]
    [InlineData("\"patientInstruction\":\"\"", "ServiceRequest.patientInstruction", "Empty strings")]
    [InlineData("\"status\":\"active\"", "ServiceRequest.status", "more than once")]
    [InlineData("\"note\":[{\"text\":\"a\"},null]", "ServiceRequest.note[1]", "null")]
    public void Json_that_breaks_fhir_json_rules_is_rejected_with_its_path(string insert, string path, string message)
    {
        var issue = SingleIssue<ServiceRequest>(ValidReferral.Replace("\"intent\"", insert + ",\"intent\"", StringComparison.Ordinal));

        Assert.Equal(path, issue.Path);
        Assert.Contains(message, issue.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"resourceType\":\"ServiceRequest\",")]
    [InlineData("{\"status\":\"active\"}")]
    [InlineData("{\"resourceType\":7}")]
    public void Malformed_bodies_give_issues_not_exceptions(string json)
    {
        var result = FhirJson.TryParse<ServiceRequest>(json);

        Assert.False(result.Success);
        Assert.NotEmpty(result.Issues);
    }

    [Fact]
    public void ResourceType_may_come_anywhere_in_inbound_json_but_is_written_first()
    {
        var json = """{"status":"active","intent":"order","subject":{"reference":"Patient/1"},"resourceType":"ServiceRequest"}""";

        var result = FhirJson.TryParse<ServiceRequest>(json);
        var bundle = FhirJson.TryParse<Bundle>("""{"type":"collection","entry":[{"resource":""" + json + "}],\"resourceType\":\"Bundle\"}");

        Assert.True(result.Success, string.Join("; ", result.Issues));
        Assert.True(bundle.Success, string.Join("; ", bundle.Issues));
        Assert.StartsWith("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":{\"resourceType\":\"ServiceRequest\",", FhirJson.Serialize(bundle.Resource), StringComparison.Ordinal);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_tolerated()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(ValidReferral)];

        Assert.True(FhirJson.TryParse<ServiceRequest>(bytes).Success);
    }

    [Fact]
    public void A_resource_of_another_type_is_rejected()
    {
        var issue = SingleIssue<ServiceRequest>("""{"resourceType":"Patient"}""");

        Assert.Equal("Patient.resourceType", issue.Path);
        Assert.Contains("Expected a ServiceRequest", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsupported_resource_type_is_rejected()
    {
        var issue = SingleIssue<Resource>("""{"resourceType":"Referral"}""");

        Assert.Equal(IssueType.NotSupported, issue.Code);
    }

    [Fact]
    public void Parse_of_any_resource_returns_the_concrete_type()
    {
        var resource = FhirJson.Parse<Resource>(ValidReferral);

        Assert.IsType<ServiceRequest>(resource);
        Assert.IsType<FhirTask>(FhirJson.Parse<DomainResource>("""{"resourceType":"Task","status":"draft","intent":"order"}"""));
    }

    [Fact]
    public void Errors_inside_a_bundle_entry_carry_the_full_path_from_the_bundle()
    {
        var json = FhirJson.Serialize(Examples.TransactionBundle())
            .Replace("\"resourceType\":\"ServiceRequest\",", "\"resourceType\":\"ServiceRequest\",\"reasonForReferral\":\"x\",", StringComparison.Ordinal);

        var issue = SingleIssue<Bundle>(json);

        Assert.Equal("Bundle.entry[3].resource.reasonForReferral", issue.Path);
    }

    [Fact]
    public void Wrong_types_inside_a_nested_bundle_in_a_message_carry_the_full_path()
    {
        var json = FhirJson.Serialize(Examples.MessageBundle()).Replace("\"value\":16.36", "\"value\":\"16.36\"", StringComparison.Ordinal);

        var issue = SingleIssue<Bundle>(json);

        Assert.Equal("Bundle.entry[1].resource.entry[2].resource.valueQuantity.value", issue.Path);
    }

    [Fact]
    public void Errors_inside_contained_resources_carry_their_path()
    {
        var json = """{"resourceType":"Observation","contained":[{"resourceType":"Practitioner","id":"p","gender":"woman"}],"status":"final","code":{"text":"x"}}""";

        var issue = SingleIssue<Observation>(json);

        Assert.Equal("Observation.contained[0].gender", issue.Path);
    }

    [Fact]
    public void An_entry_resource_without_resourceType_is_rejected()
    {
        var issue = SingleIssue<Bundle>("""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"id":"x"}}]}""");

        Assert.Equal("Bundle.entry[0].resource", issue.Path);
    }

    [Fact]
    public void Model_rule_violations_in_entries_are_reported_after_parsing()
    {
        var issue = SingleIssue<Bundle>("""{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Patient"}}]}""");

        Assert.Equal("Bundle.entry[0].request", issue.Path);
    }

    [Fact]
    public void Parse_throws_a_fhir_parse_exception_never_a_json_exception()
    {
        var ex = Assert.Throws<FhirParseException>(() => FhirJson.Parse<ServiceRequest>("{\"resourceType\":\"ServiceRequest\",\"status\":"));

        Assert.IsNotType<JsonException>(ex.InnerException);
        Assert.NotEmpty(ex.Issues);
    }

    [Fact]
    public void No_truncation_or_corruption_of_a_valid_bundle_makes_the_parser_throw()
    {
        var json = FhirJson.Serialize(Examples.MessageBundle());
        var random = new Random(20250304);

        for (var i = 0; i < json.Length; i += 7)
        {
            _ = FhirJson.TryParse<Resource>(json[..i]);
            var chars = json.ToCharArray();
            chars[random.Next(chars.Length)] = "\"{}[],:0aZ-.\\ "[random.Next(14)];
            _ = FhirJson.TryParse<Bundle>(new string(chars));
        }
    }

    [Fact]
    public void Parse_issues_become_an_operation_outcome_with_expressions()
    {
        var result = FhirJson.TryParse<ServiceRequest>("""{"resourceType":"ServiceRequest","status":"active","intent":"order"}""");

        var outcome = result.ToOperationOutcome();

        var issue = Assert.Single(outcome.Issue);
        Assert.Equal(IssueSeverity.Error, issue.Severity);
        Assert.Equal(IssueType.Required, issue.Code);
        Assert.Equal(["ServiceRequest.subject"], issue.Expression);
        Assert.True(outcome.HasErrors());
    }

    [Fact]
    public void The_intake_transaction_bundle_parses_with_all_four_resources()
    {
        var bundle = FhirJson.Parse<Bundle>(FhirJson.Serialize(Examples.TransactionBundle()));

        Assert.Equal(BundleType.Transaction, bundle.Type);
        Assert.IsType<Patient>(bundle.Entry[0].Resource);
        Assert.Equal("identifier=https://fhir.nhs.uk/Id/nhs-number|9912003888", bundle.Entry[0].Request!.IfNoneExist);
        Assert.IsType<Organization>(bundle.Entry[1].Resource);
        Assert.IsType<Consent>(bundle.Entry[2].Resource);
        var referral = Assert.IsType<ServiceRequest>(bundle.Entry[3].Resource);
        Assert.Equal(FhirSystems.UrnUuid(Examples.PatientId), referral.Subject.Reference);
    }

    private static FhirIssue SingleIssue<T>(string json)
        where T : Resource
    {
        var result = FhirJson.TryParse<T>(json);
        Assert.False(result.Success, "expected the parser to reject: " + json);
        return Assert.Single(result.Issues);
    }
}
