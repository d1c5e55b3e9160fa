// Required-binding value sets of FHIR R4 (4.0.1) used by this model. Codes are exactly the specification's.
// Each member's FHIR code is given by [FhirCode]; enum member names are never used as codes.

namespace Referrals.Fhir.Model;

/// <summary>http://hl7.org/fhir/ValueSet/request-status (required) — ServiceRequest.status, CarePlan.status.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/request-status")]
public enum RequestStatus
{
    [FhirCode("draft")]
    Draft,

    [FhirCode("active")]
    Active,

    [FhirCode("on-hold")]
    OnHold,

    [FhirCode("revoked")]
    Revoked,

    [FhirCode("completed")]
    Completed,

    [FhirCode("entered-in-error")]
    EnteredInError,

    [FhirCode("unknown")]
    Unknown,
}

/// <summary>http://hl7.org/fhir/ValueSet/request-intent (required) — ServiceRequest.intent.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/request-intent")]
public enum RequestIntent
{
    [FhirCode("proposal")]
    Proposal,

    [FhirCode("plan")]
    Plan,

    [FhirCode("directive")]
    Directive,

    [FhirCode("order")]
    Order,

    [FhirCode("original-order")]
    OriginalOrder,

    [FhirCode("reflex-order")]
    ReflexOrder,

    [FhirCode("filler-order")]
    FillerOrder,

    [FhirCode("instance-order")]
    InstanceOrder,

    [FhirCode("option")]
    Option,
}

/// <summary>http://hl7.org/fhir/ValueSet/request-priority (required) — ServiceRequest.priority, Task.priority.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/request-priority")]
public enum RequestPriority
{
    [FhirCode("routine")]
    Routine,

    [FhirCode("urgent")]
    Urgent,

    [FhirCode("asap")]
    Asap,

    [FhirCode("stat")]
    Stat,
}

/// <summary>http://hl7.org/fhir/ValueSet/task-status (required) — Task.status (named to avoid System.Threading.Tasks.TaskStatus).</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/task-status")]
public enum FhirTaskStatus
{
    [FhirCode("draft")]
    Draft,

    [FhirCode("requested")]
    Requested,

    [FhirCode("received")]
    Received,

    [FhirCode("accepted")]
    Accepted,

    [FhirCode("rejected")]
    Rejected,

    [FhirCode("ready")]
    Ready,

    [FhirCode("cancelled")]
    Cancelled,

    [FhirCode("in-progress")]
    InProgress,

    [FhirCode("on-hold")]
    OnHold,

    [FhirCode("failed")]
    Failed,

    [FhirCode("completed")]
    Completed,

    [FhirCode("entered-in-error")]
    EnteredInError,
}

/// <summary>http://hl7.org/fhir/ValueSet/task-intent (required) — Task.intent.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/task-intent")]
public enum TaskIntent
{
    [FhirCode("unknown")]
    Unknown,

    [FhirCode("proposal")]
    Proposal,

    [FhirCode("plan")]
    Plan,

    [FhirCode("order")]
    Order,

    [FhirCode("original-order")]
    OriginalOrder,

    [FhirCode("reflex-order")]
    ReflexOrder,

    [FhirCode("filler-order")]
    FillerOrder,

    [FhirCode("instance-order")]
    InstanceOrder,

    [FhirCode("option")]
    Option,
}

/// <summary>http://hl7.org/fhir/ValueSet/observation-status (required) — Observation.status.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/observation-status")]
public enum ObservationStatus
{
    [FhirCode("registered")]
    Registered,

    [FhirCode("preliminary")]
    Preliminary,

    [FhirCode("final")]
    Final,

    [FhirCode("amended")]
    Amended,

    [FhirCode("corrected")]
    Corrected,

    [FhirCode("cancelled")]
    Cancelled,

    [FhirCode("entered-in-error")]
    EnteredInError,

    [FhirCode("unknown")]
    Unknown,
}

/// <summary>http://hl7.org/fhir/ValueSet/event-status (required) — Procedure.status.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/event-status")]
public enum EventStatus
{
    [FhirCode("preparation")]
    Preparation,

    [FhirCode("in-progress")]
    InProgress,

    [FhirCode("not-done")]
    NotDone,

    [FhirCode("on-hold")]
    OnHold,

