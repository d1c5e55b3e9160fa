using Referrals.Contracts;
using Referrals.Contracts.SupportPlan;
using Referrals.Fhir;
using Referrals.Fhir.Model;
using Referrals.Fhir.Terminology;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using Referrals.ServiceDefaults.Messaging.Topology;
using static Referrals.GpRecords.Tests.Support.Journeys;

namespace Referrals.GpRecords.Tests.Recording;

public sealed class MappingTests
{
    private readonly JourneyScript _script = new("A81001");

    [Fact]
    public void Every_resource_of_a_whole_journey_validates_against_the_official_schema_and_the_required_bindings_in_both_scopes()
    {
        var resources = Map(_script, _script.FullHistory());
        Assert.True(resources.Count > 15);
        foreach (var resource in resources)
        {
            Emitted.AssertValid(FhirJson.Serialize(resource.Full));
            if (resource.Coded is not null)
            {
                Emitted.AssertValid(FhirJson.Serialize(resource.Coded));
            }
        }

        Emitted.AssertValid(FhirJson.Serialize(JourneyRecordMapper.Patient(_script.PersonId, _script.Submitted().Person, _script.Practice)));
    }

    public static TheoryData<string> OtherPaths => ["declined", "consent withdrawn", "coded only", "reopened", "did not attend"];

    [Theory]
    [MemberData(nameof(OtherPaths))]
    public void Every_resource_of_the_other_paths_validates_against_the_official_schema_in_both_scopes(string path)
    {
        var secondReferral = Guid.NewGuid();
        IReadOnlyList<object> facts = path switch
        {
            "declined" => [_script.Submitted(), _script.Registered(), _script.Opened(), _script.Contact(), _script.Declined(),
                _script.Closed() with { Reason = ClosureReason.Declined }],
            "consent withdrawn" => [.. _script.FullHistory(), _script.ConsentChanged(ConsentScope.None, withdrawn: true, day: 30)],
            "coded only" => [.. _script.FullHistory(), _script.ConsentChanged(ConsentScope.CodedOnly, day: 30)],
            "reopened" => [.. _script.FullHistory(), _script.Registered() with { ReferralId = secondReferral, RegisteredAt = _script.At(40) },
                new JourneyOpened(_script.JourneyId, _script.PersonId, secondReferral, "programme-1", "worker-2", true, 2, _script.At(41))],
            _ => [_script.Submitted(), _script.Registered(), _script.Opened(), _script.Contact() with { Outcome = ContactOutcome.DidNotAttend }],
        };
        var resources = Map(_script, facts);
        Assert.NotEmpty(resources);
        foreach (var resource in resources)
        {
            Emitted.AssertValid(FhirJson.Serialize(resource.Full));
            if (resource.Coded is not null)
            {
                Emitted.AssertValid(FhirJson.Serialize(resource.Coded));
            }
        }
    }

    [Fact]
    public void The_referral_is_a_service_request_for_871731000000106_about_the_patient_with_the_uk_core_nhs_number()
    {
        var request = Single<ServiceRequest>(Map(_script, [_script.Registered()]));
        Assert.True(HasSnomed(request.Code, "871731000000106"));
        Assert.Equal(RequestIntent.Order, request.Intent);
        Assert.Equal(RequestStatus.Active, request.Status);
        Assert.Equal("Patient/" + ResourceIds.Patient(_script.PersonId), request.Subject.Reference);
        Assert.Equal(FhirSystems.NhsNumber, request.Subject.Identifier!.System);
        Assert.Equal(_script.NhsNumber, request.Subject.Identifier.Value);
        Assert.Equal(FhirTaskStatus.Requested, TaskOf(_script, [_script.Registered()]).Status);
    }

    [Fact]
    public void Agreement_is_a_completed_procedure_871731000000106_recorded_once_per_episode()
    {
        var again = _script.Agreed() with { AgreedAt = _script.At(4) };
        var journey = Fold([_script.Registered(), _script.Opened(), _script.Agreed()]);
        Assert.False(JourneyFacts.ShouldRecord(journey, again));

        var procedures = Map(_script, [_script.Registered(), _script.Opened(), _script.Agreed(), again]).Select(r => r.Full).OfType<Procedure>().ToList();
        var procedure = Assert.Single(procedures);
        Assert.True(HasSnomed(procedure.Code, "871731000000106"));
        Assert.Equal(EventStatus.Completed, procedure.Status);
        Assert.Equal(FhirDateTime.FromDateTimeOffset(_script.At(2)), procedure.PerformedDateTime);
    }

