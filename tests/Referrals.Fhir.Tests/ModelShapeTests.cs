using System.Collections;
using System.Reflection;
using System.Text.Json;
using Referrals.Fhir.Model;
using Referrals.Fhir.Testing;

namespace Referrals.Fhir.Tests;

/// <summary>The model's JSON names and shapes, checked element by element against the official schema's definitions.</summary>
public sealed class ModelShapeTests
{
    private static readonly Dictionary<Type, string> s_definitions = new()
    {
        [typeof(Meta)] = "Meta",
        [typeof(Narrative)] = "Narrative",
        [typeof(Extension)] = "Extension",
        [typeof(Identifier)] = "Identifier",
        [typeof(CodeableConcept)] = "CodeableConcept",
        [typeof(Coding)] = "Coding",
        [typeof(ResourceReference)] = "Reference",
        [typeof(Period)] = "Period",
        [typeof(Quantity)] = "Quantity",
        [typeof(HumanName)] = "HumanName",
        [typeof(ContactPoint)] = "ContactPoint",
        [typeof(Address)] = "Address",
        [typeof(Annotation)] = "Annotation",
        [typeof(ContactDetail)] = "ContactDetail",
        [typeof(Patient)] = "Patient",
        [typeof(Organization)] = "Organization",
        [typeof(Practitioner)] = "Practitioner",
        [typeof(PractitionerRole)] = "PractitionerRole",
        [typeof(ServiceRequest)] = "ServiceRequest",
        [typeof(FhirTask)] = "Task",
        [typeof(TaskParameter)] = "Task_Input",
        [typeof(Consent)] = "Consent",
        [typeof(ConsentPolicy)] = "Consent_Policy",
        [typeof(ConsentVerification)] = "Consent_Verification",
        [typeof(ConsentProvision)] = "Consent_Provision",
        [typeof(ConsentActor)] = "Consent_Actor",
        [typeof(ConsentData)] = "Consent_Data",
        [typeof(Encounter)] = "Encounter",
        [typeof(EncounterParticipant)] = "Encounter_Participant",
        [typeof(Procedure)] = "Procedure",
        [typeof(ProcedurePerformer)] = "Procedure_Performer",
        [typeof(Observation)] = "Observation",
        [typeof(ObservationReferenceRange)] = "Observation_ReferenceRange",
        [typeof(ObservationComponent)] = "Observation_Component",
        [typeof(Goal)] = "Goal",
        [typeof(GoalTarget)] = "Goal_Target",
        [typeof(CarePlan)] = "CarePlan",
        [typeof(CarePlanActivity)] = "CarePlan_Activity",
        [typeof(CarePlanActivityDetail)] = "CarePlan_Detail",
        [typeof(Condition)] = "Condition",
        [typeof(Bundle)] = "Bundle",
        [typeof(BundleLink)] = "Bundle_Link",
        [typeof(BundleEntry)] = "Bundle_Entry",
        [typeof(BundleEntrySearch)] = "Bundle_Search",
        [typeof(BundleEntryRequest)] = "Bundle_Request",
        [typeof(BundleEntryResponse)] = "Bundle_Response",
        [typeof(OperationOutcome)] = "OperationOutcome",
        [typeof(OperationOutcomeIssue)] = "OperationOutcome_Issue",
        [typeof(CapabilityStatement)] = "CapabilityStatement",
        [typeof(CapabilityStatementSoftware)] = "CapabilityStatement_Software",
        [typeof(CapabilityStatementImplementation)] = "CapabilityStatement_Implementation",
        [typeof(CapabilityStatementRest)] = "CapabilityStatement_Rest",
        [typeof(CapabilityStatementResource)] = "CapabilityStatement_Resource",
        [typeof(CapabilityStatementResourceInteraction)] = "CapabilityStatement_Interaction",
        [typeof(CapabilityStatementSystemInteraction)] = "CapabilityStatement_Interaction1",
        [typeof(CapabilityStatementSearchParam)] = "CapabilityStatement_SearchParam",
        [typeof(CapabilityStatementOperation)] = "CapabilityStatement_Operation",
        [typeof(Composition)] = "Composition",
        [typeof(CompositionAttester)] = "Composition_Attester",
        [typeof(CompositionEvent)] = "Composition_Event",
        [typeof(CompositionSection)] = "Composition_Section",
        [typeof(MessageHeader)] = "MessageHeader",
        [typeof(MessageHeaderDestination)] = "MessageHeader_Destination",
        [typeof(MessageHeaderSource)] = "MessageHeader_Source",
        [typeof(MessageHeaderResponse)] = "MessageHeader_Response",
    };

    private static readonly Lazy<JsonElement> s_schemaDefinitions = new(() =>
        JsonDocument.Parse(File.ReadAllText(FhirSchemaValidator.DefaultSchemaPath)).RootElement.GetProperty("definitions"));

    public static IEnumerable<object[]> ModelTypes => s_definitions.Keys.Select(t => new object[] { t.Name });

    [Fact]
    public void Every_concrete_model_type_is_mapped_to_a_schema_definition()
    {
        var concrete = typeof(Resource).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && (typeof(Element).IsAssignableFrom(t) || typeof(Resource).IsAssignableFrom(t)));

