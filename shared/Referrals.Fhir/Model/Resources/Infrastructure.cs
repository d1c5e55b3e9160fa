namespace Referrals.Fhir.Model;

/// <summary>FHIR R4 <c>Bundle</c> (a Resource, not a DomainResource: no text, contained or extension).</summary>
public sealed class Bundle : Resource
{
    public override string ResourceType => "Bundle";

    public Identifier? Identifier { get; set; }

    public required BundleType? Type { get; set; }

    public FhirInstant? Timestamp { get; set; }

    [FhirPrimitive(FhirPrimitive.UnsignedInt)]
    public int? Total { get; set; }

    public List<BundleLink> Link { get; set; } = [];

    public List<BundleEntry> Entry { get; set; } = [];
}

/// <summary>FHIR R4 <c>Bundle.link</c> (also <c>Bundle.entry.link</c>).</summary>
public sealed class BundleLink : BackboneElement
{
    public required string Relation { get; set; }

    [FhirPrimitive(FhirPrimitive.Uri)]
    public required string Url { get; set; }
}

/// <summary>FHIR R4 <c>Bundle.entry</c>.</summary>
public sealed class BundleEntry : BackboneElement
{
    public List<BundleLink> Link { get; set; } = [];

    /// <summary>Absolute URL or <c>urn:uuid:</c> (see <see cref="FhirSystems.UrnUuid"/>).</summary>
    [FhirPrimitive(FhirPrimitive.Uri)]
    public string? FullUrl { get; set; }

    public Resource? Resource { get; set; }

    public BundleEntrySearch? Search { get; set; }

    public BundleEntryRequest? Request { get; set; }

    public BundleEntryResponse? Response { get; set; }
}

/// <summary>FHIR R4 <c>Bundle.entry.search</c>.</summary>
public sealed class BundleEntrySearch : BackboneElement
{
    public SearchEntryMode? Mode { get; set; }

    public decimal? Score { get; set; }
}

/// <summary>FHIR R4 <c>Bundle.entry.request</c> (transaction/batch), incl. conditional headers.</summary>
public sealed class BundleEntryRequest : BackboneElement
{
    public required HttpVerb? Method { get; set; }

    [FhirPrimitive(FhirPrimitive.Uri)]
    public required string Url { get; set; }

    /// <summary>If-None-Match for a conditional read.</summary>
    public string? IfNoneMatch { get; set; }

    public FhirInstant? IfModifiedSince { get; set; }

    /// <summary>If-Match (version-aware update), e.g. <c>W/"3"</c>.</summary>
    public string? IfMatch { get; set; }

    /// <summary>If-None-Exist for a conditional create, e.g. <c>identifier=https://fhir.nhs.uk/Id/nhs-number|9912003888</c>.</summary>
    public string? IfNoneExist { get; set; }
}

/// <summary>FHIR R4 <c>Bundle.entry.response</c> (transaction-response/batch-response/history).</summary>
public sealed class BundleEntryResponse : BackboneElement
{
    /// <summary>HTTP status code and optional phrase, e.g. <c>201 Created</c>.</summary>
    public required string Status { get; set; }

    [FhirPrimitive(FhirPrimitive.Uri)]
    public string? Location { get; set; }

    public string? Etag { get; set; }

    public FhirInstant? LastModified { get; set; }

    public Resource? Outcome { get; set; }
}

/// <summary>FHIR R4 <c>OperationOutcome</c>. Build error outcomes with <see cref="OperationOutcomes"/>.</summary>
public sealed class OperationOutcome : DomainResource
{
    public override string ResourceType => "OperationOutcome";

    /// <summary>1..*</summary>
    public required List<OperationOutcomeIssue> Issue { get; set; }
}

/// <summary>FHIR R4 <c>OperationOutcome.issue</c>.</summary>
public sealed class OperationOutcomeIssue : BackboneElement
{
    public required IssueSeverity? Severity { get; set; }

    public required IssueType? Code { get; set; }

    public CodeableConcept? Details { get; set; }

    public string? Diagnostics { get; set; }

    /// <summary>FHIRPath expressions of the elements concerned, e.g. <c>ServiceRequest.subject</c>.</summary>
    public List<string> Expression { get; set; } = [];
}

/// <summary>FHIR R4 <c>CapabilityStatement</c> (the <c>/metadata</c> answer).</summary>
public sealed class CapabilityStatement : DomainResource
{
    public override string ResourceType => "CapabilityStatement";

    [FhirPrimitive(FhirPrimitive.Uri)]
    public string? Url { get; set; }

