namespace Referrals.Fhir.Model;

/// <summary>FHIR R4 <c>Procedure</c> (e.g. "Referral to social prescribing service" performed).</summary>
public sealed class Procedure : DomainResource
{
    public override string ResourceType => "Procedure";

    public List<Identifier> Identifier { get; set; } = [];

    public List<ResourceReference> BasedOn { get; set; } = [];

    public List<ResourceReference> PartOf { get; set; } = [];

    public required EventStatus? Status { get; set; }

    public CodeableConcept? StatusReason { get; set; }

    public CodeableConcept? Category { get; set; }

    public CodeableConcept? Code { get; set; }

    public required ResourceReference Subject { get; set; }

    public ResourceReference? Encounter { get; set; }

    [FhirChoice("performed")]
    public FhirDateTime? PerformedDateTime { get; set; }

    [FhirChoice("performed")]
    public Period? PerformedPeriod { get; set; }

    [FhirChoice("performed")]
    public string? PerformedString { get; set; }

    public ResourceReference? Recorder { get; set; }

    public ResourceReference? Asserter { get; set; }

    public List<ProcedurePerformer> Performer { get; set; } = [];

    public ResourceReference? Location { get; set; }

    public List<CodeableConcept> ReasonCode { get; set; } = [];

    public List<ResourceReference> ReasonReference { get; set; } = [];

    public CodeableConcept? Outcome { get; set; }

    public List<CodeableConcept> FollowUp { get; set; } = [];

    public List<Annotation> Note { get; set; } = [];
}

/// <summary>FHIR R4 <c>Procedure.performer</c>.</summary>
public sealed class ProcedurePerformer : BackboneElement
{
    public CodeableConcept? Function { get; set; }

    public required ResourceReference Actor { get; set; }

    public ResourceReference? OnBehalfOf { get; set; }
}

/// <summary>FHIR R4 <c>Observation</c> (outcome measures: SWEMWBS, WEMWBS, ONS4, PAM).</summary>
public sealed class Observation : DomainResource
{
    public override string ResourceType => "Observation";

    public List<Identifier> Identifier { get; set; } = [];

    public List<ResourceReference> BasedOn { get; set; } = [];

    public List<ResourceReference> PartOf { get; set; } = [];

    public required ObservationStatus? Status { get; set; }

    public List<CodeableConcept> Category { get; set; } = [];

    public required CodeableConcept Code { get; set; }

    public ResourceReference? Subject { get; set; }

    public List<ResourceReference> Focus { get; set; } = [];

    public ResourceReference? Encounter { get; set; }

    [FhirChoice("effective")]
    public FhirDateTime? EffectiveDateTime { get; set; }

    [FhirChoice("effective")]
    public Period? EffectivePeriod { get; set; }

    [FhirChoice("effective")]
    public FhirInstant? EffectiveInstant { get; set; }

    public FhirInstant? Issued { get; set; }

    public List<ResourceReference> Performer { get; set; } = [];

    [FhirChoice("value")]
    public Quantity? ValueQuantity { get; set; }

    [FhirChoice("value")]
    public CodeableConcept? ValueCodeableConcept { get; set; }

    [FhirChoice("value")]
    public string? ValueString { get; set; }

    [FhirChoice("value")]
    public bool? ValueBoolean { get; set; }

    [FhirChoice("value")]
    public int? ValueInteger { get; set; }

    [FhirChoice("value")]
    public FhirDateTime? ValueDateTime { get; set; }

    [FhirChoice("value")]
    public Period? ValuePeriod { get; set; }

    public CodeableConcept? DataAbsentReason { get; set; }

    public List<CodeableConcept> Interpretation { get; set; } = [];

    public List<Annotation> Note { get; set; } = [];

    public CodeableConcept? Method { get; set; }

    public List<ObservationReferenceRange> ReferenceRange { get; set; } = [];

    public List<ResourceReference> HasMember { get; set; } = [];

    public List<ResourceReference> DerivedFrom { get; set; } = [];

    public List<ObservationComponent> Component { get; set; } = [];
}

/// <summary>FHIR R4 <c>Observation.referenceRange</c>.</summary>
public sealed class ObservationReferenceRange : BackboneElement
{
    public Quantity? Low { get; set; }

    public Quantity? High { get; set; }

    public CodeableConcept? Type { get; set; }

    public string? Text { get; set; }
}

