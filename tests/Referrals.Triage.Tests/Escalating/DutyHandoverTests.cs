using Referrals.Contracts.Triage;
using Referrals.Triage.Escalating;
using Referrals.Triage.Programmes;
using Referrals.Triage.Tests.Support;
using Referrals.Triage.Worklists;

namespace Referrals.Triage.Tests.Escalating;

/// <summary>
/// An open escalation at a duty-slot handover (HAZ-002): a rota of back-to-back slots, as the rota's gap rule requires within a
/// day, morning 09:00-13:00 (lw-am, tl-am) then afternoon 13:00-17:00 (lw-pm, tl-pm), fallback tl-deputy; London time, GMT in
/// January, so UTC here. Pure decider rules.
/// </summary>
public sealed class DutyHandoverTests
{
    private static readonly DayOfWeek[] Weekdays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    private static readonly DutyRota TwoSlots = new("Europe/London", 15,
        [new(Weekdays, new TimeOnly(9, 0), new TimeOnly(13, 0), "lw-am", "tl-am"), new(Weekdays, new TimeOnly(13, 0), new TimeOnly(17, 0), "lw-pm", "tl-pm")],
        ["tl-deputy"], [], DutyRota.DefaultStatement);

    private static readonly EscalationSubject Subject = new(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(),
        "prog", EscalationTrigger.Triage, ["Risk of harm to self"], "B86001", "B86001");

    // A concern for a referral triage has never seen: nobody outside the duty team to tell.
    private static readonly EscalationSubject NeverSeen = Subject with
    {
        Trigger = EscalationTrigger.SafeguardingConcern, RegisteredPracticeOds = null, ReferrerOrganisationId = null,
    };

