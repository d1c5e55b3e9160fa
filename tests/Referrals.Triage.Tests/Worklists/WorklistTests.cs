using System.Net;
using System.Net.Http.Json;
using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Auth;
using Referrals.Testing;
using Referrals.Triage.Escalating;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;
using Referrals.Triage.Tests.Support;
using Referrals.Triage.Worklists;

namespace Referrals.Triage.Tests.Worklists;

public sealed class WorklistTests(SharedHost host) : IClassFixture<SharedHost>
{
    private TriageHost Triage => host.Triage;

    private async Task<ReferralAssigned> SubmitAsync(string programme, string practice, Action<Contracts.Intake.ReferralSubmitted>? _ = null,
        IReadOnlyList<NeedCategory>? needs = null, RiskAnswers? risk = null, DateTimeOffset? submittedAt = null)
    {
        var submitted = Fixtures.Referral(programme, practice, needs: needs, risk: risk, submittedAt: submittedAt);
        return await Triage.PublishAndWaitAsync<ReferralAssigned>(submitted, a => a.ReferralId == submitted.ReferralId);
    }

    [Fact]
    public async Task A_worklist_shows_escalations_first_then_priority_then_the_longest_wait()
    {
        var id = Fixtures.UniqueId("solo");
        await Triage.DefineAsync(new DefineProgramme(id, "Solo practice", null, null,
            Fixtures.WeekdayRota("solo-1") with { Slots = [new(Enum.GetValues<DayOfWeek>(), new TimeOnly(0, 0), new TimeOnly(23, 59), "solo-1", "tl")] },
            null, [Fixtures.Worker("solo-1", Tier.PsychosocialLinkWorker, [])]));
        var now = DateTimeOffset.UtcNow;
        var olderRoutine = await SubmitAsync(id, "P1", submittedAt: now.AddDays(-3));
        var newerRoutine = await SubmitAsync(id, "P1", submittedAt: now.AddDays(-1));
        var high = await SubmitAsync(id, "P1", needs: [NeedCategory.FoodOrFuel], submittedAt: now.AddHours(-2));
        var escalated = await SubmitAsync(id, "P1", risk: new RiskAnswers(false, false, true, false), submittedAt: now);

        using var worker = Triage.LinkWorker(id, "solo-1");
        var worklist = (await worker.GetFromJsonAsync<WorklistResponse>("/worklist", TriageHost.Json))!;
        Assert.Equal([escalated.AssignmentId, high.AssignmentId, olderRoutine.AssignmentId, newerRoutine.AssignmentId],
            worklist.Assignments.Select(a => a.AssignmentId).ToArray());
        Assert.True(worklist.Assignments[0].Escalated);
        Assert.Equal(Priority.Urgent, worklist.Assignments[0].Priority);
        Assert.True(worklist.Assignments[2].WaitingMinutes > worklist.Assignments[3].WaitingMinutes);
        var escalation = Assert.Single(worklist.Escalations);
        Assert.Equal(escalated.ReferralId, escalation.ReferralId);
        Assert.NotNull(escalation.AcknowledgeBy);
    }