    [FhirCode("stopped")]
    Stopped,

    [FhirCode("completed")]
    Completed,

    [FhirCode("entered-in-error")]
    EnteredInError,

    [FhirCode("unknown")]
    Unknown,
}

/// <summary>http://hl7.org/fhir/ValueSet/encounter-status (required) — Encounter.status.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/encounter-status")]
public enum EncounterStatus
{
    [FhirCode("planned")]
    Planned,

    [FhirCode("arrived")]
    Arrived,

    [FhirCode("triaged")]
    Triaged,

    [FhirCode("in-progress")]
    InProgress,

    [FhirCode("onleave")]
    Onleave,

    [FhirCode("finished")]
    Finished,

    [FhirCode("cancelled")]
    Cancelled,

    [FhirCode("entered-in-error")]
    EnteredInError,

    [FhirCode("unknown")]
    Unknown,
}

/// <summary>http://hl7.org/fhir/ValueSet/consent-state-codes (required) — Consent.status.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/consent-state-codes")]
public enum ConsentState
{
    [FhirCode("draft")]
    Draft,

    [FhirCode("proposed")]
    Proposed,

    [FhirCode("active")]
    Active,

    [FhirCode("rejected")]
    Rejected,

    [FhirCode("inactive")]
    Inactive,

    [FhirCode("entered-in-error")]
    EnteredInError,
}

/// <summary>http://hl7.org/fhir/ValueSet/consent-provision-type (required) — Consent.provision.type.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/consent-provision-type")]
public enum ConsentProvisionType
{
    [FhirCode("deny")]
    Deny,

    [FhirCode("permit")]
    Permit,
}

/// <summary>http://hl7.org/fhir/ValueSet/consent-data-meaning (required) — Consent.provision.data.meaning.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/consent-data-meaning")]
public enum ConsentDataMeaning
{
    [FhirCode("instance")]
    Instance,

    [FhirCode("related")]
    Related,

    [FhirCode("dependents")]
    Dependents,

    [FhirCode("authoredby")]
    Authoredby,
}

/// <summary>http://hl7.org/fhir/ValueSet/goal-status (required) — Goal.lifecycleStatus.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/goal-status")]
public enum GoalLifecycleStatus
{
    [FhirCode("proposed")]
    Proposed,

    [FhirCode("planned")]
    Planned,

    [FhirCode("accepted")]
    Accepted,

    [FhirCode("active")]
    Active,

    [FhirCode("on-hold")]
    OnHold,

    [FhirCode("completed")]
    Completed,

    [FhirCode("cancelled")]
    Cancelled,

    [FhirCode("entered-in-error")]
    EnteredInError,

    [FhirCode("rejected")]
    Rejected,
}

/// <summary>http://hl7.org/fhir/ValueSet/care-plan-intent (required) — CarePlan.intent.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/care-plan-intent")]
public enum CarePlanIntent
{
    [FhirCode("proposal")]
    Proposal,

    [FhirCode("plan")]
    Plan,

    [FhirCode("order")]
    Order,

    [FhirCode("option")]
    Option,
}

/// <summary>http://hl7.org/fhir/ValueSet/care-plan-activity-status (required) — CarePlan.activity.detail.status.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/care-plan-activity-status")]
public enum CarePlanActivityStatus
{
    [FhirCode("not-started")]
    NotStarted,

    [FhirCode("scheduled")]
    Scheduled,

    [FhirCode("in-progress")]
    InProgress,

    [FhirCode("on-hold")]
    OnHold,

    [FhirCode("completed")]
    Completed,

    [FhirCode("cancelled")]
    Cancelled,

    [FhirCode("stopped")]
    Stopped,

    [FhirCode("unknown")]
    Unknown,

    [FhirCode("entered-in-error")]
    EnteredInError,
}

/// <summary>http://hl7.org/fhir/ValueSet/care-plan-activity-kind (required) — CarePlan.activity.detail.kind.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/care-plan-activity-kind")]
public enum CarePlanActivityKind
{
    [FhirCode("Appointment")]
    Appointment,

    [FhirCode("CommunicationRequest")]
    CommunicationRequest,

    [FhirCode("DeviceRequest")]
    DeviceRequest,

    [FhirCode("MedicationRequest")]
    MedicationRequest,