    [Fact]
    public void Decline_is_an_observation_871711000000103_and_cancels_the_task_with_a_reason()
    {
        var facts = new object[] { _script.Registered(), _script.Opened(), _script.Declined() };
        var resources = Map(_script, facts);
        Assert.True(HasSnomed(Single<Observation>(resources).Code, "871711000000103"));
        Assert.DoesNotContain(resources, r => r.Full is Procedure);
        var task = TaskOf(_script, facts);
        Assert.Equal(FhirTaskStatus.Cancelled, task.Status);
        Assert.NotNull(task.StatusReason?.Text);
        Assert.Equal(RequestStatus.Revoked, Single<ServiceRequest>(resources).Status);
    }

    [Fact]
    public void The_task_goes_requested_accepted_in_progress_on_hold_while_dormant_and_completed()
    {
        List<object> facts = [_script.Registered()];
        Assert.Equal(FhirTaskStatus.Requested, TaskOf(_script, facts).Status);
        facts.Add(_script.Opened());
        Assert.Equal(FhirTaskStatus.Accepted, TaskOf(_script, facts).Status);
        facts.Add(_script.Agreed());
        Assert.Equal(FhirTaskStatus.InProgress, TaskOf(_script, facts).Status);
        facts.Add(_script.Dormant());
        var dormant = TaskOf(_script, facts);
        Assert.Equal(FhirTaskStatus.OnHold, dormant.Status);
        Assert.StartsWith("Dormant", dormant.StatusReason!.Text, StringComparison.Ordinal);
        facts.Add(_script.Reactivated());
        Assert.Equal(FhirTaskStatus.InProgress, TaskOf(_script, facts).Status);
        facts.Add(_script.Closed());
        Assert.Equal(FhirTaskStatus.Completed, TaskOf(_script, facts).Status);
    }

    [Fact]
    public void Dormancy_and_reactivation_arriving_out_of_order_give_the_same_task()
    {
        var inOrder = TaskOf(_script, [_script.Registered(), _script.Opened(), _script.Agreed(), _script.Dormant(), _script.Reactivated()]);
        var reversed = TaskOf(_script, [_script.Reactivated(), _script.Agreed(), _script.Dormant(), _script.Opened(), _script.Registered()]);
        Assert.Equal(FhirJson.Serialize(inOrder), FhirJson.Serialize(reversed));
        Assert.Equal(FhirTaskStatus.InProgress, reversed.Status);
    }

    [Fact]
    public void A_reopened_journey_gets_a_new_service_request_and_task()
    {
        var secondReferral = Guid.NewGuid();
        var reopen = _script.Registered() with { ReferralId = secondReferral, RegisteredAt = _script.At(40) };
        var reopened = new JourneyOpened(_script.JourneyId, _script.PersonId, secondReferral, "programme-1", "worker-2", true, 2, _script.At(41));
        var resources = Map(_script, [.. _script.FullHistory(), reopen, reopened]);
        var tasks = resources.Select(r => r.Full).OfType<FhirTask>().ToList();
        Assert.Equal(2, tasks.Count);
        Assert.Equal(FhirTaskStatus.Completed, tasks.Single(t => t.Id == ResourceIds.Task(_script.JourneyId, _script.ReferralId)).Status);
        Assert.Equal(FhirTaskStatus.Accepted, tasks.Single(t => t.Id == ResourceIds.Task(_script.JourneyId, secondReferral)).Status);
        Assert.Equal(2, resources.Count(r => r.Full is ServiceRequest));
    }

