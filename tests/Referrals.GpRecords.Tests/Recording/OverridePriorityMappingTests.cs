using Referrals.Contracts;
using Referrals.Fhir.Model;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using static Referrals.GpRecords.Tests.Support.Journeys;

namespace Referrals.GpRecords.Tests.Recording;

/// <summary>
/// HAZ-009 C5: a team lead's override of priority alone reaches the practice as support-plan's <c>ReferralRetriaged</c>, so
/// the ServiceRequest (and its Task) stop saying routine for a person raised to Urgent.
/// </summary>
public sealed class OverridePriorityMappingTests
{
    private readonly JourneyScript _script = new("A81001");

    private (RequestPriority Request, RequestPriority Task) PrioritiesIn(IEnumerable<object> facts, bool coded = false)
    {
        var resources = Map(_script, facts).Select(r => coded ? r.Coded : r.Full).ToList();
        var request = resources.OfType<ServiceRequest>().Single(r => r.Id == ResourceIds.ServiceRequest(_script.JourneyId, _script.ReferralId));
        var task = resources.OfType<FhirTask>().Single(t => t.Id == ResourceIds.Task(_script.JourneyId, _script.ReferralId));
        return (request.Priority!.Value, task.Priority!.Value);
    }

    [Fact]
    public void A_priority_only_override_makes_the_service_request_and_task_asap_in_both_scopes_and_leaves_their_status_alone()
    {
        object[] waiting = [_script.Registered()];
        object[] worked = [_script.Registered(), _script.Opened(), _script.Agreed()];
        Assert.Equal((RequestPriority.Routine, RequestPriority.Routine), PrioritiesIn(waiting));

        var raised = _script.Retriaged(eligible: true, hours: 60, priority: Priority.Urgent);
        foreach (var coded in new[] { false, true })
        {
            Assert.Equal((RequestPriority.Asap, RequestPriority.Asap), PrioritiesIn([.. waiting, raised], coded));
            Assert.Equal((RequestPriority.Asap, RequestPriority.Asap), PrioritiesIn([.. worked, raised], coded));
        }

        Assert.Equal(FhirTaskStatus.Requested, TaskOf(_script, [.. waiting, raised]).Status);
        Assert.Equal(FhirTaskStatus.InProgress, TaskOf(_script, [.. worked, raised]).Status);
        Assert.Equal(RequestStatus.Active, Single<ServiceRequest>(Map(_script, [.. worked, raised])).Status);
    }

    /// <summary>Support-plan sends the override and triage's decisions from the journey's stream, in the order it applied them.</summary>
    [Fact]
    public void The_override_stands_against_an_older_re_triage_arriving_after_it_and_gives_way_to_a_newer_one()
    {
        var older = _script.Retriaged(eligible: true, hours: 2, priority: Priority.High, version: 2);
        var raised = _script.Retriaged(eligible: true, hours: 3, priority: Priority.Urgent, version: 3);
        var newer = _script.Retriaged(eligible: true, hours: 4, priority: Priority.Routine, version: 4);

        Assert.Equal(RequestPriority.Asap, PrioritiesIn([_script.Registered(), raised, older]).Request);
        Assert.Equal(RequestPriority.Routine, PrioritiesIn([_script.Registered(), newer, raised]).Request);
    }
}