    [FhirCode("NutritionOrder")]
    NutritionOrder,

    [FhirCode("Task")]
    Task,

    [FhirCode("ServiceRequest")]
    ServiceRequest,

    [FhirCode("VisionPrescription")]
    VisionPrescription,
}

/// <summary>http://hl7.org/fhir/ValueSet/bundle-type (required) — Bundle.type.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/bundle-type")]
public enum BundleType
{
    [FhirCode("document")]
    Document,

    [FhirCode("message")]
    Message,

    [FhirCode("transaction")]
    Transaction,

    [FhirCode("transaction-response")]
    TransactionResponse,

    [FhirCode("batch")]
    Batch,

    [FhirCode("batch-response")]
    BatchResponse,

    [FhirCode("history")]
    History,

    [FhirCode("searchset")]
    Searchset,

    [FhirCode("collection")]
    Collection,
}

/// <summary>http://hl7.org/fhir/ValueSet/http-verb (required) — Bundle.entry.request.method.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/http-verb")]
public enum HttpVerb
{
    [FhirCode("GET")]
    Get,

    [FhirCode("HEAD")]
    Head,

    [FhirCode("POST")]
    Post,

    [FhirCode("PUT")]
    Put,

    [FhirCode("DELETE")]
    Delete,

    [FhirCode("PATCH")]
    Patch,
}

/// <summary>http://hl7.org/fhir/ValueSet/search-entry-mode (required) — Bundle.entry.search.mode.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/search-entry-mode")]
public enum SearchEntryMode
{
    [FhirCode("match")]
    Match,

    [FhirCode("include")]
    Include,

    [FhirCode("outcome")]
    Outcome,
}

/// <summary>http://hl7.org/fhir/ValueSet/issue-severity (required) — OperationOutcome.issue.severity.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/issue-severity")]
public enum IssueSeverity
{
    [FhirCode("fatal")]
    Fatal,

    [FhirCode("error")]
    Error,

    [FhirCode("warning")]
    Warning,

    [FhirCode("information")]
    Information,
}

/// <summary>http://hl7.org/fhir/ValueSet/issue-type (required) — OperationOutcome.issue.code.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/issue-type")]
public enum IssueType
{
    [FhirCode("invalid")]
    Invalid,

    [FhirCode("structure")]
    Structure,

    [FhirCode("required")]
    Required,

    [FhirCode("value")]
    Value,

    [FhirCode("invariant")]
    Invariant,

    [FhirCode("security")]
    Security,

    [FhirCode("login")]
    Login,

    [FhirCode("unknown")]
    Unknown,

    [FhirCode("expired")]
    Expired,

    [FhirCode("forbidden")]
    Forbidden,

    [FhirCode("suppressed")]
    Suppressed,

    [FhirCode("processing")]
    Processing,

    [FhirCode("not-supported")]
    NotSupported,

    [FhirCode("duplicate")]
    Duplicate,

    [FhirCode("multiple-matches")]
    MultipleMatches,

    [FhirCode("not-found")]
    NotFound,

    [FhirCode("deleted")]
    Deleted,

    [FhirCode("too-long")]
    TooLong,

    [FhirCode("code-invalid")]
    CodeInvalid,

    [FhirCode("extension")]
    Extension,

    [FhirCode("too-costly")]
    TooCostly,

    [FhirCode("business-rule")]
    BusinessRule,

    [FhirCode("conflict")]
    Conflict,

    [FhirCode("transient")]
    Transient,

    [FhirCode("lock-error")]
    LockError,

    [FhirCode("no-store")]
    NoStore,

    [FhirCode("exception")]
    Exception,

    [FhirCode("timeout")]
    Timeout,

    [FhirCode("incomplete")]
    Incomplete,

    [FhirCode("throttled")]
    Throttled,

    [FhirCode("informational")]
    Informational,
}

/// <summary>http://hl7.org/fhir/ValueSet/administrative-gender (required) — Patient.gender, Practitioner.gender.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/administrative-gender")]
public enum AdministrativeGender
{
    [FhirCode("male")]
    Male,

    [FhirCode("female")]
    Female,

    [FhirCode("other")]
    Other,

    [FhirCode("unknown")]
    Unknown,
}

/// <summary>http://hl7.org/fhir/ValueSet/contact-point-system (required) — ContactPoint.system.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/contact-point-system")]
public enum ContactPointSystem
{
    [FhirCode("phone")]
    Phone,

