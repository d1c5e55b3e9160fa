namespace Referrals.Fhir.Model;

/// <summary>FHIR R4 <c>ServiceRequest</c>: the referral.</summary>
public sealed class ServiceRequest : DomainResource
{
    public override string ResourceType => "ServiceRequest";

    public List<Identifier> Identifier { get; set; } = [];

    public List<ResourceReference> BasedOn { get; set; } = [];

    public List<ResourceReference> Replaces { get; set; } = [];

    public Identifier? Requisition { get; set; }

    public required RequestStatus? Status { get; set; }

    public required RequestIntent? Intent { get; set; }

    public List<CodeableConcept> Category { get; set; } = [];

    public RequestPriority? Priority { get; set; }

    public bool? DoNotPerform { get; set; }

    public CodeableConcept? Code { get; set; }

    public List<CodeableConcept> OrderDetail { get; set; } = [];

    public required ResourceReference Subject { get; set; }

    public ResourceReference? Encounter { get; set; }

    [FhirChoice("occurrence")]
    public FhirDateTime? OccurrenceDateTime { get; set; }

    [FhirChoice("occurrence")]
    public Period? OccurrencePeriod { get; set; }

    public FhirDateTime? AuthoredOn { get; set; }

    public ResourceReference? Requester { get; set; }

    public CodeableConcept? PerformerType { get; set; }

    public List<ResourceReference> Performer { get; set; } = [];

    public List<CodeableConcept> ReasonCode { get; set; } = [];

    public List<ResourceReference> ReasonReference { get; set; } = [];

    public List<ResourceReference> SupportingInfo { get; set; } = [];

    public List<Annotation> Note { get; set; } = [];

    public string? PatientInstruction { get; set; }

    public List<ResourceReference> RelevantHistory { get; set; } = [];
}

/// <summary>
/// FHIR R4 <c>Task</c> (C# name <c>FhirTask</c> so it never clashes with <see cref="System.Threading.Tasks.Task"/>;
/// its <c>resourceType</c> is <c>Task</c>).
/// </summary>
public sealed class FhirTask : DomainResource
{
    public override string ResourceType => "Task";

    public List<Identifier> Identifier { get; set; } = [];

    [FhirPrimitive(FhirPrimitive.Canonical)]
    public string? InstantiatesCanonical { get; set; }

    public List<ResourceReference> BasedOn { get; set; } = [];

    public Identifier? GroupIdentifier { get; set; }

    public List<ResourceReference> PartOf { get; set; } = [];

    public required FhirTaskStatus? Status { get; set; }

    public CodeableConcept? StatusReason { get; set; }

    public CodeableConcept? BusinessStatus { get; set; }

    public required TaskIntent? Intent { get; set; }

    public RequestPriority? Priority { get; set; }

    public CodeableConcept? Code { get; set; }

    public string? Description { get; set; }

    public ResourceReference? Focus { get; set; }

    public ResourceReference? For { get; set; }

    public ResourceReference? Encounter { get; set; }

    public Period? ExecutionPeriod { get; set; }

    public FhirDateTime? AuthoredOn { get; set; }

    public FhirDateTime? LastModified { get; set; }

    public ResourceReference? Requester { get; set; }

    public List<CodeableConcept> PerformerType { get; set; } = [];

    public ResourceReference? Owner { get; set; }

    public ResourceReference? Location { get; set; }

    public CodeableConcept? ReasonCode { get; set; }

    public ResourceReference? ReasonReference { get; set; }

    public List<Annotation> Note { get; set; } = [];

    public List<ResourceReference> RelevantHistory { get; set; } = [];

    public List<TaskParameter> Input { get; set; } = [];

    public List<TaskParameter> Output { get; set; } = [];
}

/// <summary>FHIR R4 <c>Task.input</c> / <c>Task.output</c> (identical shape): a type and exactly one <c>value[x]</c>.</summary>
public sealed class TaskParameter : BackboneElement
{
    public required CodeableConcept Type { get; set; }

    [FhirChoice("value", Required = true)]
    public bool? ValueBoolean { get; set; }

    [FhirChoice("value", Required = true)]
    [FhirPrimitive(FhirPrimitive.Code)]
    public string? ValueCode { get; set; }

    [FhirChoice("value", Required = true)]
    public FhirDateTime? ValueDateTime { get; set; }

    [FhirChoice("value", Required = true)]
    public int? ValueInteger { get; set; }

    [FhirChoice("value", Required = true)]
    public string? ValueString { get; set; }

    [FhirChoice("value", Required = true)]
    public CodeableConcept? ValueCodeableConcept { get; set; }

    [FhirChoice("value", Required = true)]
    public Coding? ValueCoding { get; set; }

