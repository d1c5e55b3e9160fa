using System.Net;
using System.Net.Http.Json;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;
using Referrals.Testing;
using Referrals.Triage.Assigning;
using Referrals.Triage.Common;
using Referrals.Triage.Escalating;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;
using Referrals.Triage.Tests.Support;
using Referrals.Triage.Triaging;
using Referrals.Triage.Worklists;

namespace Referrals.Triage.Tests.Escalating;

/// <summary>
/// Escalation on a test clock, through the real store, its durable timers and the broker. The clock starts on Monday
/// 5 January 2026 at 09:00 London time, inside the weekday rota; each step has 15 minutes to be acknowledged.
/// </summary>
public sealed class EscalationTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(15);
    private readonly TestClock _clock = new(TestClock.DefaultStart);
    private TriageHost _triage = null!;

    public async Task InitializeAsync() => _triage = await TriageHost.StartAsync(_clock, "triage_escalation",
        new Dictionary<string, string?> { ["Escalation:WatchdogIntervalSeconds"] = "1" });

    public async Task DisposeAsync() => await _triage.DisposeAsync();

    private async Task<(string Programme, Guid ReferralId)> SubmitRiskyReferralAsync(string riskNotes = "Told the GP she has been saving up her tablets.")
    {
        var programme = await _triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var submitted = Fixtures.Referral(programme.ProgrammeId, "F11003", riskNotes: riskNotes, submittedAt: _clock.UtcNow,
            referrerOrganisation: "F11003");
        await _triage.PublishAsync(submitted);
        await _triage.Probe.WaitForAsync<ReferralEscalated>(e => e.ReferralId == submitted.ReferralId && e.Step == 1);
        return (programme.ProgrammeId, submitted.ReferralId);
    }

    private IReadOnlyList<ReferralEscalated> Escalations(Guid referralId) =>
        _triage.Probe.All<ReferralEscalated>().Where(e => e.ReferralId == referralId).ToList();

    private Task<ReferralEscalated> StepAsync(Guid referralId, int step, EscalationRecipientKind kind) =>
        _triage.Probe.WaitForAsync<ReferralEscalated>(e => e.ReferralId == referralId && e.Step == step && e.RecipientKind == kind);

    [Fact]
    public async Task A_risky_referral_goes_to_the_duty_worker_now_with_a_short_deadline_and_the_referrer_is_told()
    {
        var (_, referralId) = await SubmitRiskyReferralAsync();
        var duty = await StepAsync(referralId, 1, EscalationRecipientKind.DutyWorker);
        Assert.Equal("sos-3", duty.RecipientId);
        Assert.Equal(_clock.UtcNow + Deadline, duty.AcknowledgeBy);
        Assert.False(duty.OutsideRotaHours);
        Assert.Contains(duty.Indicators, i => i.StartsWith("Self-harm or overdose", StringComparison.Ordinal));

        var referrer = await StepAsync(referralId, 1, EscalationRecipientKind.Referrer);
        Assert.Equal("F11003", referrer.RecipientId);
        Assert.Null(referrer.AcknowledgeBy);
        Assert.Contains("not a crisis service", referrer.Statement, StringComparison.Ordinal);

        var triaged = await _triage.Probe.WaitForAsync<ReferralTriaged>(t => t.ReferralId == referralId);
        Assert.True(triaged.Escalated);
        Assert.Equal(Priority.Urgent, triaged.Priority);
    }

    [Fact]
    public async Task An_escalation_nobody_acknowledges_moves_along_the_chain_at_each_deadline()
    {
        var (_, referralId) = await SubmitRiskyReferralAsync();

        _clock.Advance(Deadline);
        var lead = await StepAsync(referralId, 2, EscalationRecipientKind.TeamLead);
        Assert.Equal("tl-lead", lead.RecipientId);
        Assert.Equal(_clock.UtcNow + Deadline, lead.AcknowledgeBy);

        _clock.Advance(Deadline);
        Assert.Equal("tl-deputy", (await StepAsync(referralId, 3, EscalationRecipientKind.TeamLead)).RecipientId);

        _clock.Advance(Deadline);
        var practice = await StepAsync(referralId, 4, EscalationRecipientKind.RegisteredPractice);
        Assert.Equal("F11003", practice.RecipientId);
        Assert.Contains("needs your action", practice.Statement, StringComparison.Ordinal);
        await StepAsync(referralId, 4, EscalationRecipientKind.Referrer);

        // The chain has ended: more time brings no more steps.
        _clock.Advance(TimeSpan.FromHours(2));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(6, Escalations(referralId).Count);
    }

    [Fact]
    public async Task An_acknowledged_escalation_stops_moving()
    {
        var (programme, referralId) = await SubmitRiskyReferralAsync();
        var duty = await StepAsync(referralId, 1, EscalationRecipientKind.DutyWorker);

        _clock.Advance(TimeSpan.FromMinutes(6));
        using var worker = _triage.LinkWorker(programme, "sos-3");
        var response = await worker.PostAsync($"/escalations/{duty.EscalationId}/acknowledge", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = (await response.Content.ReadFromJsonAsync<EscalationView>(TriageHost.Json))!;
        Assert.Equal(EscalationState.Acknowledged, view.State);
        Assert.Equal("sos-3", view.AcknowledgedBy);
        await _triage.Probe.WaitForAsync<EscalationAcknowledged>(a => a.EscalationId == duty.EscalationId && a.AcknowledgedBy == "sos-3");

        _clock.Advance(TimeSpan.FromHours(1));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.DoesNotContain(Escalations(referralId), e => e.Step > 1);
        var again = await worker.PostAsync($"/escalations/{duty.EscalationId}/acknowledge", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    /// <summary>
    /// HAZ-002 C8: the duty worker opens their worklist after their step passed to the team lead. The escalation is still
    /// there, passed on, and they acknowledge it from there (anyone it asked may); a worker it never asked never sees it.
    /// </summary>
    [Fact]
    public async Task After_the_step_passes_to_the_team_lead_the_duty_worker_still_sees_the_escalation_passed_on_and_can_acknowledge_it_and_a_worker_never_asked_sees_nothing()
    {
        var (programme, referralId) = await SubmitRiskyReferralAsync();
        var duty = await StepAsync(referralId, 1, EscalationRecipientKind.DutyWorker);
        using var worker = _triage.LinkWorker(programme, "sos-3");
        using var neverAsked = _triage.LinkWorker(programme, "sos-1");
        static async Task<IReadOnlyList<EscalationSummary>[]> ListsAsync(HttpClient client)
        {
            var worklist = (await client.GetFromJsonAsync<WorklistResponse>("/worklist", TriageHost.Json))!;
            return [worklist.Escalations, worklist.EscalationsPassedOn];
        }

        var asked = await ListsAsync(worker);
        Assert.Contains(asked[0], e => e.EscalationId == duty.EscalationId);
        Assert.DoesNotContain(asked[1], e => e.EscalationId == duty.EscalationId);

        _clock.Advance(Deadline);
        await StepAsync(referralId, 2, EscalationRecipientKind.TeamLead);
        var passed = await ListsAsync(worker);
        Assert.DoesNotContain(passed[0], e => e.EscalationId == duty.EscalationId);
        var listed = Assert.Single(passed[1], e => e.EscalationId == duty.EscalationId);
        Assert.Equal([(EscalationRecipientKind.TeamLead, "tl-lead")], listed.PassedOn!.To.Select(r => (r.Kind, r.Id)).ToArray());
        Assert.Equal(_clock.UtcNow, listed.PassedOn.At);
        Assert.All(await ListsAsync(neverAsked), list => Assert.DoesNotContain(list, e => e.EscalationId == duty.EscalationId));

        var response = await worker.PostAsync($"/escalations/{duty.EscalationId}/acknowledge", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("sos-3", (await response.Content.ReadFromJsonAsync<EscalationView>(TriageHost.Json))!.AcknowledgedBy);
        Assert.All(await ListsAsync(worker), list => Assert.DoesNotContain(list, e => e.EscalationId == duty.EscalationId));
        using var lead = _triage.TeamLead(programme);
        var queue = (await lead.GetFromJsonAsync<ProgrammeQueueResponse>($"/programmes/{programme}/queue", TriageHost.Json))!;
        Assert.DoesNotContain(queue.UnacknowledgedEscalations, e => e.EscalationId == duty.EscalationId);
    }

    [Fact]
    public async Task A_worker_the_escalation_did_not_reach_cannot_acknowledge_it_but_a_team_lead_can()
    {
        var (programme, referralId) = await SubmitRiskyReferralAsync();
        var duty = await StepAsync(referralId, 1, EscalationRecipientKind.DutyWorker);
        using var other = _triage.LinkWorker(programme, "sos-1");
        Assert.Equal(HttpStatusCode.Conflict, (await other.PostAsync($"/escalations/{duty.EscalationId}/acknowledge", null)).StatusCode);
        using var stranger = _triage.TeamLead("some-other-programme");
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.PostAsync($"/escalations/{duty.EscalationId}/acknowledge", null)).StatusCode);
        using var lead = _triage.TeamLead(programme);
        Assert.Equal(HttpStatusCode.OK, (await lead.PostAsync($"/escalations/{duty.EscalationId}/acknowledge", null)).StatusCode);
    }

    [Fact]
    public async Task Restarted_mid_deadline_the_escalation_still_moves_on_exactly_once()
    {
        var (_, referralId) = await SubmitRiskyReferralAsync();

        _clock.Advance(TimeSpan.FromMinutes(5));
        await _triage.RestartAsync();
        _clock.Advance(TimeSpan.FromMinutes(10));

        await StepAsync(referralId, 2, EscalationRecipientKind.TeamLead);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(Escalations(referralId), e => e.Step == 2);
        Assert.DoesNotContain(Escalations(referralId), e => e.Step > 2);
    }

    [Fact]
    public async Task A_deadline_that_passed_while_the_service_was_down_fires_once_when_it_is_back()
    {
        var (_, referralId) = await SubmitRiskyReferralAsync();

        await _triage.StopServiceAsync();
        _clock.Advance(TimeSpan.FromMinutes(20));
        await _triage.StartServiceAsync();

        await StepAsync(referralId, 2, EscalationRecipientKind.TeamLead);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(Escalations(referralId), e => e.Step == 2);
    }

    [Fact]
    public async Task Outside_rota_hours_it_goes_straight_to_the_practice_and_referrer_saying_this_is_not_a_crisis_service()
    {
        _clock.UtcNow = new DateTimeOffset(2026, 1, 10, 21, 30, 0, TimeSpan.Zero); // Saturday night
        var (_, referralId) = await SubmitRiskyReferralAsync("Says he can't go on and has been giving away his things.");

        var practice = await StepAsync(referralId, 1, EscalationRecipientKind.RegisteredPractice);
        var referrer = await StepAsync(referralId, 1, EscalationRecipientKind.Referrer);
        foreach (var told in new[] { practice, referrer })
        {
            Assert.True(told.OutsideRotaHours);
            Assert.Null(told.AcknowledgeBy);
            Assert.Contains("not a crisis service", told.Statement, StringComparison.Ordinal);
            Assert.Contains("needs your action", told.Statement, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Escalations(referralId), e => e.RecipientKind == EscalationRecipientKind.DutyWorker);

        // When the rota opens on Monday the duty worker is asked too.
        _clock.UtcNow = new DateTimeOffset(2026, 1, 12, 9, 0, 0, TimeSpan.Zero);
        var duty = await StepAsync(referralId, 2, EscalationRecipientKind.DutyWorker);
        Assert.Equal(_clock.UtcNow + Deadline, duty.AcknowledgeBy);
    }

    [Fact]
    public async Task Escalated_a_minute_before_the_rota_closes_it_goes_to_the_practice_and_referrer_at_its_deadline_and_the_duty_worker_when_the_rota_opens()
    {
        _clock.UtcNow = new DateTimeOffset(2026, 1, 5, 16, 59, 0, TimeSpan.Zero); // Monday, a minute before the 17:00 close
        var (_, referralId) = await SubmitRiskyReferralAsync();

        // The team lead and deputy are off shift by the deadline: the practice and referrer are told then (step 5, after
        // the four planned steps), not after three more deadlines.
        _clock.Advance(Deadline);
        var practice = await StepAsync(referralId, 5, EscalationRecipientKind.RegisteredPractice);
        var referrer = await StepAsync(referralId, 5, EscalationRecipientKind.Referrer);
        foreach (var told in new[] { practice, referrer })
        {
            Assert.Equal(_clock.UtcNow, told.EscalatedAt);
            Assert.Null(told.AcknowledgeBy);
            Assert.Contains("not a crisis service", told.Statement, StringComparison.Ordinal);
            Assert.Contains("needs your action", told.Statement, StringComparison.Ordinal);
        }

        _clock.Advance(TimeSpan.FromHours(1));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(Escalations(referralId), e => e.RecipientKind == EscalationRecipientKind.TeamLead || e.Step is > 1 and < 5);

        // Tuesday 09:00: the duty worker is asked again, with the deadline counted from the opening, and once only.
        _clock.UtcNow = new DateTimeOffset(2026, 1, 6, 9, 0, 0, TimeSpan.Zero);
        var duty = await StepAsync(referralId, 6, EscalationRecipientKind.DutyWorker);
        Assert.Equal("sos-3", duty.RecipientId);
        Assert.Equal(_clock.UtcNow + Deadline, duty.AcknowledgeBy);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal([1, 1, 5, 5, 6], Escalations(referralId).Select(e => e.Step).Order().ToArray());
    }

    /// <summary>
    /// Back-to-back slots, morning (sos-1, tl-am) then afternoon (sos-3, tl-pm): a risky referral at Monday 12:55 GMT, five
    /// minutes before the 13:00 handover, goes to the morning's duty worker (its deadline 13:10).
    /// </summary>
    private async Task<(string Programme, ReferralSubmitted Submitted, ReferralEscalated Morning)> EscalateJustBeforeTheMiddayHandoverAsync()
    {
        _clock.UtcNow = new DateTimeOffset(2026, 1, 5, 12, 55, 0, TimeSpan.Zero);
        var weekdays = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday };
        var definition = Fixtures.ThreeWorkersFourPractices() with
        {
            DutyRota = Fixtures.WeekdayRota("sos-1") with
            {
                Slots =
                [
                    new(weekdays, new TimeOnly(9, 0), new TimeOnly(13, 0), "sos-1", "tl-am"),
                    new(weekdays, new TimeOnly(13, 0), new TimeOnly(17, 0), "sos-3", "tl-pm"),
                ],
            },
        };
        var programme = (await _triage.DefineAsync(definition)).ProgrammeId;
        var submitted = Fixtures.Referral(programme, "F11003", riskNotes: "Told the GP she has been saving up her tablets.", submittedAt: _clock.UtcNow,
            referrerOrganisation: "F11003");
        await _triage.PublishAsync(submitted);
        var morning = await StepAsync(submitted.ReferralId, 1, EscalationRecipientKind.DutyWorker);
        Assert.Equal("sos-1", morning.RecipientId);
        return (programme, submitted, morning);
    }

    /// <summary>
    /// Escalated just before the 13:00 handover, and the clock then jumps past both the handover and the step's 13:10 deadline
    /// (the service catching up): the afternoon's duty team is asked, not the morning team lead who went off shift; each
    /// worker's worklist shows it (the morning's passed on), and the afternoon's duty worker acknowledges.
    /// </summary>
    [Fact]
    public async Task Escalated_just_before_a_duty_slot_handover_the_next_step_asks_the_duty_team_on_shift_and_its_duty_worker_sees_and_acknowledges_it()
    {
        var (programme, submitted, morning) = await EscalateJustBeforeTheMiddayHandoverAsync();

        _clock.Advance(Deadline);
        var onShift = await _triage.Probe.WaitForAsync<ReferralEscalated>(e => e.ReferralId == submitted.ReferralId && e.Step == 5
            && e.RecipientKind == EscalationRecipientKind.DutyWorker);
        Assert.Equal("sos-3", onShift.RecipientId);
        Assert.Equal(_clock.UtcNow + Deadline, onShift.AcknowledgeBy);
        Assert.Contains("before the duty shift changed", onShift.Statement, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(["DutyWorker:sos-3", "TeamLead:tl-deputy", "TeamLead:tl-pm"], Escalations(submitted.ReferralId).Where(e => e.Step == 5)
            .Select(e => $"{e.RecipientKind}:{e.RecipientId}").Order().ToArray());
        Assert.DoesNotContain(Escalations(submitted.ReferralId), e => e.RecipientId == "tl-am");

        using var offShift = _triage.LinkWorker(programme, "sos-1");
        using var afternoon = _triage.LinkWorker(programme, "sos-3");
        var offShiftList = (await offShift.GetFromJsonAsync<WorklistResponse>("/worklist", TriageHost.Json))!;
        Assert.Contains(offShiftList.EscalationsPassedOn, e => e.EscalationId == morning.EscalationId);
        var afternoonList = (await afternoon.GetFromJsonAsync<WorklistResponse>("/worklist", TriageHost.Json))!;
        Assert.Contains(afternoonList.Escalations, e => e.EscalationId == morning.EscalationId);

        var response = await afternoon.PostAsync($"/escalations/{morning.EscalationId}/acknowledge", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = (await response.Content.ReadFromJsonAsync<EscalationView>(TriageHost.Json))!;
        Assert.Equal(("sos-3", 5), (view.AcknowledgedBy, view.CurrentStep));
        Assert.Equal(6, view.Chain.Count);
    }

    /// <summary>
    /// Escalated just before the 13:00 handover: at 13:00 itself, not at the 13:10 deadline, the step in hand leaves the
    /// morning's duty worker (off shift) for the afternoon's duty team, all asked at once; the 13:10 deadline then moves
    /// nothing, and the practice and referrer are told at the afternoon team's deadline.
    /// </summary>
    [Fact]
    public async Task Escalated_just_before_a_duty_slot_handover_the_step_in_hand_goes_to_the_duty_team_on_shift_at_the_handover()
    {
        var (_, submitted, _) = await EscalateJustBeforeTheMiddayHandoverAsync();

        _clock.Advance(TimeSpan.FromMinutes(5));
        var onShift = await AllToldAtStepAsync(StreamIds.EscalationForReferral(submitted.ReferralId), 5, 3);
        Assert.Equal(["DutyWorker:sos-3", "TeamLead:tl-deputy", "TeamLead:tl-pm"],
            onShift.Select(e => $"{e.RecipientKind}:{e.RecipientId}").Order(StringComparer.Ordinal).ToArray());
        Assert.All(onShift, e =>
        {
            Assert.Equal(new DateTimeOffset(2026, 1, 5, 13, 15, 0, TimeSpan.Zero), e.AcknowledgeBy);
            Assert.Contains("before the duty shift changed", e.Statement, StringComparison.Ordinal);
        });

        _clock.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(Escalations(submitted.ReferralId), e => e.Step > 5 || e.RecipientId == "tl-am");

        _clock.Advance(TimeSpan.FromMinutes(5));
        var practice = await StepAsync(submitted.ReferralId, 6, EscalationRecipientKind.RegisteredPractice);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 13, 15, 0, TimeSpan.Zero), practice.EscalatedAt);
    }

    /// <summary>
    /// Intake's programme list is configuration of its own: a referral for a programme triage has no set-up for reaches no duty
    /// team and no team lead's list. In working hours the practice and referrer are told the service cannot take it (not that
    /// it is out of hours), and it is counted and logged as an error, with ids only, for the alert.
    /// </summary>
    /// <summary>
    /// The first save of every escalation in this schema fails from here on once (a conflict or a dropped connection would do
    /// the same), so the consumer's retry applies the message: counters kept before the commit would count it twice.
    /// </summary>
    private async Task FailTheFirstSaveOfAnEscalationAsync()
    {
        var schema = _triage.Schema.SchemaName;
        var opened = global::Referrals.EventStore.EventTypeRegistry.ToAlias(typeof(EscalationOpened));
        await using var connection = new Npgsql.NpgsqlConnection((await TestInfrastructure.EnsureStartedAsync()).PostgresConnectionString);
        await connection.OpenAsync();
        // A sequence, not a table: nextval survives the rollback of the failed save.
        await using var command = new Npgsql.NpgsqlCommand($"""
            create sequence "{schema}".test_escalation_saves;
            create function "{schema}".test_fail_first_escalation_save() returns trigger language plpgsql as $$
            begin
                if nextval('"{schema}".test_escalation_saves') = 1 then
                    raise exception 'test: the first save of the escalation fails';
                end if;
                return new;
            end $$;
            create trigger test_fail_first_escalation_save before insert on "{schema}".mt_events
                for each row when (new.type = '{opened}')
                execute function "{schema}".test_fail_first_escalation_save();
            """, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static System.Diagnostics.Metrics.MeterListener CountFor(string instrumentName, string programme, Action<long> add)
    {
        var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == instrumentName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "programme", Value: string p } && p == programme)
                {
                    add(value);
                }
            }
        });
        listener.Start();
        return listener;
    }

    [Fact]
    public async Task An_escalation_whose_first_save_fails_and_is_retried_is_counted_and_logged_as_an_error_once()
    {
        var programme = Fixtures.UniqueId("not-set-up");
        long counted = 0;
        using var listener = CountFor("referrals.escalations_programme_unknown", programme, v => Interlocked.Add(ref counted, v));
        await FailTheFirstSaveOfAnEscalationAsync();

        var submitted = Fixtures.Referral(programme, "F11003", riskNotes: "Told the GP she has been saving up her tablets.", submittedAt: _clock.UtcNow,
            referrerOrganisation: "F11003");
        await _triage.PublishAsync(submitted);
        await StepAsync(submitted.ReferralId, 1, EscalationRecipientKind.RegisteredPractice);

        await TriageHost.EventuallyAsync(() => Task.FromResult(Interlocked.Read(ref counted) >= 1));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(1, Interlocked.Read(ref counted));
        Assert.Single(_triage.Logs.Entries, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Error
            && Equals(l.Values.GetValueOrDefault("ProgrammeId"), programme) && l.Message.Contains("not set up", StringComparison.Ordinal));
        await using var session = _triage.Store.QuerySession();
        Assert.Single(await session.Events.FetchStreamAsync(StreamIds.EscalationForReferral(submitted.ReferralId)), e => e.Data is EscalationOpened);
    }

    [Fact]
    public async Task A_risky_referral_for_a_programme_triage_is_not_set_up_for_tells_the_practice_and_referrer_to_act_and_is_counted_and_logged_as_an_error()
    {
        var programme = Fixtures.UniqueId("not-set-up");
        long counted = 0;
        using var listener = CountFor("referrals.escalations_programme_unknown", programme, v => Interlocked.Add(ref counted, v));

        var riskNotes = "Told the GP she has been saving up her tablets.";
        var submitted = Fixtures.Referral(programme, "F11003", riskNotes: riskNotes, submittedAt: _clock.UtcNow, referrerOrganisation: "F11003");
        await _triage.PublishAsync(submitted);
        var practice = await StepAsync(submitted.ReferralId, 1, EscalationRecipientKind.RegisteredPractice);
        var referrer = await StepAsync(submitted.ReferralId, 1, EscalationRecipientKind.Referrer);
        Assert.Equal(EscalationDecider.ProgrammeUnknownPracticeStatement, practice.Statement);
        Assert.Equal(EscalationDecider.ProgrammeUnknownReferrerStatement, referrer.Statement);

        await TriageHost.EventuallyAsync(() => Task.FromResult(Interlocked.Read(ref counted) == 1));
        var error = Assert.Single(_triage.Logs.Entries, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Error
            && Equals(l.Values.GetValueOrDefault("ProgrammeId"), programme));
        Assert.Equal(practice.EscalationId, error.Values["EscalationId"]);
        Assert.Equal(submitted.ReferralId, error.Values["ReferralId"]);
        Assert.Contains("not set up", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tablets", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(submitted.RegisteredPracticeOds, error.Message, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(1, Interlocked.Read(ref counted));
    }

    [Fact]
    public async Task Outside_rota_hours_a_concern_with_no_practice_or_referrer_known_asks_the_duty_worker_when_the_rota_opens()
    {
        _clock.UtcNow = new DateTimeOffset(2026, 1, 10, 21, 30, 0, TimeSpan.Zero); // Saturday night
        var programme = await _triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        // A referral triage has not seen: the practice and referrer are unknown, so nobody can be told before the rota opens.
        var concern = new SafeguardingConcernRaised(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(),
            programme.ProgrammeId, Crisis: true, ["Suicidal ideation"], null, "sos-1", _clock.UtcNow);
        await _triage.PublishAsync(concern);
        await TriageHost.EventuallyAsync(async () =>
        {
            await using var session = _triage.Store.QuerySession();
            return await session.LoadAsync<Escalation>(concern.ConcernId) is not null;
        });

        using var lead = _triage.TeamLead(programme.ProgrammeId);
        var view = (await lead.GetFromJsonAsync<EscalationView>($"/escalations/{concern.ConcernId}", TriageHost.Json))!;
        var mondayNine = new DateTimeOffset(2026, 1, 12, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(EscalationState.AwaitingRota, view.State);
        Assert.Equal(mondayNine, view.NextStepDueAt);
        // The team lead's queue lists it with the time the duty worker will be asked.
        var queue = (await lead.GetFromJsonAsync<ProgrammeQueueResponse>($"/programmes/{programme.ProgrammeId}/queue", TriageHost.Json))!;
        var listed = Assert.Single(queue.UnacknowledgedEscalations, e => e.EscalationId == concern.ConcernId);
        Assert.Equal((EscalationState.AwaitingRota, mondayNine), (listed.State, listed.NextStepDueAt));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(_triage.Probe.All<ReferralEscalated>(), e => e.EscalationId == concern.ConcernId);

        // Still unanswered late on Sunday, nothing has moved; at Monday 09:00 the duty worker is asked, with 15 minutes from then.
        _clock.UtcNow = mondayNine.AddMinutes(-1);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(_triage.Probe.All<ReferralEscalated>(), e => e.EscalationId == concern.ConcernId);
        _clock.UtcNow = mondayNine;
        var duty = await _triage.Probe.WaitForAsync<ReferralEscalated>(e => e.EscalationId == concern.ConcernId && e.Step == 1);
        Assert.Equal(EscalationRecipientKind.DutyWorker, duty.RecipientKind);
        Assert.Equal("sos-3", duty.RecipientId);
        Assert.Equal(mondayNine + Deadline, duty.AcknowledgeBy);

        _clock.Advance(Deadline);
        var teamLead = await _triage.Probe.WaitForAsync<ReferralEscalated>(e => e.EscalationId == concern.ConcernId && e.Step == 2);
        Assert.Equal("tl-lead", teamLead.RecipientId);
    }

    [Fact]
    public async Task An_escalated_referral_never_waits_in_the_routine_queue()
    {
        var definition = Fixtures.ThreeWorkersFourPractices(yearly: 1);
        var programme = await _triage.DefineAsync(definition);
        // Fill every worker with routine work: three routine referrals take the three places.
        foreach (var practice in new[] { "F11001", "F11002", "F11004" })
        {
            var routine = Fixtures.Referral(programme.ProgrammeId, practice, submittedAt: _clock.UtcNow);
            await _triage.PublishAndWaitAsync<ReferralAssigned>(routine, a => a.ReferralId == routine.ReferralId);
        }

        var risky = Fixtures.Referral(programme.ProgrammeId, "F11001", risk: new RiskAnswers(true, false, false, false), submittedAt: _clock.UtcNow);
        var assigned = await _triage.PublishAndWaitAsync<ReferralAssigned>(risky, a => a.ReferralId == risky.ReferralId);
        Assert.Equal("sos-3", assigned.LinkWorkerId);
        Assert.DoesNotContain(_triage.Probe.All<ReferralQueued>(), q => q.ReferralId == risky.ReferralId);
        // The routine offer it displaced waits in the queue instead, with its position.
        var displaced = await _triage.Probe.WaitForAsync<ReferralQueued>(q => q.ProgrammeId == programme.ProgrammeId);
        Assert.Equal(1, displaced.Position);
    }

    [Fact]
    public async Task A_safeguarding_concern_raised_mid_journey_escalates_the_same_way_and_pulls_the_referral_out_of_the_queue()
    {
        var (programme, waiting) = await _triage.OneReferralWaitingBehindAFullTeamAsync(_clock.UtcNow);

        var concern = new SafeguardingConcernRaised(Guid.CreateVersion7(), waiting.JourneyId, waiting.PersonId, waiting.ReferralId,
            programme.ProgrammeId, Crisis: false, ["Financial abuse"], "Son is taking her pension and she is frightened of him.", "sos-1", _clock.UtcNow);
        var duty = await _triage.PublishAndWaitAsync<ReferralEscalated>(concern,
            e => e.EscalationId == concern.ConcernId && e.RecipientKind == EscalationRecipientKind.DutyWorker);
        Assert.Equal("sos-3", duty.RecipientId);
        Assert.Contains("Financial abuse", duty.Indicators);
        Assert.Contains(duty.Indicators, i => i.StartsWith("Safeguarding concern (raised by a worker", StringComparison.Ordinal));
        await _triage.Probe.WaitForAsync<ReferralEscalated>(e => e.EscalationId == concern.ConcernId && e.RecipientKind == EscalationRecipientKind.Referrer);

        await _triage.Probe.WaitForAsync<ReferralAssigned>(a => a.ReferralId == waiting.ReferralId && a.LinkWorkerId == "sos-3");
        using var lead = _triage.TeamLead(programme.ProgrammeId);
        var view = await lead.GetFromJsonAsync<ReferralView>($"/referrals/{waiting.ReferralId}", TriageHost.Json);
        Assert.True(view!.Escalated);
        Assert.Equal(ReferralStatus.Offered, view.Status);

        _clock.Advance(Deadline);
        await _triage.Probe.WaitForAsync<ReferralEscalated>(e => e.EscalationId == concern.ConcernId && e.Step == 2);
    }

    /// <summary>
    /// Support-plan's journey, and through it the practice's record, follow these (HAZ-001 C12): each notice about the referral,
    /// at every step, says what the escalation made of it and at which version of triage's referral stream.
    /// </summary>
    [Fact]
    public async Task Every_notice_of_a_concern_that_escalates_a_waiting_referral_carries_its_new_tier_and_priority_and_the_referrals_stream_version()
    {
        var (programme, waiting) = await _triage.OneReferralWaitingBehindAFullTeamAsync(_clock.UtcNow);
        var concern = new SafeguardingConcernRaised(Guid.CreateVersion7(), waiting.JourneyId, waiting.PersonId, waiting.ReferralId,
            programme.ProgrammeId, Crisis: false, ["Financial abuse"], null, "sos-1", _clock.UtcNow);

        var duty = await _triage.PublishAndWaitAsync<ReferralEscalated>(concern,
            e => e.EscalationId == concern.ConcernId && e.RecipientKind == EscalationRecipientKind.DutyWorker);
        var referrer = await _triage.Probe.WaitForAsync<ReferralEscalated>(
            e => e.EscalationId == concern.ConcernId && e.RecipientKind == EscalationRecipientKind.Referrer);
        _clock.Advance(Deadline);
        var teamLead = await _triage.Probe.WaitForAsync<ReferralEscalated>(e => e.EscalationId == concern.ConcernId && e.Step == 2);

        await using var session = _triage.Store.QuerySession();
        var raised = (await session.Events.FetchStreamAsync(waiting.ReferralId)).Single(e => e.Data is ReferralEscalationRaised);
        foreach (var notice in new[] { duty, referrer, teamLead })
        {
            // Queued as Link Worker work and Routine: now Urgent, for the tier escalations need.
            Assert.Equal((Tier.PsychosocialLinkWorker, Priority.Urgent, raised.Version), (notice.RequiredTier, notice.Priority, notice.ReferralVersion));
        }
    }

    [Fact]
    public async Task A_safeguarding_concern_on_a_referral_offered_to_a_lower_tier_worker_moves_the_offer_to_the_tier_escalations_need()
    {
        var programme = await _triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var routine = Fixtures.Referral(programme.ProgrammeId, "F11001", submittedAt: _clock.UtcNow);
        var offered = await _triage.PublishAndWaitAsync<ReferralAssigned>(routine, a => a.ReferralId == routine.ReferralId);
        // Triaged as Link Worker work and offered to the Link Worker; not accepted yet.
        Assert.Equal("sos-1", offered.LinkWorkerId);

        var concern = new SafeguardingConcernRaised(Guid.CreateVersion7(), routine.JourneyId, routine.PersonId, routine.ReferralId,
            programme.ProgrammeId, Crisis: false, ["Financial abuse"], "Son is taking her pension and she is frightened of him.", "sos-1", _clock.UtcNow);
        await _triage.PublishAndWaitAsync<SafeguardingConcernReceived>(concern, r => r.ConcernId == concern.ConcernId);

        using var lead = _triage.TeamLead(programme.ProgrammeId);
        var view = (await lead.GetFromJsonAsync<ReferralView>($"/referrals/{routine.ReferralId}", TriageHost.Json))!;
        Assert.True(view.Escalated);
        // An escalated referral needs a Psychosocial Link Worker (as at triage); an open offer below that tier must not stay.
        Assert.Equal(Tier.PsychosocialLinkWorker, view.RequiredTier);
        Assert.NotNull(view.Assignment);
        Assert.Equal("sos-3", view.Assignment!.LinkWorkerId);
    }

    [Fact]
    public async Task An_offer_a_concern_escalated_is_never_taken_back_for_another_escalated_referral_and_a_routine_offer_taken_instead_is_queued()
    {
        // One Psychosocial Link Worker with room for three people a year, offered three routine referrals.
        string[] practices = ["F11001"];
        var programme = await _triage.DefineAsync(new DefineProgramme(Fixtures.UniqueId("one-worker"), "One worker",
            new EligibilityRules(practices, [], [], "Elsewhere."), DefaultTriageRules.Rules, Fixtures.WeekdayRota("sos-3"),
            ServiceLevelTargets.Default, [Fixtures.Worker("sos-3", Tier.PsychosocialLinkWorker, practices, yearly: 3)]));
        var offers = new List<ReferralSubmitted>();
        for (var i = 0; i < 3; i++)
        {
            var referral = Fixtures.Referral(programme.ProgrammeId, "F11001", submittedAt: _clock.UtcNow);
            await _triage.PublishAndWaitAsync<ReferralAssigned>(referral, a => a.ReferralId == referral.ReferralId);
            offers.Add(referral);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        // Concerns escalate the two newest offers; the worker's tier is enough, so the offers stay with them.
        var (routine, concerned) = (offers[0], offers[1..]);
        foreach (var offer in concerned)
        {
            var concern = new SafeguardingConcernRaised(Guid.CreateVersion7(), offer.JourneyId, offer.PersonId, offer.ReferralId,
                programme.ProgrammeId, Crisis: true, ["Suicidal ideation"], null, "sos-3", _clock.UtcNow);
            await _triage.PublishAndWaitAsync<SafeguardingConcernReceived>(concern, r => r.ConcernId == concern.ConcernId);
        }

        var risky = Fixtures.Referral(programme.ProgrammeId, "F11001", risk: new RiskAnswers(true, false, false, false), submittedAt: _clock.UtcNow);
        await _triage.PublishAndWaitAsync<ReferralAssigned>(risky, a => a.ReferralId == risky.ReferralId && a.LinkWorkerId == "sos-3");

        // Room is made by taking back the routine offer, which queues; the escalated offers are untouched.
        await _triage.Probe.WaitForAsync<ReferralQueued>(q => q.ReferralId == routine.ReferralId);
        using var lead = _triage.TeamLead(programme.ProgrammeId);
        await using var session = _triage.Store.QuerySession();
        foreach (var offer in concerned)
        {
            var view = (await lead.GetFromJsonAsync<ReferralView>($"/referrals/{offer.ReferralId}", TriageHost.Json))!;
            Assert.Equal("sos-3", view.Assignment?.LinkWorkerId);
            Assert.DoesNotContain(await session.Events.FetchStreamAsync(offer.ReferralId), e => e.Data is AssignmentEnded);
        }
    }

    [Fact]
    public async Task A_safeguarding_concern_that_makes_a_waiting_referral_urgent_moves_its_first_contact_due_date_to_the_urgent_target()
    {
        var (programme, waiting) = await _triage.OneReferralWaitingBehindAFullTeamAsync(_clock.UtcNow);
        var rota = Fixtures.WeekdayRota("sos-3");
        var routineDue = RotaCalendar.AddWorkingDays(rota, waiting.SubmittedAt, ServiceLevelTargets.Default.RoutineFirstContactWorkingDays);
        var urgentDue = RotaCalendar.AddWorkingDays(rota, waiting.SubmittedAt, ServiceLevelTargets.Default.UrgentFirstContactWorkingDays);

        var concern = new SafeguardingConcernRaised(Guid.CreateVersion7(), waiting.JourneyId, waiting.PersonId, waiting.ReferralId,
            programme.ProgrammeId, Crisis: true, ["Suicidal ideation"], null, "sos-1", _clock.UtcNow);
        await _triage.PublishAndWaitAsync<ReferralAssigned>(concern, a => a.ReferralId == waiting.ReferralId && a.LinkWorkerId == "sos-3");
        using var lead = _triage.TeamLead(programme.ProgrammeId);
        var view = (await lead.GetFromJsonAsync<ReferralView>($"/referrals/{waiting.ReferralId}", TriageHost.Json))!;
        Assert.Equal(Priority.Urgent, view.Priority);
        Assert.Equal(urgentDue, view.ServiceLevel.FirstContactDueAt);

        // Breached at the urgent date, once: the routine timer was replaced, so its later date raises nothing.
        _clock.UtcNow = urgentDue;
        var breach = await _triage.Probe.WaitForAsync<ServiceLevelBreached>(b => b.ReferralId == waiting.ReferralId);
        Assert.Equal(urgentDue, breach.DueAt);
        _clock.UtcNow = routineDue.AddHours(1);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(_triage.Probe.All<ServiceLevelBreached>(), b => b.ReferralId == waiting.ReferralId);
    }

    /// <summary>
    /// HAZ-001: the team lead's judgement predates the new risk. Support-plan's journey and the practice's record follow the
    /// notices, ordered against the override by triage's referral stream version (HAZ-001 C12).
    /// </summary>
    [Fact]
    public async Task A_new_concern_after_a_team_lead_lowered_an_escalated_referral_makes_it_urgent_again_and_a_repeated_concern_records_nothing_more()
    {
        var programme = await _triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var risky = Fixtures.Referral(programme.ProgrammeId, "F11003", riskNotes: "Told the GP she has been saving up her tablets.",
            submittedAt: _clock.UtcNow, referrerOrganisation: "F11003");
        await _triage.PublishAndWaitAsync<ReferralAssigned>(risky, a => a.ReferralId == risky.ReferralId && a.LinkWorkerId == "sos-3");

        // Escalated at triage; a team lead reviews it and lowers it to routine Link Worker work (the offer stays with sos-3).
        using var lead = _triage.TeamLead(programme.ProgrammeId);
        var response = await lead.PostAsJsonAsync($"/referrals/{risky.ReferralId}/override",
            new OverrideRequest(Tier.LinkWorker, Priority.Routine, null, "Spoke to the GP: the tablets were collected, she is safe."), TriageHost.Json);
        response.EnsureSuccessStatusCode();
        var lowered = (await response.Content.ReadFromJsonAsync<ReferralView>(TriageHost.Json))!;
        Assert.Equal((Tier.LinkWorker, Priority.Routine), (lowered.RequiredTier, lowered.Priority));
        _clock.Advance(TimeSpan.FromHours(1));

        // Then a worker raises a new concern.
        var concern = new SafeguardingConcernRaised(Guid.CreateVersion7(), risky.JourneyId, risky.PersonId, risky.ReferralId,
            programme.ProgrammeId, Crisis: true, ["Suicidal ideation"], null, "sos-3", _clock.UtcNow);
        var duty = await _triage.PublishAndWaitAsync<ReferralEscalated>(concern,
            e => e.EscalationId == concern.ConcernId && e.RecipientKind == EscalationRecipientKind.DutyWorker);
        await _triage.Probe.WaitForAsync<SafeguardingConcernReceived>(r => r.ConcernId == concern.ConcernId);

        var view = (await lead.GetFromJsonAsync<ReferralView>($"/referrals/{risky.ReferralId}", TriageHost.Json))!;
        Assert.Equal((Tier.PsychosocialLinkWorker, Priority.Urgent, true), (view.RequiredTier, view.Priority, view.Escalated));
        Assert.Equal("sos-3", view.Assignment?.LinkWorkerId);
        // First contact is due at the urgent target again (the override had moved it to the routine one).
        var urgentDue = RotaCalendar.AddWorkingDays(Fixtures.WeekdayRota("sos-3"), risky.SubmittedAt,
            ServiceLevelTargets.Default.UrgentFirstContactWorkingDays);
        Assert.Equal(urgentDue, view.ServiceLevel.FirstContactDueAt);

        await using (var session = _triage.Store.QuerySession())
        {
            var stream = await session.Events.FetchStreamAsync(risky.ReferralId);
            var overridden = stream.Single(e => e.Data is TriageDecisionOverridden);
            var raised = stream.Single(e => e.Data is ReferralEscalationRaised);
            Assert.True(raised.Version > overridden.Version, "the new escalation must stand against the override downstream");
            Assert.Equal((Tier.PsychosocialLinkWorker, Priority.Urgent, raised.Version), (duty.RequiredTier, duty.Priority, duty.ReferralVersion));
        }

        // A further concern finds it escalated and urgent: its own duty chain, nothing more on the referral.
        var again = concern with { ConcernId = Guid.CreateVersion7(), RaisedAt = _clock.UtcNow };
        var second = await _triage.PublishAndWaitAsync<ReferralEscalated>(again,
            e => e.EscalationId == again.ConcernId && e.RecipientKind == EscalationRecipientKind.DutyWorker);
        await _triage.Probe.WaitForAsync<SafeguardingConcernReceived>(r => r.ConcernId == again.ConcernId);
        await using (var session = _triage.Store.QuerySession())
        {
            // One escalation recorded; the further concern's notices carry the referral as it stands, at its current version.
            var stream = await session.Events.FetchStreamAsync(risky.ReferralId);
            Assert.Single(stream, e => e.Data is ReferralEscalationRaised);
            Assert.Equal((Tier.PsychosocialLinkWorker, Priority.Urgent, stream[^1].Version), (second.RequiredTier, second.Priority, second.ReferralVersion));
        }
    }

    [Fact]
    public async Task If_a_deadline_message_is_lost_the_watchdog_still_moves_the_escalation_on()
    {
        var (_, referralId) = await SubmitRiskyReferralAsync();
        var duty = await StepAsync(referralId, 1, EscalationRecipientKind.DutyWorker);

        // Lose the step's timer, as if its message had been parked in the error queue.
        await using (var connection = new Npgsql.NpgsqlConnection((await TestInfrastructure.EnsureStartedAsync()).PostgresConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(
                $"update {_triage.Schema.SchemaName}.mt_timers set cancelled_at = now() where key = $1", connection);
            command.Parameters.AddWithValue(Escalation.TimerKey(duty.EscalationId, 1));
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        _clock.Advance(Deadline + EscalationWatchdog.Grace + TimeSpan.FromSeconds(1));
        var lead = await StepAsync(referralId, 2, EscalationRecipientKind.TeamLead);
        Assert.Equal("tl-lead", lead.RecipientId);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(Escalations(referralId), e => e.Step == 2);
    }

    /// <summary>In rota hours, a concern for a referral triage has never seen: no practice or referrer, so the chain ends at the deputy.</summary>
    private async Task<(string Programme, SafeguardingConcernRaised Concern)> RaiseNeverSeenConcernThroughTheWholeChainAsync()
    {
        var programme = await _triage.DefineAsync(Fixtures.ThreeWorkersFourPractices());
        var concern = new SafeguardingConcernRaised(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(),
            programme.ProgrammeId, Crisis: true, ["Suicidal ideation"], null, "sos-1", _clock.UtcNow);
        await _triage.PublishAndWaitAsync<ReferralEscalated>(concern, e => e.EscalationId == concern.ConcernId && e.Step == 1);
        _clock.Advance(Deadline);
        await _triage.Probe.WaitForAsync<ReferralEscalated>(e => e.EscalationId == concern.ConcernId && e.Step == 2);
        _clock.Advance(Deadline);
        var deputy = await _triage.Probe.WaitForAsync<ReferralEscalated>(e => e.EscalationId == concern.ConcernId && e.Step == 3);
        Assert.Equal("tl-deputy", deputy.RecipientId);
        return (programme.ProgrammeId, concern);
    }

    private async Task<IReadOnlyList<ReferralEscalated>> AllToldAtStepAsync(Guid escalationId, int step, int recipients)
    {
        await TriageHost.EventuallyAsync(() => Task.FromResult(
            _triage.Probe.All<ReferralEscalated>().Count(e => e.EscalationId == escalationId && e.Step == step) == recipients));
        return _triage.Probe.All<ReferralEscalated>().Where(e => e.EscalationId == escalationId && e.Step == step).ToList();
    }

    [Fact]
    public async Task In_hours_a_concern_triage_has_never_seen_asks_the_duty_team_again_after_the_last_team_lead_until_a_team_lead_acknowledges()
    {
        var (programme, concern) = await RaiseNeverSeenConcernThroughTheWholeChainAsync();

        // The deputy's deadline passes: the duty worker and both team leads are asked again, together, with a new deadline.
        _clock.Advance(Deadline);
        var round = await AllToldAtStepAsync(concern.ConcernId, 4, 3);
        Assert.Equal(["DutyWorker:sos-3", "TeamLead:tl-deputy", "TeamLead:tl-lead"],
            round.Select(e => $"{e.RecipientKind}:{e.RecipientId}").Order(StringComparer.Ordinal).ToArray());
        Assert.All(round, e =>
        {
            Assert.Equal(_clock.UtcNow + Deadline, e.AcknowledgeBy);
            Assert.Contains("repeat round 1", e.Statement, StringComparison.Ordinal);
        });

        using var lead = _triage.TeamLead(programme);
        var queue = (await lead.GetFromJsonAsync<ProgrammeQueueResponse>($"/programmes/{programme}/queue", TriageHost.Json))!;
        var listed = Assert.Single(queue.UnacknowledgedEscalations, e => e.EscalationId == concern.ConcernId);
        Assert.Equal((EscalationState.AwaitingAcknowledgement, 4, 1), (listed.State, listed.Step, listed.RepeatRound));

        // Unacknowledged again: round 2. A team lead acknowledges, and nothing more is sent however long passes.
        _clock.Advance(Deadline);
        await AllToldAtStepAsync(concern.ConcernId, 5, 3);
        var response = await lead.PostAsync($"/escalations/{concern.ConcernId}/acknowledge", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var view = (await response.Content.ReadFromJsonAsync<EscalationView>(TriageHost.Json))!;
        Assert.Equal((EscalationState.Acknowledged, 2), (view.State, view.RepeatRound));
        _clock.Advance(TimeSpan.FromHours(1));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.DoesNotContain(_triage.Probe.All<ReferralEscalated>(), e => e.EscalationId == concern.ConcernId && e.Step > 5);
    }

    [Fact]
    public async Task If_the_last_team_lead_s_deadline_message_is_lost_the_watchdog_still_asks_the_duty_team_again_once()
    {
        var (_, concern) = await RaiseNeverSeenConcernThroughTheWholeChainAsync();
        await using (var connection = new Npgsql.NpgsqlConnection((await TestInfrastructure.EnsureStartedAsync()).PostgresConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(
                $"update {_triage.Schema.SchemaName}.mt_timers set cancelled_at = now() where key = $1", connection);
            command.Parameters.AddWithValue(Escalation.TimerKey(concern.ConcernId, 3));
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        _clock.Advance(Deadline + EscalationWatchdog.Grace + TimeSpan.FromSeconds(1));
        await AllToldAtStepAsync(concern.ConcernId, 4, 3);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(3, _triage.Probe.All<ReferralEscalated>().Count(e => e.EscalationId == concern.ConcernId && e.Step == 4));
        Assert.DoesNotContain(_triage.Probe.All<ReferralEscalated>(), e => e.EscalationId == concern.ConcernId && e.Step > 4);
    }
}
