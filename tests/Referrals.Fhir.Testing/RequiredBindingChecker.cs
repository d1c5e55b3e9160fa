using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Referrals.Fhir.Testing;

/// <summary>
/// Checks the codes of required terminology bindings in raw FHIR R4 JSON, which the JSON schema leaves unchecked where an
/// element is typed plain <c>code</c> (ServiceRequest.status/intent/priority, Procedure.status, CarePlan.status/intent,
/// Composition.confidentiality …) or is a CodeableConcept (Condition.clinicalStatus/verificationStatus). Elements the
/// schema does constrain with an enum are checked here as well, as a second, independent reading of the specification.
/// The code lists below are typed from the FHIR R4 (4.0.1) value sets; the model's enums are tested against them.
/// Walks nested resources (Bundle.entry.resource, response.outcome, contained).
/// </summary>
public static partial class RequiredBindingChecker
{
    /// <summary>Value set canonical → its codes (FHIR R4 4.0.1).</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> ValueSets { get; } = new Dictionary<string, string>
    {
        ["http://hl7.org/fhir/ValueSet/request-status"] = "draft active on-hold revoked completed entered-in-error unknown",
        ["http://hl7.org/fhir/ValueSet/request-intent"] = "proposal plan directive order original-order reflex-order filler-order instance-order option",
        ["http://hl7.org/fhir/ValueSet/request-priority"] = "routine urgent asap stat",
        ["http://hl7.org/fhir/ValueSet/task-status"] = "draft requested received accepted rejected ready cancelled in-progress on-hold failed completed entered-in-error",
        ["http://hl7.org/fhir/ValueSet/task-intent"] = "unknown proposal plan order original-order reflex-order filler-order instance-order option",
        ["http://hl7.org/fhir/ValueSet/observation-status"] = "registered preliminary final amended corrected cancelled entered-in-error unknown",
        ["http://hl7.org/fhir/ValueSet/event-status"] = "preparation in-progress not-done on-hold stopped completed entered-in-error unknown",
        ["http://hl7.org/fhir/ValueSet/encounter-status"] = "planned arrived triaged in-progress onleave finished cancelled entered-in-error unknown",
        ["http://hl7.org/fhir/ValueSet/consent-state-codes"] = "draft proposed active rejected inactive entered-in-error",
        ["http://hl7.org/fhir/ValueSet/consent-provision-type"] = "deny permit",
        ["http://hl7.org/fhir/ValueSet/consent-data-meaning"] = "instance related dependents authoredby",
        ["http://hl7.org/fhir/ValueSet/goal-status"] = "proposed planned accepted active on-hold completed cancelled entered-in-error rejected",
        ["http://hl7.org/fhir/ValueSet/care-plan-intent"] = "proposal plan order option",
        ["http://hl7.org/fhir/ValueSet/care-plan-activity-status"] = "not-started scheduled in-progress on-hold completed cancelled stopped unknown entered-in-error",
        ["http://hl7.org/fhir/ValueSet/care-plan-activity-kind"] = "Appointment CommunicationRequest DeviceRequest MedicationRequest NutritionOrder Task ServiceRequest VisionPrescription",
        ["http://hl7.org/fhir/ValueSet/bundle-type"] = "document message transaction transaction-response batch batch-response history searchset collection",
        ["http://hl7.org/fhir/ValueSet/http-verb"] = "GET HEAD POST PUT DELETE PATCH",
        ["http://hl7.org/fhir/ValueSet/search-entry-mode"] = "match include outcome",
        ["http://hl7.org/fhir/ValueSet/issue-severity"] = "fatal error warning information",
        ["http://hl7.org/fhir/ValueSet/issue-type"] = "invalid structure required value invariant security login unknown expired forbidden suppressed processing not-supported duplicate multiple-matches not-found deleted too-long code-invalid extension too-costly business-rule conflict transient lock-error no-store exception timeout incomplete throttled informational",
        ["http://hl7.org/fhir/ValueSet/administrative-gender"] = "male female other unknown",
        ["http://hl7.org/fhir/ValueSet/contact-point-system"] = "phone fax email pager url sms other",
        ["http://hl7.org/fhir/ValueSet/contact-point-use"] = "home work temp old mobile",
        ["http://hl7.org/fhir/ValueSet/identifier-use"] = "usual official temp secondary old",
        ["http://hl7.org/fhir/ValueSet/name-use"] = "usual official temp nickname anonymous old maiden",
        ["http://hl7.org/fhir/ValueSet/address-use"] = "home work temp old billing",
        ["http://hl7.org/fhir/ValueSet/address-type"] = "postal physical both",
        ["http://hl7.org/fhir/ValueSet/narrative-status"] = "generated extensions additional empty",
        ["http://hl7.org/fhir/ValueSet/quantity-comparator"] = "< <= >= >",
        ["http://hl7.org/fhir/ValueSet/composition-status"] = "preliminary final amended entered-in-error",
        ["http://hl7.org/fhir/ValueSet/composition-attestation-mode"] = "personal professional legal official",
        ["http://hl7.org/fhir/ValueSet/list-mode"] = "working snapshot changes",
        ["http://terminology.hl7.org/ValueSet/v3-ConfidentialityClassification"] = "U L M N R V",
        ["http://hl7.org/fhir/ValueSet/response-code"] = "ok transient-error fatal-error",
        ["http://hl7.org/fhir/ValueSet/publication-status"] = "draft active retired unknown",
        ["http://hl7.org/fhir/ValueSet/capability-statement-kind"] = "instance capability requirements",
        ["http://hl7.org/fhir/ValueSet/FHIR-version"] = "4.0.0 4.0.1",
        ["http://hl7.org/fhir/ValueSet/restful-capability-mode"] = "client server",
        ["http://hl7.org/fhir/ValueSet/type-restful-interaction"] = "read vread update patch delete history-instance history-type create search-type",
        ["http://hl7.org/fhir/ValueSet/system-restful-interaction"] = "transaction batch search-system history-system",
        ["http://hl7.org/fhir/ValueSet/search-param-type"] = "number date string token reference composite quantity uri special",
        ["http://hl7.org/fhir/ValueSet/versioning-policy"] = "no-version versioned versioned-update",
        ["http://hl7.org/fhir/ValueSet/condition-clinical"] = "active recurrence relapse inactive remission resolved",
        ["http://hl7.org/fhir/ValueSet/condition-ver-status"] = "unconfirmed provisional differential confirmed refuted entered-in-error",
    }.ToFrozenDictionary(kv => kv.Key, kv => (IReadOnlySet<string>)kv.Value.Split(' ').ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>
    /// Required bindings checked, per resource type: element path (dot-separated; arrays are walked) → value set.
    /// FHIR R4 "FHIR-version" lists only the R4 releases here: this model emits R4 only.
    /// </summary>
    public static IReadOnlyList<RequiredBinding> Bindings { get; } =
    [
        Code("ServiceRequest", "status", "request-status"),
        Code("ServiceRequest", "intent", "request-intent"),
        Code("ServiceRequest", "priority", "request-priority"),
        Code("Task", "status", "task-status"),
        Code("Task", "intent", "task-intent"),
        Code("Task", "priority", "request-priority"),
        Code("Observation", "status", "observation-status"),
        Code("Procedure", "status", "event-status"),
        Code("Encounter", "status", "encounter-status"),
        Code("Consent", "status", "consent-state-codes"),
        Code("Consent", "provision.type", "consent-provision-type"),
        Code("Consent", "provision.data.meaning", "consent-data-meaning"),
        Code("Goal", "lifecycleStatus", "goal-status"),
        Code("CarePlan", "status", "request-status"),
        Code("CarePlan", "intent", "care-plan-intent"),
        Code("CarePlan", "activity.detail.kind", "care-plan-activity-kind"),
        Code("CarePlan", "activity.detail.status", "care-plan-activity-status"),
        Code("Bundle", "type", "bundle-type"),
        Code("Bundle", "entry.request.method", "http-verb"),
        Code("Bundle", "entry.search.mode", "search-entry-mode"),
        Code("OperationOutcome", "issue.severity", "issue-severity"),
        Code("OperationOutcome", "issue.code", "issue-type"),
        Code("Patient", "gender", "administrative-gender"),
        Code("Practitioner", "gender", "administrative-gender"),
        Code("Composition", "status", "composition-status"),
        Code("Composition", "confidentiality", "v3-ConfidentialityClassification", "http://terminology.hl7.org/ValueSet/"),
        Code("Composition", "attester.mode", "composition-attestation-mode"),
        Code("Composition", "section.mode", "list-mode"),
        Code("Composition", "section.section.mode", "list-mode"),
        Code("MessageHeader", "response.code", "response-code"),
        Code("CapabilityStatement", "status", "publication-status"),
        Code("CapabilityStatement", "kind", "capability-statement-kind"),
        Code("CapabilityStatement", "fhirVersion", "FHIR-version"),
        Code("CapabilityStatement", "rest.mode", "restful-capability-mode"),
        Code("CapabilityStatement", "rest.resource.interaction.code", "type-restful-interaction"),
        Code("CapabilityStatement", "rest.interaction.code", "system-restful-interaction"),
        Code("CapabilityStatement", "rest.resource.searchParam.type", "search-param-type"),
        Code("CapabilityStatement", "rest.resource.versioning", "versioning-policy"),
        new("CapabilityStatement", "rest.resource.type", "http://hl7.org/fhir/ValueSet/resource-types", BindingKind.ResourceType),
        new("CapabilityStatement", "format", "http://hl7.org/fhir/ValueSet/mimetypes", BindingKind.MimeType),
        Concept("Condition", "clinicalStatus", "condition-clinical", "http://terminology.hl7.org/CodeSystem/condition-clinical"),
        Concept("Condition", "verificationStatus", "condition-ver-status", "http://terminology.hl7.org/CodeSystem/condition-ver-status"),
    ];

    /// <summary>Every required-binding violation in <paramref name="resourceJson"/> and its nested resources (empty when none).</summary>
    public static IReadOnlyList<string> Check(string resourceJson)
    {
        using var document = JsonDocument.Parse(resourceJson);
        var problems = new List<string>();
        CheckResource(document.RootElement, null, problems);
        return problems;
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> listing every violation.</summary>
    public static void AssertValid(string resourceJson)
    {
        var problems = Check(resourceJson);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Required-binding check failed:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        }
    }

    private static void CheckResource(JsonElement resource, string? path, List<string> problems)
    {
        var type = resource.TryGetProperty("resourceType", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString()! : "(resource)";
        path ??= type;
        foreach (var binding in Bindings.Where(b => b.ResourceType == type))
        {
            foreach (var (value, valuePath) in Select(resource, binding.Path.Split('.'), 0, path))
            {
                var problem = binding.Check(value);
                if (problem is not null)
                {
                    problems.Add($"{valuePath}: {problem}");
                }
            }
        }

        // Nested resources.
        foreach (var (child, childPath) in Select(resource, ["contained"], 0, path))
        {
            CheckResource(child, childPath, problems);
        }

        if (type == "Bundle")
        {
            foreach (var (child, childPath) in Select(resource, ["entry", "resource"], 0, path).Concat(Select(resource, ["entry", "response", "outcome"], 0, path)))
            {
                CheckResource(child, childPath, problems);
            }
        }
    }

    private static IEnumerable<(JsonElement Value, string Path)> Select(JsonElement element, string[] segments, int index, string path)
    {
        if (index == segments.Length)
        {
            yield return (element, path);
            yield break;
        }

        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segments[index], out var next))
        {
            yield break;
        }

        var nextPath = path + "." + segments[index];
        if (next.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in next.EnumerateArray())
            {
                foreach (var found in Select(item, segments, index + 1, $"{nextPath}[{i}]"))
                {
                    yield return found;
                }

                i++;
            }
        }
        else
        {
            foreach (var found in Select(next, segments, index + 1, nextPath))
            {
                yield return found;
            }
        }
    }

    private static RequiredBinding Code(string resourceType, string path, string valueSet, string prefix = "http://hl7.org/fhir/ValueSet/") =>
        new(resourceType, path, prefix + valueSet, BindingKind.Code);

    private static RequiredBinding Concept(string resourceType, string path, string valueSet, string system) =>
        new(resourceType, path, "http://hl7.org/fhir/ValueSet/" + valueSet, BindingKind.CodeableConcept, system);

    [GeneratedRegex(@"^[a-z]+/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(;.*)?$")]
    private static partial Regex MimeType();

    internal static bool IsMimeType(string s) => s is "json" or "xml" or "ttl" || MimeType().IsMatch(s);
}