    private static readonly DateTimeOffset MondayFiveToOne = new(2026, 1, 5, 12, 55, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MondayOneMinuteBeforeClose = new(2026, 1, 5, 16, 59, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset TuesdayOpening = new(2026, 1, 6, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Opened at <paramref name="openedAt"/>; each step's deadline then passes unacknowledged, <paramref name="deadlines"/> times.</summary>
    private static List<object> Unacknowledged(EscalationSubject subject, DateTimeOffset openedAt, int deadlines)
    {
        var events = EscalationDecider.Open(subject, TwoSlots, 3, openedAt).ToList();
        for (var i = 0; i < deadlines; i++)
        {
            var escalation = TestEscalations.Fold(events);
            var moved = EscalationDecider.OnDeadline(escalation, escalation.CurrentStep, escalation.MovesOnAt!.Value);
            Assert.NotEmpty(moved);
            events.AddRange(moved);
        }

        return events;
    }

    /// <summary>Each step reached: when, its number and whom it went to.</summary>
    private static string[] Reached(IEnumerable<object> events) => TestEscalations.Fold(events).History
        .Select(h => $"{h.ReachedAt:HH:mm} {h.Step} {string.Join(' ', h.Recipients.Select(r => $"{r.Kind}:{r.Id}"))}").ToArray();

    [Fact]
    public void Opened_before_a_handover_the_next_step_asks_the_duty_team_on_shift_once_and_then_tells_the_practice_at_the_planned_time()
    {
        var events = Unacknowledged(Subject, MondayFiveToOne, 2);

        // 13:10, after the 13:00 handover: not tl-am (off shift) but the afternoon's duty worker and team leads together; the
        // practice and referrer at 13:25, no later than the planned chain would have told them (13:40).
        var handover = Assert.Single(events.OfType<EscalationReplannedAtDutyHandover>());
        Assert.Equal((2, "lw-pm", "tl-pm"), (handover.SkippedStep, handover.DutyWorkerId, handover.TeamLeadId));
        Assert.Equal(
        [
            "12:55 1 DutyWorker:lw-am Referrer:B86001",
            "13:10 5 DutyWorker:lw-pm TeamLead:tl-pm TeamLead:tl-deputy",
            "13:25 6 RegisteredPractice:B86001 Referrer:B86001",
        ], Reached(events));
        var escalation = TestEscalations.Fold(events);
        Assert.Equal(EscalationState.ChainCompleted, escalation.State);
        Assert.DoesNotContain("tl-am", escalation.AskedToAcknowledge);

        // The on-shift team's notice says why it reached them; the practice hears nobody acknowledged in time.
        var asked = escalation.History.Single(h => h.Step == 5);
        Assert.Equal(MondayFiveToOne.AddMinutes(30), asked.AcknowledgeBy);
        var onShift = EscalationDecider.StatementFor(escalation, asked, asked.Recipients[0]);
        Assert.Contains("before the duty shift changed", onShift, StringComparison.Ordinal);
        Assert.Contains("unacknowledged, the registered practice is told", onShift, StringComparison.Ordinal);
        var told = escalation.History.Single(h => h.Step == 6);
        Assert.Contains("nobody in the link worker team acknowledged it in time",
            EscalationDecider.StatementFor(escalation, told, told.Recipients[0]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_handover_re_plans_once_so_the_steps_after_it_follow_the_on_shift_team_and_repeat_rounds_ask_that_team_again()
    {
        // Nobody to tell: the handover step is the last and its deadline brings a repeat round of the same (afternoon) team.
        var events = Unacknowledged(NeverSeen, MondayFiveToOne, 2);
        Assert.Single(events.OfType<EscalationReplannedAtDutyHandover>());
        Assert.Equal(
        [
            "12:55 1 DutyWorker:lw-am",
            "13:10 4 DutyWorker:lw-pm TeamLead:tl-pm TeamLead:tl-deputy",
            "13:25 5 DutyWorker:lw-pm TeamLead:tl-pm TeamLead:tl-deputy",
        ], Reached(events));
        Assert.Equal(1, TestEscalations.Fold(events).RepeatRound);
    }

    [Fact]
    public void Repeat_rounds_running_across_a_handover_ask_the_duty_team_on_shift_with_no_re_plan()
    {
        // Opened 12:10 with nobody to tell: the chain ends at 12:40, the morning team is asked again at 12:55 and, at 13:10,
        // the round is planned from the afternoon slot in force, so it is no handover to re-plan.
        var events = Unacknowledged(NeverSeen, new DateTimeOffset(2026, 1, 5, 12, 10, 0, TimeSpan.Zero), 4);
        Assert.Empty(events.OfType<EscalationReplannedAtDutyHandover>());
        Assert.Equal(
        [
            "12:10 1 DutyWorker:lw-am",
            "12:25 2 TeamLead:tl-am",
            "12:40 3 TeamLead:tl-deputy",
            "12:55 4 DutyWorker:lw-am TeamLead:tl-am TeamLead:tl-deputy",
            "13:10 5 DutyWorker:lw-pm TeamLead:tl-pm TeamLead:tl-deputy",
        ], Reached(events));
    }

    [Fact]
    public void After_a_handover_the_duty_worker_who_went_off_shift_can_still_acknowledge_and_both_workers_see_it_on_their_worklists()
    {
        var events = Unacknowledged(Subject, MondayFiveToOne, 1);
        var escalation = TestEscalations.Fold(events);

        Assert.Null(EscalationSummary.ForWorker(escalation, "lw-pm")!.PassedOn);
        var passedOn = EscalationSummary.ForWorker(escalation, "lw-am")!.PassedOn!;
        Assert.Contains(passedOn.To, r => r.Id == "lw-pm");

        var acknowledged = EscalationDecider.Acknowledge(escalation, "lw-am", "link-worker", false, MondayFiveToOne.AddMinutes(16));
        events.AddRange(acknowledged);
        Assert.Equal(EscalationState.Acknowledged, TestEscalations.Fold(events).State);
        Assert.Empty(EscalationDecider.OnDeadline(TestEscalations.Fold(events), escalation.CurrentStep, escalation.MovesOnAt!.Value));
    }

    [Fact]
    public void Two_slots_with_the_same_duty_worker_and_team_lead_are_no_handover()
    {
        var sameTeam = TwoSlots with { Slots = [.. TwoSlots.Slots.Select(s => s with { DutyWorkerId = "lw-am", TeamLeadId = "tl-am" })] };
        var events = EscalationDecider.Open(Subject, sameTeam, 3, MondayFiveToOne).ToList();
        var moved = EscalationDecider.OnDeadline(TestEscalations.Fold(events), 1, MondayFiveToOne.AddMinutes(15));
        var lead = Assert.IsType<EscalationStepReached>(Assert.Single(moved));
        Assert.Equal((2, "tl-am"), (lead.Step, Assert.Single(lead.Recipients).Id));
    }

    [Fact]
    public void Opened_in_the_last_minute_of_the_days_last_slot_the_rota_closed_re_plan_asks_the_next_mornings_team_with_no_handover_re_plan()
    {
        var events = Unacknowledged(Subject, MondayOneMinuteBeforeClose, 3);

        // 17:14: the rota has closed, so the practice and referrer are told; Tuesday 09:00 the morning's duty worker (the slot
        // opening then), then its team lead at 09:15, as planned: the re-plan at the close named the slot it waits for.
        Assert.Single(events.OfType<EscalationReplannedAfterRotaClosed>());
        Assert.Empty(events.OfType<EscalationReplannedAtDutyHandover>());
        Assert.Equal(
        [
            "16:59 1 DutyWorker:lw-pm Referrer:B86001",
            "17:14 5 RegisteredPractice:B86001 Referrer:B86001",
            "09:00 6 DutyWorker:lw-am",
            "09:15 7 TeamLead:tl-am",
        ], Reached(events));
        Assert.Equal(TuesdayOpening, TestEscalations.Fold(events).History[2].ReachedAt);
    }

    [Fact]
    public void A_step_waiting_for_the_morning_that_comes_due_after_the_midday_handover_asks_the_afternoons_team()
    {
        // Closed at 17:14, the morning team planned for 09:00; the team lead's step after them is late (the service down until
        // 13:05, say): by then the afternoon slot is in force, so its team is asked, not tl-am.
        var events = Unacknowledged(Subject, MondayOneMinuteBeforeClose, 2);
        var escalation = TestEscalations.Fold(events);
        var late = EscalationDecider.OnDeadline(escalation, escalation.CurrentStep, new DateTimeOffset(2026, 1, 6, 13, 5, 0, TimeSpan.Zero));
        var handover = Assert.IsType<EscalationReplannedAtDutyHandover>(late[0]);
        Assert.Equal("lw-pm", handover.DutyWorkerId);
        var asked = Assert.IsType<EscalationStepReached>(Assert.Single(late.Skip(1)));
        Assert.Equal(["lw-pm", "tl-pm", "tl-deputy"], asked.Recipients.Select(r => r.Id).ToArray());
    }

    private static readonly DateTimeOffset MondayOnePm = new(2026, 1, 5, 13, 0, 0, TimeSpan.Zero);

    /// <summary>The handover the step in hand is to be re-planned at, if any.</summary>
    private static DateTimeOffset? HandoverOfStepInHand(IEnumerable<object> events) => events.OfType<EscalationStepReached>().Last().HandoverAt;

    [Fact]
    public void A_step_asked_of_a_team_going_off_shift_before_its_deadline_is_to_be_re_planned_at_the_handover_and_no_other_step_is()
    {
        Assert.Equal(MondayOnePm, HandoverOfStepInHand(EscalationDecider.Open(Subject, TwoSlots, 3, MondayFiveToOne)));

        // Deadline 12:25, before the handover; the same team on after 13:00; the rota closing at 17:00 with nobody taking over.
        Assert.Null(HandoverOfStepInHand(EscalationDecider.Open(Subject, TwoSlots, 3, new DateTimeOffset(2026, 1, 5, 12, 10, 0, TimeSpan.Zero))));
        var sameTeam = TwoSlots with { Slots = [.. TwoSlots.Slots.Select(s => s with { DutyWorkerId = "lw-am", TeamLeadId = "tl-am" })] };
        Assert.Null(HandoverOfStepInHand(EscalationDecider.Open(Subject, sameTeam, 3, MondayFiveToOne)));
        Assert.Null(HandoverOfStepInHand(EscalationDecider.Open(Subject, TwoSlots, 3, new DateTimeOffset(2026, 1, 5, 16, 50, 0, TimeSpan.Zero))));

        // A team lead's step reached at 12:55 in a chain opened at 12:40: its deadline too is after the handover.
        var events = EscalationDecider.Open(Subject, TwoSlots, 3, new DateTimeOffset(2026, 1, 5, 12, 40, 0, TimeSpan.Zero)).ToList();
        events.AddRange(EscalationDecider.OnDeadline(TestEscalations.Fold(events), 1, MondayFiveToOne));
        Assert.Equal((2, MondayOnePm), (TestEscalations.Fold(events).CurrentStep, HandoverOfStepInHand(events)));
    }

    [Fact]
    public void At_the_handover_the_step_in_hand_goes_to_the_duty_team_on_shift_at_once_and_the_practice_is_told_at_that_teams_deadline()
    {
        var events = EscalationDecider.Open(Subject, TwoSlots, 3, MondayFiveToOne).ToList();
        var escalation = TestEscalations.Fold(events);

        // The handover timer handled a moment early by this host's clock: decided as at 13:00 all the same.
        var atHandover = EscalationDecider.OnTimer(escalation, 1, MondayOnePm, MondayOnePm.AddSeconds(-1));
        Assert.Equal(atHandover.Select(e => e.GetType()), EscalationDecider.OnTimer(escalation, 1, MondayOnePm, MondayOnePm).Select(e => e.GetType()));
        var handover = Assert.IsType<EscalationReplannedAtDutyHandover>(atHandover[0]);
        Assert.Equal((1, 2, "lw-pm", "tl-pm", MondayOnePm), (handover.StepInHand, handover.SkippedStep, handover.DutyWorkerId, handover.TeamLeadId, handover.ReplannedAt));
        events.AddRange(atHandover);

        // The step in hand's own deadline (13:10) then moves nothing; the afternoon team's (13:15) tells the practice and referrer.
        Assert.Empty(EscalationDecider.OnTimer(TestEscalations.Fold(events), 1, MondayFiveToOne.AddMinutes(15), MondayFiveToOne.AddMinutes(15)));
        var afternoon = TestEscalations.Fold(events);
        events.AddRange(EscalationDecider.OnTimer(afternoon, afternoon.CurrentStep, afternoon.MovesOnAt!.Value, afternoon.MovesOnAt.Value));
        Assert.Equal(
        [
            "12:55 1 DutyWorker:lw-am Referrer:B86001",
            "13:00 5 DutyWorker:lw-pm TeamLead:tl-pm TeamLead:tl-deputy",
            "13:15 6 RegisteredPractice:B86001 Referrer:B86001",
        ], Reached(events));
        var told = TestEscalations.Fold(events);
        Assert.Equal(EscalationState.ChainCompleted, told.State);
        Assert.DoesNotContain("tl-am", told.AskedToAcknowledge);
        var asked = told.History.Single(h => h.Step == 5);
        Assert.Null(asked.HandoverAt);
        Assert.Contains("before the duty shift changed", EscalationDecider.StatementFor(told, asked, asked.Recipients[0]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_last_step_in_hand_at_the_handover_goes_to_the_duty_team_on_shift_whose_deadline_brings_a_repeat_round_of_that_team()
    {
        // Nobody to tell: opened 12:25, the fallback team lead's step (the last) reached at 12:55, its deadline 13:10.
        var events = Unacknowledged(NeverSeen, new DateTimeOffset(2026, 1, 5, 12, 25, 0, TimeSpan.Zero), 2);
        Assert.Equal(MondayOnePm, HandoverOfStepInHand(events));
        events.AddRange(EscalationDecider.OnTimer(TestEscalations.Fold(events), 3, MondayOnePm, MondayOnePm));
        var afternoon = TestEscalations.Fold(events);
        events.AddRange(EscalationDecider.OnTimer(afternoon, afternoon.CurrentStep, afternoon.MovesOnAt!.Value, afternoon.MovesOnAt.Value));
        Assert.Equal(
        [
            "12:25 1 DutyWorker:lw-am",
            "12:40 2 TeamLead:tl-am",
            "12:55 3 TeamLead:tl-deputy",
            "13:00 4 DutyWorker:lw-pm TeamLead:tl-pm TeamLead:tl-deputy",
            "13:15 5 DutyWorker:lw-pm TeamLead:tl-pm TeamLead:tl-deputy",
        ], Reached(events));
        Assert.Equal(1, TestEscalations.Fold(events).RepeatRound);
    }

    [Fact]
    public void A_timer_due_before_the_deadline_that_hands_nothing_over_still_moves_the_step_on_once_its_deadline_has_passed()
    {
        // 10:00, well inside the morning slot: step 1's deadline is 10:15 and no handover falls before it.
        var tenAm = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
        var events = EscalationDecider.Open(Subject, TwoSlots, 3, tenAm).ToList();
        var escalation = TestEscalations.Fold(events);
        Assert.Equal((1, tenAm.AddMinutes(15)), (escalation.CurrentStep, escalation.AcknowledgeBy));

        // Before the deadline such a timer does nothing; read after it (the deadline's own timer late or lost) it moves on.
        Assert.Empty(EscalationDecider.OnTimer(escalation, 1, tenAm.AddMinutes(5), tenAm.AddMinutes(6)));
        events.AddRange(EscalationDecider.OnTimer(escalation, 1, tenAm.AddMinutes(5), tenAm.AddMinutes(16)));
        Assert.Equal(2, TestEscalations.Fold(events).CurrentStep);
    }

    [Fact]
    public void A_handover_timer_for_a_step_acknowledged_or_already_moved_on_does_nothing()
    {
        var events = EscalationDecider.Open(Subject, TwoSlots, 3, MondayFiveToOne).ToList();
        var acknowledged = events.Concat(EscalationDecider.Acknowledge(TestEscalations.Fold(events), "lw-am", "link-worker", false, MondayFiveToOne.AddMinutes(3)));
        Assert.Empty(EscalationDecider.OnTimer(TestEscalations.Fold(acknowledged), 1, MondayOnePm, MondayOnePm));

        // The service down from 12:58 to 13:20: the deadline fired first and re-planned; the late handover timer finds step 5.
        var late = new DateTimeOffset(2026, 1, 5, 13, 20, 0, TimeSpan.Zero);
        events.AddRange(EscalationDecider.OnTimer(TestEscalations.Fold(events), 1, MondayFiveToOne.AddMinutes(15), late));
        Assert.Equal(5, TestEscalations.Fold(events).CurrentStep);
        Assert.Empty(EscalationDecider.OnTimer(TestEscalations.Fold(events), 1, MondayOnePm, late));
    }

    /// <summary>
    /// Opened at <paramref name="openedAt"/> on <paramref name="rota"/>, nobody acknowledging: every timer handled as it comes
    /// due, each step's handover timer (<see cref="EscalationStepReached.HandoverAt"/>) too when <paramref name="handovers"/>,
    /// until the practice and referrer are told.
    /// </summary>
    private static List<object> RunUnacknowledged(DutyRota rota, DateTimeOffset openedAt, bool handovers)
    {
        var events = EscalationDecider.Open(Subject, rota, 3, openedAt).ToList();
        for (var escalation = TestEscalations.Fold(events); !PracticeTold(escalation); escalation = TestEscalations.Fold(events))
        {
            Assert.True(events.Count < 60, "the chain never reached the practice and referrer");
            var handoverAt = handovers ? escalation.History[^1].HandoverAt : null;
            var due = handoverAt is { } at && at < escalation.MovesOnAt ? at : escalation.MovesOnAt!.Value;
            var moved = EscalationDecider.OnTimer(escalation, escalation.CurrentStep, due, due);
            Assert.NotEmpty(moved);
            events.AddRange(moved);
        }

        return events;
    }

    private static bool PracticeTold(Escalation escalation) =>
        escalation.History.Any(h => h.Recipients.Any(r => r.Kind == EscalationRecipientKind.RegisteredPractice));

    private static DateTimeOffset PracticeToldAt(IEnumerable<object> events) => TestEscalations.Fold(events).History
        .First(h => h.Recipients.Any(r => r.Kind == EscalationRecipientKind.RegisteredPractice)).ReachedAt;

    /// <summary>Hourly slots 08:00-18:00, the hours alternating two duty teams (a, b) with no fallback lead, two hours to acknowledge.</summary>
    private static readonly DutyRota HourlyTwoTeams = new("Europe/London", 120,
        [.. Enumerable.Range(8, 10).Select(h => new DutySlot(Weekdays, new TimeOnly(h, 0), new TimeOnly(h + 1, 0), h % 2 == 0 ? "lw-a" : "lw-b", h % 2 == 0 ? "tl-a" : "tl-b"))],
        [], [], DutyRota.DefaultStatement);

    [Fact]
    public void A_handover_re_plan_tells_the_practice_and_referrer_no_later_than_the_plan_it_replaces_and_the_on_shift_team_can_still_acknowledge_after()
    {
        // Opened 12:20: the fallback team lead's step (reached 12:50) is in hand at the 13:00 handover; the plan it replaces
        // tells the practice at its deadline, 13:05. The afternoon team is asked at 13:00 with that deadline, not 13:15.
        var opened = new DateTimeOffset(2026, 1, 5, 12, 20, 0, TimeSpan.Zero);
        var planned = RunUnacknowledged(TwoSlots, opened, handovers: false);
        Assert.Equal(opened.AddMinutes(45), PracticeToldAt(planned));

        var events = RunUnacknowledged(TwoSlots, opened, handovers: true);
        var handover = Assert.Single(events.OfType<EscalationReplannedAtDutyHandover>());
        Assert.Equal((3, MondayOnePm, opened.AddMinutes(45)), (handover.StepInHand, handover.ReplannedAt, handover.TellBy));
        Assert.Equal(
        [
            "12:20 1 DutyWorker:lw-am Referrer:B86001",
            "12:35 2 TeamLead:tl-am",
            "12:50 3 TeamLead:tl-deputy",
            "13:00 5 DutyWorker:lw-pm TeamLead:tl-pm TeamLead:tl-deputy",
            "13:05 6 RegisteredPractice:B86001 Referrer:B86001",
        ], Reached(events));
        var told = TestEscalations.Fold(events);
        Assert.Equal(opened.AddMinutes(45), told.History.Single(h => h.Step == 5).AcknowledgeBy);

        // Told the practice, the chain is complete but open: the afternoon team, and anyone asked before, can still acknowledge.
        Assert.Equal(EscalationState.ChainCompleted, told.State);
        var late = opened.AddMinutes(50);
        Assert.IsType<EscalationAcknowledgementRecorded>(Assert.Single(EscalationDecider.Acknowledge(told, "lw-pm", "link-worker", false, late)));
        Assert.IsType<EscalationAcknowledgementRecorded>(Assert.Single(EscalationDecider.Acknowledge(told, "lw-am", "link-worker", false, late)));
    }

    [Fact]
    public void Repeated_handovers_inside_a_long_acknowledgement_window_never_put_off_telling_the_practice_and_referrer()
    {
        // Opened 08:30, two hours to acknowledge: planned, lw-a until 10:30, tl-a until 12:30, then the practice. The shift
        // hands over every hour; each re-plan keeps the deadline of the plan it replaces, so the practice is told at 11:00
        // (team b's deadline), earlier than planned, not pushed on an hour at every handover.
        var opened = new DateTimeOffset(2026, 1, 5, 8, 30, 0, TimeSpan.Zero);
        Assert.Equal(opened.AddHours(4), PracticeToldAt(RunUnacknowledged(HourlyTwoTeams, opened, handovers: false)));

        var events = RunUnacknowledged(HourlyTwoTeams, opened, handovers: true);
        Assert.Equal(2, events.OfType<EscalationReplannedAtDutyHandover>().Count());
        Assert.Equal(
        [
            "08:30 1 DutyWorker:lw-a Referrer:B86001",
            "09:00 4 DutyWorker:lw-b TeamLead:tl-b",
            "10:00 6 DutyWorker:lw-a TeamLead:tl-a",
            "11:00 7 RegisteredPractice:B86001 Referrer:B86001",
        ], Reached(events));
        Assert.Equal(
            [opened.AddHours(4), opened.AddMinutes(150)],
            events.OfType<EscalationReplannedAtDutyHandover>().Select(h => h.TellBy).ToArray());
    }

    [Fact]
    public void A_handover_re_plan_tells_the_practice_no_later_than_the_plan_it_replaces_would_once_the_rota_closed()
    {
        // The afternoon slot is 13:00-14:00, the day's last; two hours to acknowledge. Opened 12:30, the plan it replaces
        // comes to the team lead's step at 14:30 with the rota closed, so it would tell the practice then, at once.
        var shortAfternoon = TwoSlots with
        {
            AcknowledgeWithinMinutes = 120,
            Slots = [TwoSlots.Slots[0], TwoSlots.Slots[1] with { To = new TimeOnly(14, 0) }],
        };
        var opened = new DateTimeOffset(2026, 1, 5, 12, 30, 0, TimeSpan.Zero);
        var atDeadlines = RunUnacknowledged(shortAfternoon, opened, handovers: false);
        Assert.Single(atDeadlines.OfType<EscalationReplannedAfterRotaClosed>());
        Assert.Equal(opened.AddHours(2), PracticeToldAt(atDeadlines));

        var events = RunUnacknowledged(shortAfternoon, opened, handovers: true);
        Assert.Equal(opened.AddHours(2), Assert.Single(events.OfType<EscalationReplannedAtDutyHandover>()).TellBy);
        Assert.Equal(
        [
            "12:30 1 DutyWorker:lw-am Referrer:B86001",
            "13:00 5 DutyWorker:lw-pm TeamLead:tl-pm TeamLead:tl-deputy",
            "14:30 6 RegisteredPractice:B86001 Referrer:B86001",
        ], Reached(events));
    }

    [Fact]
    public void A_handover_timer_read_after_the_replaced_plan_would_have_told_the_practice_asks_the_on_shift_team_and_tells_the_practice_at_once()
    {
        // Opened 12:20, the fallback lead's step in hand until 13:05; the 13:00 handover timer read only at 13:07 (the
        // service down): the afternoon team is asked and, the replaced plan's time past, the practice and referrer told then.
        var events = EscalationDecider.Open(Subject, TwoSlots, 3, new DateTimeOffset(2026, 1, 5, 12, 20, 0, TimeSpan.Zero)).ToList();
        for (var i = 0; i < 2; i++)
        {
            var escalation = TestEscalations.Fold(events);
            events.AddRange(EscalationDecider.OnDeadline(escalation, escalation.CurrentStep, escalation.MovesOnAt!.Value));
        }

        var seven = new DateTimeOffset(2026, 1, 5, 13, 7, 0, TimeSpan.Zero);
        events.AddRange(EscalationDecider.OnTimer(TestEscalations.Fold(events), 3, MondayOnePm, seven));
        Assert.Equal(
        [
            "12:20 1 DutyWorker:lw-am Referrer:B86001",
            "12:35 2 TeamLead:tl-am",
            "12:50 3 TeamLead:tl-deputy",
            "13:07 5 DutyWorker:lw-pm TeamLead:tl-pm TeamLead:tl-deputy",
            "13:07 6 RegisteredPractice:B86001 Referrer:B86001",
        ], Reached(events));
        Assert.Equal(EscalationState.ChainCompleted, TestEscalations.Fold(events).State);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(60)]
    [InlineData(120)]
    [InlineData(240)]
    public void Opened_at_any_time_of_the_day_handover_re_plans_never_tell_the_practice_later_than_the_deadlines_alone_would(int minutes)
    {
        // Every five minutes of a Monday's duty hours, on each rota with the given window: with the handover timers handled, the
        // practice and referrer are told no later than when only the steps' deadlines are (the chain before handover timers).
        var rotas = new[] { TwoSlots, HourlyTwoTeams, TwoSlots with { Slots = [TwoSlots.Slots[0], TwoSlots.Slots[1] with { To = new TimeOnly(14, 0) }] } };
        var late = new List<string>();
        foreach (var rota in rotas.Select(r => r with { AcknowledgeWithinMinutes = minutes }))
        {
            for (var opened = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero); opened.Hour < 18; opened = opened.AddMinutes(5))
            {
                if (RotaCalendar.SlotAt(rota, opened) is null)
                {
                    continue;
                }

                var planned = PracticeToldAt(RunUnacknowledged(rota, opened, handovers: false));
                var handedOver = PracticeToldAt(RunUnacknowledged(rota, opened, handovers: true));
                if (handedOver > planned)
                {
                    late.Add($"{rota.Slots.Count} slots, opened {opened:HH:mm}: {handedOver:HH:mm} not {planned:HH:mm}");
                }
            }
        }

        Assert.Empty(late);
    }
}