        Assert.DoesNotContain(concrete, t => !s_definitions.ContainsKey(t));
    }

    [Theory]
    [MemberData(nameof(ModelTypes))]
    public void Every_json_property_exists_in_the_schema_with_the_same_cardinality_and_type(string typeName)
    {
        var type = s_definitions.Keys.Single(t => t.Name == typeName);
        var definition = s_schemaDefinitions.Value.GetProperty(s_definitions[type]);
        var schemaProperties = definition.GetProperty("properties");
        var required = definition.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!).ToHashSet() : [];

        foreach (var property in FhirJson.Options.GetTypeInfo(type).Properties)
        {
            Assert.True(schemaProperties.TryGetProperty(property.Name, out var schemaProperty), $"{typeName}.{property.Name} is not in schema definition {s_definitions[type]}");
            var isArray = schemaProperty.TryGetProperty("type", out var t) && t.GetString() == "array";
            var isList = typeof(IList).IsAssignableFrom(property.PropertyType);
            Assert.True(isArray == isList, $"{typeName}.{property.Name}: schema array={isArray}, model list={isList}");

            var item = isArray ? schemaProperty.GetProperty("items") : schemaProperty;
            var reference = item.TryGetProperty("$ref", out var refElement) ? refElement.GetString()![(refElement.GetString()!.LastIndexOf('/') + 1)..] : null;
            var elementType = isList ? property.PropertyType.GetGenericArguments()[0] : Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var where = $"{typeName}.{property.Name}";
            if (reference == "ResourceList")
            {
                Assert.True(typeof(Resource).IsAssignableFrom(elementType), $"{where} should hold resources");
            }
            else if (s_definitions.TryGetValue(elementType, out var expected))
            {
                Assert.True(reference == expected || (elementType == typeof(TaskParameter) && reference == "Task_Output"), $"{where}: schema {reference}, model {elementType.Name}");
            }
            else if (elementType.IsEnum)
            {
                Assert.True(item.TryGetProperty("enum", out _) || reference == "code", $"{where}: an enum in the model, schema {reference}");
            }
            else if (property.Name != "resourceType")
            {
                var primitive = ExpectedPrimitive(elementType, property.AttributeProvider as PropertyInfo);
                var matches = reference is not null
                    ? reference == primitive
                    : item.GetProperty("pattern").GetString() == s_schemaDefinitions.Value.GetProperty(primitive).GetProperty("pattern").GetString();
                Assert.True(matches, $"{where}: schema {reference ?? "inline " + item.GetProperty("pattern").GetString()}, model {primitive}");
            }
        }

        foreach (var name in required.Where(n => n != "resourceType"))
        {
            var property = type.GetProperty(char.ToUpperInvariant(name[0]) + name[1..]);
            Assert.True(property?.GetCustomAttribute<System.Runtime.CompilerServices.RequiredMemberAttribute>() is not null, $"{typeName}.{name} is required by the schema but not by the model");
        }
    }

    [Fact]
    public void Primitive_element_types_map_to_the_schema_primitive_types()
    {
        // A sample of FHIR primitive types: the C# type chosen must be the one whose JSON the schema expects.
        AssertPrimitive("Patient", "birthDate", "#/definitions/date", typeof(FhirDate));
        AssertPrimitive("ServiceRequest", "authoredOn", "#/definitions/dateTime", typeof(FhirDateTime));
        AssertPrimitive("Bundle", "timestamp", "#/definitions/instant", typeof(FhirInstant));
        AssertPrimitive("Quantity", "value", "#/definitions/decimal", typeof(decimal));
        AssertPrimitive("ContactPoint", "rank", "#/definitions/positiveInt", typeof(int));
        AssertPrimitive("Bundle", "total", "#/definitions/unsignedInt", typeof(int));
        AssertPrimitive("Meta", "lastUpdated", "#/definitions/instant", typeof(FhirInstant));
    }

    private static string ExpectedPrimitive(Type type, PropertyInfo? property)
    {
        var attribute = property?.GetCustomAttribute<FhirPrimitiveAttribute>()?.Type;
        return type switch
        {
            _ when type == typeof(FhirDate) => "date",
            _ when type == typeof(FhirDateTime) => "dateTime",
            _ when type == typeof(FhirInstant) => "instant",
            _ when type == typeof(decimal) => "decimal",
            _ when type == typeof(bool) => "boolean",
            _ when type == typeof(int) => attribute switch
            {
                FhirPrimitive.PositiveInt => "positiveInt",
                FhirPrimitive.UnsignedInt => "unsignedInt",
                _ => "integer",
            },
            _ => attribute switch
            {
                FhirPrimitive.Id => "id",
                FhirPrimitive.Code => "code",
                FhirPrimitive.Uri => "uri",
                FhirPrimitive.Url => "url",
                FhirPrimitive.Canonical => "canonical",
                FhirPrimitive.Markdown => "markdown",
                FhirPrimitive.Xhtml => "xhtml",
                _ => "string",
            },
        };
    }

    private static void AssertPrimitive(string definition, string property, string schemaRef, Type clrType)
    {
        var element = s_schemaDefinitions.Value.GetProperty(definition).GetProperty("properties").GetProperty(property);
        Assert.Equal(schemaRef, element.GetProperty("$ref").GetString());
        var type = s_definitions.Single(kv => kv.Value == definition).Key;
        var info = FhirJson.Options.GetTypeInfo(type).Properties.Single(p => p.Name == property);
        Assert.Equal(clrType, Nullable.GetUnderlyingType(info.PropertyType) ?? info.PropertyType);
    }
}
