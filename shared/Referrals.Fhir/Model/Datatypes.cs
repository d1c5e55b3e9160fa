namespace Referrals.Fhir.Model;

/// <summary>FHIR <c>Meta</c>.</summary>
public sealed class Meta : Element
{
    [FhirPrimitive(FhirPrimitive.Id)]
    public string? VersionId { get; set; }

    public FhirInstant? LastUpdated { get; set; }

    [FhirPrimitive(FhirPrimitive.Uri)]
    public string? Source { get; set; }

    /// <summary>Profiles claimed. Claim one only where a test checks that profile's rules.</summary>
    [FhirPrimitive(FhirPrimitive.Canonical)]
    public List<string> Profile { get; set; } = [];

    public List<Coding> Security { get; set; } = [];

    public List<Coding> Tag { get; set; } = [];
}

/// <summary>FHIR <c>Narrative</c>. <see cref="Div"/> is XHTML text starting with <c>&lt;div xmlns="http://www.w3.org/1999/xhtml"&gt;</c>.</summary>
public sealed class Narrative : Element
{
    public required NarrativeStatus? Status { get; set; }

    [FhirPrimitive(FhirPrimitive.Xhtml)]
    public required string Div { get; set; }
}

/// <summary>FHIR <c>Extension</c>: a url and either one <c>value[x]</c> or nested extensions (ext-1), not both.</summary>
public sealed class Extension : Element
{
    [FhirPrimitive(FhirPrimitive.Uri)]
    public required string Url { get; set; }

    [FhirChoice("value")]
    public bool? ValueBoolean { get; set; }

    [FhirChoice("value")]
    [FhirPrimitive(FhirPrimitive.Code)]
    public string? ValueCode { get; set; }

    [FhirChoice("value")]
    public FhirDate? ValueDate { get; set; }

    [FhirChoice("value")]
    public FhirDateTime? ValueDateTime { get; set; }

    [FhirChoice("value")]
    public decimal? ValueDecimal { get; set; }

    [FhirChoice("value")]
    public int? ValueInteger { get; set; }

    [FhirChoice("value")]
    public string? ValueString { get; set; }

    [FhirChoice("value")]
    [FhirPrimitive(FhirPrimitive.Uri)]
    public string? ValueUri { get; set; }

    [FhirChoice("value")]
    public CodeableConcept? ValueCodeableConcept { get; set; }

    [FhirChoice("value")]
    public Coding? ValueCoding { get; set; }

    [FhirChoice("value")]
    public Identifier? ValueIdentifier { get; set; }

    [FhirChoice("value")]
    public Period? ValuePeriod { get; set; }

    [FhirChoice("value")]
    public Quantity? ValueQuantity { get; set; }

    [FhirChoice("value")]
    public ResourceReference? ValueReference { get; set; }
}

/// <summary>FHIR <c>Identifier</c>. UK Core systems are in <see cref="FhirSystems"/>.</summary>
public sealed class Identifier : Element
{
    public IdentifierUse? Use { get; set; }

    public CodeableConcept? Type { get; set; }

    [FhirPrimitive(FhirPrimitive.Uri)]
    public string? System { get; set; }

    public string? Value { get; set; }

    public Period? Period { get; set; }

    public ResourceReference? Assigner { get; set; }

    /// <summary>An NHS number identifier (<c>https://fhir.nhs.uk/Id/nhs-number</c>). The number is not checked here.</summary>
    public static Identifier NhsNumber(string nhsNumber) => new() { System = FhirSystems.NhsNumber, Value = nhsNumber };

    /// <summary>An ODS organisation code identifier (<c>https://fhir.nhs.uk/Id/ods-organization-code</c>).</summary>
    public static Identifier OdsOrganizationCode(string odsCode) => new() { System = FhirSystems.OdsOrganizationCode, Value = odsCode };
}

/// <summary>FHIR <c>CodeableConcept</c>.</summary>
public sealed class CodeableConcept : Element
{
    public List<Coding> Coding { get; set; } = [];

    public string? Text { get; set; }

    public static CodeableConcept From(string system, string code, string? display = null, string? text = null) =>
        new() { Coding = [new Coding { System = system, Code = code, Display = display }], Text = text };
}

