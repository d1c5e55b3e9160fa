using Referrals.Deploy.Journeys;
using Referrals.Fhir.Testing;
using Referrals.Testing.Hosting.Platform;

namespace Referrals.EndToEnd.Tests.Journeys;

/// <summary>
/// Whole journeys through the public APIs only, against the four services running as processes. The same tests run on
/// one instance of each service and on two: nothing lost, nothing duplicated, order per journey kept.
/// </summary>
public abstract class JourneyTests(PlatformFixture fixture)
{
    private const string Practice = "B86001";
    private const string Programme = "north-leeds";

    private ProcessPlatform Platform => fixture.Platform;
    private PlatformClient Client => fixture.Platform.Client;

    private sealed record OpenJourney(Guid ReferralId, Guid JourneyId, Worker Worker, string NhsNumber);

    private async Task<OpenJourney> ReferAndAcceptAsync(string? nhsNumber = null, string practice = Practice)
    {
        nhsNumber ??= ReferralForms.NewNhsNumber();
        var referralId = await Client.SubmitReferralAsync(ReferralForms.GpReferral(practice, Programme, nhsNumber));
        var (assignmentId, worker) = await Client.WaitForAssignmentAsync(referralId, Programme);
        await Client.AcceptAsync(assignmentId, worker);
        var journeyId = await Client.WaitForOpenJourneyAsync(referralId, worker);
        return new OpenJourney(referralId, journeyId, worker, nhsNumber);
    }

    private async Task RunToClosureAsync(OpenJourney journey)
    {
        await Client.JourneyCommandAsync(journey.JourneyId, journey.Worker, "contacts",
            new { kind = "FaceToFaceCommunity", outcome = "Attended", durationMinutes = 45, venue = "Library" });
        await Client.JourneyCommandAsync(journey.JourneyId, journey.Worker, "agreement", null);
        await Client.JourneyCommandAsync(journey.JourneyId, journey.Worker, "outcome-measures",
            new { instrument = "Swemwbs", point = "Baseline", items = new[] { 2, 3, 2, 3, 2, 3, 2 } });
        await Client.JourneyCommandAsync(journey.JourneyId, journey.Worker, "plan/goals",
            new { description = "Walk with the Tuesday group", targetDate = DateTime.UtcNow.AddMonths(2).ToString("yyyy-MM-dd") });
        await Client.JourneyCommandAsync(journey.JourneyId, journey.Worker, "plan/agreement", new { personAgreed = true });
        await Client.JourneyCommandAsync(journey.JourneyId, journey.Worker, "connections",
            new { serviceName = "Meanwood Walking Group", kind = "Signposting" });
        await Client.JourneyCommandAsync(journey.JourneyId, journey.Worker, "outcome-measures",
            new { instrument = "Swemwbs", point = "Closing", items = new[] { 4, 4, 3, 4, 3, 4, 4 } });
        await Client.JourneyCommandAsync(journey.JourneyId, journey.Worker, "closure", new { reason = "GoalsMet", note = "Connected" });
    }

    private Task<PracticeRecord> WaitForPracticeAsync(string nhsNumber, Func<PracticeRecord, bool> done, string practice = Practice) =>
        Client.PollAsync(() => Task.FromResult(new PracticeRecord(Platform.Practice.StoreOf(practice), nhsNumber)), done, "the practice record");

    private static bool TaskIs(PracticeRecord record, string status) =>
        record.OfType("Task").Any(t => t.GetProperty("status").GetString() == status);

    /// <summary>
    /// Everything <see cref="RunToClosureAsync"/> codes has arrived. Support-plan's facts reach gp-records on a queue per kind,
    /// so the agreement may be produced after the closure (on two instances, or behind a lock wait); the record converges, and
    /// waiting for the completed Task alone would read it before the agreement Procedure is there.
    /// </summary>
    private static bool ClosedJourneyArrived(PracticeRecord record) =>
        TaskIs(record, "completed") && record.Coded("Observation", "718466001").Count == 2 && record.Coded("Procedure", "871731000000106").Count > 0;

