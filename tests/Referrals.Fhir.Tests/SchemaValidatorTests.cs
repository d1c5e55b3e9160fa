using System.Diagnostics;
using Referrals.Fhir.Model;
using Referrals.Fhir.Testing;
using Xunit.Abstractions;

namespace Referrals.Fhir.Tests;

public sealed class SchemaValidatorTests(ITestOutputHelper output)
{
    [Fact]
    public void The_vendored_schema_is_the_unmodified_file_recorded_in_the_readme()
    {
        var bytes = File.ReadAllBytes(FhirSchemaValidator.DefaultSchemaPath);
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));

        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schema", "README.md"));
        Assert.Contains(sha256, readme, StringComparison.Ordinal);
        Assert.Equal("15b9548af6412c44faaa411456e0652542de286fd1c58ef882b09bdc8947909d", sha256);
    }

    [Fact]
    public void The_schema_is_loaded_once_per_process()
    {
        Assert.Same(FhirSchemaValidator.Shared, FhirSchemaValidator.Shared);
        Assert.Contains("ServiceRequest", FhirSchemaValidator.Shared.ResourceTypes);
        Assert.Equal(146, FhirSchemaValidator.Shared.ResourceTypes.Count);
    }

    [Fact]
    public void An_unknown_element_is_reported_with_its_path()
    {
        var result = FhirSchemaValidator.Shared.Validate("""{"resourceType":"Patient","gender":"female","colour":"blue"}""");

        var error = Assert.Single(result.Errors);
        Assert.Equal("Patient.colour", error.Path);
        Assert.Contains("'colour' is not allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_code_outside_a_schema_enum_and_a_bad_date_are_both_reported()
    {
        var result = FhirSchemaValidator.Shared.Validate("""{"resourceType":"Patient","gender":"f","birthDate":"1970-13-01"}""");

        Assert.Contains(result.Errors, e => e.Path == "Patient.gender" && e.Message.Contains("'f' is not one of: male, female, other, unknown", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Path == "Patient.birthDate" && e.Kind == "PatternMismatch");
    }

    [Fact]
    public void Errors_inside_bundle_entries_point_at_the_entry_resource()
    {
        const string json = """
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:6f1d2c0e-3a4b-4c5d-8e9f-0a1b2c3d4e5f","resource":{"resourceType":"Patient","gender":"female"},"request":{"method":"POST","url":"Patient"}},
              {"resource":{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":"16.36"}},"request":{"method":"POST","url":"Observation"}}]}
            """;

        var result = FhirSchemaValidator.Shared.Validate(json);

        var error = Assert.Single(result.Errors);
        Assert.Equal("Bundle.entry[1].resource.valueQuantity.value", error.Path);
    }

    [Fact]
    public void A_required_element_missing_from_a_resource_is_reported()
    {
        var result = FhirSchemaValidator.Shared.Validate("""{"resourceType":"ServiceRequest","status":"active","intent":"order"}""");

        Assert.Contains(result.Errors, e => e.Kind == "PropertyRequired" && e.Message.Contains("'subject'", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_nested_resource_type_is_reported()
    {
        var result = FhirSchemaValidator.Shared.Validate("""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Referral"}}]}""");

        Assert.Equal("Bundle.entry[0].resource.resourceType", Assert.Single(result.Errors).Path);
    }

    [Fact]
    public void The_required_binding_checker_catches_codes_the_schema_accepts()
    {
        const string json = """{"resourceType":"ServiceRequest","status":"in-progress","intent":"order","subject":{"reference":"Patient/1"}}""";

        Assert.True(FhirSchemaValidator.Shared.Validate(json).IsValid); // ServiceRequest.status is a plain code in the schema
        var problem = Assert.Single(RequiredBindingChecker.Check(json));
        Assert.StartsWith("ServiceRequest.status: 'in-progress' is not a code of http://hl7.org/fhir/ValueSet/request-status", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_required_binding_checker_reads_codeable_concepts_and_nested_resources()
    {
        const string json = """
            {"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Condition","subject":{"reference":"Patient/1"},
              "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"ongoing"}]}}}]}
            """;

        var problem = Assert.Single(RequiredBindingChecker.Check(json));
        Assert.StartsWith("Bundle.entry[0].resource.clinicalStatus:", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_is_safe_from_many_threads_at_once()
    {
        var jsons = Examples.ByName().Values.Select(f => FhirJson.Serialize(f())).ToArray();

        var results = new bool[jsons.Length * 8];
        Parallel.For(0, results.Length, i => results[i] = FhirSchemaValidator.Shared.Validate(jsons[i % jsons.Length]).IsValid);

        Assert.All(results, Assert.True);
    }

    [Fact]
    public void Measures_schema_load_time_and_per_resource_validation_time()
    {
        // A private instance measures the load honestly, whatever other tests did first.
        var validator = FhirSchemaValidator.Load(FhirSchemaValidator.DefaultSchemaPath);
        var examples = Examples.ByName().ToDictionary(kv => kv.Key, kv => FhirJson.Serialize(kv.Value()));
        foreach (var json in examples.Values)
        {
            validator.Validate(json); // warm-up: JIT and per-type wrapper schemas
        }

        const int rounds = 20;
        output.WriteLine($"schema load: {validator.LoadTime.TotalMilliseconds:F0} ms");
        var total = TimeSpan.Zero;
        foreach (var (name, json) in examples)
        {
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < rounds; i++)
            {
                Assert.True(validator.Validate(json).IsValid);
            }

            stopwatch.Stop();
            total += stopwatch.Elapsed;
            output.WriteLine($"validate {name,-28} {stopwatch.Elapsed.TotalMilliseconds / rounds,8:F2} ms ({json.Length} bytes)");
        }

        output.WriteLine($"mean per example: {total.TotalMilliseconds / rounds / examples.Count:F2} ms");

        // For comparison: the model's own serializer and strict parser on the largest example.
        var bundle = Examples.TransactionBundle();
        var bytes = FhirJson.SerializeToUtf8Bytes(bundle);
        const int loops = 200;
        var serialize = Stopwatch.StartNew();
        for (var i = 0; i < loops; i++)
        {
            FhirJson.SerializeToUtf8Bytes(bundle);
        }

        serialize.Stop();
        var parse = Stopwatch.StartNew();
        for (var i = 0; i < loops; i++)
        {
            FhirJson.Parse<Bundle>(bytes);
        }

        parse.Stop();
        output.WriteLine($"FhirJson transaction bundle ({bytes.Length} bytes): serialize {serialize.Elapsed.TotalMilliseconds / loops:F3} ms, parse {parse.Elapsed.TotalMilliseconds / loops:F3} ms");
        Assert.True(validator.LoadTime < TimeSpan.FromSeconds(60));
    }
}
