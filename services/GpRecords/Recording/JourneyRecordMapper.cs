using System.Globalization;
using System.Net;
using System.Text;
using Referrals.Contracts;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;
using Referrals.Fhir;
using Referrals.Fhir.Model;
using Referrals.Fhir.Terminology;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Patients;
using Referrals.SharedKernel;

namespace Referrals.GpRecords.Recording;

/// <summary>
/// One FHIR resource of a journey in both sharing scopes: <see cref="Full"/> (coded entries with their narrative and free
/// text) and <see cref="Coded"/> (coded entries only; null when nothing of the resource is coded, e.g. a goal in the
/// person's own words).
/// </summary>
public sealed record MappedResource(Resource Full, Resource? Coded, DateTimeOffset? ClinicalDate, string? MessageKind = null)
{
    public string Key => Full.ResourceType + "/" + Full.Id;
}

/// <summary>
/// Pure mapping of a journey's facts to FHIR R4 (standards §3, after the Gravity referral workflow): ServiceRequest and
/// Task per referral (episode), Procedure 871731000000106 once per episode on agreement, Observation 871711000000103 on
/// decline, Encounters for contacts, outcome Observations, Goals and a CarePlan, Consent, restricted safeguarding entries,
/// restricted escalation notices to the practice and the messages back (documents). Nothing is derived from a worker's assignment decisions. The same facts always give
/// the same resources, byte for byte: ids are deterministic and every date comes from a fact.
/// </summary>
public sealed class JourneyRecordMapper(SnomedCodeSet codes, FhirOptions options)
{
    public const string AgreementMessage = "agreement";
    public const string DeclineMessage = "decline";
    public const string ClosureMessage = "closure";

    /// <summary>
    /// The Task's statusReason for a referral triage found not eligible: fixed words, the same in both scopes, never triage's
    /// reasons (they may quote the person's postcode district) nor a team lead's typed reason for an override.
    /// </summary>
    public const string NotEligibleReason =
        "Not eligible: triage found the referral out of scope for the social prescribing programme, so it will not go ahead. The referrer has the reasons.";

    private sealed record Episode(JourneyRegistered Registration, DateTimeOffset From, DateTimeOffset? Until)
    {
        public bool Contains(DateTimeOffset? at) => at is { } t && t >= From && (Until is null || t < Until);
    }

    /// <summary>The Patient resource: NHS number (UK Core identifier), name, birth date and registered practice.</summary>
    public static Patient Patient(Guid personId, PersonDetails? details, string practiceOds)
    {
        var patient = new Patient
        {
            Id = ResourceIds.Patient(personId),
            GeneralPractitioner = [Practice(practiceOds)],
        };
        if (NhsNumberOf(details) is { } nhs)
        {
            patient.Identifier = [Identifier.NhsNumber(nhs)];
        }

        if (details is not null)
        {
            patient.Name = [new HumanName { Use = NameUse.Official, Family = details.FamilyName, Given = [details.GivenName] }];
            patient.BirthDate = FhirDate.FromDate(details.DateOfBirth);
        }

        return patient;
    }

    public static string? NhsNumberOf(PersonDetails? details) =>
        details?.NhsNumber is { } raw && SharedKernel.NhsNumber.TryCreate(raw, out var number, out _) ? number.Value.Value : null;

    public IReadOnlyList<MappedResource> Map(GpJourney journey, PatientRecord patient)
    {
        var registrations = journey.All<JourneyRegistered>().OrderBy(r => r.RegisteredAt).ThenBy(r => r.ReferralId).ToList();
        if (registrations.Count == 0)
        {
            return [];
        }

        var episodes = registrations.Select((r, i) => new Episode(r, i == 0 ? DateTimeOffset.MinValue : r.RegisteredAt,
            i + 1 < registrations.Count ? registrations[i + 1].RegisteredAt : null)).ToList();
        var patientRef = PatientReference(patient);
        var result = new List<MappedResource>();
        foreach (var episode in episodes)
        {
            result.AddRange(MapEpisode(journey, episode, patientRef));
        }

        result.Add(ConsentResource(journey, patientRef, patient.RegisteredPracticeOds));
        result.AddRange(Encounters(journey, patientRef, episodes));
        result.AddRange(Outcomes(journey, patientRef, episodes));
        var goals = Goals(journey, patientRef);
        result.AddRange(goals);
        if (CarePlanResource(journey, patientRef, goals, episodes) is { } carePlan)
        {
            result.Add(carePlan);
        }

        result.AddRange(Safeguarding(journey, patientRef));
        result.AddRange(EscalationNotices(journey, patientRef));
        result.AddRange(Messages(journey, patient, episodes, result));
        return result;
    }

    // ------------------------------------------------------------------ referral, task, agreement, decline