    [Fact]
    public void An_outcome_measure_is_based_on_the_referral_of_the_episode_support_plan_names_and_earlier_measures_keep_their_ids_and_content()
    {
        var secondReferral = Guid.NewGuid();
        var reopen = _script.Registered() with { ReferralId = secondReferral, RegisteredAt = _script.At(40) };
        var reopened = new JourneyOpened(_script.JourneyId, _script.PersonId, secondReferral, "programme-1", "worker-2", true, 2, _script.At(41));

        // Recorded in episode 2, dated back to before the re-referral: the episode decides, not the date.
        var datedBack = _script.SwemwbsBaseline() with { MeasurementId = Guid.NewGuid(), MeasuredAt = _script.At(35), Episode = 2 };
        IReadOnlyList<object> facts = [.. _script.FullHistory(), reopen, reopened, datedBack];
        var resources = Map(_script, facts);
        var named = Map(_script, facts.Select(f => f is OutcomeMeasured { Episode: null } m ? m with { Episode = 1 } : f));

        Assert.Equal("ServiceRequest/" + ResourceIds.ServiceRequest(_script.JourneyId, secondReferral),
            Single<Observation>(resources, o => o.Id == ResourceIds.Outcome(_script.JourneyId, datedBack.MeasurementId)).BasedOn.Single().Reference);
        var first = Single<Observation>(resources, o => o.Id == ResourceIds.Outcome(_script.JourneyId, _script.BaselineId));
        Assert.Equal("ServiceRequest/" + ResourceIds.ServiceRequest(_script.JourneyId, _script.ReferralId), first.BasedOn.Single().Reference);
        Assert.Equal(FhirJson.Serialize(first), FhirJson.Serialize(Single<Observation>(named, o => o.Id == first.Id)));
    }

    [Fact]
    public void Each_episodes_closing_summary_carries_only_the_outcome_measures_taken_in_that_episode()
    {
        var secondReferral = Guid.NewGuid();
        var reopen = _script.Registered() with { ReferralId = secondReferral, RegisteredAt = _script.At(40) };
        var reopened = new JourneyOpened(_script.JourneyId, _script.PersonId, secondReferral, "programme-1", "worker-2", true, 2, _script.At(41));
        var baseline = _script.SwemwbsBaseline() with { MeasurementId = Guid.NewGuid(), Score = 22.35m, RawScore = 25, MeasuredAt = _script.At(42), Episode = 2 };
        var closing = _script.SwemwbsClosing() with
        {
            MeasurementId = Guid.NewGuid(), Score = 19.25m, RawScore = 21, ChangeSinceBaseline = -3.10m, MeasuredAt = _script.At(50), Episode = 2,
        };
        var closedAgain = _script.Closed() with { Summary = null, ClosedAt = _script.At(51) };
        var resources = Map(_script, [.. _script.FullHistory(), reopen, reopened, baseline, closing, closedAgain]);

        IReadOnlyList<string> OutcomesIn(Guid referralId)
        {
            var bundle = (Bundle)resources.Single(r => r.Full.Id == ResourceIds.Document(_script.JourneyId, referralId, JourneyRecordMapper.ClosureMessage)).Full;
            return [.. bundle.Entry.Select(e => e.Resource).OfType<Observation>().Where(o => o.Category.Count > 0).Select(o => o.Id!).Order(StringComparer.Ordinal)];
        }

        Assert.Equal([.. new[] { ResourceIds.Outcome(_script.JourneyId, baseline.MeasurementId), ResourceIds.Outcome(_script.JourneyId, closing.MeasurementId) }
            .Order(StringComparer.Ordinal)], OutcomesIn(secondReferral));
        Assert.Contains(ResourceIds.Outcome(_script.JourneyId, _script.BaselineId), OutcomesIn(_script.ReferralId));
        Assert.DoesNotContain(ResourceIds.Outcome(_script.JourneyId, baseline.MeasurementId), OutcomesIn(_script.ReferralId));
        var second = FhirJson.Serialize(resources.Single(r => r.Full.Id == ResourceIds.Document(_script.JourneyId, secondReferral, JourneyRecordMapper.ClosureMessage)).Full);
        Assert.Contains("SWEMWBS: 22.35 to 19.25 (change -3.10, meaningful)", second, StringComparison.Ordinal);
    }

    [Fact]
    public void Swemwbs_is_the_metric_score_as_a_decimal_quantity_with_the_raw_score_in_a_component()
    {
        var observation = Single<Observation>(Map(_script, [_script.Registered(), _script.SwemwbsBaseline()]));
        Assert.True(HasSnomed(observation.Code, "718466001"));
        Assert.Equal(16.36m, observation.ValueQuantity!.Value);
        Assert.Equal(16, Assert.Single(observation.Component).ValueInteger);
        Assert.Contains("\"value\":16.36", FhirJson.Serialize(observation), StringComparison.Ordinal);
    }

