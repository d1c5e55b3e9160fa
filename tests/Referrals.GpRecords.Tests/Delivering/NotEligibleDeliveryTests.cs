using System.Text.Json.Nodes;
using Referrals.Deploy.Practice;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;

namespace Referrals.GpRecords.Tests.Delivering;

/// <summary>
/// HAZ-005 C8 through the consumers and the test receiver: what the registered practice holds for a referral triage found
/// not eligible, ruled out of scope by a team lead's override after registration, or brought back into scope; and (HAZ-009 C5)
/// the priority a team lead's override gives it.
/// </summary>
public sealed class NotEligibleDeliveryTests : PracticeDeliveryTest
{
    private const string Practice = "B82011";

    protected override Task<GpRecordsHarness> StartHarnessAsync(PracticeFhirReceiver receiver) =>
        GpRecordsHarness.StartAsync(receiver, [Practice]);

    private static string ServiceRequestKey(JourneyScript script) => "ServiceRequest/" + ResourceIds.ServiceRequest(script.JourneyId, script.ReferralId);

    private static string TaskKey(JourneyScript script) => "Task/" + ResourceIds.Task(script.JourneyId, script.ReferralId);

    private JsonNode? Held(string key) =>
        Receiver.StoreBySenderIdOf(Practice).TryGetValue(key, out var stored) ? JsonNode.Parse(stored.Json) : null;

    /// <summary>Waits until the practice holds the referral's ServiceRequest and Task with these statuses.</summary>
    private async Task<(JsonNode Request, JsonNode Task)> PracticeShowsAsync(JourneyScript script, string requestStatus, string taskStatus)
    {
        await Eventually.TrueAsync(() => Task.FromResult(
                Held(ServiceRequestKey(script))?["status"]?.GetValue<string>() == requestStatus &&
                Held(TaskKey(script))?["status"]?.GetValue<string>() == taskStatus),
            $"the practice to hold the referral as {requestStatus} / {taskStatus}", diagnose: () => Harness.DiagnoseAsync(script.JourneyId, script.PersonId));
        return (Held(ServiceRequestKey(script))!, Held(TaskKey(script))!);
    }

    [Fact]
    public async Task A_referral_triage_found_not_eligible_reaches_the_practice_as_a_revoked_service_request_and_a_rejected_task_never_as_requested()
    {
        var script = new JourneyScript(Practice);
        await Harness.PublishAsync(script.Submitted(), script.RegisteredNotEligible());

        var (_, task) = await PracticeShowsAsync(script, "revoked", "rejected");
        await Harness.QuietAsync(script.JourneyId, [script.Submitted(), script.RegisteredNotEligible()]);

        Assert.Equal(JourneyRecordMapper.NotEligibleReason, task["statusReason"]!["text"]!.GetValue<string>());
        Assert.DoesNotContain(Receiver.Transactions, t => t.BundleJson.Contains("\"requested\"", StringComparison.Ordinal));
        Assert.All(Receiver.Transactions, t => Emitted.AssertValid(t.BundleJson));
    }

    [Fact]
    public async Task An_override_to_not_eligible_after_registration_reaches_the_practice_and_an_override_back_makes_the_referral_requested_again()
    {
        var script = new JourneyScript(Practice);
        List<object> published = [script.Submitted(), script.Registered()];
        await Harness.PublishAsync(published);
        await PracticeShowsAsync(script, "active", "requested");
        await Harness.QuietAsync(script.JourneyId, published);

        var ruledOut = script.Retriaged(eligible: false, hours: 3, version: 2);
        published.Add(ruledOut);
        await Harness.PublishAsync(ruledOut);
        var (_, rejected) = await PracticeShowsAsync(script, "revoked", "rejected");
        Assert.Equal(JourneyRecordMapper.NotEligibleReason, rejected["statusReason"]!["text"]!.GetValue<string>());
        await Harness.QuietAsync(script.JourneyId, published);

        var broughtBack = script.Retriaged(eligible: true, hours: 5, version: 3);
        published.Add(broughtBack);
        await Harness.PublishAsync(broughtBack);
        var (_, requested) = await PracticeShowsAsync(script, "active", "requested");
        Assert.Null(requested["statusReason"]);
        await Harness.QuietAsync(script.JourneyId, published);

        Assert.All(Receiver.Transactions, t => Emitted.AssertValid(t.BundleJson));
    }

    /// <summary>HAZ-009 C5: support-plan publishes a team lead's override of priority alone as <c>ReferralRetriaged</c>.</summary>
    [Fact]
    public async Task A_priority_only_override_after_registration_reaches_the_practice_as_an_asap_service_request_and_task()
    {
        var script = new JourneyScript(Practice);
        List<object> published = [script.Submitted(), script.Registered()];
        await Harness.PublishAsync(published);
        var (routine, _) = await PracticeShowsAsync(script, "active", "requested");
        Assert.Equal("routine", routine["priority"]!.GetValue<string>());
        await Harness.QuietAsync(script.JourneyId, published);

        var raised = script.Retriaged(eligible: true, hours: 3, priority: Contracts.Priority.Urgent, version: 2);
        published.Add(raised);
        await Harness.PublishAsync(raised);
        await Eventually.TrueAsync(() => Task.FromResult(Held(ServiceRequestKey(script))?["priority"]?.GetValue<string>() == "asap"),
            "the practice to hold the referral as asap", diagnose: () => Harness.DiagnoseAsync(script.JourneyId, script.PersonId));
        await Harness.QuietAsync(script.JourneyId, published);

        var (request, task) = await PracticeShowsAsync(script, "active", "requested");
        Assert.Equal(("asap", "asap"), (request["priority"]!.GetValue<string>(), task["priority"]!.GetValue<string>()));
        Assert.All(Receiver.Transactions, t => Emitted.AssertValid(t.BundleJson));
    }
}
