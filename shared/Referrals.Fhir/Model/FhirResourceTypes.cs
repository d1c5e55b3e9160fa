using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Referrals.Fhir.Model;

/// <summary>The resource types this model knows, keyed on their FHIR <c>resourceType</c>.</summary>
public static class FhirResourceTypes
{
    private static readonly FrozenDictionary<string, Type> s_byName = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["Bundle"] = typeof(Bundle),
        ["CapabilityStatement"] = typeof(CapabilityStatement),
        ["CarePlan"] = typeof(CarePlan),
        ["Composition"] = typeof(Composition),
        ["Condition"] = typeof(Condition),
        ["Consent"] = typeof(Consent),
        ["Encounter"] = typeof(Encounter),
        ["Goal"] = typeof(Goal),
        ["MessageHeader"] = typeof(MessageHeader),
        ["Observation"] = typeof(Observation),
        ["OperationOutcome"] = typeof(OperationOutcome),
        ["Organization"] = typeof(Organization),
        ["Patient"] = typeof(Patient),
        ["Practitioner"] = typeof(Practitioner),
        ["PractitionerRole"] = typeof(PractitionerRole),
        ["Procedure"] = typeof(Procedure),
        ["ServiceRequest"] = typeof(ServiceRequest),
        ["Task"] = typeof(FhirTask),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<Type, string> s_byType = s_byName.ToFrozenDictionary(kv => kv.Value, kv => kv.Key);

    /// <summary>All supported <c>resourceType</c> names, ordinal order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. s_byName.Keys.Order(StringComparer.Ordinal)];

    public static bool TryGetType(string resourceType, [NotNullWhen(true)] out Type? type) => s_byName.TryGetValue(resourceType, out type);

    /// <summary>The <c>resourceType</c> of a concrete model type, or null for abstract/unknown types.</summary>
    public static string? NameOf(Type type) => s_byType.TryGetValue(type, out var name) ? name : null;
}
