using System.Reflection;
using System.Text.Json;
using Referrals.Fhir.Model;
using Referrals.Fhir.Serialization;
using Referrals.Fhir.Testing;

namespace Referrals.Fhir.Tests;

public sealed class ValueSetTests
{
    private static readonly Type[] s_valueSetEnums =
        [.. typeof(Resource).Assembly.GetTypes().Where(t => t.IsEnum && t.GetCustomAttribute<FhirValueSetAttribute>() is not null)];

    /// <summary>Where the official schema spells out a value set as an enum: schema definition + property.</summary>
    private static readonly Dictionary<Type, (string Definition, string Property)> s_schemaEnums = new()
    {
        [typeof(FhirTaskStatus)] = ("Task", "status"),
        [typeof(TaskIntent)] = ("Task", "intent"),
        [typeof(ObservationStatus)] = ("Observation", "status"),
        [typeof(EncounterStatus)] = ("Encounter", "status"),
        [typeof(ConsentState)] = ("Consent", "status"),
        [typeof(ConsentProvisionType)] = ("Consent_Provision", "type"),
        [typeof(ConsentDataMeaning)] = ("Consent_Data", "meaning"),
        [typeof(GoalLifecycleStatus)] = ("Goal", "lifecycleStatus"),
        [typeof(CarePlanActivityStatus)] = ("CarePlan_Detail", "status"),
        [typeof(BundleType)] = ("Bundle", "type"),
        [typeof(HttpVerb)] = ("Bundle_Request", "method"),
        [typeof(SearchEntryMode)] = ("Bundle_Search", "mode"),
        [typeof(IssueSeverity)] = ("OperationOutcome_Issue", "severity"),
        [typeof(IssueType)] = ("OperationOutcome_Issue", "code"),
        [typeof(AdministrativeGender)] = ("Patient", "gender"),
        [typeof(ContactPointSystem)] = ("ContactPoint", "system"),
        [typeof(ContactPointUse)] = ("ContactPoint", "use"),
        [typeof(IdentifierUse)] = ("Identifier", "use"),
        [typeof(NameUse)] = ("HumanName", "use"),
        [typeof(AddressUse)] = ("Address", "use"),
        [typeof(AddressType)] = ("Address", "type"),
        [typeof(NarrativeStatus)] = ("Narrative", "status"),
        [typeof(QuantityComparator)] = ("Quantity", "comparator"),
        [typeof(CompositionStatus)] = ("Composition", "status"),
        [typeof(CompositionAttestationMode)] = ("Composition_Attester", "mode"),
        [typeof(ResponseType)] = ("MessageHeader_Response", "code"),
        [typeof(PublicationStatus)] = ("CapabilityStatement", "status"),
        [typeof(CapabilityStatementKind)] = ("CapabilityStatement", "kind"),
        [typeof(RestfulCapabilityMode)] = ("CapabilityStatement_Rest", "mode"),
        [typeof(TypeRestfulInteraction)] = ("CapabilityStatement_Interaction", "code"),
        [typeof(SystemRestfulInteraction)] = ("CapabilityStatement_Interaction1", "code"),
        [typeof(SearchParamType)] = ("CapabilityStatement_SearchParam", "type"),
        [typeof(ResourceVersionPolicy)] = ("CapabilityStatement_Resource", "versioning"),
    };

    public static IEnumerable<object[]> Enums => s_valueSetEnums.Select(t => new object[] { t.Name });

    [Theory]
    [MemberData(nameof(Enums))]
    public void Every_value_round_trips_through_its_fhir_code(string enumName)
    {
        var type = s_valueSetEnums.Single(t => t.Name == enumName);
        var converter = typeof(ValueSetTests).GetMethod(nameof(RoundTrip), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);

        converter.Invoke(null, null);
    }

    [Theory]
    [MemberData(nameof(Enums))]
    public void Every_enum_has_exactly_the_codes_of_its_value_set(string enumName)
    {
        var type = s_valueSetEnums.Single(t => t.Name == enumName);
        var valueSet = FhirEnum.ValueSet(type);

        // Independent list typed from the specification in the test-support library.
        Assert.True(RequiredBindingChecker.ValueSets.TryGetValue(valueSet, out var expected), $"{valueSet} is not in RequiredBindingChecker.ValueSets");
        Assert.Equal(expected.Order(StringComparer.Ordinal), FhirEnum.Codes(type).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Enums_match_the_enumerations_of_the_official_schema()
    {
        var schema = JsonDocument.Parse(File.ReadAllText(FhirSchemaValidator.DefaultSchemaPath));
        var definitions = schema.RootElement.GetProperty("definitions");

        foreach (var (type, (definition, property)) in s_schemaEnums)
        {
            var element = definitions.GetProperty(definition).GetProperty("properties").GetProperty(property);
            var codes = element.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.True(codes.Order(StringComparer.Ordinal).SequenceEqual(FhirEnum.Codes(type).Order(StringComparer.Ordinal)), $"{type.Name} vs {definition}.{property}: [{string.Join(", ", codes)}]");
        }
    }

    [Fact]
    public void The_schema_enumerations_checked_cover_every_enum_the_schema_has()
    {
        var notInSchema = new[]
        {
            typeof(RequestStatus), typeof(RequestIntent), typeof(RequestPriority), typeof(CarePlanIntent), typeof(CarePlanActivityKind),
            typeof(EventStatus), typeof(ListMode), typeof(ConfidentialityClassification), typeof(FhirVersion),
        };

        Assert.Equal(s_valueSetEnums.Order(TypeComparer.Instance), s_schemaEnums.Keys.Concat(notInSchema).Order(TypeComparer.Instance));
    }

    [Fact]
    public void An_undefined_enum_value_cannot_be_written()
    {
        var request = new ServiceRequest { Status = (RequestStatus)99, Intent = RequestIntent.Order, Subject = ResourceReference.To("Patient/1") };

        var issue = Assert.Single(Assert.Throws<FhirValidationException>(() => FhirJson.Serialize(request)).Issues);

        Assert.Equal("ServiceRequest.status", issue.Path);
    }

    [Fact]
    public void FhirEnum_exposes_codes_both_ways()
    {
        Assert.Equal("entered-in-error", FhirEnum.ToCode(ObservationStatus.EnteredInError));
        Assert.True(FhirEnum.TryParse<EncounterStatus>("in-progress", out var status));
        Assert.Equal(EncounterStatus.InProgress, status);
        Assert.False(FhirEnum.TryParse<EncounterStatus>("InProgress", out _));
    }

    private static void RoundTrip<TEnum>()
        where TEnum : struct, Enum
    {
        foreach (var value in Enum.GetValues<TEnum>())
        {
            var code = FhirEnum.ToCode(value);
            Assert.Equal(code.Trim(), code);
            Assert.True(FhirEnum.TryParse<TEnum>(code, out var back));
            Assert.Equal(value, back);
            Assert.Equal(JsonSerializer.Serialize(code, FhirJson.Options), JsonSerializer.Serialize(value, FhirJson.Options));
            Assert.Equal(value, JsonSerializer.Deserialize<TEnum>(JsonSerializer.Serialize(code, FhirJson.Options), FhirJson.Options));
        }
    }

    private sealed class TypeComparer : IComparer<Type>
    {
        public static readonly TypeComparer Instance = new();

        public int Compare(Type? x, Type? y) => string.CompareOrdinal(x?.Name, y?.Name);
    }
}