/// <summary>FHIR R4 <c>Observation.component</c> (e.g. an item score of a questionnaire instrument).</summary>
public sealed class ObservationComponent : BackboneElement
{
    public required CodeableConcept Code { get; set; }

    [FhirChoice("value")]
    public Quantity? ValueQuantity { get; set; }

    [FhirChoice("value")]
    public CodeableConcept? ValueCodeableConcept { get; set; }

    [FhirChoice("value")]
    public string? ValueString { get; set; }

    [FhirChoice("value")]
    public bool? ValueBoolean { get; set; }

    [FhirChoice("value")]
    public int? ValueInteger { get; set; }

    [FhirChoice("value")]
    public FhirDateTime? ValueDateTime { get; set; }

    [FhirChoice("value")]
    public Period? ValuePeriod { get; set; }

    public CodeableConcept? DataAbsentReason { get; set; }

    public List<CodeableConcept> Interpretation { get; set; } = [];
}

/// <summary>FHIR R4 <c>Goal</c> ("what matters to me").</summary>
public sealed class Goal : DomainResource
{
    public override string ResourceType => "Goal";

    public List<Identifier> Identifier { get; set; } = [];

    public required GoalLifecycleStatus? LifecycleStatus { get; set; }

    public CodeableConcept? AchievementStatus { get; set; }

    public List<CodeableConcept> Category { get; set; } = [];

    public CodeableConcept? Priority { get; set; }

    public required CodeableConcept Description { get; set; }

    public required ResourceReference Subject { get; set; }

    [FhirChoice("start")]
    public FhirDate? StartDate { get; set; }

    [FhirChoice("start")]
    public CodeableConcept? StartCodeableConcept { get; set; }

    public List<GoalTarget> Target { get; set; } = [];

    public FhirDate? StatusDate { get; set; }

    public string? StatusReason { get; set; }

    public ResourceReference? ExpressedBy { get; set; }

    public List<ResourceReference> Addresses { get; set; } = [];

    public List<Annotation> Note { get; set; } = [];

    public List<CodeableConcept> OutcomeCode { get; set; } = [];

    public List<ResourceReference> OutcomeReference { get; set; } = [];
}

/// <summary>FHIR R4 <c>Goal.target</c>.</summary>
public sealed class GoalTarget : BackboneElement
{
    public CodeableConcept? Measure { get; set; }

    [FhirChoice("detail")]
    public Quantity? DetailQuantity { get; set; }

    [FhirChoice("detail")]
    public CodeableConcept? DetailCodeableConcept { get; set; }

    [FhirChoice("detail")]
    public string? DetailString { get; set; }

    [FhirChoice("detail")]
    public bool? DetailBoolean { get; set; }

    [FhirChoice("detail")]
    public int? DetailInteger { get; set; }

    [FhirChoice("due")]
    public FhirDate? DueDate { get; set; }
}

/// <summary>FHIR R4 <c>CarePlan</c> (the support plan).</summary>
public sealed class CarePlan : DomainResource
{
    public override string ResourceType => "CarePlan";

    public List<Identifier> Identifier { get; set; } = [];

    public List<ResourceReference> BasedOn { get; set; } = [];

    public List<ResourceReference> Replaces { get; set; } = [];

    public List<ResourceReference> PartOf { get; set; } = [];

    public required RequestStatus? Status { get; set; }

    public required CarePlanIntent? Intent { get; set; }

    public List<CodeableConcept> Category { get; set; } = [];

    public string? Title { get; set; }

    public string? Description { get; set; }

    public required ResourceReference Subject { get; set; }

    public ResourceReference? Encounter { get; set; }

    public Period? Period { get; set; }

    public FhirDateTime? Created { get; set; }

    public ResourceReference? Author { get; set; }

    public List<ResourceReference> Contributor { get; set; } = [];

    public List<ResourceReference> Addresses { get; set; } = [];

    public List<ResourceReference> SupportingInfo { get; set; } = [];

    public List<ResourceReference> Goal { get; set; } = [];

    public List<CarePlanActivity> Activity { get; set; } = [];

    public List<Annotation> Note { get; set; } = [];
}

/// <summary>FHIR R4 <c>CarePlan.activity</c>.</summary>
public sealed class CarePlanActivity : BackboneElement
{
    public List<CodeableConcept> OutcomeCodeableConcept { get; set; } = [];

