using System.Text.Json;
using Referrals.Fhir.Model;
using Referrals.Fhir.Testing;

namespace Referrals.Fhir.Tests;

public sealed class FhirJsonRulesTests
{
    public static IEnumerable<object[]> ExampleNames => Examples.All();

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void ResourceType_is_the_first_property_of_every_resource_including_nested_ones(string example)
    {
        using var document = JsonDocument.Parse(FhirJson.Serialize(Examples.Get(example)));

        var resources = Descendants(document.RootElement).Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("resourceType", out _)).ToList();

        Assert.NotEmpty(resources);
        Assert.All(resources, r => Assert.Equal("resourceType", r.EnumerateObject().First().Name));
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void Output_never_contains_null_or_empty_strings_arrays_or_objects(string example)
    {
        using var document = JsonDocument.Parse(FhirJson.Serialize(Examples.Get(example)));

        Assert.All(Descendants(document.RootElement), e =>
        {
            Assert.NotEqual(JsonValueKind.Null, e.ValueKind);
            if (e.ValueKind == JsonValueKind.Array)
            {
                Assert.NotEqual(0, e.GetArrayLength());
            }

            if (e.ValueKind == JsonValueKind.Object)
            {
                Assert.NotEmpty(e.EnumerateObject());
            }

            if (e.ValueKind == JsonValueKind.String)
            {
                Assert.NotEqual("", e.GetString());
            }
        });
    }

    [Fact]
    public void Empty_lists_empty_elements_and_null_properties_are_omitted()
    {
        var patient = new Patient
        {
            Name = [],
            Identifier = [new Identifier { Type = new CodeableConcept { Coding = [] }, Value = "x" }],
            Telecom = [],
            Meta = new Meta(),
            ManagingOrganization = new ResourceReference(),
        };

        Assert.Equal("""{"resourceType":"Patient","identifier":[{"value":"x"}]}""", FhirJson.Serialize(patient));
    }

    [Fact]
    public void A_list_of_only_empty_elements_is_omitted()
    {
        var patient = new Patient { Name = [new HumanName(), new HumanName { Given = [] }], Gender = AdministrativeGender.Female };

        Assert.Equal("""{"resourceType":"Patient","gender":"female"}""", FhirJson.Serialize(patient));
    }

    [Theory]
    [InlineData("16.36", "16.36")]
    [InlineData("7.00", "7.00")]
    [InlineData("35.00", "35.00")]
    [InlineData("0.5", "0.5")]
    [InlineData("100", "100")]
    [InlineData("-1.250", "-1.250")]
    public void Decimals_are_written_with_exactly_the_scale_the_model_holds(string value, string expected)
    {
        var quantity = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        var observation = new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept { Text = "SWEMWBS" }, ValueQuantity = new Quantity { Value = quantity } };

        var json = FhirJson.Serialize(observation);