    [Fact]
    public async Task A_gp_referral_runs_to_closure_and_the_registered_practice_receives_the_coded_record()
    {
        var journey = await ReferAndAcceptAsync();
        await RunToClosureAsync(journey);

        var status = await Client.WaitForStatusAsync(journey.ReferralId, Practice, s => s == "Closed");
        var record = await WaitForPracticeAsync(journey.NhsNumber, ClosedJourneyArrived);

        Assert.Equal("GoalsMet", status.GetProperty("closureReason").GetString());
        Assert.Single(record.Coded("ServiceRequest", "871731000000106"));
        Assert.Single(record.Coded("Procedure", "871731000000106"));
        var metrics = record.Coded("Observation", "718466001").Select(o => o.GetProperty("valueQuantity").GetProperty("value").GetDecimal()).Order();
        Assert.Equal([16.88m, 23.21m], metrics);
        foreach (var resource in record.Resources)
        {
            FhirSchemaValidator.Shared.AssertValid(resource.GetRawText());
        }
    }

    [Fact]
    public async Task After_the_person_moves_practice_the_rest_of_the_journey_is_coded_at_the_new_practice_only()
    {
        const string newPractice = "B86002";
        var journey = await ReferAndAcceptAsync();
        await WaitForPracticeAsync(journey.NhsNumber, r => TaskIs(r, "accepted"));
        var personId = (await Client.JourneyAsync(journey.JourneyId, journey.Worker)).GetProperty("personId").GetGuid();

        await Client.ChangeRegisteredPracticeAsync(personId, newPractice, Programme);
        // GP-records has recorded the move once the new practice's system finds the person and the old one does not.
        await Client.PollAsync(async () => await Client.PatientVisibleAsync(journey.NhsNumber, newPractice) &&
                                           !await Client.PatientVisibleAsync(journey.NhsNumber, Practice), v => v, "gp-records to record the move");
        await RunToClosureAsync(journey);

        var record = await WaitForPracticeAsync(journey.NhsNumber, ClosedJourneyArrived, newPractice);
        Assert.Single(record.Coded("Procedure", "871731000000106"));
        var old = new PracticeRecord(Platform.Practice.StoreOf(Practice), journey.NhsNumber);
        Assert.Empty(old.Coded("Procedure", "871731000000106"));
        Assert.Empty(old.Coded("Observation", "718466001"));
    }

    [Fact]
    public async Task A_person_who_declines_is_coded_as_declined_at_their_practice_and_the_referrer_is_told()
    {
        var journey = await ReferAndAcceptAsync();
        await Client.JourneyCommandAsync(journey.JourneyId, journey.Worker, "decline", new { reason = "Has enough support" });

        var status = await Client.WaitForStatusAsync(journey.ReferralId, Practice, s => s is "Declined" or "Closed");
        // The referrer learns it either as the Declined step or as the journey's closure reason (whichever event came first).
        Assert.True(status.GetProperty("history").EnumerateArray().Any(h => h.GetProperty("status").GetString() == "Declined") ||
                    status.GetProperty("closureReason").GetString() == "Declined");
        var record = await WaitForPracticeAsync(journey.NhsNumber, r => r.Coded("Observation", "871711000000103").Count == 1);
        Assert.Empty(record.Coded("Procedure", "871731000000106"));
    }