    [Fact]
    public void Wemwbs_is_the_total_and_pam_is_its_level()
    {
        var resources = Map(_script, [_script.Registered(), _script.Wemwbs(), _script.Pam()]);
        var wemwbs = Single<Observation>(resources, o => HasSnomed(o.Code, "718426000"));
        Assert.Equal(41m, wemwbs.ValueQuantity!.Value);
        var pam = Single<Observation>(resources, o => HasSnomed(o.Code, "962851000000103"));
        Assert.Equal(2, pam.ValueInteger);
    }

    [Fact]
    public void Ons4_items_are_four_observations_in_a_local_code_system_and_never_snomed()
    {
        var observations = Map(_script, [_script.Registered(), _script.Ons4()]).Select(r => r.Full).OfType<Observation>().ToList();
        Assert.Equal(4, observations.Count);
        Assert.All(observations, o =>
        {
            var coding = Assert.Single(o.Code.Coding);
            Assert.Equal(GpRecordsHarness.CanonicalBase + "/CodeSystem/ons4-personal-wellbeing", coding.System);
            Assert.NotNull(o.Code.Text);
        });
        Assert.Equal([4, 5, 6, 7], observations.Select(o => o.ValueInteger!.Value).Order());
    }

    [Fact]
    public void A_disabled_secondary_source_code_is_not_emitted()
    {
        var options = new SnomedCodeSetOptions();
        options.DisabledCodes.Add("962851000000103");
        var mapper = new JourneyRecordMapper(SnomedCodeSet.CreateValidated(options), new FhirOptions());
        var resources = mapper.Map(Fold([_script.Registered(), _script.Pam()]), Patient(_script));
        Assert.DoesNotContain(resources, r => r.Full is Observation);
    }

    /// <summary>HAZ-006: a safeguarding concern's indicators are the worker's free text (support-plan), so coded-only leaves them out with the note.</summary>
    [Fact]
    public void A_coded_only_safeguarding_entry_leaves_out_the_workers_free_text_indicators_which_the_full_one_carries()
    {
        const string workerIndicator = "Partner takes her bank card and shouts when drunk";
        var concern = _script.Safeguarding() with { Indicators = [workerIndicator] };
        var mapped = Assert.Single(Map(_script, [_script.Registered(ConsentScope.CodedOnly), concern]), r => r.Full is Observation o && o.Meta?.Security.Count > 0);

        var coded = FhirJson.Serialize(mapped.Coded!);
        Assert.DoesNotContain(workerIndicator, coded, StringComparison.Ordinal);
        Assert.DoesNotContain(JourneyScript.SafeguardingDetailsText, coded, StringComparison.Ordinal);
        Assert.Empty(((Observation)mapped.Coded!).Component);
        Assert.Contains("Safeguarding concern raised by social prescribing link worker", coded, StringComparison.Ordinal);
        Emitted.AssertValid(coded);
        Assert.Equal([workerIndicator], ((Observation)mapped.Full).Component.Where(c => c.Code.Text == "Indicator").Select(c => c.ValueString));
    }

    [Fact]
    public void Safeguarding_entries_carry_meta_security_restricted()
    {
        var observation = Single<Observation>(Map(_script, [_script.Registered(), _script.Safeguarding()]));
        var label = Assert.Single(observation.Meta!.Security);
        Assert.Equal(("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R"), (label.System, label.Code));
    }