    public string? Version { get; set; }

    public string? Name { get; set; }

    public string? Title { get; set; }

    public required PublicationStatus? Status { get; set; }

    public bool? Experimental { get; set; }

    public required FhirDateTime Date { get; set; }

    public string? Publisher { get; set; }

    public List<ContactDetail> Contact { get; set; } = [];

    [FhirPrimitive(FhirPrimitive.Markdown)]
    public string? Description { get; set; }

    public required CapabilityStatementKind? Kind { get; set; }

    public CapabilityStatementSoftware? Software { get; set; }

    public CapabilityStatementImplementation? Implementation { get; set; }

    public required FhirVersion? FhirVersion { get; set; }

    /// <summary>1..* mime types or <c>json</c>/<c>xml</c>/<c>ttl</c>.</summary>
    [FhirPrimitive(FhirPrimitive.Code)]
    public required List<string> Format { get; set; }

    public List<CapabilityStatementRest> Rest { get; set; } = [];
}

/// <summary>FHIR R4 <c>CapabilityStatement.software</c>.</summary>
public sealed class CapabilityStatementSoftware : BackboneElement
{
    public required string Name { get; set; }

    public string? Version { get; set; }

    public FhirDateTime? ReleaseDate { get; set; }
}

/// <summary>FHIR R4 <c>CapabilityStatement.implementation</c>.</summary>
public sealed class CapabilityStatementImplementation : BackboneElement
{
    public required string Description { get; set; }

    [FhirPrimitive(FhirPrimitive.Url)]
    public string? Url { get; set; }
}

/// <summary>FHIR R4 <c>CapabilityStatement.rest</c>.</summary>
public sealed class CapabilityStatementRest : BackboneElement
{
    public required RestfulCapabilityMode? Mode { get; set; }

    [FhirPrimitive(FhirPrimitive.Markdown)]
    public string? Documentation { get; set; }

    public List<CapabilityStatementResource> Resource { get; set; } = [];

    public List<CapabilityStatementSystemInteraction> Interaction { get; set; } = [];

    public List<CapabilityStatementOperation> Operation { get; set; } = [];
}

/// <summary>FHIR R4 <c>CapabilityStatement.rest.resource</c>.</summary>
public sealed class CapabilityStatementResource : BackboneElement
{
    /// <summary>A FHIR resource type name (required binding to resource-types).</summary>
    [FhirPrimitive(FhirPrimitive.Code)]
    public required string Type { get; set; }

    [FhirPrimitive(FhirPrimitive.Canonical)]
    public string? Profile { get; set; }

    [FhirPrimitive(FhirPrimitive.Markdown)]
    public string? Documentation { get; set; }

    public List<CapabilityStatementResourceInteraction> Interaction { get; set; } = [];

    public ResourceVersionPolicy? Versioning { get; set; }

    public bool? ConditionalCreate { get; set; }

    public bool? ConditionalUpdate { get; set; }

    public List<CapabilityStatementSearchParam> SearchParam { get; set; } = [];

    public List<CapabilityStatementOperation> Operation { get; set; } = [];
}

/// <summary>FHIR R4 <c>CapabilityStatement.rest.resource.interaction</c>.</summary>
public sealed class CapabilityStatementResourceInteraction : BackboneElement
{
    public required TypeRestfulInteraction? Code { get; set; }

    [FhirPrimitive(FhirPrimitive.Markdown)]
    public string? Documentation { get; set; }
}

/// <summary>FHIR R4 <c>CapabilityStatement.rest.interaction</c> (system level).</summary>
public sealed class CapabilityStatementSystemInteraction : BackboneElement
{
    public required SystemRestfulInteraction? Code { get; set; }

    [FhirPrimitive(FhirPrimitive.Markdown)]
    public string? Documentation { get; set; }
}

/// <summary>FHIR R4 <c>CapabilityStatement.rest.resource.searchParam</c>.</summary>
public sealed class CapabilityStatementSearchParam : BackboneElement
{
    public required string Name { get; set; }

    [FhirPrimitive(FhirPrimitive.Canonical)]
    public string? Definition { get; set; }

    public required SearchParamType? Type { get; set; }

    [FhirPrimitive(FhirPrimitive.Markdown)]
    public string? Documentation { get; set; }
}

/// <summary>FHIR R4 <c>CapabilityStatement.rest.resource.operation</c> / <c>rest.operation</c>.</summary>
public sealed class CapabilityStatementOperation : BackboneElement
{
    public required string Name { get; set; }

