using Referrals.Contracts;
using Referrals.Fhir;
using Referrals.Fhir.Model;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using static Referrals.GpRecords.Tests.Support.Journeys;

namespace Referrals.GpRecords.Tests.Recording;

/// <summary>
/// HAZ-005 C8: what the practice's record says of a referral triage found not eligible, or that a team lead's override
/// rules out of scope or brings back after registration. A requested task would tell the GP the person waits for a link
/// worker nobody will send.
/// </summary>
public sealed class NotEligibleMappingTests
{
    private readonly JourneyScript _script = new("A81001");

    private ServiceRequest RequestOf(IEnumerable<object> facts, bool coded = false) =>
        Map(_script, facts).Select(r => coded ? r.Coded : r.Full).OfType<ServiceRequest>()
            .Single(r => r.Id == ResourceIds.ServiceRequest(_script.JourneyId, _script.ReferralId));

    private FhirTask TaskIn(IEnumerable<object> facts, bool coded) =>
        Map(_script, facts).Select(r => coded ? r.Coded : r.Full).OfType<FhirTask>()
            .Single(t => t.Id == ResourceIds.Task(_script.JourneyId, _script.ReferralId));

    private static void AssertAllValid(IEnumerable<MappedResource> resources)
    {
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
    public void A_referral_triage_found_not_eligible_is_a_revoked_service_request_and_a_rejected_task_saying_so_in_fixed_words_in_both_scopes()
    {
        object[] facts = [_script.RegisteredNotEligible()];

        foreach (var coded in new[] { false, true })
        {
            Assert.Equal(RequestStatus.Revoked, RequestOf(facts, coded).Status);
            var task = TaskIn(facts, coded);
            Assert.Equal(FhirTaskStatus.Rejected, task.Status);
            Assert.Equal(JourneyRecordMapper.NotEligibleReason, task.StatusReason?.Text);
            Assert.Null(task.ExecutionPeriod);
        }

        AssertAllValid(Map(_script, facts));
    }

    [Fact]
    public void An_override_to_not_eligible_after_registration_revokes_the_service_request_and_rejects_the_task()
    {
        var overridden = _script.Retriaged(eligible: false);
        object[] facts = [_script.Registered(), overridden];

        Assert.Equal(RequestStatus.Revoked, RequestOf(facts).Status);
        var task = TaskOf(_script, facts);
        Assert.Equal(FhirTaskStatus.Rejected, task.Status);
        Assert.Equal(JourneyRecordMapper.NotEligibleReason, task.StatusReason?.Text);
        Assert.Equal(FhirDateTime.FromDateTimeOffset(overridden.TriagedAt), task.LastModified);
        AssertAllValid(Map(_script, facts));

        // Whatever order the queues deliver the registration and the override in.
        Assert.Equal(FhirJson.Serialize(task), FhirJson.Serialize(TaskOf(_script, [overridden, _script.Registered()])));
    }

    [Fact]
    public void An_override_back_to_eligible_makes_the_referral_active_and_requested_again_at_the_priority_triage_gave_it()
    {
        object[] facts = [_script.RegisteredNotEligible(), _script.Retriaged(eligible: true, priority: Priority.High)];

        var request = RequestOf(facts);
        Assert.Equal(RequestStatus.Active, request.Status);
        Assert.Equal(RequestPriority.Urgent, request.Priority);
        var task = TaskOf(_script, facts);
        Assert.Equal(FhirTaskStatus.Requested, task.Status);
        Assert.Null(task.StatusReason);
        Assert.Equal(FhirTaskStatus.Accepted, TaskOf(_script, [.. facts, _script.Opened()]).Status);
        AssertAllValid(Map(_script, facts));
    }

    [Fact]
    public void Of_two_overrides_the_later_stands_even_when_the_earlier_arrives_last()
    {
        var ruledOut = _script.Retriaged(eligible: false, hours: 3, version: 2);
        var broughtBack = _script.Retriaged(eligible: true, hours: 5, version: 3);

        Assert.Equal(FhirTaskStatus.Requested, TaskOf(_script, [_script.RegisteredNotEligible(), broughtBack, ruledOut]).Status);
        Assert.Equal(FhirTaskStatus.Rejected, TaskOf(_script, [_script.Registered(), ruledOut with { Source = new EventSource(_script.JourneyId, 4) }, broughtBack]).Status);
    }

    /// <summary>Triage refuses this override once a worker has ever accepted (also after a hand-back); should one arrive anyway, the journey stays worked.</summary>
    [Fact]
    public void A_referral_a_worker_has_taken_on_stays_accepted_when_an_override_rules_it_out_of_scope_as_support_plan_keeps_it_open()
    {
        object[] facts = [_script.Registered(), _script.Opened(), _script.Retriaged(eligible: false, hours: 30)];

        Assert.Equal(FhirTaskStatus.Accepted, TaskOf(_script, facts).Status);
        Assert.Equal(RequestStatus.Active, RequestOf(facts).Status);
    }
}