    [FhirChoice("value", Required = true)]
    public Identifier? ValueIdentifier { get; set; }

    [FhirChoice("value", Required = true)]
    public Period? ValuePeriod { get; set; }

    [FhirChoice("value", Required = true)]
    public Quantity? ValueQuantity { get; set; }

    [FhirChoice("value", Required = true)]
    public ResourceReference? ValueReference { get; set; }
}

/// <summary>FHIR R4 <c>Consent</c> (consent to share information).</summary>
public sealed class Consent : DomainResource
{
    public override string ResourceType => "Consent";

    public List<Identifier> Identifier { get; set; } = [];

    public required ConsentState? Status { get; set; }

    public required CodeableConcept Scope { get; set; }

    /// <summary>1..*</summary>
    public required List<CodeableConcept> Category { get; set; }

    public ResourceReference? Patient { get; set; }

    public FhirDateTime? DateTime { get; set; }

    public List<ResourceReference> Performer { get; set; } = [];

    public List<ResourceReference> Organization { get; set; } = [];

    [FhirChoice("source")]
    public ResourceReference? SourceReference { get; set; }

    public List<ConsentPolicy> Policy { get; set; } = [];

    public CodeableConcept? PolicyRule { get; set; }

    public List<ConsentVerification> Verification { get; set; } = [];

    public ConsentProvision? Provision { get; set; }
}

/// <summary>FHIR R4 <c>Consent.policy</c>.</summary>
public sealed class ConsentPolicy : BackboneElement
{
    [FhirPrimitive(FhirPrimitive.Uri)]
    public string? Authority { get; set; }

    [FhirPrimitive(FhirPrimitive.Uri)]
    public string? Uri { get; set; }
}

/// <summary>FHIR R4 <c>Consent.verification</c>.</summary>
public sealed class ConsentVerification : BackboneElement
{
    public required bool? Verified { get; set; }

    public ResourceReference? VerifiedWith { get; set; }

    public FhirDateTime? VerificationDate { get; set; }
}

/// <summary>FHIR R4 <c>Consent.provision</c> (recursive).</summary>
public sealed class ConsentProvision : BackboneElement
{
    public ConsentProvisionType? Type { get; set; }

    public Period? Period { get; set; }

    public List<ConsentActor> Actor { get; set; } = [];

    public List<CodeableConcept> Action { get; set; } = [];

    public List<Coding> SecurityLabel { get; set; } = [];

    public List<Coding> Purpose { get; set; } = [];

    public List<Coding> Class { get; set; } = [];

    public List<CodeableConcept> Code { get; set; } = [];

    public Period? DataPeriod { get; set; }

    public List<ConsentData> Data { get; set; } = [];

    public List<ConsentProvision> Provision { get; set; } = [];
}

/// <summary>FHIR R4 <c>Consent.provision.actor</c>.</summary>
public sealed class ConsentActor : BackboneElement
{
    public required CodeableConcept Role { get; set; }

    public required ResourceReference Reference { get; set; }
}

/// <summary>FHIR R4 <c>Consent.provision.data</c>.</summary>
public sealed class ConsentData : BackboneElement
{
    public required ConsentDataMeaning? Meaning { get; set; }

    public required ResourceReference Reference { get; set; }
}

/// <summary>FHIR R4 <c>Encounter</c> (e.g. a link-worker contact).</summary>
public sealed class Encounter : DomainResource
{
    public override string ResourceType => "Encounter";

    public List<Identifier> Identifier { get; set; } = [];

    public required EncounterStatus? Status { get; set; }

    /// <summary>Encounter.class is a <c>Coding</c> (v3 ActCode, e.g. AMB, VR, HH).</summary>
    public required Coding Class { get; set; }

    public List<CodeableConcept> Type { get; set; } = [];

    public CodeableConcept? ServiceType { get; set; }

    public CodeableConcept? Priority { get; set; }

    public ResourceReference? Subject { get; set; }

    public List<ResourceReference> BasedOn { get; set; } = [];

    public List<EncounterParticipant> Participant { get; set; } = [];

    public Period? Period { get; set; }

    public List<CodeableConcept> ReasonCode { get; set; } = [];

    public List<ResourceReference> ReasonReference { get; set; } = [];

    public ResourceReference? ServiceProvider { get; set; }

    public ResourceReference? PartOf { get; set; }
}

/// <summary>FHIR R4 <c>Encounter.participant</c>.</summary>
public sealed class EncounterParticipant : BackboneElement
{
    public List<CodeableConcept> Type { get; set; } = [];

    public Period? Period { get; set; }

    public ResourceReference? Individual { get; set; }
}