    private IEnumerable<MappedResource> MapEpisode(GpJourney journey, Episode episode, ResourceReference patientRef)
    {
        var registration = episode.Registration;
        var journeyId = journey.Id;
        var referralId = registration.ReferralId;
        var serviceRequestId = ResourceIds.ServiceRequest(journeyId, referralId);
        var serviceRequestRef = ResourceReference.To("ServiceRequest/" + serviceRequestId);
        var opening = journey.All<JourneyOpened>().Where(o => o.ReferralId == referralId).OrderBy(o => o.OpenedAt).FirstOrDefault();
        var agreement = journey.All<PersonAgreedToSocialPrescribing>().Where(a => episode.Contains(a.AgreedAt)).OrderBy(a => a.AgreedAt).FirstOrDefault();
        var decline = journey.All<SocialPrescribingDeclined>().Where(d => episode.Contains(d.DeclinedAt)).OrderBy(d => d.DeclinedAt).FirstOrDefault();
        var closure = journey.All<JourneyClosed>().Where(c => episode.Contains(c.ClosedAt)).OrderBy(c => c.ClosedAt).FirstOrDefault();
        var pause = journey.All<IIntegrationEvent>()
            .Where(f => f is JourneyWentDormant or JourneyReactivated && episode.Contains(JourneyFacts.StatedAt(f)))
            .OrderBy(JourneyFacts.StatedAt).LastOrDefault() as JourneyWentDormant;
        var ended = closure is { Reason: ClosureReason.Declined or ClosureReason.Withdrawn } || decline is not null;
        var notDone = closure is not null && NotGoneAhead(closure, opening is not null);

        // Triage's latest word on the referral: a team lead's override after registration replaces the registration's. As in
        // support-plan, a referral no worker has taken on is not going ahead while it is not eligible (HAZ-005 C8).
        var retriage = journey.All<ReferralRetriaged>().Where(r => r.ReferralId == referralId).OrderBy(r => r.TriagedAt).LastOrDefault();
        var priority = retriage?.Priority ?? registration.Priority;
        var notEligible = !(retriage?.Eligible ?? registration.Eligible) && opening is null;

        ServiceRequest Request(bool full) => new()
        {
            Id = serviceRequestId,
            Identifier = [FhirVocabulary.IdentifierFor(serviceRequestId)],
            Status = ended || notDone || (notEligible && closure is null) ? RequestStatus.Revoked
                : closure is not null ? RequestStatus.Completed
                : RequestStatus.Active,
            Intent = RequestIntent.Order,
            Priority = priority switch
            {
                Priority.Urgent => RequestPriority.Asap,
                Priority.High => RequestPriority.Urgent,
                _ => RequestPriority.Routine,
            },
            Code = codes.RequireEmittable(SocialPrescribingCodes.ReferralToSocialPrescribingService).ToCodeableConcept(),
            Subject = patientRef,
            AuthoredOn = registration.RegisteredAt,
            Requester = Requester(registration.Referrer, patientRef),
            ReasonCode = full ? [.. registration.Needs.Select(n => new CodeableConcept { Text = NeedText(n) })] : [],
        };

        FhirTask Task(bool full)
        {
            // Every closure says why in fixed words, in both scopes (the reason is an enum, never the worker's text).
            (FhirTaskStatus Status, string? Reason) state = closure is not null
                ? (closure.Reason is ClosureReason.Declined or ClosureReason.Withdrawn || opening is null ? FhirTaskStatus.Cancelled
                    : notDone ? FhirTaskStatus.Failed
                    : FhirTaskStatus.Completed, ClosureStatusText(closure, opening is not null))
                : decline is not null ? (FhirTaskStatus.Cancelled, (string?)"The person declined social prescribing")
                : notEligible ? (FhirTaskStatus.Rejected, (string?)NotEligibleReason)
                : pause is not null ? (FhirTaskStatus.OnHold, (string?)(
                    "Dormant: no contact since " + UkTime.DateOf(pause.LastContactAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
                : agreement is not null ? (FhirTaskStatus.InProgress, null)
                : opening is not null ? (FhirTaskStatus.Accepted, null)
                : (FhirTaskStatus.Requested, null);
            var (status, reason) = state;
            var lastChange = new[] { (DateTimeOffset?)registration.RegisteredAt, retriage?.TriagedAt, opening?.OpenedAt, agreement?.AgreedAt,
                decline?.DeclinedAt, closure?.ClosedAt, pause?.DormantAt }.Max();
            var start = agreement?.AgreedAt ?? opening?.OpenedAt;
            var taskId = ResourceIds.Task(journeyId, referralId);
            return new FhirTask
            {
                Id = taskId,
                Identifier = [FhirVocabulary.IdentifierFor(taskId)],
                BasedOn = [serviceRequestRef],
                Status = status,
                StatusReason = reason is null ? null : new CodeableConcept { Text = reason },
                BusinessStatus = closure is not null && full ? new CodeableConcept { Text = "Closed: " + ClosureText(closure.Reason) } : null,
                Intent = TaskIntent.Order,
                Priority = Request(full).Priority,
                Code = FhirVocabulary.FulfillTask,
                Focus = serviceRequestRef,
                For = patientRef,
                ExecutionPeriod = start is null ? null : new Period { Start = start, End = closure?.ClosedAt },
                AuthoredOn = registration.RegisteredAt,
                LastModified = lastChange,
                Requester = Requester(registration.Referrer, patientRef),
                Output = agreement is null
                    ? []
                    : [new TaskParameter
                    {
                        Type = FhirVocabulary.ResultingActivity,
                        ValueReference = ResourceReference.To("Procedure/" + ResourceIds.AgreementProcedure(journeyId, referralId)),
                    }],
            };
        }

        yield return new MappedResource(Request(true), Request(false), registration.RegisteredAt);
        yield return new MappedResource(Task(true), Task(false), registration.RegisteredAt);

        if (agreement is not null)
        {
            var id = ResourceIds.AgreementProcedure(journeyId, referralId);
            Procedure Agreed() => new()
            {
                Id = id,
                Identifier = [FhirVocabulary.IdentifierFor(id)],
                BasedOn = [serviceRequestRef],
                Status = EventStatus.Completed,
                Code = codes.RequireEmittable(SocialPrescribingCodes.ReferralToSocialPrescribingService).ToCodeableConcept(),
                Subject = patientRef,
                PerformedDateTime = agreement.AgreedAt,
            };
            yield return new MappedResource(Agreed(), Agreed(), agreement.AgreedAt);
        }

        if (decline is not null)
        {
            var id = ResourceIds.DeclineObservation(journeyId, referralId);
            Observation Declined(bool full) => new()
            {
                Id = id,
                Identifier = [FhirVocabulary.IdentifierFor(id)],
                BasedOn = [serviceRequestRef],
                Status = ObservationStatus.Final,
                Code = codes.RequireEmittable(SocialPrescribingCodes.SocialPrescribingDeclined).ToCodeableConcept(),
                Subject = patientRef,
                EffectiveDateTime = decline.DeclinedAt,
                Note = full && !string.IsNullOrWhiteSpace(decline.Reason) ? [new Annotation { Text = decline.Reason }] : [],
            };
            yield return new MappedResource(Declined(true), Declined(false), decline.DeclinedAt);
        }
    }

    // ------------------------------------------------------------------ consent

    private MappedResource ConsentResource(GpJourney journey, ResourceReference patientRef, string practiceOds)
    {
        // The latest of the consent changes and the registrations by time - a re-referral brings the consent given with
        // it - as the sender's scope (SharingScopeChanged at each). A change at the same instant as a registration wins.
        var latest = journey.All<ConsentScopeChanged>().OrderBy(c => c.ChangedAt).LastOrDefault();
        var registration = journey.All<JourneyRegistered>().OrderBy(r => r.RegisteredAt).Last();
        var (scope, at) = latest is not null && latest.ChangedAt >= registration.RegisteredAt
            ? (latest.Withdrawn ? ConsentScope.None : latest.Scope, latest.ChangedAt)
            : (registration.SharingScope, registration.RegisteredAt);
        var id = ResourceIds.Consent(journey.Id);
        Consent Build(bool full) => new()
        {
            Id = id,
            Identifier = [FhirVocabulary.IdentifierFor(id)],
            Status = scope == ConsentScope.None ? ConsentState.Inactive : ConsentState.Active,
            Scope = FhirVocabulary.PrivacyConsent,
            Category = [FhirVocabulary.InformationDisclosure],
            Patient = patientRef,
            DateTime = at,
            PolicyRule = new CodeableConcept
            {
                Text = scope switch
                {
                    ConsentScope.Full => "Share the social prescribing record with the registered GP practice: coded entries with narrative",
                    ConsentScope.CodedOnly => "Share with the registered GP practice: coded entries only, no narrative or free text",
                    _ => "Nothing is shared with the GP practice",
                },
            },
            Provision = new ConsentProvision
            {
                Type = scope == ConsentScope.None ? ConsentProvisionType.Deny : ConsentProvisionType.Permit,
                Actor = [new ConsentActor { Role = FhirVocabulary.InformationRecipient, Reference = Practice(practiceOds) }],
            },
        };
        return new MappedResource(Build(true), Build(false), at);
    }

    // ------------------------------------------------------------------ contacts

    private static IEnumerable<MappedResource> Encounters(GpJourney journey, ResourceReference patientRef, IReadOnlyList<Episode> episodes)
    {
        foreach (var contact in journey.All<ContactRecorded>().OrderBy(c => c.OccurredAt).ThenBy(c => c.ContactId))
        {
            // An unanswered attempt or work done without the person is not an encounter with them.
            if (contact.Outcome == ContactOutcome.UnableToContact || contact.Kind == ContactKind.IndirectWork)
            {
                continue;
            }

            var id = ResourceIds.Encounter(journey.Id, contact.ContactId);
            var episode = EpisodeAt(episodes, contact.OccurredAt);
            Encounter Build() => new()
            {
                Id = id,
                Identifier = [FhirVocabulary.IdentifierFor(id)],
                Status = contact.Outcome == ContactOutcome.Attended ? EncounterStatus.Finished : EncounterStatus.Cancelled,
                Class = contact.Kind switch
                {
                    ContactKind.Phone or ContactKind.Video => FhirVocabulary.Virtual,
                    ContactKind.HomeVisit => FhirVocabulary.HomeHealth,
                    _ => FhirVocabulary.Ambulatory,
                },
                Type = [new CodeableConcept { Text = ContactText(contact.Kind) }],
                ServiceType = new CodeableConcept { Text = "Social prescribing" },
                Subject = patientRef,
                BasedOn = [ResourceReference.To("ServiceRequest/" + ResourceIds.ServiceRequest(journey.Id, episode.Registration.ReferralId))],
                Period = new Period
                {
                    Start = contact.OccurredAt,
                    End = contact.Outcome == ContactOutcome.Attended ? contact.OccurredAt.AddMinutes(Math.Max(0, contact.DurationMinutes)) : null,
                },
            };
            yield return new MappedResource(Build(), Build(), contact.OccurredAt);
        }
    }

    // ------------------------------------------------------------------ outcome measures

    private IEnumerable<MappedResource> Outcomes(GpJourney journey, ResourceReference patientRef, IReadOnlyList<Episode> episodes)
    {
        foreach (var measure in journey.All<OutcomeMeasured>().OrderBy(m => m.MeasuredAt).ThenBy(m => m.MeasurementId))
        {
            var basedOn = ResourceReference.To("ServiceRequest/" + ResourceIds.ServiceRequest(journey.Id, EpisodeOf(journey, episodes, measure).Registration.ReferralId));
            Observation Base(string id, CodeableConcept code) => new()
            {
                Id = id,
                Identifier = [FhirVocabulary.IdentifierFor(id)],
                BasedOn = [basedOn],
                Status = ObservationStatus.Final,
                Category = [FhirVocabulary.SurveyCategory],
                Code = code,
                Subject = patientRef,
                EffectiveDateTime = measure.MeasuredAt,
            };

            switch (measure.Instrument)
            {
                case Instrument.Swemwbs when measure.Score is { } metric:
                {
                    // The value is the Rasch metric score (decimal); the raw 7-35 total is kept as a component.
                    Observation Build()
                    {
                        var o = Base(ResourceIds.Outcome(journey.Id, measure.MeasurementId), codes.RequireEmittable(OutcomeMeasureCodes.SwemwbsScore).ToCodeableConcept());
                        o.ValueQuantity = FhirVocabulary.Score(metric);
                        if (measure.RawScore is { } raw)
                        {
                            o.Component = [new ObservationComponent { Code = new CodeableConcept { Text = "SWEMWBS raw score (sum of the 7 items, 7-35)" }, ValueInteger = raw }];
                        }

                        return o;
                    }

                    yield return new MappedResource(Build(), Build(), measure.MeasuredAt);
                    break;
                }

                case Instrument.Wemwbs when (measure.Score ?? measure.RawScore) is { } total:
                {
                    Observation Build()
                    {
                        var o = Base(ResourceIds.Outcome(journey.Id, measure.MeasurementId), codes.RequireEmittable(OutcomeMeasureCodes.WemwbsScore).ToCodeableConcept());
                        o.ValueQuantity = FhirVocabulary.Score(decimal.Truncate(total));
                        return o;
                    }

                    yield return new MappedResource(Build(), Build(), measure.MeasuredAt);
                    break;
                }

                case Instrument.Pam when measure.PamLevel is { } level && codes.IsEnabled(OutcomeMeasureCodes.PatientActivationMeasureLevel):
                {
                    Observation Build()
                    {
                        var o = Base(ResourceIds.Outcome(journey.Id, measure.MeasurementId),
                            codes.RequireEmittable(OutcomeMeasureCodes.PatientActivationMeasureLevel).ToCodeableConcept());
                        o.ValueInteger = level;
                        if (measure.Score is { } score)
                        {
                            o.Component = [new ObservationComponent { Code = new CodeableConcept { Text = "PAM score (licensed, 0-100)" }, ValueQuantity = FhirVocabulary.Score(score) }];
                        }

                        return o;
                    }

                    yield return new MappedResource(Build(), Build(), measure.MeasuredAt);
                    break;
                }

                case Instrument.Ons4 when measure.Ons4 is { } ons4:
                {
                    // No national code exists (standards §2.3): four Observations in a local code system, with the question as text.
                    var system = FhirVocabulary.Ons4System(options);
                    foreach (var (code, question, value) in Ons4Items(ons4))
                    {
                        Observation Build()
                        {
                            var o = Base(ResourceIds.Outcome(journey.Id, measure.MeasurementId, code), CodeableConcept.From(system, code, question, question));
                            o.ValueInteger = value;
                            return o;
                        }

                        yield return new MappedResource(Build(), Build(), measure.MeasuredAt);
                    }

                    break;
                }
            }
        }
    }

    public static IReadOnlyList<(string Code, string Question, int Value)> Ons4Items(Ons4Scores scores) =>
    [
        ("life-satisfaction", "Overall, how satisfied are you with your life nowadays? (0-10)", scores.LifeSatisfaction),
        ("worthwhile", "Overall, to what extent do you feel that the things you do in your life are worthwhile? (0-10)", scores.Worthwhile),
        ("happy-yesterday", "Overall, how happy did you feel yesterday? (0-10)", scores.Happy),
        ("anxious-yesterday", "Overall, how anxious did you feel yesterday? (0-10, higher is worse)", scores.Anxious),
    ];

    // ------------------------------------------------------------------ plan

    /// <summary>
    /// The Goals as they stand: the latest plan's, as it states them, and every goal an earlier plan had that the latest
    /// dropped, as cancelled (unless it was already completed or cancelled), so the practice does not keep it active.
    /// </summary>
    private static List<MappedResource> Goals(GpJourney journey, ResourceReference patientRef)
    {
        var plans = journey.All<SupportPlanAgreed>().OrderBy(p => p.AgreedAt).ToList();
        if (plans.Count == 0)
        {
            return [];
        }

        var latest = plans[^1];
        var current = (latest.Goals ?? []).Select(g => g.GoalId).ToHashSet();
        var list = (latest.Goals ?? []).Select(g => GoalResource(journey.Id, g, latest.AgreedAt, patientRef, null, latest.AgreedAt)).ToList();
        var dropped = plans.SelectMany(p => (p.Goals ?? []).Select(g => (Goal: g, Plan: p))).Where(x => !current.Contains(x.Goal.GoalId))
            .GroupBy(x => x.Goal.GoalId).Select(g => g.Last()).OrderBy(x => x.Plan.AgreedAt).ThenBy(x => x.Goal.GoalId);
        foreach (var (goal, plan) in dropped)
        {
            var ended = GoalStatus(goal.Status) is GoalLifecycleStatus.Completed or GoalLifecycleStatus.Cancelled;
            list.Add(GoalResource(journey.Id, goal, plan.AgreedAt, patientRef, ended ? null : GoalLifecycleStatus.Cancelled, latest.AgreedAt));
        }

        return list;
    }

    /// <summary>A Goal; with <paramref name="snapshotIn"/> (a document's Composition id), its snapshot in that document.</summary>
    private static MappedResource GoalResource(Guid journeyId, GoalSummary goal, DateTimeOffset? agreedAt, ResourceReference patientRef,
        GoalLifecycleStatus? status, DateTimeOffset clinicalDate, string? snapshotIn = null)
    {
        var live = ResourceIds.Goal(journeyId, goal.GoalId);
        var id = snapshotIn is null ? live : ResourceIds.Snapshot(snapshotIn, "Goal", live);
        var target = goal.TargetDate is { } due ? new List<GoalTarget> { new() { DueDate = FhirDate.FromDate(due) } } : [];
        // Goals are in the person's own words: free text, so they are shared only under full consent.
        return new MappedResource(new Goal
        {
            Id = id,
            Identifier = [FhirVocabulary.IdentifierFor(id)],
            LifecycleStatus = status ?? GoalStatus(goal.Status),
            Description = new CodeableConcept { Text = goal.Description },
            Subject = patientRef,
            StartDate = agreedAt is { } at ? FhirDate.FromDate(UkTime.DateOf(at)) : null,
            Target = target,
        }, null, clinicalDate);
    }

    /// <summary>The journey's CarePlan as it stands: the latest plan, every connection, following the latest episode.</summary>
    private static MappedResource? CarePlanResource(GpJourney journey, ResourceReference patientRef, IReadOnlyList<MappedResource> goals,
        IReadOnlyList<Episode> episodes)
    {
        var plan = journey.All<SupportPlanAgreed>().OrderBy(p => p.AgreedAt).LastOrDefault();
        var connections = journey.All<CommunityConnectionMade>().OrderBy(c => c.MadeAt).ThenBy(c => c.ConnectionId).ToList();
        var whatMatters = journey.All<WhatMattersRecorded>().OrderBy(w => w.RecordedAt).LastOrDefault()?.WhatMatters;
        var closure = journey.All<JourneyClosed>().OrderBy(c => c.ClosedAt).LastOrDefault();
        var latestRegistration = episodes[^1].Registration;
        var closed = closure is not null && closure.ClosedAt >= latestRegistration.RegisteredAt ? closure : null;
        var current = (plan?.Goals ?? []).Select(g => "Goal/" + ResourceIds.Goal(journey.Id, g.GoalId)).ToHashSet(StringComparer.Ordinal);
        return CarePlanResource(journey, patientRef, plan, connections, whatMatters, latestRegistration.ReferralId, closed,
            [.. goals.Select(g => g.Key).Where(current.Contains)]);
    }

    /// <summary>
    /// A CarePlan from the given plan, connections and what matters, based on the referral given, completed (or revoked, see
    /// <see cref="NotGoneAhead"/>) by the closure given, else active; with <paramref name="snapshotIn"/> (a document's Composition
    /// id), its snapshot in that document.
    /// </summary>
    private static MappedResource? CarePlanResource(GpJourney journey, ResourceReference patientRef, SupportPlanAgreed? plan,
        IReadOnlyList<CommunityConnectionMade> connections, string? whatMatters, Guid referralId, JourneyClosed? closure, IReadOnlyList<string> goalKeys,
        string? snapshotIn = null)
    {
        if (plan is null && connections.Count == 0)
        {
            return null;
        }

        var notDone = closure is not null && NotGoneAhead(closure, journey.All<JourneyOpened>().Any(o => o.ReferralId == referralId));
        var created = plan?.AgreedAt ?? connections[0].MadeAt;
        var live = ResourceIds.CarePlan(journey.Id);
        var id = snapshotIn is null ? live : ResourceIds.Snapshot(snapshotIn, "CarePlan", live);
        CarePlan Build(bool full) => new()
        {
            Id = id,
            Identifier = [FhirVocabulary.IdentifierFor(id)],
            BasedOn = [ResourceReference.To("ServiceRequest/" + ResourceIds.ServiceRequest(journey.Id, referralId))],
            Status = notDone ? RequestStatus.Revoked : closure is not null ? RequestStatus.Completed : RequestStatus.Active,
            Intent = CarePlanIntent.Plan,
            Title = "Social prescribing support plan",
            Description = full && !string.IsNullOrWhiteSpace(whatMatters) ? "What matters to the person: " + whatMatters : null,
            Subject = patientRef,
            Period = new Period { Start = created, End = closure?.ClosedAt },
            Created = created,
            Goal = full ? [.. goalKeys.Select(k => ResourceReference.To(k))] : [],
            Activity =
            [
                .. connections.Select(c => new CarePlanActivity
                {
                    Detail = new CarePlanActivityDetail
                    {
                        Kind = CarePlanActivityKind.ServiceRequest,
                        Code = new CodeableConcept { Text = c.Kind == ConnectionKind.Signposting ? "Signposting" : "Onward referral" },
                        Status = c.Outcome switch
                        {
                            ConnectionOutcome.Attended => CarePlanActivityStatus.Completed,
                            ConnectionOutcome.DidNotAttend => CarePlanActivityStatus.Stopped,
                            ConnectionOutcome.Declined or ConnectionOutcome.ServiceFull => CarePlanActivityStatus.Cancelled,
                            _ => CarePlanActivityStatus.Scheduled,
                        },
                        StatusReason = c.Outcome is null ? null : new CodeableConcept { Text = ConnectionOutcomeText(c.Outcome.Value) },
                        // The service's name is typed by the worker: free text, shared only under full consent.
                        Description = full ? c.ServiceName : null,
                    },
                }),
            ],
        };
        return new MappedResource(Build(true), Build(false), created);
    }

    // ------------------------------------------------------------------ safeguarding

    private static IEnumerable<MappedResource> Safeguarding(GpJourney journey, ResourceReference patientRef)
    {
        foreach (var concern in journey.All<SafeguardingConcernRaised>().OrderBy(c => c.RaisedAt).ThenBy(c => c.ConcernId))
        {
            var id = ResourceIds.Safeguarding(journey.Id, concern.ConcernId);
            Observation Build(bool full) => new()
            {
                Id = id,
                // Restricted: the GP reviews the entry before it can show in the person's online record access.
                Meta = new Meta { Security = [FhirVocabulary.Restricted] },
                Identifier = [FhirVocabulary.IdentifierFor(id)],
                Status = ObservationStatus.Final,
                Code = new CodeableConcept { Text = concern.Crisis ? "Crisis raised by social prescribing link worker" : "Safeguarding concern raised by social prescribing link worker" },
                Subject = patientRef,
                EffectiveDateTime = concern.RaisedAt,
                ValueBoolean = true,
                // Indicators are the worker's free text (support-plan): like the note, under full consent only (HAZ-006 C1).
                Component = full ? [.. concern.Indicators.Order(StringComparer.Ordinal).Select(i => new ObservationComponent { Code = new CodeableConcept { Text = "Indicator" }, ValueString = i })] : [],
                Note = full && !string.IsNullOrWhiteSpace(concern.Details) ? [new Annotation { Text = concern.Details }] : [],
            };
            yield return new MappedResource(Build(true), Build(false), concern.RaisedAt);
        }
    }

    // ------------------------------------------------------------------ escalation notices to the practice

    public const string EscalationNoticeText = "Possible risk escalated to the registered GP practice by the social prescribing link worker service";

    /// <summary>
    /// Triage's notice to the registered practice for one step of an escalation, shaped as the safeguarding entry: an
    /// Observation restricted by <c>meta.security</c>, text-coded (no SNOMED CT concept fits), with the service's fixed
    /// statement as its value, the step, whether it was sent outside duty hours, the acknowledge-by time and the risk
    /// indicators as components, and when it was sent as its effective time. The indicators mix triage's configured labels
    /// with a worker's free-text safeguarding indicators (triage copies them from the concern), and the notice does not say
    /// which is which, so they go under full consent only; the coded rendering keeps the rest, which still says that possible
    /// risk was escalated (HAZ-006 C1).
    /// </summary>
    private static IEnumerable<MappedResource> EscalationNotices(GpJourney journey, ResourceReference patientRef) =>
        journey.All<ReferralEscalated>().OrderBy(e => e.EscalatedAt).ThenBy(e => e.EscalationId).ThenBy(e => e.Step)
            .Select(notice => EscalationNotice(journey.Id, notice, patientRef));

    /// <summary>
    /// One practice notice as recorded under <paramref name="journeyId"/>: the journey it was recorded on, or the referral's own
    /// notice journey (<see cref="ResourceIds.ReferralNotices"/>) when it was released without one.
    /// </summary>
    public static MappedResource EscalationNotice(Guid journeyId, ReferralEscalated notice, PatientRecord patient) =>
        EscalationNotice(journeyId, notice, PatientReference(patient));

    private static MappedResource EscalationNotice(Guid journeyId, ReferralEscalated notice, ResourceReference patientRef)
    {
        var id = ResourceIds.EscalationNotice(journeyId, notice.EscalationId, notice.Step);
        Observation Build(bool full) => new()
        {
            Id = id,
            // Restricted: the GP reviews the entry before it can show in the person's online record access.
            Meta = new Meta { Security = [FhirVocabulary.Restricted] },
            Identifier = [FhirVocabulary.IdentifierFor(id)],
            Status = ObservationStatus.Final,
            Code = new CodeableConcept { Text = EscalationNoticeText },
            Subject = patientRef,
            EffectiveDateTime = notice.EscalatedAt,
            ValueString = notice.Statement,
            Component =
            [
                new ObservationComponent { Code = new CodeableConcept { Text = "Escalation step" }, ValueInteger = notice.Step },
                new ObservationComponent
                {
                    Code = new CodeableConcept { Text = "Sent outside the link worker service's duty hours" }, ValueBoolean = notice.OutsideRotaHours,
                },
                notice.AcknowledgeBy is { } by
                    ? new ObservationComponent { Code = new CodeableConcept { Text = "Acknowledge by" }, ValueDateTime = by }
                    : new ObservationComponent
                    {
                        Code = new CodeableConcept { Text = "Acknowledge by" },
                        DataAbsentReason = FhirVocabulary.NotApplicable("No acknowledgement was asked of the practice"),
                    },
                .. (full ? notice.Indicators : []).Order(StringComparer.Ordinal)
                    .Select(i => new ObservationComponent { Code = new CodeableConcept { Text = "Indicator" }, ValueString = i }),
            ],
        };
        return new MappedResource(Build(full: true), Build(full: false), notice.EscalatedAt);
    }

    // ------------------------------------------------------------------ messages back (documents)

    private IEnumerable<MappedResource> Messages(GpJourney journey, PatientRecord patient, IReadOnlyList<Episode> episodes,
        IReadOnlyList<MappedResource> produced)
    {
        var byKey = produced.ToDictionary(r => r.Key);
        MappedResource? Get(string key) => byKey.GetValueOrDefault(key);

        foreach (var episode in episodes)
        {
            var referralId = episode.Registration.ReferralId;
            var agreement = journey.All<PersonAgreedToSocialPrescribing>().Where(a => episode.Contains(a.AgreedAt)).OrderBy(a => a.AgreedAt).FirstOrDefault();
            if (agreement is not null && Get("Procedure/" + ResourceIds.AgreementProcedure(journey.Id, referralId)) is { } procedure)
            {
                yield return Document(journey.Id, referralId, AgreementMessage, agreement.AgreedAt, "Social prescribing: the person agreed to a referral", patient,
                [
                    new Section("Referral accepted",
                        "The person agreed to social prescribing on " + Day(agreement.AgreedAt) + " and is working with a link worker.", null, [procedure]),
                ]);
            }

            var decline = journey.All<SocialPrescribingDeclined>().Where(d => episode.Contains(d.DeclinedAt)).OrderBy(d => d.DeclinedAt).FirstOrDefault();
            if (decline is not null && Get("Observation/" + ResourceIds.DeclineObservation(journey.Id, referralId)) is { } declined)
            {
                var reason = string.IsNullOrWhiteSpace(decline.Reason) ? null : "Reason given: " + decline.Reason;
                yield return Document(journey.Id, referralId, DeclineMessage, decline.DeclinedAt, "Social prescribing: the person declined the referral", patient,
                [
                    new Section("Referral declined", "The person declined social prescribing on " + Day(decline.DeclinedAt) + ".", reason, [declined]),
                ]);
            }

            var closure = journey.All<JourneyClosed>().Where(c => episode.Contains(c.ClosedAt)).OrderBy(c => c.ClosedAt).FirstOrDefault();
            if (closure is not null)
            {
                yield return ClosingSummary(journey, patient, episodes, episode, closure, produced);
            }
        }
    }

    private sealed record Section(string Title, string? CodedText, string? FreeText, IReadOnlyList<MappedResource> Entries);

    private MappedResource ClosingSummary(GpJourney journey, PatientRecord patient, IReadOnlyList<Episode> episodes, Episode episode,
        JourneyClosed closure, IReadOnlyList<MappedResource> produced)
    {
        // The summary is final once sent: built only from what stood in this episode when it closed (the closure's own summary,
        // and facts of the episode up to the closure), so a later episode never changes it and it is never sent again.
        bool AsOfClosure(DateTimeOffset at) => episode.Contains(at) && at <= closure.ClosedAt;
        var summary = closure.Summary;
        var plans = journey.All<SupportPlanAgreed>().Where(p => p.AgreedAt <= closure.ClosedAt).OrderBy(p => p.AgreedAt).ToList();
        var plan = plans.LastOrDefault(p => episode.Contains(p.AgreedAt));
        var episodeConnections = journey.All<CommunityConnectionMade>().Where(c => AsOfClosure(c.MadeAt)).OrderBy(c => c.MadeAt).ThenBy(c => c.ConnectionId).ToList();
        var whatMatters = summary?.WhatMatters ??
                          journey.All<WhatMattersRecorded>().Where(w => AsOfClosure(w.RecordedAt)).OrderBy(w => w.RecordedAt).LastOrDefault()?.WhatMatters;
        var goalsStated = summary?.Goals ?? plan?.Goals ?? [];
        // Its Goal and CarePlan entries are snapshots under ids of this document (ResourceIds.Snapshot), not the live ones:
        // a receiver filing document entries by id or identifier must not overwrite the live plan with a closed episode's.
        var compositionId = ResourceIds.Composition(journey.Id, episode.Registration.ReferralId, ClosureMessage);
        var goals = goalsStated.Select(g => GoalResource(journey.Id, g, plans.LastOrDefault(p => p.Goals?.Any(x => x.GoalId == g.GoalId) == true)?.AgreedAt,
            PatientReference(patient), null, closure.ClosedAt, compositionId)).ToList();
        var goalLines = goalsStated.Select(g => $"{g.Description} ({GoalStatusText(g.Status)})").ToList();
        var connections = summary?.Connections.Select(c => $"{c.ServiceName}: {(c.Kind == ConnectionKind.Signposting ? "signposted" : "referred")}" +
                                                           (c.Outcome is { } o ? ", " + ConnectionOutcomeText(o).ToLowerInvariant() : "")).ToList()
                          ?? episodeConnections.Select(c => c.ServiceName).ToList();
        var changes = (summary?.OutcomeChanges ?? ComputedChanges(journey, episodes, episode)).Select(ChangeText).ToList();

        // The episode's own measures: an episode closed earlier is not sent again with a later episode's, nor a later one with them.
        var serviceRequest = "ServiceRequest/" + ResourceIds.ServiceRequest(journey.Id, episode.Registration.ReferralId);
        var outcomes = produced.Where(r => r.Full is Observation { Category.Count: > 0 } o && o.BasedOn.Exists(b => b.Reference == serviceRequest)).ToList();
        var carePlan = CarePlanResource(journey, PatientReference(patient), plan, episodeConnections, whatMatters, episode.Registration.ReferralId, closure,
            [.. goals.Select(g => g.Key)], compositionId) is { } plannedThen ? new List<MappedResource> { plannedThen } : [];
        var task = produced.Where(r => r.Key == "Task/" + ResourceIds.Task(journey.Id, episode.Registration.ReferralId)).ToList();
        var opened = journey.All<JourneyOpened>().Any(o => o.ReferralId == episode.Registration.ReferralId);
        var sections = new List<Section>
        {
            new("Outcome of the referral", "Closed on " + Day(closure.ClosedAt) +
                (opened ? ": " : " before a link worker took the referral on: ") + ClosureText(closure.Reason) + ".", null, task),
        };
        if (!string.IsNullOrWhiteSpace(whatMatters))
        {
            sections.Add(new Section("What matters to the person", null, whatMatters, []));
        }

        if (goalLines.Count > 0)
        {
            sections.Add(new Section("Goals", null, string.Join("\n", goalLines), goals));
        }

        if (connections.Count > 0 || carePlan.Count > 0)
        {
            // Service names are free text: the narrative goes with full consent only; coded-only keeps the CarePlan entry.
            sections.Add(new Section("Connections made", null, connections.Count == 0 ? null : string.Join("\n", connections), carePlan));
        }

        if (changes.Count > 0 || outcomes.Count > 0)
        {
            sections.Add(new Section("How the outcome measures changed", changes.Count == 0 ? null : string.Join("\n", changes), null, outcomes));
        }

        return Document(journey.Id, episode.Registration.ReferralId, ClosureMessage, closure.ClosedAt, "Social prescribing: closing summary for the GP",
            patient, sections);
    }

    /// <summary>The changes in the episode, when the closure carries no summary: against the episode's own baseline.</summary>
    private static IReadOnlyList<OutcomeChange> ComputedChanges(GpJourney journey, IReadOnlyList<Episode> episodes, Episode episode) =>
        journey.All<OutcomeMeasured>().Where(m => m.Score is not null && m.Instrument != Instrument.Ons4 && EpisodeOf(journey, episodes, m) == episode)
            .GroupBy(m => m.Instrument).OrderBy(g => g.Key)
            .Select(g =>
            {
                var ordered = g.OrderBy(m => m.MeasuredAt).ToList();
                var baseline = ordered.FirstOrDefault(m => m.Point == MeasurementPoint.Baseline) ?? ordered[0];
                var latest = ordered[^1];
                return new OutcomeChange(g.Key, baseline.Score, latest.Score, latest.Score - baseline.Score, latest.MeaningfulChange);
            }).ToList();

    private MappedResource Document(Guid journeyId, Guid referralId, string kind, DateTimeOffset at, string title, PatientRecord patient,
        IReadOnlyList<Section> sections)
    {
        var bundleId = ResourceIds.Document(journeyId, referralId, kind);
        var compositionId = ResourceIds.Composition(journeyId, referralId, kind);
        var patientResource = Patient(patient.Id, patient.Details, patient.RegisteredPracticeOds);
        var baseUrl = options.CanonicalBase.TrimEnd('/');

        Bundle Build(bool full)
        {
            var included = new List<Resource>();
            var compositionSections = new List<CompositionSection>();
            foreach (var section in sections)
            {
                var entries = section.Entries.Select(e => full ? e.Full : e.Coded).OfType<Resource>().ToList();
                var text = full ? string.Join("\n", new[] { section.CodedText, section.FreeText }.OfType<string>()) : section.CodedText ?? "";
                if (entries.Count == 0 && text.Length == 0)
                {
                    continue;
                }

                included.AddRange(entries.Where(e => !included.Any(i => i.ResourceType == e.ResourceType && i.Id == e.Id)));
                compositionSections.Add(new CompositionSection
                {
                    Title = section.Title,
                    Text = text.Length == 0 ? null : Narrative(text),
                    Mode = ListMode.Snapshot,
                    Entry = [.. entries.Select(e => ResourceReference.To(e.ResourceType + "/" + e.Id))],
                });
            }

            var composition = new Composition
            {
                Id = compositionId,
                Identifier = FhirVocabulary.IdentifierFor(compositionId),
                Status = CompositionStatus.Final,
                // No national SNOMED CT document type exists for social prescribing (standards §3.3): text only.
                Type = new CodeableConcept { Text = "Social prescribing update for the GP" },
                Subject = ResourceReference.To("Patient/" + patientResource.Id),
                Date = at,
                Author = [new ResourceReference { Display = options.Software }],
                Title = title,
                Confidentiality = ConfidentialityClassification.Normal,
                Section = compositionSections,
            };
            return new Bundle
            {
                Id = bundleId,
                Identifier = FhirVocabulary.IdentifierFor(bundleId),
                Type = BundleType.Document,
                Timestamp = at,
                Entry =
                [
                    new BundleEntry { FullUrl = $"{baseUrl}/Composition/{compositionId}", Resource = composition },
                    new BundleEntry { FullUrl = $"{baseUrl}/Patient/{patientResource.Id}", Resource = patientResource },
                    .. included.Select(r => new BundleEntry { FullUrl = $"{baseUrl}/{r.ResourceType}/{r.Id}", Resource = r }),
                ],
            };
        }

        return new MappedResource(Build(true), Build(false), at, kind);
    }

    // ------------------------------------------------------------------ helpers

    private static Episode EpisodeAt(IReadOnlyList<Episode> episodes, DateTimeOffset at) => episodes.LastOrDefault(e => e.Contains(at)) ?? episodes[0];

    /// <summary>
    /// The episode a measure was taken in: the one support-plan names (the referral of that opening), else - a message sent
    /// before measures named their episode, or an opening not yet received - the one of the time it was taken.
    /// </summary>
    private static Episode EpisodeOf(GpJourney journey, IReadOnlyList<Episode> episodes, OutcomeMeasured measure) =>
        measure.Episode is { } number
        && journey.All<JourneyOpened>().FirstOrDefault(o => o.Episode == number) is { } opening
        && episodes.FirstOrDefault(e => e.Registration.ReferralId == opening.ReferralId) is { } named
            ? named
            : EpisodeAt(episodes, measure.MeasuredAt);

    private static ResourceReference PatientReference(PatientRecord patient) => new()
    {
        Reference = "Patient/" + ResourceIds.Patient(patient.Id),
        Type = "Patient",
        Identifier = patient.NhsNumber is { } nhs ? Identifier.NhsNumber(nhs) : null,
    };

    private static ResourceReference Practice(string odsCode) => new() { Type = "Organization", Identifier = Identifier.OdsOrganizationCode(odsCode) };

    private ResourceReference Requester(Referrer referrer, ResourceReference patientRef) => referrer.Kind switch
    {
        ReferrerKind.Self => patientRef,
        ReferrerKind.Agency => new ResourceReference
        {
            Type = "Organization",
            Identifier = new Identifier { System = FhirVocabulary.AgencySystem(options), Value = referrer.OrganisationId },
        },
        _ => new ResourceReference { Type = "Organization", Identifier = Identifier.OdsOrganizationCode(referrer.OrganisationId) },
    };

    private static Narrative Narrative(string text)
    {
        var html = new StringBuilder("<div xmlns=\"http://www.w3.org/1999/xhtml\">");
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            html.Append("<p>").Append(WebUtility.HtmlEncode(line)).Append("</p>");
        }

        return new Narrative { Status = NarrativeStatus.Generated, Div = html.Append("</div>").ToString() };
    }

    private static string Day(DateTimeOffset at) => UkTime.DateOf(at).ToString("d MMMM yyyy", CultureInfo.InvariantCulture);


    /// <summary>
    /// A goal's status as support-plan states it (<c>GoalStatus.ToString()</c>: NotStarted, InProgress, Achieved,
    /// NoLongerRelevant) as FHIR R4 Goal.lifecycleStatus, with readable words for the narrative. The older words this
    /// mapper accepted (FHIR codes among them) still map as before, for facts that carry them. Null when not known.
    /// </summary>
    private static (GoalLifecycleStatus Status, string Text)? KnownGoalStatus(string status) =>
        status.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal)
            .Replace("_", "", StringComparison.Ordinal).ToLowerInvariant() switch
        {
            // "planned": agreed in the plan, not yet being worked on (R4: "accepted" presumes a proposal step).
            "notstarted" => (GoalLifecycleStatus.Planned, "not started"),
            "inprogress" => (GoalLifecycleStatus.Active, "in progress"),
            "achieved" => (GoalLifecycleStatus.Completed, "achieved"),
            "nolongerrelevant" => (GoalLifecycleStatus.Cancelled, "no longer relevant"),
            "active" => (GoalLifecycleStatus.Active, "active"),
            "completed" or "met" => (GoalLifecycleStatus.Completed, "completed"),
            "cancelled" or "abandoned" or "dropped" or "withdrawn" => (GoalLifecycleStatus.Cancelled, "cancelled"),
            "onhold" or "paused" => (GoalLifecycleStatus.OnHold, "on hold"),
            "proposed" => (GoalLifecycleStatus.Proposed, "proposed"),
            "planned" => (GoalLifecycleStatus.Planned, "planned"),
            "accepted" => (GoalLifecycleStatus.Accepted, "accepted"),
            _ => null,
        };

    /// <summary>
    /// The Goal's lifecycleStatus. A status this mapper does not know is never filed as active (the GP would read it as being
    /// worked on) nor as ended: it is sent as <c>proposed</c>, the weakest claim (<see cref="GoalsOfUnknownStatus"/> lets
    /// production log it).
    /// </summary>
    private static GoalLifecycleStatus GoalStatus(string status) => KnownGoalStatus(status)?.Status ?? GoalLifecycleStatus.Proposed;

    /// <summary>The goals of the journey's plans whose status this mapper does not know (sent as proposed).</summary>
    public static IReadOnlyList<Guid> GoalsOfUnknownStatus(GpJourney journey) =>
        journey.All<SupportPlanAgreed>().SelectMany(p => p.Goals ?? [])
            .Concat(journey.All<JourneyClosed>().SelectMany(c => c.Summary?.Goals ?? []))
            .Where(g => KnownGoalStatus(g.Status) is null).Select(g => g.GoalId).Distinct().Order().ToList();

    private static string GoalStatusText(string status) => KnownGoalStatus(status)?.Text ?? "status not known";

    private static string ChangeText(OutcomeChange change) =>
        $"{InstrumentText(change.Instrument)}: {Num(change.Baseline)} to {Num(change.Latest)}" +
        (change.Change is { } c ? $" (change {(c > 0 ? "+" : "")}{Num(c)}" + (change.MeaningfulChange == true ? ", meaningful" : "") + ")" : "");

    private static string Num(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "not measured";

    private static string InstrumentText(Instrument instrument) => instrument switch
    {
        Instrument.Wemwbs => "WEMWBS",
        Instrument.Swemwbs => "SWEMWBS",
        Instrument.Pam => "PAM",
        _ => "ONS4",
    };

    /// <summary>
    /// Whether a closure means the referral did not go ahead as social prescribing, so the GP must not read it as completed:
    /// declined or withdrawn, closed before any worker took it on (HAZ-005 C7 allows only moved away, unable to contact or
    /// deceased there), or, once taken on, ended because the person could not be reached, moved away or died. Goals met, the
    /// person's choice to end and a referral on to another service are outcomes of support given, so they stay completed.
    /// </summary>
    public static bool NotGoneAhead(JourneyClosed closure, bool opened) =>
        !opened || closure.Reason is ClosureReason.Declined or ClosureReason.Withdrawn or ClosureReason.UnableToContact
            or ClosureReason.MovedAway or ClosureReason.Deceased;

    /// <summary>The Task's statusReason on closure: fixed words from the reason, the same in both scopes.</summary>
    public static string ClosureStatusText(JourneyClosed closure, bool opened) =>
        (opened ? "Closed: " : "Closed before a link worker took the referral on: ") + ClosureText(closure.Reason);

    public static string ClosureText(ClosureReason reason) => reason switch
    {
        ClosureReason.GoalsMet => "goals met",
        ClosureReason.PersonChoseToEnd => "the person chose to end",
        ClosureReason.MovedAway => "moved away",
        ClosureReason.ReferredToAnotherService => "referred to another service",
        ClosureReason.UnableToContact => "unable to contact",
        ClosureReason.Deceased => "deceased",
        ClosureReason.Declined => "declined",
        _ => "withdrawn",
    };

    private static string ConnectionOutcomeText(ConnectionOutcome outcome) => outcome switch
    {
        ConnectionOutcome.Attended => "Attended",
        ConnectionOutcome.DidNotAttend => "Did not attend",
        ConnectionOutcome.Declined => "Declined",
        _ => "Service full",
    };

    private static string ContactText(ContactKind kind) => kind switch
    {
        ContactKind.Phone => "Telephone contact",
        ContactKind.Video => "Video contact",
        ContactKind.FaceToFacePractice => "Face to face at the practice",
        ContactKind.FaceToFaceCommunity => "Face to face in the community",
        ContactKind.HomeVisit => "Home visit",
        ContactKind.GroupSession => "Group session",
        ContactKind.SupportedVisit => "Supported visit",
        _ => "Indirect work",
    };

    private static string NeedText(NeedCategory need) => need switch
    {
        NeedCategory.LonelinessOrIsolation => "Loneliness or isolation",
        NeedCategory.MentalWellbeing => "Mental wellbeing",
        NeedCategory.Housing => "Housing",
        NeedCategory.DebtOrBenefits => "Debt or benefits",
        NeedCategory.Employment => "Employment",
        NeedCategory.PhysicalActivity => "Physical activity",
        NeedCategory.CarerSupport => "Carer support",
        NeedCategory.LongTermCondition => "Long-term condition",
        NeedCategory.FoodOrFuel => "Food or fuel",
        NeedCategory.Bereavement => "Bereavement",
        NeedCategory.SubstanceUse => "Substance use",
        NeedCategory.PracticalSupport => "Practical support",
        _ => "Other need",
    };
}