        Assert.Contains($"\"valueQuantity\":{{\"value\":{expected}}}", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("16.36")]
    [InlineData("7.00")]
    [InlineData("35.00")]
    [InlineData("1.000000000000000000001")]
    public void Decimals_read_from_json_keep_their_text_exactly(string value)
    {
        var json = $$$"""{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":{{{value}}}}}""";

        var observation = FhirJson.Parse<Observation>(json);

        Assert.Equal(value, observation.ValueQuantity!.Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(json, FhirJson.Serialize(observation));
    }

    [Fact]
    public void The_SWEMWBS_conversion_values_keep_two_decimals_end_to_end()
    {
        var json = FhirJson.Serialize(Examples.SwemwbsObservation());

        Assert.Contains("\"value\":16.36", json, StringComparison.Ordinal);
        Assert.Contains("\"low\":{\"value\":7.00}", json, StringComparison.Ordinal);
        Assert.Contains("\"high\":{\"value\":35.00}", json, StringComparison.Ordinal);
        FhirSchemaValidator.Shared.AssertValid(json);
    }

    [Fact]
    public void Dates_are_written_as_year_year_month_or_full_date()
    {
        var goal = new Goal
        {
            LifecycleStatus = GoalLifecycleStatus.Active,
            Description = new CodeableConcept { Text = "x" },
            Subject = ResourceReference.To("Patient/1"),
            StartDate = FhirDate.FromYear(2025),
            StatusDate = FhirDate.FromYearMonth(2025, 3),
            Target = [new GoalTarget { DueDate = new DateOnly(2025, 12, 31) }],
        };

        var json = FhirJson.Serialize(goal);

        Assert.Contains("\"startDate\":\"2025\"", json, StringComparison.Ordinal);
        Assert.Contains("\"statusDate\":\"2025-03\"", json, StringComparison.Ordinal);
        Assert.Contains("\"dueDate\":\"2025-12-31\"", json, StringComparison.Ordinal);
        FhirSchemaValidator.Shared.AssertValid(json);
    }

    [Fact]
    public void DateTimes_from_a_DateTimeOffset_carry_a_timezone_and_are_normalised_to_utc()
    {
        var summer = new DateTimeOffset(2025, 6, 1, 10, 15, 30, TimeSpan.FromHours(1));
        var task = new FhirTask { Status = FhirTaskStatus.Requested, Intent = TaskIntent.Order, AuthoredOn = summer, LastModified = summer.AddMilliseconds(7) };

        var json = FhirJson.Serialize(task);

        Assert.Contains("\"authoredOn\":\"2025-06-01T09:15:30Z\"", json, StringComparison.Ordinal);
        Assert.Contains("\"lastModified\":\"2025-06-01T09:15:30.007Z\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Instants_always_have_seconds_and_a_timezone_even_on_the_minute()
    {
        var bundle = new Bundle { Type = BundleType.Collection, Timestamp = new DateTimeOffset(2025, 1, 2, 3, 4, 0, TimeSpan.Zero) };

        var json = FhirJson.Serialize(bundle);

        Assert.Contains("\"timestamp\":\"2025-01-02T03:04:00Z\"", json, StringComparison.Ordinal);
        FhirSchemaValidator.Shared.AssertValid(json);
    }

    [Fact]
    public void Sub_millisecond_ticks_do_not_change_the_bytes()
    {
        var at = new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

        Assert.Equal(FhirInstant.FromDateTimeOffset(at).Value, FhirInstant.FromDateTimeOffset(at.AddTicks(9_999)).Value);
        Assert.Equal("2025-01-02T03:04:05.678Z", FhirInstant.FromDateTimeOffset(at).Value);
    }

    [Fact]
    public void Enum_values_are_written_as_their_fhir_codes()
    {
        var task = new FhirTask { Status = FhirTaskStatus.InProgress, Intent = TaskIntent.OriginalOrder, Priority = RequestPriority.Asap };
        var request = new ServiceRequest { Status = RequestStatus.EnteredInError, Intent = RequestIntent.Order, Subject = ResourceReference.To("Patient/1") };

        Assert.Equal("""{"resourceType":"Task","status":"in-progress","intent":"original-order","priority":"asap"}""", FhirJson.Serialize(task));
        Assert.Contains("\"status\":\"entered-in-error\"", FhirJson.Serialize(request), StringComparison.Ordinal);
        Assert.Contains("\"comparator\":\">=\"", FhirJson.Serialize(new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept { Text = "x" }, ValueQuantity = new Quantity { Value = 1, Comparator = QuantityComparator.GreaterOrEqual } }), StringComparison.Ordinal);
    }

    [Fact]
    public void Properties_follow_the_specification_order_with_base_elements_first()
    {
        var request = Examples.ServiceRequest();
        request.Meta = new Meta { VersionId = "2" };
        request.Text = new Narrative { Status = NarrativeStatus.Generated, Div = "<div xmlns=\"http://www.w3.org/1999/xhtml\">Referral</div>" };

        using var document = JsonDocument.Parse(FhirJson.Serialize(request));
        var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();

        Assert.Equal(["resourceType", "id", "meta", "text", "extension", "identifier", "status", "intent", "category", "priority", "code", "subject"], names.Take(12));
    }

    [Fact]
    public void Non_ascii_text_and_markup_are_written_as_utf8_not_escaped()
    {
        var json = FhirJson.Serialize(Examples.Patient());

        Assert.Contains("1 Café Row", json, StringComparison.Ordinal);
        Assert.Contains("+44 7700 900123", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_object_always_serializes_to_the_same_bytes()
    {
        var bundle = Examples.MessageBundle();

        var first = FhirJson.SerializeToUtf8Bytes(bundle);
        var second = FhirJson.SerializeToUtf8Bytes(bundle);
        var fromFreshObject = FhirJson.SerializeToUtf8Bytes(Examples.MessageBundle());

        Assert.Equal(first, second);
        Assert.Equal(first, fromFreshObject);
    }

    [Fact]
    public void Serializing_a_resource_that_breaks_fhir_rules_throws_with_every_path()
    {
        var observation = new Observation { Status = null, Code = null!, ValueString = "a", ValueInteger = 1 };

        var ex = Assert.Throws<FhirValidationException>(() => FhirJson.Serialize(observation));

        Assert.Contains(ex.Issues, i => i.Path == "Observation.status" && i.Code == IssueType.Required);
        Assert.Contains(ex.Issues, i => i.Path == "Observation.code" && i.Code == IssueType.Required);
        Assert.Contains(ex.Issues, i => i.Path == "Observation.value[x]" && i.Message.Contains("valueString and valueInteger", StringComparison.Ordinal));
    }

    [Fact]
    public void A_required_choice_element_must_have_exactly_one_value()
    {
        var task = new FhirTask { Status = FhirTaskStatus.Draft, Intent = TaskIntent.Order, Input = [new TaskParameter { Type = new CodeableConcept { Text = "x" } }] };

        var issue = Assert.Single(Assert.Throws<FhirValidationException>(() => FhirJson.Serialize(task)).Issues);

        Assert.Equal("Task.input[0].value[x]", issue.Path);
    }

    [Fact]
    public void An_extension_needs_a_value_or_nested_extensions_but_not_both()
    {
        var patient = new Patient { Extension = [new Extension { Url = "https://example.org/x" }] };
        var both = new Patient { Extension = [new Extension { Url = "https://example.org/x", ValueString = "a", Extension = [new Extension { Url = "y", ValueBoolean = true }] }] };

        Assert.Contains("ext-1", Assert.Single(FhirModelValidator.Validate(patient)).Message, StringComparison.Ordinal);
        Assert.Equal("Patient.extension[0]", Assert.Single(FhirModelValidator.Validate(both)).Path);
    }

    [Fact]
    public void Bundle_invariants_are_checked_for_transactions_documents_and_messages()
    {
        var transaction = new Bundle { Type = BundleType.Transaction, Entry = [new BundleEntry { Resource = new Patient() }] };
        var document = new Bundle { Type = BundleType.Document, Entry = [new BundleEntry { Resource = new Patient() }] };
        var message = new Bundle { Type = BundleType.Message, Entry = [new BundleEntry { Resource = new Patient() }] };
        var duplicate = new Bundle
        {
            Type = BundleType.Collection,
            Entry = [new BundleEntry { FullUrl = "urn:uuid:6f1d2c0e-3a4b-4c5d-8e9f-0a1b2c3d4e5f", Resource = new Patient() }, new BundleEntry { FullUrl = "urn:uuid:6f1d2c0e-3a4b-4c5d-8e9f-0a1b2c3d4e5f", Resource = new Patient() }],
        };

        Assert.Contains(FhirModelValidator.Validate(transaction), i => i.Path == "Bundle.entry[0].request" && i.Message.StartsWith("bdl-3", StringComparison.Ordinal));
        Assert.Contains(FhirModelValidator.Validate(document), i => i.Message.StartsWith("bdl-11", StringComparison.Ordinal));
        Assert.Contains(FhirModelValidator.Validate(document), i => i.Message.StartsWith("bdl-9", StringComparison.Ordinal));
        Assert.Contains(FhirModelValidator.Validate(message), i => i.Message.StartsWith("bdl-12", StringComparison.Ordinal));
        Assert.Equal("Bundle.entry[1].fullUrl", Assert.Single(FhirModelValidator.Validate(duplicate)).Path);
    }

    [Fact]
    public void A_cyclic_object_graph_is_reported_not_a_stack_overflow()
    {
        var section = new CompositionSection { Title = "Loop" };
        section.Section.Add(section);
        var composition = Examples.Composition();
        composition.Section = [section];

        var ex = Assert.Throws<FhirValidationException>(() => FhirJson.Serialize(composition));

        Assert.Contains(ex.Issues, i => i.Code == IssueType.TooLong);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("this-id-is-far-too-long-for-fhir-because-ids-stop-at-sixty-four-characters-x")]
    [InlineData("under_score")]
    public void Resource_ids_must_match_the_fhir_id_pattern(string id)
    {
        var issue = Assert.Single(FhirModelValidator.Validate(new Patient { Id = id }));

        Assert.Equal("Patient.id", issue.Path);
    }

    [Fact]
    public void Codes_with_surrounding_whitespace_are_rejected()
    {
        var patient = new Patient { Identifier = [new Identifier { Type = new CodeableConcept { Coding = [new Coding { Code = " NH" }] } }] };

        Assert.Equal("Patient.identifier[0].type.coding[0].code", Assert.Single(FhirModelValidator.Validate(patient)).Path);
    }

    private static IEnumerable<JsonElement> Descendants(JsonElement element)
    {
        yield return element;
        var children = element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().Select(p => p.Value),
            JsonValueKind.Array => element.EnumerateArray(),
            _ => [],
        };
        foreach (var descendant in children.SelectMany(Descendants))
        {
            yield return descendant;
        }
    }
}