/// <summary>FHIR <c>Coding</c>.</summary>
public sealed class Coding : Element
{
    [FhirPrimitive(FhirPrimitive.Uri)]
    public string? System { get; set; }

    public string? Version { get; set; }

    [FhirPrimitive(FhirPrimitive.Code)]
    public string? Code { get; set; }

    public string? Display { get; set; }

    public bool? UserSelected { get; set; }
}

/// <summary>
/// FHIR <c>Reference</c> (named <c>ResourceReference</c> in C# because a member may not share its class's name;
/// the JSON is the spec's <c>reference</c>/<c>type</c>/<c>identifier</c>/<c>display</c>).
/// </summary>
public sealed class ResourceReference : Element
{
    /// <summary><c>ResourceType/id</c>, an absolute URL, or a <c>urn:uuid:</c> fullUrl within a Bundle.</summary>
    public string? Reference { get; set; }

    [FhirPrimitive(FhirPrimitive.Uri)]
    public string? Type { get; set; }

    public Identifier? Identifier { get; set; }

    public string? Display { get; set; }

    public static ResourceReference To(string reference, string? display = null) => new() { Reference = reference, Display = display };

    /// <summary>A reference to a Bundle entry by its <c>urn:uuid:</c> fullUrl.</summary>
    public static ResourceReference ToUuid(Guid id, string? display = null) => To(FhirSystems.UrnUuid(id), display);

    /// <summary>A logical reference by business identifier.</summary>
    public static ResourceReference ToIdentifier(string resourceType, Identifier identifier, string? display = null) =>
        new() { Type = resourceType, Identifier = identifier, Display = display };
}

/// <summary>FHIR <c>Period</c>.</summary>
public sealed class Period : Element
{
    public FhirDateTime? Start { get; set; }

    public FhirDateTime? End { get; set; }
}

/// <summary>FHIR <c>Quantity</c>. <see cref="Value"/> is written with exactly the scale the decimal holds (7.00 stays 7.00).</summary>
public sealed class Quantity : Element
{
    public decimal? Value { get; set; }

    public QuantityComparator? Comparator { get; set; }

    public string? Unit { get; set; }

    [FhirPrimitive(FhirPrimitive.Uri)]
    public string? System { get; set; }

    [FhirPrimitive(FhirPrimitive.Code)]
    public string? Code { get; set; }
}

/// <summary>FHIR <c>HumanName</c>.</summary>
public sealed class HumanName : Element
{
    public NameUse? Use { get; set; }

    public string? Text { get; set; }

    public string? Family { get; set; }

    public List<string> Given { get; set; } = [];

    public List<string> Prefix { get; set; } = [];

    public List<string> Suffix { get; set; } = [];

    public Period? Period { get; set; }
}

/// <summary>FHIR <c>ContactPoint</c>.</summary>
public sealed class ContactPoint : Element
{
    public ContactPointSystem? System { get; set; }

    public string? Value { get; set; }

    public ContactPointUse? Use { get; set; }

    [FhirPrimitive(FhirPrimitive.PositiveInt)]
    public int? Rank { get; set; }

    public Period? Period { get; set; }
}

/// <summary>FHIR <c>Address</c>.</summary>
public sealed class Address : Element
{
    public AddressUse? Use { get; set; }

    public AddressType? Type { get; set; }

    public string? Text { get; set; }

    public List<string> Line { get; set; } = [];

    public string? City { get; set; }

    public string? District { get; set; }

    public string? State { get; set; }

    public string? PostalCode { get; set; }

    public string? Country { get; set; }

    public Period? Period { get; set; }
}

/// <summary>FHIR <c>Annotation</c>.</summary>
public sealed class Annotation : Element
{
    [FhirChoice("author")]
    public ResourceReference? AuthorReference { get; set; }

    [FhirChoice("author")]
    public string? AuthorString { get; set; }

    public FhirDateTime? Time { get; set; }

    [FhirPrimitive(FhirPrimitive.Markdown)]
    public required string Text { get; set; }
}

/// <summary>FHIR <c>ContactDetail</c> (used by CapabilityStatement.contact).</summary>
public sealed class ContactDetail : Element
{
    public string? Name { get; set; }

    public List<ContactPoint> Telecom { get; set; } = [];
}