    [FhirPrimitive(FhirPrimitive.Canonical)]
    public required string Definition { get; set; }

    [FhirPrimitive(FhirPrimitive.Markdown)]
    public string? Documentation { get; set; }
}

/// <summary>FHIR R4 <c>Composition</c> (first entry of the closing-summary document Bundle).</summary>
public sealed class Composition : DomainResource
{
    public override string ResourceType => "Composition";

    public Identifier? Identifier { get; set; }

    public required CompositionStatus? Status { get; set; }

    public required CodeableConcept Type { get; set; }

    public List<CodeableConcept> Category { get; set; } = [];

    public ResourceReference? Subject { get; set; }

    public ResourceReference? Encounter { get; set; }

    public required FhirDateTime Date { get; set; }

    /// <summary>1..*</summary>
    public required List<ResourceReference> Author { get; set; }

    public required string Title { get; set; }

    public ConfidentialityClassification? Confidentiality { get; set; }

    public List<CompositionAttester> Attester { get; set; } = [];

    public ResourceReference? Custodian { get; set; }

    public List<CompositionEvent> Event { get; set; } = [];

    public List<CompositionSection> Section { get; set; } = [];
}

/// <summary>FHIR R4 <c>Composition.attester</c>.</summary>
public sealed class CompositionAttester : BackboneElement
{
    public required CompositionAttestationMode? Mode { get; set; }

    public FhirDateTime? Time { get; set; }

    public ResourceReference? Party { get; set; }
}

/// <summary>FHIR R4 <c>Composition.event</c>.</summary>
public sealed class CompositionEvent : BackboneElement
{
    public List<CodeableConcept> Code { get; set; } = [];

    public Period? Period { get; set; }

    public List<ResourceReference> Detail { get; set; } = [];
}

/// <summary>FHIR R4 <c>Composition.section</c> (recursive).</summary>
public sealed class CompositionSection : BackboneElement
{
    public string? Title { get; set; }

    public CodeableConcept? Code { get; set; }

    public List<ResourceReference> Author { get; set; } = [];

    public ResourceReference? Focus { get; set; }

    public Narrative? Text { get; set; }

    public ListMode? Mode { get; set; }

    public CodeableConcept? OrderedBy { get; set; }

    public List<ResourceReference> Entry { get; set; } = [];

    public CodeableConcept? EmptyReason { get; set; }

    public List<CompositionSection> Section { get; set; } = [];
}

/// <summary>FHIR R4 <c>MessageHeader</c> (first entry of a message Bundle).</summary>
public sealed class MessageHeader : DomainResource
{
    public override string ResourceType => "MessageHeader";

    [FhirChoice("event", Required = true)]
    public Coding? EventCoding { get; set; }

    [FhirChoice("event", Required = true)]
    [FhirPrimitive(FhirPrimitive.Uri)]
    public string? EventUri { get; set; }

    public List<MessageHeaderDestination> Destination { get; set; } = [];

    public ResourceReference? Sender { get; set; }

    public ResourceReference? Enterer { get; set; }

    public ResourceReference? Author { get; set; }

    public required MessageHeaderSource Source { get; set; }

    public ResourceReference? Responsible { get; set; }

    public CodeableConcept? Reason { get; set; }

    public MessageHeaderResponse? Response { get; set; }

    public List<ResourceReference> Focus { get; set; } = [];

    [FhirPrimitive(FhirPrimitive.Canonical)]
    public string? Definition { get; set; }
}

/// <summary>FHIR R4 <c>MessageHeader.destination</c>.</summary>
public sealed class MessageHeaderDestination : BackboneElement
{
    public string? Name { get; set; }

    public ResourceReference? Target { get; set; }

    [FhirPrimitive(FhirPrimitive.Url)]
    public required string Endpoint { get; set; }

    public ResourceReference? Receiver { get; set; }
}

/// <summary>FHIR R4 <c>MessageHeader.source</c>.</summary>
public sealed class MessageHeaderSource : BackboneElement
{
    public string? Name { get; set; }

    public string? Software { get; set; }

    public string? Version { get; set; }

    public ContactPoint? Contact { get; set; }

    [FhirPrimitive(FhirPrimitive.Url)]
    public required string Endpoint { get; set; }
}

/// <summary>FHIR R4 <c>MessageHeader.response</c>.</summary>
public sealed class MessageHeaderResponse : BackboneElement
{
    [FhirPrimitive(FhirPrimitive.Id)]
    public required string Identifier { get; set; }

    public required ResponseType? Code { get; set; }

    public ResourceReference? Details { get; set; }
}