    public List<ResourceReference> OutcomeReference { get; set; } = [];

    public List<Annotation> Progress { get; set; } = [];

    public ResourceReference? Reference { get; set; }

    public CarePlanActivityDetail? Detail { get; set; }
}

/// <summary>FHIR R4 <c>CarePlan.activity.detail</c>.</summary>
public sealed class CarePlanActivityDetail : BackboneElement
{
    public CarePlanActivityKind? Kind { get; set; }

    public CodeableConcept? Code { get; set; }

    public List<CodeableConcept> ReasonCode { get; set; } = [];

    public List<ResourceReference> ReasonReference { get; set; } = [];

    public List<ResourceReference> Goal { get; set; } = [];

    public required CarePlanActivityStatus? Status { get; set; }

    public CodeableConcept? StatusReason { get; set; }

    public bool? DoNotPerform { get; set; }

    [FhirChoice("scheduled")]
    public Period? ScheduledPeriod { get; set; }

    [FhirChoice("scheduled")]
    public string? ScheduledString { get; set; }

    public ResourceReference? Location { get; set; }

    public List<ResourceReference> Performer { get; set; } = [];

    public string? Description { get; set; }
}

/// <summary>
/// FHIR R4 <c>Condition</c> (a need or concern). <c>clinicalStatus</c>/<c>verificationStatus</c> are CodeableConcepts with
/// required bindings: build them with <see cref="ConditionClinicalStatus"/> and <see cref="ConditionVerificationStatus"/>.
/// </summary>
public sealed class Condition : DomainResource
{
    public override string ResourceType => "Condition";

    public List<Identifier> Identifier { get; set; } = [];

    public CodeableConcept? ClinicalStatus { get; set; }

    public CodeableConcept? VerificationStatus { get; set; }

    public List<CodeableConcept> Category { get; set; } = [];

    public CodeableConcept? Severity { get; set; }

    public CodeableConcept? Code { get; set; }

    public required ResourceReference Subject { get; set; }

    public ResourceReference? Encounter { get; set; }

    [FhirChoice("onset")]
    public FhirDateTime? OnsetDateTime { get; set; }

    [FhirChoice("onset")]
    public Period? OnsetPeriod { get; set; }

    [FhirChoice("onset")]
    public string? OnsetString { get; set; }

    [FhirChoice("abatement")]
    public FhirDateTime? AbatementDateTime { get; set; }

    [FhirChoice("abatement")]
    public Period? AbatementPeriod { get; set; }

    [FhirChoice("abatement")]
    public string? AbatementString { get; set; }

    public FhirDateTime? RecordedDate { get; set; }

    public ResourceReference? Recorder { get; set; }

    public ResourceReference? Asserter { get; set; }

    public List<Annotation> Note { get; set; } = [];
}

/// <summary>Condition.clinicalStatus concepts (<c>http://terminology.hl7.org/CodeSystem/condition-clinical</c>, required binding).</summary>
public static class ConditionClinicalStatus
{
    public static CodeableConcept Active => Make("active", "Active");

    public static CodeableConcept Recurrence => Make("recurrence", "Recurrence");

    public static CodeableConcept Relapse => Make("relapse", "Relapse");

    public static CodeableConcept Inactive => Make("inactive", "Inactive");

    public static CodeableConcept Remission => Make("remission", "Remission");

    public static CodeableConcept Resolved => Make("resolved", "Resolved");

    private static CodeableConcept Make(string code, string display) => CodeableConcept.From(FhirSystems.ConditionClinical, code, display);
}

/// <summary>Condition.verificationStatus concepts (<c>http://terminology.hl7.org/CodeSystem/condition-ver-status</c>, required binding).</summary>
public static class ConditionVerificationStatus
{
    public static CodeableConcept Unconfirmed => Make("unconfirmed", "Unconfirmed");

    public static CodeableConcept Provisional => Make("provisional", "Provisional");

    public static CodeableConcept Differential => Make("differential", "Differential");

    public static CodeableConcept Confirmed => Make("confirmed", "Confirmed");

    public static CodeableConcept Refuted => Make("refuted", "Refuted");

    public static CodeableConcept EnteredInError => Make("entered-in-error", "Entered in Error");

    private static CodeableConcept Make(string code, string display) => CodeableConcept.From(FhirSystems.ConditionVerificationStatus, code, display);
}