    [FhirCode("fax")]
    Fax,

    [FhirCode("email")]
    Email,

    [FhirCode("pager")]
    Pager,

    [FhirCode("url")]
    Url,

    [FhirCode("sms")]
    Sms,

    [FhirCode("other")]
    Other,
}

/// <summary>http://hl7.org/fhir/ValueSet/contact-point-use (required) — ContactPoint.use.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/contact-point-use")]
public enum ContactPointUse
{
    [FhirCode("home")]
    Home,

    [FhirCode("work")]
    Work,

    [FhirCode("temp")]
    Temp,

    [FhirCode("old")]
    Old,

    [FhirCode("mobile")]
    Mobile,
}

/// <summary>http://hl7.org/fhir/ValueSet/identifier-use (required) — Identifier.use.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/identifier-use")]
public enum IdentifierUse
{
    [FhirCode("usual")]
    Usual,

    [FhirCode("official")]
    Official,

    [FhirCode("temp")]
    Temp,

    [FhirCode("secondary")]
    Secondary,

    [FhirCode("old")]
    Old,
}

/// <summary>http://hl7.org/fhir/ValueSet/name-use (required) — HumanName.use.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/name-use")]
public enum NameUse
{
    [FhirCode("usual")]
    Usual,

    [FhirCode("official")]
    Official,

    [FhirCode("temp")]
    Temp,

    [FhirCode("nickname")]
    Nickname,

    [FhirCode("anonymous")]
    Anonymous,

    [FhirCode("old")]
    Old,

    [FhirCode("maiden")]
    Maiden,
}

/// <summary>http://hl7.org/fhir/ValueSet/address-use (required) — Address.use.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/address-use")]
public enum AddressUse
{
    [FhirCode("home")]
    Home,

    [FhirCode("work")]
    Work,

    [FhirCode("temp")]
    Temp,

    [FhirCode("old")]
    Old,

    [FhirCode("billing")]
    Billing,
}

/// <summary>http://hl7.org/fhir/ValueSet/address-type (required) — Address.type.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/address-type")]
public enum AddressType
{
    [FhirCode("postal")]
    Postal,

    [FhirCode("physical")]
    Physical,

    [FhirCode("both")]
    Both,
}

/// <summary>http://hl7.org/fhir/ValueSet/narrative-status (required) — Narrative.status.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/narrative-status")]
public enum NarrativeStatus
{
    [FhirCode("generated")]
    Generated,

    [FhirCode("extensions")]
    Extensions,

    [FhirCode("additional")]
    Additional,

    [FhirCode("empty")]
    Empty,
}

/// <summary>http://hl7.org/fhir/ValueSet/quantity-comparator (required) — Quantity.comparator.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/quantity-comparator")]
public enum QuantityComparator
{
    [FhirCode("<")]
    LessThan,

    [FhirCode("<=")]
    LessOrEqual,

    [FhirCode(">=")]
    GreaterOrEqual,

    [FhirCode(">")]
    GreaterThan,
}

/// <summary>http://hl7.org/fhir/ValueSet/composition-status (required) — Composition.status.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/composition-status")]
public enum CompositionStatus
{
    [FhirCode("preliminary")]
    Preliminary,

    [FhirCode("final")]
    Final,

    [FhirCode("amended")]
    Amended,

    [FhirCode("entered-in-error")]
    EnteredInError,
}

/// <summary>http://hl7.org/fhir/ValueSet/composition-attestation-mode (required) — Composition.attester.mode.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/composition-attestation-mode")]
public enum CompositionAttestationMode
{
    [FhirCode("personal")]
    Personal,

    [FhirCode("professional")]
    Professional,

    [FhirCode("legal")]
    Legal,

    [FhirCode("official")]
    Official,
}

/// <summary>http://hl7.org/fhir/ValueSet/list-mode (required) — Composition.section.mode.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/list-mode")]
public enum ListMode
{
    [FhirCode("working")]
    Working,

    [FhirCode("snapshot")]
    Snapshot,

    [FhirCode("changes")]
    Changes,
}

