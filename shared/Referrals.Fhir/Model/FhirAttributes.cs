namespace Referrals.Fhir.Model;

/// <summary>Marks an enum as the closed set of codes of a FHIR value set with a required binding.</summary>
[AttributeUsage(AttributeTargets.Enum)]
public sealed class FhirValueSetAttribute(string canonical) : Attribute
{
    /// <summary>The value set's canonical URL, e.g. <c>http://hl7.org/fhir/ValueSet/request-status</c>.</summary>
    public string Canonical { get; } = canonical;
}

/// <summary>The exact FHIR code an enum member stands for. Every member of a <see cref="FhirValueSetAttribute"/> enum carries one.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class FhirCodeAttribute(string code) : Attribute
{
    public string Code { get; } = code;
}

/// <summary>
/// Marks a property as one of the typed alternatives of a FHIR choice element (<c>value[x]</c>, <c>occurrence[x]</c> ...).
/// At most one alternative of a group may be set; when <see cref="Required"/> is true on any member, exactly one must be.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FhirChoiceAttribute(string group) : Attribute
{
    /// <summary>The choice element's name without <c>[x]</c>, e.g. <c>value</c>.</summary>
    public string Group { get; } = group;

    /// <summary>True when the choice element has minimum cardinality 1.</summary>
    public bool Required { get; init; }
}

/// <summary>The FHIR primitive type of a <see cref="string"/> or <see cref="int"/> property when it is narrower than <c>string</c>/<c>integer</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FhirPrimitiveAttribute(FhirPrimitive type) : Attribute
{
    public FhirPrimitive Type { get; } = type;
}

/// <summary>FHIR primitive types whose lexical rules are stricter than the C# type that carries them.</summary>
public enum FhirPrimitive
{
    /// <summary><c>[A-Za-z0-9\-\.]{1,64}</c></summary>
    Id,

    /// <summary>No leading/trailing whitespace and only single spaces inside.</summary>
    Code,

    /// <summary>No whitespace.</summary>
    Uri,

    /// <summary>A URL (absolute, no whitespace).</summary>
    Url,

    /// <summary>A uri that may carry <c>|version</c>; no whitespace.</summary>
    Canonical,

    /// <summary>Non-empty text.</summary>
    Markdown,

    /// <summary>XHTML narrative; must start with a <c>div</c> element.</summary>
    Xhtml,

    /// <summary>Integer &gt; 0.</summary>
    PositiveInt,

    /// <summary>Integer &gt;= 0.</summary>
    UnsignedInt,
}
