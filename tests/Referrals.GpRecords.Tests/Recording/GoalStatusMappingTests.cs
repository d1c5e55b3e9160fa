using Referrals.Contracts.SupportPlan;
using Referrals.Fhir;
using Referrals.Fhir.Model;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using static Referrals.GpRecords.Tests.Support.Journeys;

namespace Referrals.GpRecords.Tests.Recording;

/// <summary>
/// A goal's status as support-plan sends it (<c>GoalStatus.ToString()</c>) is filed at the practice as the FHIR R4 Goal
/// lifecycleStatus that means the same, in the live Goal and in the closing summary's snapshot, and the summary's narrative
/// says it in words. This project does not reference support-plan, so its four values are listed here.
/// </summary>
public sealed class GoalStatusMappingTests
{
    private readonly JourneyScript _script = new("A81001");

    private IReadOnlyList<MappedResource> MapWithGoalStatus(string status)
    {
        var goal = new GoalSummary(_script.GoalId, JourneyScript.GoalText, null, status);
        var plan = _script.Plan() with { Goals = [goal] };
        var closed = _script.Closed() with { Summary = _script.Closed().Summary! with { Goals = [goal] } };
        return Map(_script, [_script.Registered(), _script.Opened(), _script.Agreed(), plan, closed]);
    }

    private Bundle ClosingSummary(IReadOnlyList<MappedResource> resources) =>
        resources.Select(r => r.Full).OfType<Bundle>().Single(b => b.Id == ResourceIds.Document(_script.JourneyId, _script.ReferralId, JourneyRecordMapper.ClosureMessage));

    [Theory]
    [InlineData("NotStarted", GoalLifecycleStatus.Planned, "not started")]
    [InlineData("InProgress", GoalLifecycleStatus.Active, "in progress")]
    [InlineData("Achieved", GoalLifecycleStatus.Completed, "achieved")]
    [InlineData("NoLongerRelevant", GoalLifecycleStatus.Cancelled, "no longer relevant")]
    public void Each_support_plan_goal_status_is_filed_as_its_fhir_lifecycle_status_and_told_in_words(string status, GoalLifecycleStatus expected,
        string words)
    {
        var resources = MapWithGoalStatus(status);

        var live = Single<Goal>(resources, g => g.Id == ResourceIds.Goal(_script.JourneyId, _script.GoalId));
        Assert.Equal(expected, live.LifecycleStatus);
        var summary = ClosingSummary(resources);
        Assert.Equal(expected, summary.Entry.Select(e => e.Resource).OfType<Goal>().Single().LifecycleStatus);
        var goals = summary.Entry.Select(e => e.Resource).OfType<Composition>().Single().Section.Single(s => s.Title == "Goals");
        Assert.Contains($"{JourneyScript.GoalText} ({words})", goals.Text!.Div, StringComparison.Ordinal);
        Assert.DoesNotContain("(" + status + ")", FhirJson.Serialize(summary), StringComparison.Ordinal);
    }

    [Fact]
    public void A_goal_status_the_mapper_does_not_know_is_sent_as_proposed_never_as_active()
    {
        var resources = MapWithGoalStatus("SomethingNew");

        var live = Single<Goal>(resources, g => g.Id == ResourceIds.Goal(_script.JourneyId, _script.GoalId));
        Assert.Equal(GoalLifecycleStatus.Proposed, live.LifecycleStatus);
        Assert.Equal([_script.GoalId], JourneyRecordMapper.GoalsOfUnknownStatus(Fold([_script.Registered(),
            _script.Plan() with { Goals = [new GoalSummary(_script.GoalId, JourneyScript.GoalText, null, "SomethingNew")] }])));
        var goals = ClosingSummary(resources).Entry.Select(e => e.Resource).OfType<Composition>().Single().Section.Single(s => s.Title == "Goals");
        Assert.Contains($"{JourneyScript.GoalText} (status not known)", goals.Text!.Div, StringComparison.Ordinal);
    }
}