/// <summary>http://terminology.hl7.org/ValueSet/v3-ConfidentialityClassification (required) — Composition.confidentiality.</summary>
[FhirValueSet("http://terminology.hl7.org/ValueSet/v3-ConfidentialityClassification")]
public enum ConfidentialityClassification
{
    [FhirCode("U")]
    Unrestricted,

    [FhirCode("L")]
    Low,

    [FhirCode("M")]
    Moderate,

    [FhirCode("N")]
    Normal,

    [FhirCode("R")]
    Restricted,

    [FhirCode("V")]
    VeryRestricted,
}

/// <summary>http://hl7.org/fhir/ValueSet/response-code (required) — MessageHeader.response.code.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/response-code")]
public enum ResponseType
{
    [FhirCode("ok")]
    Ok,

    [FhirCode("transient-error")]
    TransientError,

    [FhirCode("fatal-error")]
    FatalError,
}

/// <summary>http://hl7.org/fhir/ValueSet/publication-status (required) — CapabilityStatement.status.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/publication-status")]
public enum PublicationStatus
{
    [FhirCode("draft")]
    Draft,

    [FhirCode("active")]
    Active,

    [FhirCode("retired")]
    Retired,

    [FhirCode("unknown")]
    Unknown,
}

/// <summary>http://hl7.org/fhir/ValueSet/capability-statement-kind (required) — CapabilityStatement.kind.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/capability-statement-kind")]
public enum CapabilityStatementKind
{
    [FhirCode("instance")]
    Instance,

    [FhirCode("capability")]
    Capability,

    [FhirCode("requirements")]
    Requirements,
}

/// <summary>http://hl7.org/fhir/ValueSet/FHIR-version (required) — CapabilityStatement.fhirVersion (R4 releases only).</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/FHIR-version")]
public enum FhirVersion
{
    [FhirCode("4.0.0")]
    R4_0_0,

    [FhirCode("4.0.1")]
    R4_0_1,
}

/// <summary>http://hl7.org/fhir/ValueSet/restful-capability-mode (required) — CapabilityStatement.rest.mode.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/restful-capability-mode")]
public enum RestfulCapabilityMode
{
    [FhirCode("client")]
    Client,

    [FhirCode("server")]
    Server,
}

/// <summary>http://hl7.org/fhir/ValueSet/type-restful-interaction (required) — CapabilityStatement.rest.resource.interaction.code.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/type-restful-interaction")]
public enum TypeRestfulInteraction
{
    [FhirCode("read")]
    Read,

    [FhirCode("vread")]
    Vread,

    [FhirCode("update")]
    Update,

    [FhirCode("patch")]
    Patch,

    [FhirCode("delete")]
    Delete,

    [FhirCode("history-instance")]
    HistoryInstance,

    [FhirCode("history-type")]
    HistoryType,

    [FhirCode("create")]
    Create,

    [FhirCode("search-type")]
    SearchType,
}

/// <summary>http://hl7.org/fhir/ValueSet/system-restful-interaction (required) — CapabilityStatement.rest.interaction.code.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/system-restful-interaction")]
public enum SystemRestfulInteraction
{
    [FhirCode("transaction")]
    Transaction,

    [FhirCode("batch")]
    Batch,

    [FhirCode("search-system")]
    SearchSystem,

    [FhirCode("history-system")]
    HistorySystem,
}

/// <summary>http://hl7.org/fhir/ValueSet/search-param-type (required) — CapabilityStatement.rest.resource.searchParam.type.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/search-param-type")]
public enum SearchParamType
{
    [FhirCode("number")]
    Number,

    [FhirCode("date")]
    Date,

    [FhirCode("string")]
    String,

    [FhirCode("token")]
    Token,

    [FhirCode("reference")]
    Reference,

    [FhirCode("composite")]
    Composite,

    [FhirCode("quantity")]
    Quantity,

    [FhirCode("uri")]
    Uri,

    [FhirCode("special")]
    Special,
}

/// <summary>http://hl7.org/fhir/ValueSet/versioning-policy (required) — CapabilityStatement.rest.resource.versioning.</summary>
[FhirValueSet("http://hl7.org/fhir/ValueSet/versioning-policy")]
public enum ResourceVersionPolicy
{
    [FhirCode("no-version")]
    NoVersion,

    [FhirCode("versioned")]
    Versioned,

    [FhirCode("versioned-update")]
    VersionedUpdate,
}