    [Fact]
    public void Coded_only_renderings_carry_no_narrative_or_free_text_and_leave_out_goals()
    {
        var facts = new List<object>(_script.FullHistory()) { _script.Declined() with { DeclinedAt = _script.At(25) } };
        var resources = Map(_script, facts);
        Assert.Contains(resources, r => r.Full is Goal);
        Assert.DoesNotContain(resources, r => r.Full is Goal && r.Coded is not null);
        var coded = string.Join("\n", resources.Where(r => r.Coded is not null).Select(r => FhirJson.Serialize(r.Coded!)));
        var full = string.Join("\n", resources.Select(r => FhirJson.Serialize(r.Full)));
        foreach (var text in new[] { JourneyScript.WhatMattersText, JourneyScript.GoalText, JourneyScript.SafeguardingDetailsText, "Chapeltown Allotment Society" })
        {
            Assert.Contains(text, full, StringComparison.Ordinal);
            Assert.DoesNotContain(text, coded, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_closing_summary_is_a_document_with_what_matters_goals_connections_and_outcome_changes()
    {
        var document = Map(_script, _script.FullHistory()).Single(r => r.MessageKind == JourneyRecordMapper.ClosureMessage);
        var bundle = Assert.IsType<Bundle>(document.Full);
        Assert.Equal(BundleType.Document, bundle.Type);
        var composition = Assert.IsType<Composition>(bundle.Entry[0].Resource);
        Assert.Equal(["Outcome of the referral", "What matters to the person", "Goals", "Connections made", "How the outcome measures changed"],
            composition.Section.Select(s => s.Title));
        var json = FhirJson.Serialize(bundle);
        Assert.Contains(JourneyScript.WhatMattersText, json, StringComparison.Ordinal);
        Assert.Contains("Chapeltown Allotment Society", json, StringComparison.Ordinal);
        Assert.Contains("SWEMWBS: 16.36 to 21.54 (change +5.18, meaningful)", json, StringComparison.Ordinal);
        Assert.Contains(Map(_script, _script.FullHistory()), r => r.MessageKind == JourneyRecordMapper.AgreementMessage);
    }

    [Fact]
    public void After_a_re_referral_the_consent_resource_states_the_scope_given_with_it_as_the_sender_applies_it()
    {
        var secondReferral = Guid.NewGuid();
        IReadOnlyList<object> facts = [.. _script.FullHistory(), _script.ConsentChanged(ConsentScope.CodedOnly, day: 11),
            _script.Registered(ConsentScope.Full) with { ReferralId = secondReferral, RegisteredAt = _script.At(30) }];
        var consent = Single<Consent>(Map(_script, facts));
        Assert.Equal("Share the social prescribing record with the registered GP practice: coded entries with narrative", consent.PolicyRule!.Text);
        Assert.Equal(ConsentState.Active, consent.Status);
        Assert.Equal(_script.At(30), consent.DateTime);

        // A change after the re-referral wins again: the latest by time, as the sender's scope.
        var narrowed = Single<Consent>(Map(_script, [.. facts, _script.ConsentChanged(ConsentScope.CodedOnly, day: 31)]));
        Assert.Equal("Share with the registered GP practice: coded entries only, no narrative or free text", narrowed.PolicyRule!.Text);
        Assert.Equal(_script.At(31), narrowed.DateTime);
    }

    [Fact]
    public void Mapping_is_deterministic_whatever_order_the_facts_arrive_in()
    {
        var history = _script.FullHistory();
        var first = Map(_script, history).Select(r => FhirJson.Serialize(r.Full)).ToList();
        var shuffled = history.OrderBy(_ => Random.Shared.Next()).ToList();
        var second = Map(_script, shuffled).Select(r => FhirJson.Serialize(r.Full)).ToList();
        Assert.Equal(first, second);
    }

    [Fact]
    public void The_code_set_rejects_a_code_with_a_bad_check_digit()
    {
        Assert.True(SnomedCode.TryCreate("871731000000106", out _));
        Assert.False(SnomedCode.TryCreate("871731000000107", out _, out var error));
        Assert.Contains("Verhoeff", error, StringComparison.Ordinal);
        var bad = new SnomedConceptDefinition("871711000000104", "Social prescribing declined (mistyped)", SourceStrength.NhsEnglandGuidance, "test");
        Assert.Throws<InvalidOperationException>(() => SnomedCodeSet.ValidateDefinitions([bad]));
    }

    [Fact]
    public void Gp_records_reads_no_triage_event_but_the_escalation_notices_so_no_code_can_derive_from_assignment_decisions()
    {
        var consumed = GpRecordsTopology.All.SelectMany(e => e.MessageTypes).ToList();
        Assert.Equal([typeof(Contracts.Triage.ReferralEscalated)],
            consumed.Where(t => t.Namespace == typeof(Contracts.Triage.ReferralTriaged).Namespace));
        Assert.Contains(typeof(JourneyRegistered), consumed);
    }
}
