using System.Text.Json.Nodes;
using Referrals.Contracts;
using Referrals.Contracts.SupportPlan;
using Referrals.Fhir;
using Referrals.Fhir.Model;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using static Referrals.GpRecords.Tests.Support.Journeys;

namespace Referrals.GpRecords.Tests.Recording;

/// <summary>
/// HAZ-005 (sent twice): a closing summary is a final document. Built from what stood in its episode when it closed, it never
/// changes afterwards, so a re-referral never sends the practice a second, different copy of an earlier episode's summary.
/// </summary>
public sealed class ClosingSummaryTests
{
    private readonly JourneyScript _script = new("A81001");
    private readonly Guid _secondReferral = Guid.NewGuid();
    private readonly Guid _newGoal = Guid.NewGuid();

    private string FirstSummaryKey => "Bundle/" + ResourceIds.Document(_script.JourneyId, _script.ReferralId, JourneyRecordMapper.ClosureMessage);

    /// <summary>A second episode: re-referral, opening, a new plan dropping the first goal, a new what-matters, a connection and a closure.</summary>
    private IReadOnlyList<object> SecondEpisode() =>
    [
        _script.Registered() with { ReferralId = _secondReferral, RegisteredAt = _script.At(40) },
        new JourneyOpened(_script.JourneyId, _script.PersonId, _secondReferral, "programme-1", "worker-2", true, 2, _script.At(41)),
        new WhatMattersRecorded(_script.JourneyId, _script.PersonId, "Something else now", [NeedCategory.Housing], _script.At(42)),
        new SupportPlanAgreed(_script.JourneyId, _script.PersonId, [new GoalSummary(_newGoal, "A different goal", null, "Active")], null, _script.At(45)),
        new CommunityConnectionMade(_script.JourneyId, _script.PersonId, Guid.NewGuid(), "Housing advice", ConnectionKind.Signposting, null, _script.At(46)),
        new JourneyClosed(_script.JourneyId, _script.PersonId, "programme-1", ClosureReason.UnableToContact, null, _script.At(60)),
    ];

    private string SnapshotIn(Guid referralId, string resourceType, string liveId) =>
        ResourceIds.Snapshot(ResourceIds.Composition(_script.JourneyId, referralId, JourneyRecordMapper.ClosureMessage), resourceType, liveId);