/// <summary>How a <see cref="RequiredBinding"/> reads its element.</summary>
public enum BindingKind
{
    /// <summary>A <c>code</c> element whose value must be in the value set.</summary>
    Code,

    /// <summary>A CodeableConcept with at least one coding of <see cref="RequiredBinding.System"/> whose code is in the value set.</summary>
    CodeableConcept,

    /// <summary>A resource type name known to the FHIR R4 schema.</summary>
    ResourceType,

    /// <summary>A mime type (BCP 13) or <c>json</c>/<c>xml</c>/<c>ttl</c>.</summary>
    MimeType,
}

/// <summary>One required binding checked by <see cref="RequiredBindingChecker"/>.</summary>
public sealed record RequiredBinding(string ResourceType, string Path, string ValueSet, BindingKind Kind, string? System = null)
{
    internal string? Check(JsonElement value)
    {
        switch (Kind)
        {
            case BindingKind.Code:
                var codes = RequiredBindingChecker.ValueSets[ValueSet];
                return value.ValueKind == JsonValueKind.String && codes.Contains(value.GetString()!)
                    ? null
                    : $"{Show(value)} is not a code of {ValueSet} (required binding)";
            case BindingKind.ResourceType:
                return value.ValueKind == JsonValueKind.String && FhirSchemaValidator.Shared.ResourceTypes.Contains(value.GetString()!)
                    ? null
                    : $"{Show(value)} is not an R4 resource type";
            case BindingKind.MimeType:
                return value.ValueKind == JsonValueKind.String && RequiredBindingChecker.IsMimeType(value.GetString()!)
                    ? null
                    : $"{Show(value)} is not a mime type or json/xml/ttl";
            default:
                var allowed = RequiredBindingChecker.ValueSets[ValueSet];
                if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("coding", out var codings) && codings.ValueKind == JsonValueKind.Array)
                {
                    foreach (var coding in codings.EnumerateArray())
                    {
                        if (coding.TryGetProperty("system", out var s) && s.ValueEquals(System)
                            && coding.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String && allowed.Contains(c.GetString()!))
                        {
                            return null;
                        }
                    }
                }

                return $"no coding from {System} with a code of {ValueSet} (required binding)";
        }
    }

    private static string Show(JsonElement value) => value.ValueKind == JsonValueKind.String ? $"'{value.GetString()}'" : value.GetRawText();
}