    /// <summary>
    /// HAZ-002 C7: the rota names the worker, but their token does not name the programme (none, or another: identity provider
    /// misconfigured or stale). The escalation and the offer waiting for them are not shown (they could act on neither) but
    /// counted, with the programmes the token names, so the worklist says the account is not set up rather than "none".
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("another-programme")]
    public async Task A_rota_worker_whose_token_does_not_name_the_programme_is_told_what_waits_for_them_there_not_given_an_empty_worklist(
        string? tokenProgramme)
    {
        var id = Fixtures.UniqueId("stale");
        var workerId = Fixtures.UniqueId("duty");
        await Triage.DefineAsync(new DefineProgramme(id, "Stale token", null, null,
            Fixtures.WeekdayRota(workerId) with { Slots = [new(Enum.GetValues<DayOfWeek>(), new TimeOnly(0, 0), new TimeOnly(23, 59), workerId, "tl")] },
            null, [Fixtures.Worker(workerId, Tier.PsychosocialLinkWorker, [])]));
        var escalated = await SubmitAsync(id, "P1", risk: new RiskAnswers(false, false, true, false));
        Assert.Equal(workerId, escalated.LinkWorkerId);
        var duty = await Triage.Probe.WaitForAsync<ReferralEscalated>(e => e.ReferralId == escalated.ReferralId && e.RecipientId == workerId);

        using var stale = tokenProgramme is null
            ? Triage.Host.ClientFor(Roles.LinkWorker, (ReferralsClaims.LinkWorkerId, workerId))
            : Triage.LinkWorker(tokenProgramme, workerId);
        var worklist = (await stale.GetFromJsonAsync<WorklistResponse>("/worklist", TriageHost.Json))!;
        Assert.Equal(tokenProgramme is null ? [] : [tokenProgramme], worklist.Programmes);
        Assert.Empty(worklist.Escalations);
        Assert.Empty(worklist.Assignments);
        Assert.Equal((1, 1), (worklist.EscalationsInOtherProgrammes, worklist.AssignmentsInOtherProgrammes));
        // Nor can it be acknowledged from there: the worker cannot open the referral, and the chain must go on to someone who can.
        Assert.Equal(HttpStatusCode.Forbidden, (await stale.PostAsync($"/escalations/{duty.EscalationId}/acknowledge", null)).StatusCode);

        using var setUp = Triage.LinkWorker(id, workerId);
        var full = (await setUp.GetFromJsonAsync<WorklistResponse>("/worklist", TriageHost.Json))!;
        Assert.Equal(duty.EscalationId, Assert.Single(full.Escalations).EscalationId);
        Assert.Equal(escalated.AssignmentId, Assert.Single(full.Assignments).AssignmentId);
        Assert.Equal((0, 0), (full.EscalationsInOtherProgrammes, full.AssignmentsInOtherProgrammes));
    }

    /// <summary>
    /// Every worklist load looks for the worker's escalations at every step they were asked at: the query reads the index of
    /// open escalations (the planner told not to scan the table, as it would for a table this small), never every escalation
    /// ever raised.
    /// </summary>
    [Fact]
    public async Task The_worklist_finds_the_escalations_that_asked_a_worker_through_the_index_of_open_escalations()
    {
        string tenant;
        await using (var session = Triage.Store.QuerySession())
        {
            tenant = session.TenantId;
        }

        await using var connection = new Npgsql.NpgsqlConnection((await TestInfrastructure.EnsureStartedAsync()).PostgresConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var off = new Npgsql.NpgsqlCommand("set local enable_seqscan = off", connection, transaction))
        {
            await off.ExecuteNonQueryAsync();
        }

        var table = Triage.Store.Options.Documents.For<Escalation>().TableName;
        var condition = $"{Escalation.Sql.Open} and {Escalation.Sql.Asked}".Replace("?", "$2", StringComparison.Ordinal);
        await using var explain = new Npgsql.NpgsqlCommand($"explain select data from {Triage.Schema.SchemaName}.{table} where tenant_id = $1 and {condition}",
            connection, transaction);
        explain.Parameters.AddWithValue(tenant);
        explain.Parameters.AddWithValue(Escalation.Sql.AskedParameter("solo-1"));
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Contains(plan, line => line.Contains($"{DocumentIndex.PrefixFor(table)}open_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Of_two_workers_accepting_one_assignment_at_once_exactly_one_succeeds()
    {
        var programme = await Triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        for (var round = 0; round < 5; round++)
        {
            var offer = await SubmitAsync(programme.ProgrammeId, "F11001");
            Assert.Equal("sos-1", offer.LinkWorkerId);
            using var assignee = Triage.LinkWorker(programme.ProgrammeId, "sos-1");
            using var colleague = Triage.LinkWorker(programme.ProgrammeId, "sos-2");
            var responses = await Task.WhenAll(
                assignee.PostAsync($"/assignments/{offer.AssignmentId}/accept", null),
                colleague.PostAsync($"/assignments/{offer.AssignmentId}/accept", null));
            var statuses = responses.Select(r => r.StatusCode).ToList();
            Assert.Single(statuses, s => s == HttpStatusCode.OK);
            Assert.Single(statuses, s => s is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed);

            var winner = responses[0].StatusCode == HttpStatusCode.OK ? "sos-1" : "sos-2";
            var accepted = await Triage.Probe.WaitForAsync<AssignmentAccepted>(a => a.AssignmentId == offer.AssignmentId);
            Assert.Equal(winner, accepted.LinkWorkerId);
            await Task.Delay(300);
            Assert.Single(Triage.Probe.All<AssignmentAccepted>(), a => a.AssignmentId == offer.AssignmentId);
        }

        // The capacity bookkeeping followed whoever won: every accepted referral is counted once.
        using var lead = Triage.TeamLead(programme.ProgrammeId);
        var queue = (await lead.GetFromJsonAsync<ProgrammeQueueResponse>($"/programmes/{programme.ProgrammeId}/queue", TriageHost.Json))!;
        Assert.Equal(5, queue.Workers.Sum(w => w.Accepted));
        Assert.Equal(5, queue.Workers.Sum(w => w.YearlyIntake));
    }

    [Fact]
    public async Task Two_accepts_with_the_same_if_match_version_cannot_both_succeed()
    {
        var programme = await Triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var offer = await SubmitAsync(programme.ProgrammeId, "F11002");
        using var worker = Triage.LinkWorker(programme.ProgrammeId, "sos-1");
        var view = (await worker.GetFromJsonAsync<ReferralView>($"/referrals/{offer.ReferralId}", TriageHost.Json))!;

        HttpRequestMessage Accept()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/assignments/{offer.AssignmentId}/accept");
            request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"{view.Version}\""));
            return request;
        }

        var responses = await Task.WhenAll(worker.SendAsync(Accept()), worker.SendAsync(Accept()));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task A_declined_offer_is_reassigned_to_someone_else_with_the_reason_published()
    {
        var programme = await Triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var offer = await SubmitAsync(programme.ProgrammeId, "F11004");
        using var worker = Triage.LinkWorker(programme.ProgrammeId, offer.LinkWorkerId);
        var response = await worker.PostAsJsonAsync($"/assignments/{offer.AssignmentId}/decline",
            new ReasonRequest("I know the family socially."), TriageHost.Json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = (await response.Content.ReadFromJsonAsync<ReferralView>(TriageHost.Json))!;
        Assert.NotEqual(offer.LinkWorkerId, view.Assignment!.LinkWorkerId);

        var declined = await Triage.Probe.WaitForAsync<AssignmentDeclined>(d => d.AssignmentId == offer.AssignmentId);
        Assert.Equal("I know the family socially.", declined.Reason);
        await Triage.Probe.WaitForAsync<ReferralAssigned>(a => a.ReferralId == offer.ReferralId && a.LinkWorkerId == view.Assignment.LinkWorkerId);
    }

    [Fact]
    public async Task Only_the_assigned_worker_can_decline_and_a_reason_is_required()
    {
        var programme = await Triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var offer = await SubmitAsync(programme.ProgrammeId, "F11004");
        using var other = Triage.LinkWorker(programme.ProgrammeId, "sos-2");
        Assert.Equal(HttpStatusCode.Conflict,
            (await other.PostAsJsonAsync($"/assignments/{offer.AssignmentId}/decline", new ReasonRequest("Busy"), TriageHost.Json)).StatusCode);
        using var assignee = Triage.LinkWorker(programme.ProgrammeId, offer.LinkWorkerId);
        var noReason = await assignee.PostAsJsonAsync($"/assignments/{offer.AssignmentId}/decline", new ReasonRequest(""), TriageHost.Json);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        using var outsider = Triage.LinkWorker("another-programme", offer.LinkWorkerId);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.PostAsync($"/assignments/{offer.AssignmentId}/accept", null)).StatusCode);
        using var anonymous = Triage.Host.AnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/worklist")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await assignee.PostAsync($"/assignments/{Guid.NewGuid()}/accept", null)).StatusCode);
    }

    [Fact]
    public async Task An_accepted_referral_handed_back_goes_to_another_worker_and_the_hand_back_is_published()
    {
        var programme = await Triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var offer = await SubmitAsync(programme.ProgrammeId, "F11001");
        using var worker = Triage.LinkWorker(programme.ProgrammeId, offer.LinkWorkerId);
        (await worker.PostAsync($"/assignments/{offer.AssignmentId}/accept", null)).EnsureSuccessStatusCode();
        var response = await worker.PostAsJsonAsync($"/assignments/{offer.AssignmentId}/hand-back",
            new ReasonRequest("Going on long-term leave."), TriageHost.Json);
        response.EnsureSuccessStatusCode();
        var handedBack = await Triage.Probe.WaitForAsync<AssignmentHandedBack>(h => h.AssignmentId == offer.AssignmentId);
        Assert.Equal("Going on long-term leave.", handedBack.Reason);
        var next = await Triage.Probe.WaitForAsync<ReferralAssigned>(a => a.ReferralId == offer.ReferralId && a.AssignmentId != offer.AssignmentId);
        Assert.NotEqual(offer.LinkWorkerId, next.LinkWorkerId);
    }

    [Fact]
    public async Task A_team_lead_sees_the_queue_with_positions_and_waiting_times_capacity_by_worker_and_unacknowledged_escalations()
    {
        var programme = await Triage.DefineAsync(Fixtures.OneWorkerPerPractice(yearly: 1));
        var first = await SubmitAsync(programme.ProgrammeId, "G85001");
        var waiting = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var submitted = Fixtures.Referral(programme.ProgrammeId, "G85001", submittedAt: DateTimeOffset.UtcNow.AddHours(i - 3));
            var queued = await Triage.PublishAndWaitAsync<ReferralQueued>(submitted, q => q.ReferralId == submitted.ReferralId);
            Assert.Equal(i + 1, queued.Position);
            waiting.Add(submitted.ReferralId);
        }

        var risky = Fixtures.Referral(programme.ProgrammeId, "G85007", riskNotes: "Threatened to hurt someone at the hostel.");
        await Triage.PublishAndWaitAsync<ReferralEscalated>(risky, e => e.ReferralId == risky.ReferralId);

        using var lead = Triage.TeamLead(programme.ProgrammeId);
        var queue = (await lead.GetFromJsonAsync<ProgrammeQueueResponse>($"/programmes/{programme.ProgrammeId}/queue", TriageHost.Json))!;
        Assert.Equal(programme.ConfigurationVersion, queue.ConfigurationVersion);
        Assert.Equal(waiting.ToArray(), queue.Queue.Select(q => q.ReferralId).ToArray());
        Assert.Equal([1, 2, 3], queue.Queue.Select(q => q.Position!.Value).ToArray());
        Assert.True(queue.Queue[0].WaitingMinutes >= 170);
        var clp1 = queue.Workers.Single(w => w.LinkWorkerId == "clp-1");
        Assert.Equal((1, 1, 1, false), (clp1.Offered, clp1.YearlyIntake, clp1.YearlyIntakeLimit, clp1.HasCapacity));
        Assert.Contains(queue.AwaitingResponse, o => o.AssignmentId == first.AssignmentId);
        Assert.Contains(queue.UnacknowledgedEscalations, e => e.ReferralId == risky.ReferralId);

        using var worker = Triage.LinkWorker(programme.ProgrammeId, "clp-1");
        var place = (await worker.GetFromJsonAsync<ReferralView>($"/referrals/{waiting[2]}", TriageHost.Json))!.Queue!;
        Assert.Equal(3, place.Position);
        Assert.False(place.WithTeamLead);
    }

    [Fact]
    public async Task A_team_lead_can_reassign_within_capacity_but_never_to_a_lower_tier()
    {
        var programme = await Triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var offer = await SubmitAsync(programme.ProgrammeId, "F11001", needs: [NeedCategory.MentalWellbeing, NeedCategory.Bereavement, NeedCategory.Housing]);
        using var lead = Triage.TeamLead(programme.ProgrammeId);
        var view = (await lead.GetFromJsonAsync<ReferralView>($"/referrals/{offer.ReferralId}", TriageHost.Json))!;
        Assert.Equal(Tier.LinkWorkerCoach, view.RequiredTier);

        var down = await lead.PostAsJsonAsync($"/referrals/{offer.ReferralId}/reassign", new ReassignRequest("sos-1", "Shorter wait."), TriageHost.Json);
        Assert.Equal(HttpStatusCode.Conflict, down.StatusCode);
        Assert.Contains("never the reverse", await down.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var target = offer.LinkWorkerId == "sos-3" ? "sos-2" : "sos-3";
        var moved = await lead.PostAsJsonAsync($"/referrals/{offer.ReferralId}/reassign", new ReassignRequest(target, "Knows the family's housing officer."),
            TriageHost.Json);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        await Triage.Probe.WaitForAsync<ReferralAssigned>(a => a.ReferralId == offer.ReferralId && a.LinkWorkerId == target);

        var queue = (await lead.GetFromJsonAsync<ProgrammeQueueResponse>($"/programmes/{programme.ProgrammeId}/queue", TriageHost.Json))!;
        Assert.Equal(0, queue.Workers.Single(w => w.LinkWorkerId == offer.LinkWorkerId).ActiveCaseload);
        Assert.Equal(1, queue.Workers.Single(w => w.LinkWorkerId == target).ActiveCaseload);
    }
}