    /// <summary>Every <c>reference</c> anywhere in a resource's JSON.</summary>
    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "reference" && p.Value is JsonValue v ? [v.GetValue<string>()] : References(p.Value)),
        JsonArray a => a.SelectMany(References),
        _ => [],
    };

    private static IEnumerable<string> IdentifierValues(JsonNode resource) => resource["identifier"] switch
    {
        JsonArray a => a.Select(i => i!["value"]!.GetValue<string>()),
        JsonObject o => [o["value"]!.GetValue<string>()],
        _ => [],
    };

    [Fact]
    public void A_closing_summarys_goals_and_care_plan_are_snapshots_under_ids_and_identifiers_no_live_resource_has_and_every_reference_resolves_within_it()
    {
        var resources = Map(_script, [.. _script.FullHistory(), .. SecondEpisode()]);
        var summaries = resources.Where(r => r.MessageKind == JourneyRecordMapper.ClosureMessage).ToList();
        Assert.Equal(2, summaries.Count);
        foreach (var coded in new[] { false, true })
        {
            var live = resources.Where(r => r.Full is not Bundle).Select(r => coded ? r.Coded : r.Full).OfType<Resource>()
                .Select(r => JsonNode.Parse(FhirJson.Serialize(r))!).ToList();
            var liveIds = live.Select(r => r["id"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            var liveIdentifiers = live.SelectMany(IdentifierValues).ToHashSet(StringComparer.Ordinal);
            var liveKeys = live.Select(r => r["resourceType"]!.GetValue<string>() + "/" + r["id"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var summary in summaries)
            {
                var document = JsonNode.Parse(FhirJson.Serialize(coded ? summary.Coded! : summary.Full))!;
                var entries = document["entry"]!.AsArray().Select(e => (FullUrl: e!["fullUrl"]!.GetValue<string>(), Resource: e["resource"]!)).ToList();
                var snapshots = entries.Select(e => e.Resource).Where(r => r["resourceType"]!.GetValue<string>() is "Goal" or "CarePlan").ToList();
                Assert.Contains(snapshots, r => r["resourceType"]!.GetValue<string>() == "CarePlan");
                Assert.Equal(!coded, snapshots.Any(r => r["resourceType"]!.GetValue<string>() == "Goal"));
                Assert.All(snapshots, r =>
                {
                    Assert.DoesNotContain(r["id"]!.GetValue<string>(), liveIds);
                    Assert.All(IdentifierValues(r), v => Assert.DoesNotContain(v, liveIdentifiers));
                    Assert.NotEmpty(IdentifierValues(r));
                });

                // What is not a snapshot (the Patient, the Task, the outcome Observations) keeps its live id.
                Assert.Equal("Patient/" + ResourceIds.Patient(_script.PersonId), entries[1].Resource["resourceType"]!.GetValue<string>() + "/" + entries[1].Resource["id"]!.GetValue<string>());
                Assert.All(entries.Skip(2).Select(e => e.Resource).Except(snapshots),
                    r => Assert.Contains(r["resourceType"]!.GetValue<string>() + "/" + r["id"]!.GetValue<string>(), liveKeys));

                // Every reference resolves within the document, but those to the live ServiceRequest and agreement Procedure
                // the summary does not carry (it refers to the practice's copies, sent on their own).
                var unresolved = References(document).Where(reference => !entries.Any(e => e.FullUrl.EndsWith("/" + reference, StringComparison.Ordinal))).ToList();
                Assert.All(unresolved, reference => Assert.Matches("^(ServiceRequest|Procedure)/", reference));
                Assert.All(unresolved, reference => Assert.Contains(reference, liveKeys));
                Emitted.AssertValid(document.ToJsonString());
            }
        }
    }

    [Fact]
    public void A_closed_episodes_closing_summary_is_byte_identical_in_both_scopes_however_a_later_episode_goes()
    {
        var before = Map(_script, _script.FullHistory()).Single(r => r.Key == FirstSummaryKey);
        var second = SecondEpisode();
        for (var step = 1; step <= second.Count; step++)
        {
            var after = Map(_script, [.. _script.FullHistory(), .. second.Take(step)]).Single(r => r.Key == FirstSummaryKey);
            Assert.Equal(FhirJson.Serialize(before.Full), FhirJson.Serialize(after.Full));
            Assert.Equal(FhirJson.Serialize(before.Coded!), FhirJson.Serialize(after.Coded!));
        }
    }

    [Fact]
    public void A_closing_summary_carries_its_episodes_goals_and_plan_as_they_stood_at_the_closure()
    {
        var resources = Map(_script, [.. _script.FullHistory(), .. SecondEpisode()]);
        var first = (Bundle)resources.Single(r => r.Key == FirstSummaryKey).Full;

        // The goal as the closure stated it (achieved), not as the later plan left it: a snapshot of the first summary's own.
        var goal = first.Entry.Select(e => e.Resource).OfType<Goal>().Single();
        Assert.Equal(SnapshotIn(_script.ReferralId, "Goal", ResourceIds.Goal(_script.JourneyId, _script.GoalId)), goal.Id);
        Assert.Equal(GoalLifecycleStatus.Completed, goal.LifecycleStatus);
        var plan = first.Entry.Select(e => e.Resource).OfType<CarePlan>().Single();
        Assert.Equal(RequestStatus.Completed, plan.Status);
        Assert.Equal("ServiceRequest/" + ResourceIds.ServiceRequest(_script.JourneyId, _script.ReferralId), plan.BasedOn.Single().Reference);
        Assert.Equal(["Goal/" + goal.Id], plan.Goal.Select(g => g.Reference));
        Assert.DoesNotContain("Housing advice", FhirJson.Serialize(first), StringComparison.Ordinal);

        // The second episode's summary has its own plan and connection only, closed as it was (unable to contact).
        var secondSummary = (Bundle)resources.Single(r => r.Full.Id == ResourceIds.Document(_script.JourneyId, _secondReferral, JourneyRecordMapper.ClosureMessage)).Full;
        var secondPlan = secondSummary.Entry.Select(e => e.Resource).OfType<CarePlan>().Single();
        Assert.Equal(RequestStatus.Revoked, secondPlan.Status);
        Assert.Equal(["Goal/" + SnapshotIn(_secondReferral, "Goal", ResourceIds.Goal(_script.JourneyId, _newGoal))], secondPlan.Goal.Select(g => g.Reference));
        Assert.Single(secondPlan.Activity);
        Assert.All(resources, r => Emitted.AssertValid(FhirJson.Serialize(r.Full)));
    }

    [Fact]
    public void A_goal_a_later_plan_dropped_is_sent_as_cancelled_and_one_already_achieved_keeps_its_status()
    {
        var achieved = Guid.NewGuid();
        var first = new SupportPlanAgreed(_script.JourneyId, _script.PersonId,
            [new GoalSummary(_script.GoalId, JourneyScript.GoalText, null, "Active"), new GoalSummary(achieved, "Join the choir", null, "Achieved")], null, _script.At(3));
        var later = new SupportPlanAgreed(_script.JourneyId, _script.PersonId, [new GoalSummary(_newGoal, "A different goal", null, "Active")], null, _script.At(8));

        foreach (var order in new[] { new object[] { first, later }, [later, first] })
        {
            var resources = Map(_script, [_script.Registered(), _script.Opened(), _script.Agreed(), .. order]);
            Assert.Equal(GoalLifecycleStatus.Cancelled, Single<Goal>(resources, g => g.Id == ResourceIds.Goal(_script.JourneyId, _script.GoalId)).LifecycleStatus);
            Assert.Equal(GoalLifecycleStatus.Completed, Single<Goal>(resources, g => g.Id == ResourceIds.Goal(_script.JourneyId, achieved)).LifecycleStatus);
            Assert.Equal(GoalLifecycleStatus.Active, Single<Goal>(resources, g => g.Id == ResourceIds.Goal(_script.JourneyId, _newGoal)).LifecycleStatus);
            Assert.Equal(["Goal/" + ResourceIds.Goal(_script.JourneyId, _newGoal)], Single<CarePlan>(resources).Goal.Select(g => g.Reference));
            Assert.All(resources, r => Emitted.AssertValid(FhirJson.Serialize(r.Full)));
        }
    }
}