    [Fact]
    public async Task A_referral_indicating_risk_is_escalated_never_queued_and_the_referrer_is_told()
    {
        var referral = ReferralForms.GpReferral(Practice, Programme, riskOfHarmToSelf: true,
            riskNotes: "Told the GP she has been saving up her tablets");
        var referralId = await Client.SubmitReferralAsync(referral);

        await Client.PollAsync(() => Client.ReferralStatusAsync(referralId, Practice),
            s => s.GetProperty("escalated").GetBoolean(), "the referrer to be told of the escalation");
        var triage = await Client.PollAsync(() => Client.TriageReferralAsync(referralId, Programme),
            r => r.GetProperty("escalated").GetBoolean(), "triage to escalate");
        Assert.NotEqual("Queued", triage.GetProperty("status").GetString());
        Assert.Equal("Urgent", triage.GetProperty("priority").GetString());

        var queue = await Client.PollAsync(() => Client.ProgrammeQueueAsync(Programme),
            q => q.GetProperty("unacknowledgedEscalations").EnumerateArray().Any(e => e.GetProperty("referralId").GetGuid() == referralId),
            "the escalation on the team lead's queue");
        Assert.DoesNotContain(queue.GetProperty("queue").EnumerateArray(), q => q.GetProperty("referralId").GetGuid() == referralId);
        var escalationId = queue.GetProperty("unacknowledgedEscalations").EnumerateArray()
            .First(e => e.GetProperty("referralId").GetGuid() == referralId).GetProperty("escalationId").GetGuid();

        var acknowledged = await Client.AcknowledgeEscalationAsync(escalationId, Programme);
        Assert.Equal("Acknowledged", acknowledged.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_second_referral_reporting_risk_for_a_person_on_an_open_journey_escalates_the_open_referral_and_its_referrer_is_told()
    {
        var journey = await ReferAndAcceptAsync();
        var linkedId = await Client.SubmitReferralAsync(ReferralForms.GpReferral(Practice, Programme, journey.NhsNumber, riskOfHarmToSelf: true));
        Assert.Equal("LinkedToOpenJourney", (await Client.ReferralStatusAsync(linkedId, Practice)).GetProperty("status").GetString());

        await Client.PollAsync(() => Client.ReferralStatusAsync(linkedId, Practice),
            s => s.GetProperty("escalated").GetBoolean() && s.GetProperty("escalationNotices").GetArrayLength() > 0,
            "the referrer of the linked referral to be told of the escalation");
        var queue = await Client.PollAsync(() => Client.ProgrammeQueueAsync(Programme),
            q => q.GetProperty("unacknowledgedEscalations").EnumerateArray().Any(e => e.GetProperty("referralId").GetGuid() == journey.ReferralId),
            "the escalation of the open referral on the team lead's queue");
        var escalationId = queue.GetProperty("unacknowledgedEscalations").EnumerateArray()
            .First(e => e.GetProperty("referralId").GetGuid() == journey.ReferralId).GetProperty("escalationId").GetGuid();

        var acknowledged = await Client.AcknowledgeEscalationAsync(escalationId, Programme);
        Assert.Equal("Acknowledged", acknowledged.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_withdrawn_referral_stops_and_the_referrer_sees_it_withdrawn()
    {
        var nhsNumber = ReferralForms.NewNhsNumber();
        var referralId = await Client.SubmitReferralAsync(ReferralForms.GpReferral(Practice, Programme, nhsNumber));
        await Client.WaitForAssignmentAsync(referralId, Programme);

        await Client.WithdrawAsync(referralId, Practice, "Referred in error");

        // A withdrawal shows until support-plan closes the journey because of it; then the referral shows Closed with the
        // reason Withdrawn. Which of the two the poll sees depends on how fast that closure comes back.
        var status = await Client.WaitForStatusAsync(referralId, Practice, s => s is "Withdrawn" or "Closed");
        Assert.Contains(status.GetProperty("history").EnumerateArray(), h => h.GetProperty("status").GetString() == "Withdrawn");
        Assert.True(status.GetProperty("status").GetString() == "Withdrawn" || status.GetProperty("closureReason").GetString() == "Withdrawn");
        await Client.PollAsync(() => Client.TriageReferralAsync(referralId, Programme),
            r => r.GetProperty("status").GetString() == "Withdrawn", "triage to withdraw the referral");
        Assert.DoesNotContain((await Client.ProgrammeQueueAsync(Programme)).GetProperty("awaitingResponse").EnumerateArray(),
            a => a.GetProperty("referralId").GetGuid() == referralId);
    }

    [Fact]
    public async Task A_referral_a_team_lead_rules_out_of_scope_shows_not_eligible_to_the_referrer_and_the_person_can_be_referred_again()
    {
        var nhsNumber = ReferralForms.NewNhsNumber();
        var referralId = await Client.SubmitReferralAsync(ReferralForms.GpReferral(Practice, Programme, nhsNumber));
        await Client.WaitForAssignmentAsync(referralId, Programme);

        await Client.OverrideTriageAsync(referralId, Programme, "LinkWorker", "Routine", eligible: false, "Lives outside the area");

        var status = await Client.WaitForStatusAsync(referralId, Practice, s => s == "NotEligible");
        Assert.DoesNotContain("outside the area", status.ToString(), StringComparison.Ordinal);
        // The ruled-out referral no longer holds an open journey: the next referral is triaged, not linked to it.
        var again = await Client.SubmitReferralAsync(ReferralForms.GpReferral(Practice, Programme, nhsNumber));
        await Client.WaitForAssignmentAsync(again, Programme);
    }

    [Fact]
    public async Task An_approved_erasure_removes_the_person_from_every_service_and_leaves_another_journey_untouched()
    {
        var erased = await ReferAndAcceptAsync();
        var other = await ReferAndAcceptAsync();
        await Client.JourneyCommandAsync(erased.JourneyId, erased.Worker, "contacts",
            new { kind = "Phone", outcome = "Attended", durationMinutes = 20, note = "First call" });
        var personId = (await Client.JourneyAsync(erased.JourneyId, erased.Worker)).GetProperty("personId").GetGuid();
        var otherPersonId = (await Client.JourneyAsync(other.JourneyId, other.Worker)).GetProperty("personId").GetGuid();

        var requestId = await Client.RequestErasureAsync(personId, Client.WorkerToken(erased.Worker));
        var review = await Client.ReviewErasureAsync(requestId, new { decision = "Approve", reason = "Consent withdrawn; no exemption applies" });
        Assert.Equal("Approved", review.GetProperty("state").GetString());

        var package = await Client.PollAsync(() => Client.SubjectAccessAsync(personId),
            p => p.GetProperty("services").EnumerateArray().All(s => s.GetProperty("erased").GetBoolean()), "every service to erase the person");
        Assert.Equal(4, package.GetProperty("services").GetArrayLength());
        Assert.DoesNotContain(erased.NhsNumber, package.GetRawText(), StringComparison.Ordinal);
        var untouched = await Client.SubjectAccessAsync(otherPersonId);
        Assert.All(untouched.GetProperty("services").EnumerateArray(), s => Assert.False(s.GetProperty("erased").GetBoolean()));
        Assert.Contains(other.NhsNumber, untouched.GetRawText(), StringComparison.Ordinal);
        await Client.JourneyCommandAsync(other.JourneyId, other.Worker, "agreement", null);
    }

    [Fact]
    public async Task A_re_referral_after_closure_reopens_the_journey_without_a_second_agreement_code()
    {
        var first = await ReferAndAcceptAsync();
        await RunToClosureAsync(first);
        await Client.WaitForStatusAsync(first.ReferralId, Practice, s => s == "Closed");
        await WaitForPracticeAsync(first.NhsNumber, r => TaskIs(r, "completed"));

        var again = await ReferAndAcceptAsync(first.NhsNumber);
        Assert.Equal(first.JourneyId, again.JourneyId);
        var journey = await Client.JourneyAsync(again.JourneyId, again.Worker);
        Assert.True(journey.GetProperty("reopened").GetBoolean());
        Assert.False(journey.GetProperty("decision").GetProperty("agreementDue").GetBoolean());

        var record = await WaitForPracticeAsync(first.NhsNumber, r => r.OfType("Task").Count == 2);
        Assert.Single(record.Coded("Procedure", "871731000000106"));
    }

    [Fact]
    public async Task Journeys_running_at_once_all_arrive_complete_with_nothing_duplicated()
    {
        var journeys = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ReferAndAcceptAsync()));
        await Task.WhenAll(journeys.Select(RunToClosureAsync));

        foreach (var journey in journeys)
        {
            var record = await WaitForPracticeAsync(journey.NhsNumber, ClosedJourneyArrived);
            Assert.Single(record.Coded("Procedure", "871731000000106"));
            Assert.Single(record.Coded("ServiceRequest", "871731000000106"));
            // The final state wins at the practice: deliveries of a journey arrived in order.
            Assert.All(record.OfType("Task"), t => Assert.Equal("completed", t.GetProperty("status").GetString()));
        }

        var patients = Platform.Practice.StoreOf(Practice).Where(r => r.Key.StartsWith("Patient/", StringComparison.Ordinal))
            .Select(r => r.Value.Json).ToList();
        foreach (var journey in journeys)
        {
            Assert.Single(patients, p => p.Contains(journey.NhsNumber, StringComparison.Ordinal));
        }
    }
}

public sealed class SingleInstanceJourneyTests(SingleInstancePlatform fixture) : JourneyTests(fixture), IClassFixture<SingleInstancePlatform>;

public sealed class ScaledOutJourneyTests(ScaledOutPlatform fixture) : JourneyTests(fixture), IClassFixture<ScaledOutPlatform>;
