using System.Text.Json.Serialization;

namespace Referrals.Fhir.Model;

/// <summary>
/// FHIR <c>Resource</c>. Serialized with <c>resourceType</c> first; (de)serialized polymorphically on <c>resourceType</c>
/// wherever a property or list is typed <see cref="Resource"/> (Bundle.entry.resource, contained, response.outcome).
/// </summary>
public abstract class Resource
{
    /// <summary>The FHIR resource type name, e.g. <c>ServiceRequest</c>. Written first.</summary>
    [JsonPropertyOrder(-1000)]
    public abstract string ResourceType { get; }

    [JsonPropertyOrder(-900)]
    [FhirPrimitive(FhirPrimitive.Id)]
    public string? Id { get; set; }

    [JsonPropertyOrder(-800)]
    public Meta? Meta { get; set; }
}

/// <summary>
/// FHIR <c>DomainResource</c>: narrative, contained resources and extensions. <c>modifierExtension</c> is deliberately
/// not modelled, so an inbound resource carrying one is rejected (we could not honour its meaning).
/// </summary>
public abstract class DomainResource : Resource
{
    [JsonPropertyOrder(-700)]
    public Narrative? Text { get; set; }

    [JsonPropertyOrder(-600)]
    public List<Resource> Contained { get; set; } = [];

    [JsonPropertyOrder(-500)]
    public List<Extension> Extension { get; set; } = [];
}

/// <summary>FHIR <c>Element</c>: the base of every datatype and backbone element (<c>id</c>, <c>extension</c>).</summary>
public abstract class Element
{
    [JsonPropertyOrder(-1000)]
    public string? Id { get; set; }

    [JsonPropertyOrder(-900)]
    public List<Extension> Extension { get; set; } = [];
}

/// <summary>FHIR <c>BackboneElement</c> (without <c>modifierExtension</c>, see <see cref="DomainResource"/>).</summary>
public abstract class BackboneElement : Element;
