using Referrals.Fhir.Model;
using Referrals.Fhir.Terminology;

namespace Referrals.Fhir.Tests;

/// <summary>One realistic instance of every resource type the model supports, built with the model (fixed values: deterministic).</summary>
internal static class Examples
{
    public const string NhsNumber = "9912003888"; // valid Modulus 11 (standards.md §3.5)
    public const string PracticeOds = "A12345";
    public static readonly Guid PatientId = Guid.Parse("6f1d2c0e-3a4b-4c5d-8e9f-0a1b2c3d4e5f");
    public static readonly Guid OrganizationId = Guid.Parse("0b2c9f2e-4e77-4c1f-9d2b-9f3f3a0f8c11");
    public static readonly Guid ConsentId = Guid.Parse("5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d");
    public static readonly Guid ServiceRequestId = Guid.Parse("9c8b7a6f-5e4d-4c3b-9a2f-1e0d9c8b7a6f");
    private static readonly DateTimeOffset s_at = new(2025, 3, 4, 9, 30, 0, TimeSpan.Zero);

    public static IEnumerable<object[]> All() => ByName().Select(kv => new object[] { kv.Key });

    public static Resource Get(string name) => ByName()[name]();

    public static Dictionary<string, Func<Resource>> ByName() => new(StringComparer.Ordinal)
    {
        ["Patient"] = Patient,
        ["Organization"] = Organization,
        ["Practitioner"] = Practitioner,
        ["PractitionerRole"] = PractitionerRole,
        ["ServiceRequest"] = ServiceRequest,
        ["Task"] = Task,
        ["Consent"] = Consent,
        ["Encounter"] = Encounter,
        ["Procedure"] = Procedure,
        ["Observation.SWEMWBS"] = SwemwbsObservation,
        ["Observation.WEMWBS"] = WemwbsObservation,
        ["Goal"] = Goal,
        ["CarePlan"] = CarePlan,
        ["Condition"] = Condition,
        ["OperationOutcome"] = OperationOutcome,
        ["CapabilityStatement"] = CapabilityStatement,
        ["Composition"] = Composition,
        ["MessageHeader"] = MessageHeader,
        ["Bundle.transaction"] = TransactionBundle,
        ["Bundle.transaction-response"] = TransactionResponseBundle,
        ["Bundle.searchset"] = SearchsetBundle,
        ["Bundle.document"] = DocumentBundle,
        ["Bundle.message"] = MessageBundle,
    };

    public static ResourceReference PatientRef => ResourceReference.To("Patient/" + PatientId, "Sam Example");

