using Referrals.Contracts;
using Referrals.Contracts.SupportPlan;
using Referrals.Fhir;
using Referrals.Fhir.Model;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using static Referrals.GpRecords.Tests.Support.Journeys;

namespace Referrals.GpRecords.Tests.Recording;

/// <summary>
/// HAZ-005 C7 and HAZ-021 C3: what the practice's record says of a closed referral. A referral that did not go ahead (nobody
/// took it on, or the person could not be reached, moved away or died) must never read as social prescribing completed, and
/// the reason travels as fixed words in both sharing scopes.
/// </summary>
public sealed class ClosureMappingTests
{
    private readonly JourneyScript _script = new("A81001");

    public static TheoryData<ClosureReason> DidNotGoAhead => [ClosureReason.UnableToContact, ClosureReason.MovedAway, ClosureReason.Deceased];

    private JourneyClosed ClosedAs(ClosureReason reason, int day = 10) =>
        new(_script.JourneyId, _script.PersonId, "programme-1", reason, null, _script.At(day));

    private static IEnumerable<Resource> Rendering(IEnumerable<MappedResource> resources, bool coded) =>
        resources.Select(r => coded ? r.Coded : r.Full).OfType<Resource>();

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

    [Theory]
    [MemberData(nameof(DidNotGoAhead))]
    public void A_journey_nobody_took_on_closed_as_unable_to_contact_moved_away_or_deceased_is_a_revoked_request_and_a_cancelled_task_saying_why_in_both_scopes(
        ClosureReason reason)
    {
        var resources = Map(_script, [_script.Submitted(), _script.Registered(), ClosedAs(reason)]);

        foreach (var coded in new[] { false, true })
        {
            Assert.Equal(RequestStatus.Revoked, Rendering(resources, coded).OfType<ServiceRequest>().Single().Status);
            var task = Rendering(resources, coded).OfType<FhirTask>().Single();
            Assert.Equal(FhirTaskStatus.Cancelled, task.Status);
            Assert.Equal("Closed before a link worker took the referral on: " + JourneyRecordMapper.ClosureText(reason), task.StatusReason?.Text);
        }

        var summary = FhirJson.Serialize(resources.Single(r => r.MessageKind == JourneyRecordMapper.ClosureMessage).Coded!);
        Assert.Contains("before a link worker took the referral on: " + JourneyRecordMapper.ClosureText(reason), summary, StringComparison.Ordinal);
        AssertAllValid(resources);
    }

    [Theory]
    [MemberData(nameof(DidNotGoAhead))]
    public void A_journey_a_worker_took_on_closed_as_unable_to_contact_moved_away_or_deceased_is_a_failed_task_a_revoked_request_and_plan_saying_why_in_both_scopes(
        ClosureReason reason)
    {
        var resources = Map(_script, [_script.Submitted(), _script.Registered(), _script.Opened(), _script.Agreed(), _script.Contact(), _script.Plan(),
            _script.Connection(), ClosedAs(reason, day: 30)]);

        foreach (var coded in new[] { false, true })
        {
            Assert.Equal(RequestStatus.Revoked, Rendering(resources, coded).OfType<ServiceRequest>().Single().Status);
            Assert.Equal(RequestStatus.Revoked, Rendering(resources, coded).OfType<CarePlan>().Single().Status);
            var task = Rendering(resources, coded).OfType<FhirTask>().Single();
            Assert.Equal(FhirTaskStatus.Failed, task.Status);
            Assert.Equal("Closed: " + JourneyRecordMapper.ClosureText(reason), task.StatusReason?.Text);
        }

        AssertAllValid(resources);
    }

    [Theory]
    [InlineData(ClosureReason.GoalsMet)]
    [InlineData(ClosureReason.PersonChoseToEnd)]
    [InlineData(ClosureReason.ReferredToAnotherService)]
    public void A_worked_journey_closed_with_an_outcome_of_support_is_completed_and_says_why_in_both_scopes(ClosureReason reason)
    {
        var resources = Map(_script, [.. _script.FullHistory().Where(f => f is not JourneyClosed), _script.Closed() with { Reason = reason }]);

        foreach (var coded in new[] { false, true })
        {
            Assert.Equal(RequestStatus.Completed, Rendering(resources, coded).OfType<ServiceRequest>().Single().Status);
            Assert.Equal(RequestStatus.Completed, Rendering(resources, coded).OfType<CarePlan>().Single().Status);
            var task = Rendering(resources, coded).OfType<FhirTask>().Single();
            Assert.Equal(FhirTaskStatus.Completed, task.Status);
            Assert.Equal("Closed: " + JourneyRecordMapper.ClosureText(reason), task.StatusReason?.Text);
        }

        AssertAllValid(resources);
    }
}