    public static Patient Patient() => new()
    {
        Id = PatientId.ToString(),
        Meta = new Meta { VersionId = "1", LastUpdated = s_at, Security = [new Coding { System = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", Code = "N" }] },
        Identifier = [Identifier.NhsNumber(NhsNumber)],
        Active = true,
        Name = [new HumanName { Use = NameUse.Official, Family = "Example", Given = ["Sam", "Alex"], Prefix = ["Mx"] }],
        Telecom =
        [
            new ContactPoint { System = ContactPointSystem.Phone, Value = "+44 7700 900123", Use = ContactPointUse.Mobile, Rank = 1 },
            new ContactPoint { System = ContactPointSystem.Email, Value = "sam@example.org", Use = ContactPointUse.Home },
        ],
        Gender = AdministrativeGender.Other,
        BirthDate = new DateOnly(1970, 1, 31),
        DeceasedBoolean = false,
        Address = [new Address { Use = AddressUse.Home, Type = AddressType.Both, Line = ["1 Café Row"], City = "Leeds", PostalCode = "LS1 4AP", Country = "GB" }],
        GeneralPractitioner = [ResourceReference.ToIdentifier("Organization", Identifier.OdsOrganizationCode(PracticeOds), "Example Surgery")],
    };

    public static Organization Organization() => new()
    {
        Id = OrganizationId.ToString(),
        Identifier = [Identifier.OdsOrganizationCode(PracticeOds)],
        Active = true,
        Name = "Example Surgery",
        Alias = ["Example GP"],
        Telecom = [new ContactPoint { System = ContactPointSystem.Phone, Value = "0113 496 0000", Use = ContactPointUse.Work }],
        Address = [new Address { Line = ["2 High Street"], City = "Leeds", PostalCode = "LS2 7AA" }],
    };

    public static Practitioner Practitioner() => new()
    {
        Id = "link-worker-1",
        Identifier = [new Identifier { System = "https://referrals.example.org/Id/staff", Value = "LW001" }],
        Active = true,
        Name = [new HumanName { Family = "Worker", Given = ["Lee"] }],
        Gender = AdministrativeGender.Female,
    };

    public static PractitionerRole PractitionerRole() => new()
    {
        Id = "link-worker-1-role",
        Active = true,
        Period = new Period { Start = FhirDateTime.FromDate(new DateOnly(2024, 4, 1)) },
        Practitioner = ResourceReference.To("Practitioner/link-worker-1"),
        Organization = ResourceReference.To("Organization/" + OrganizationId),
        Code = [new CodeableConcept { Text = "Social prescribing link worker" }],
    };

    public static ServiceRequest ServiceRequest() => new()
    {
        Id = ServiceRequestId.ToString(),
        Identifier = [new Identifier { System = "https://referrals.example.org/Id/referral", Value = "REF-2025-0001" }],
        Status = RequestStatus.Active,
        Intent = RequestIntent.Order,
        Priority = RequestPriority.Routine,
        Category = [new CodeableConcept { Text = "Social prescribing" }],
        Code = SocialPrescribingCodes.ReferralToSocialPrescribingService.ToCodeableConcept(),
        Subject = PatientRef,
        OccurrencePeriod = new Period { Start = FhirDateTime.FromDate(new DateOnly(2025, 3, 10)) },
        AuthoredOn = s_at,
        Requester = ResourceReference.To("Organization/" + OrganizationId, "Example Surgery"),
        ReasonCode = [new CodeableConcept { Text = "Loneliness and low mood" }],
        SupportingInfo = [ResourceReference.To("Consent/" + ConsentId)],
        Note = [new Annotation { AuthorString = "Dr Example", Time = s_at, Text = "Prefers **phone** contact after 5pm." }],
        PatientInstruction = "A link worker will call you within two weeks.",
        Extension = [new Extension { Url = "https://referrals.example.org/StructureDefinition/referral-source", ValueCode = "gp" }],
    };

    public static FhirTask Task() => new()
    {
        Id = "task-1",
        Status = FhirTaskStatus.InProgress,
        BusinessStatus = new CodeableConcept { Text = "First contact made" },
        Intent = TaskIntent.Order,
        Priority = RequestPriority.Routine,
        Code = CodeableConcept.From(FhirSystems.TaskCode, "fulfill", "Fulfill the focal request"),
        Focus = ResourceReference.To("ServiceRequest/" + ServiceRequestId),
        For = PatientRef,
        ExecutionPeriod = new Period { Start = s_at },
        AuthoredOn = s_at,
        LastModified = s_at.AddDays(2).AddMilliseconds(250),
        Requester = ResourceReference.To("Organization/" + OrganizationId),
        Owner = ResourceReference.To("PractitionerRole/link-worker-1-role"),
        Input = [new TaskParameter { Type = new CodeableConcept { Text = "Preferred contact time" }, ValueString = "After 5pm" }],
        Output = [new TaskParameter { Type = new CodeableConcept { Text = "Resulting activity" }, ValueReference = ResourceReference.To("Procedure/first-contact") }],
    };

    public static Consent Consent() => new()
    {
        Id = ConsentId.ToString(),
        Status = ConsentState.Active,
        Scope = CodeableConcept.From(FhirSystems.ConsentScope, "patient-privacy", "Privacy Consent"),
        Category = [CodeableConcept.From(FhirSystems.V3ActCode, "IDSCL", "information disclosure")],
        Patient = PatientRef,
        DateTime = s_at,
        Organization = [ResourceReference.To("Organization/" + OrganizationId)],
        SourceReference = ResourceReference.To("DocumentReference/consent-form-1"),
        Policy = [new ConsentPolicy { Uri = "https://referrals.example.org/policy/sharing" }],
        Verification = [new ConsentVerification { Verified = true, VerificationDate = s_at }],
        Provision = new ConsentProvision
        {
            Type = ConsentProvisionType.Permit,
            Period = new Period { Start = s_at, End = FhirDateTime.Parse("2026-03-04") },
            Actor = [new ConsentActor { Role = CodeableConcept.From("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP"), Reference = ResourceReference.To("Organization/" + OrganizationId) }],
            Data = [new ConsentData { Meaning = ConsentDataMeaning.Related, Reference = ResourceReference.To("ServiceRequest/" + ServiceRequestId) }],
        },
    };

    public static Encounter Encounter() => new()
    {
        Id = "encounter-1",
        Status = EncounterStatus.Finished,
        Class = new Coding { System = FhirSystems.V3ActCode, Code = "VR", Display = "virtual" },
        Subject = PatientRef,
        BasedOn = [ResourceReference.To("ServiceRequest/" + ServiceRequestId)],
        Participant = [new EncounterParticipant { Individual = ResourceReference.To("PractitionerRole/link-worker-1-role") }],
        Period = new Period { Start = s_at, End = s_at.AddMinutes(45) },
    };

    public static Procedure Procedure() => new()
    {
        Id = "first-contact",
        BasedOn = [ResourceReference.To("ServiceRequest/" + ServiceRequestId)],
        Status = EventStatus.Completed,
        Code = SocialPrescribingCodes.SeenBySocialPrescribingLinkWorker.ToCodeableConcept(),
        Subject = PatientRef,
        Encounter = ResourceReference.To("Encounter/encounter-1"),
        PerformedDateTime = s_at,
        Performer = [new ProcedurePerformer { Actor = ResourceReference.To("PractitionerRole/link-worker-1-role") }],
    };

    /// <summary>SWEMWBS: raw 16 → metric 16.36 (standards.md §2.2); reference range 7.00–35.00.</summary>
    public static Observation SwemwbsObservation() => new()
    {
        Id = "swemwbs-1",
        Status = ObservationStatus.Final,
        Category = [CodeableConcept.From(FhirSystems.ObservationCategory, "survey", "Survey")],
        Code = OutcomeMeasureCodes.SwemwbsScore.ToCodeableConcept(),
        Subject = PatientRef,
        EffectiveDateTime = s_at,
        Issued = FhirInstant.Parse("2025-03-04T09:45:00+00:00"),
        ValueQuantity = new Quantity { Value = 16.36m, Unit = "score", System = FhirSystems.Ucum, Code = "{score}" },
        ReferenceRange = [new ObservationReferenceRange { Low = new Quantity { Value = 7.00m }, High = new Quantity { Value = 35.00m } }],
        Component = [new ObservationComponent { Code = new CodeableConcept { Text = "SWEMWBS raw total" }, ValueInteger = 16 }],
        Note = [new Annotation { Text = "© NHS Health Scotland, University of Warwick and University of Edinburgh" }],
    };

    public static Observation WemwbsObservation() => new()
    {
        Id = "wemwbs-1",
        Status = ObservationStatus.Final,
        Code = OutcomeMeasureCodes.WemwbsScore.ToCodeableConcept(),
        Subject = PatientRef,
        EffectivePeriod = new Period { Start = FhirDateTime.Parse("2025-02"), End = FhirDateTime.Parse("2025-03-04") },
        ValueInteger = 52,
    };

    public static Goal Goal() => new()
    {
        Id = "goal-1",
        LifecycleStatus = GoalLifecycleStatus.Active,
        AchievementStatus = CodeableConcept.From("http://terminology.hl7.org/CodeSystem/goal-achievement", "in-progress", "In Progress"),
        Description = new CodeableConcept { Text = "Join a walking group" },
        Subject = PatientRef,
        StartDate = FhirDate.FromYearMonth(2025, 3),
        Target = [new GoalTarget { Measure = OutcomeMeasureCodes.SwemwbsScore.ToCodeableConcept(), DetailQuantity = new Quantity { Value = 19.25m }, DueDate = FhirDate.FromYear(2025) }],
        StatusDate = FhirDate.Parse("2025-03-04"),
        ExpressedBy = PatientRef,
    };

    public static CarePlan CarePlan() => new()
    {
        Id = "support-plan-1",
        BasedOn = [ResourceReference.To("ServiceRequest/" + ServiceRequestId)],
        Status = RequestStatus.Active,
        Intent = CarePlanIntent.Plan,
        Title = "Support plan",
        Subject = PatientRef,
        Period = new Period { Start = s_at },
        Created = s_at,
        Author = ResourceReference.To("PractitionerRole/link-worker-1-role"),
        Goal = [ResourceReference.To("Goal/goal-1")],
        Activity =
        [
            new CarePlanActivity
            {
                Detail = new CarePlanActivityDetail
                {
                    Kind = CarePlanActivityKind.ServiceRequest,
                    Status = CarePlanActivityStatus.Scheduled,
                    ScheduledString = "Tuesdays 10am",
                    Description = "Walking group at the community centre",
                },
            },
        ],
    };

    public static Condition Condition() => new()
    {
        Id = "need-1",
        ClinicalStatus = ConditionClinicalStatus.Active,
        VerificationStatus = ConditionVerificationStatus.Confirmed,
        Category = [new CodeableConcept { Text = "Social need" }],
        Code = new CodeableConcept { Text = "Social isolation" },
        Subject = PatientRef,
        OnsetString = "Since moving house last year",
        RecordedDate = s_at,
    };

    public static OperationOutcome OperationOutcome() =>
        OperationOutcomes.Invalid("ServiceRequest.subject is required.", "ServiceRequest.subject");

    public static CapabilityStatement CapabilityStatement() => new()
    {
        Url = "https://referrals.example.org/fhir/metadata",
        Name = "ReferralsIntake",
        Status = PublicationStatus.Active,
        Date = FhirDateTime.FromDate(new DateOnly(2025, 3, 1)),
        Kind = CapabilityStatementKind.Instance,
        Software = new CapabilityStatementSoftware { Name = "Referrals intake", Version = "1.0.0" },
        Implementation = new CapabilityStatementImplementation { Description = "Social prescribing referral intake", Url = "https://referrals.example.org/fhir" },
        FhirVersion = FhirVersion.R4_0_1,
        Format = ["application/fhir+json", "json"],
        Rest =
        [
            new CapabilityStatementRest
            {
                Mode = RestfulCapabilityMode.Server,
                Resource =
                [
                    new CapabilityStatementResource
                    {
                        Type = "ServiceRequest",
                        Interaction = [new CapabilityStatementResourceInteraction { Code = TypeRestfulInteraction.Create }, new CapabilityStatementResourceInteraction { Code = TypeRestfulInteraction.Read }],
                        Versioning = ResourceVersionPolicy.Versioned,
                        ConditionalCreate = true,
                        SearchParam = [new CapabilityStatementSearchParam { Name = "patient", Type = SearchParamType.Reference }],
                    },
                ],
                Interaction = [new CapabilityStatementSystemInteraction { Code = SystemRestfulInteraction.Transaction }],
            },
        ],
    };

    public static Composition Composition() => new()
    {
        Id = "closing-summary",
        Status = CompositionStatus.Final,
        Type = new CodeableConcept { Text = "Social prescribing closing summary" }, // no national SNOMED document type (standards.md §3.3)
        Subject = PatientRef,
        Date = s_at,
        Author = [ResourceReference.To("PractitionerRole/link-worker-1-role")],
        Title = "Social prescribing: summary for the GP",
        Confidentiality = ConfidentialityClassification.Normal,
        Attester = [new CompositionAttester { Mode = CompositionAttestationMode.Professional, Time = s_at }],
        Custodian = ResourceReference.To("Organization/" + OrganizationId),
        Section =
        [
            new CompositionSection
            {
                Title = "Outcomes",
                Text = new Narrative { Status = NarrativeStatus.Generated, Div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>SWEMWBS 16.36 &amp; rising</p></div>" },
                Mode = ListMode.Snapshot,
                Entry = [ResourceReference.To("Observation/swemwbs-1")],
            },
        ],
    };

    public static MessageHeader MessageHeader() => new()
    {
        Id = "message-1",
        EventCoding = new Coding { System = "https://referrals.example.org/CodeSystem/message-event", Code = "closing-summary" },
        Destination = [new MessageHeaderDestination { Name = "Example Surgery", Endpoint = "https://gp.example.org/fhir" }],
        Source = new MessageHeaderSource { Name = "Referrals", Software = "Referrals.GpRecords", Version = "1.0.0", Endpoint = "https://referrals.example.org/fhir" },
        Focus = [ResourceReference.To("urn:uuid:2f3e4d5c-6b7a-4988-8776-655443322110")],
    };

    /// <summary>Intake transaction: ServiceRequest + Patient + Organization + Consent, conditional creates with ifNoneExist.</summary>
    public static Bundle TransactionBundle()
    {
        var patient = Patient();
        patient.Id = null;
        patient.Meta = null;
        var organization = Organization();
        organization.Id = null;
        var consent = Consent();
        consent.Id = null;
        consent.Patient = ResourceReference.ToUuid(PatientId);
        var referral = ServiceRequest();
        referral.Id = null;
        referral.Subject = ResourceReference.ToUuid(PatientId);
        referral.Requester = ResourceReference.ToUuid(OrganizationId);
        referral.SupportingInfo = [ResourceReference.ToUuid(ConsentId)];
        return new Bundle
        {
            Type = BundleType.Transaction,
            Timestamp = FhirInstant.Parse("2025-03-04T09:30:00.123+01:00"),
            Entry =
            [
                new BundleEntry
                {
                    FullUrl = FhirSystems.UrnUuid(PatientId),
                    Resource = patient,
                    Request = new BundleEntryRequest { Method = HttpVerb.Post, Url = "Patient", IfNoneExist = $"identifier={FhirSystems.NhsNumber}|{NhsNumber}" },
                },
                new BundleEntry
                {
                    FullUrl = FhirSystems.UrnUuid(OrganizationId),
                    Resource = organization,
                    Request = new BundleEntryRequest { Method = HttpVerb.Post, Url = "Organization", IfNoneExist = $"identifier={FhirSystems.OdsOrganizationCode}|{PracticeOds}" },
                },
                new BundleEntry
                {
                    FullUrl = FhirSystems.UrnUuid(ConsentId),
                    Resource = consent,
                    Request = new BundleEntryRequest { Method = HttpVerb.Post, Url = "Consent" },
                },
                new BundleEntry
                {
                    FullUrl = FhirSystems.UrnUuid(ServiceRequestId),
                    Resource = referral,
                    Request = new BundleEntryRequest { Method = HttpVerb.Post, Url = "ServiceRequest", IfNoneExist = "identifier=https://referrals.example.org/Id/referral|REF-2025-0001" },
                },
                new BundleEntry
                {
                    Request = new BundleEntryRequest { Method = HttpVerb.Put, Url = "Task/task-1", IfMatch = "W/\"3\"" },
                    Resource = Task(),
                },
                new BundleEntry
                {
                    Request = new BundleEntryRequest { Method = HttpVerb.Get, Url = "Patient/" + PatientId, IfNoneMatch = "W/\"1\"", IfModifiedSince = FhirInstant.Parse("2025-03-01T00:00:00Z") },
                },
            ],
        };
    }

    public static Bundle TransactionResponseBundle() => new()
    {
        Type = BundleType.TransactionResponse,
        Entry =
        [
            new BundleEntry
            {
                Response = new BundleEntryResponse
                {
                    Status = "201 Created",
                    Location = "ServiceRequest/" + ServiceRequestId + "/_history/1",
                    Etag = "W/\"1\"",
                    LastModified = s_at,
                    Outcome = OperationOutcomes.Information("Created"),
                },
            },
            new BundleEntry { Response = new BundleEntryResponse { Status = "200 OK", Location = "Patient/" + PatientId + "/_history/4" } },
        ],
    };

    public static Bundle SearchsetBundle() => new()
    {
        Id = "search-1",
        Type = BundleType.Searchset,
        Total = 1,
        Link = [new BundleLink { Relation = "self", Url = "https://referrals.example.org/fhir/ServiceRequest?patient=" + PatientId }],
        Entry =
        [
            new BundleEntry
            {
                FullUrl = "https://referrals.example.org/fhir/ServiceRequest/" + ServiceRequestId,
                Resource = ServiceRequest(),
                Search = new BundleEntrySearch { Mode = SearchEntryMode.Match, Score = 1.00m },
            },
        ],
    };

    /// <summary>Closing summary document: Composition first, then what it references; contained resources too.</summary>
    public static Bundle DocumentBundle()
    {
        var observation = SwemwbsObservation();
        observation.Contained = [new Practitioner { Id = "assessor", Name = [new HumanName { Text = "Lee Worker" }] }];
        observation.Performer = [ResourceReference.To("#assessor")];
        return new Bundle
        {
            Id = "2f3e4d5c-6b7a-4988-8776-655443322110",
            Identifier = new Identifier { System = "urn:ietf:rfc:3986", Value = "urn:uuid:2f3e4d5c-6b7a-4988-8776-655443322110" },
            Type = BundleType.Document,
            Timestamp = s_at,
            Entry =
            [
                new BundleEntry { FullUrl = "https://referrals.example.org/fhir/Composition/closing-summary", Resource = Composition() },
                new BundleEntry { FullUrl = "https://referrals.example.org/fhir/Patient/" + PatientId, Resource = Patient() },
                new BundleEntry { FullUrl = "https://referrals.example.org/fhir/Observation/swemwbs-1", Resource = observation },
                new BundleEntry { FullUrl = "https://referrals.example.org/fhir/Procedure/closed", Resource = ClosedProcedure() },
            ],
        };
    }

    public static Bundle MessageBundle() => new()
    {
        Id = "message-bundle-1",
        Type = BundleType.Message,
        Timestamp = s_at,
        Entry =
        [
            new BundleEntry { FullUrl = "urn:uuid:7d6c5b4a-3928-4716-a5b4-c3d2e1f0a9b8", Resource = MessageHeader() },
            new BundleEntry { FullUrl = "urn:uuid:2f3e4d5c-6b7a-4988-8776-655443322110", Resource = DocumentBundle() },
        ],
    };

    private static Procedure ClosedProcedure() => new()
    {
        Id = "closed",
        Status = EventStatus.Completed,
        Code = SocialPrescribingCodes.SocialPrescribingCaseClosed.ToCodeableConcept(),
        Subject = PatientRef,
        PerformedPeriod = new Period { Start = s_at, End = FhirDateTime.Parse("2025-06-30T16:00:00+01:00") },
    };
}
