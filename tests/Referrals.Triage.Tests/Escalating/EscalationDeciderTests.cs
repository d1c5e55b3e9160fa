using Referrals.Contracts.Triage;
using Referrals.ServiceDefaults.Problems;
using Referrals.Triage.Escalating;
using Referrals.Triage.Programmes;
using Referrals.Triage.Tests.Support;

namespace Referrals.Triage.Tests.Escalating;

public sealed class EscalationDeciderTests
{
    private static readonly DateTimeOffset MondayMorning = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SaturdayNight = new(2026, 1, 10, 22, 0, 0, TimeSpan.Zero);
    private static readonly DutyRota Rota = Fixtures.WeekdayRota("lw-duty", "tl-lead", "tl-deputy");

    private static readonly EscalationSubject Subject = new(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(),
        "prog", EscalationTrigger.Triage, ["Suicidal thoughts or intent (risk notes: \"suicid*\")"], "B86001", "B86001");

    private static Escalation Fold(IEnumerable<object> events) => TestEscalations.Fold(events);

    // The weekday rota runs 09:00-17:00 London time (GMT in January, so UTC here).
    private static readonly DateTimeOffset MondayOneMinuteBeforeClose = new(2026, 1, 5, 16, 59, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset TuesdayOpening = new(2026, 1, 6, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Opened at <paramref name="openedAt"/>; each deadline then passes unacknowledged, in order, at <paramref name="deadlines"/>.</summary>
    private static List<object> Unacknowledged(EscalationSubject subject, DateTimeOffset openedAt, params DateTimeOffset[] deadlines)
    {
        var events = EscalationDecider.Open(subject, Rota, 4, openedAt).ToList();
        foreach (var deadline in deadlines)
        {
            var escalation = Fold(events);
            var moved = EscalationDecider.OnDeadline(escalation, escalation.CurrentStep, deadline);
            Assert.NotEmpty(moved);
            events.AddRange(moved);
        }

        return events;
    }

    [Fact]
    public void In_rota_hours_it_goes_to_the_duty_worker_with_a_short_deadline_and_the_referrer_is_told()
    {
        var events = EscalationDecider.Open(Subject, Rota, 4, MondayMorning);
        var opened = Assert.IsType<EscalationOpened>(events[0]);
        Assert.False(opened.OutsideRotaHours);
        Assert.Equal(4, opened.ConfigurationVersion);
        var first = Assert.IsType<EscalationStepReached>(Assert.Single(events.Skip(1)));
        Assert.Equal(MondayMorning.AddMinutes(15), first.AcknowledgeBy);
        Assert.Equal(MondayMorning.AddMinutes(15), first.NextStepDueAt);
        Assert.Contains(first.Recipients, r => r is { Kind: EscalationRecipientKind.DutyWorker, Id: "lw-duty", MustAcknowledge: true });
        Assert.Contains(first.Recipients, r => r is { Kind: EscalationRecipientKind.Referrer, MustAcknowledge: false });
        Assert.Equal(
            ["DutyWorker:lw-duty", "TeamLead:tl-lead", "TeamLead:tl-deputy", "RegisteredPractice:B86001"],
            opened.Chain.Select(s => $"{s.Recipients[0].Kind}:{s.Recipients[0].Id}").ToArray());
    }

    [Fact]
    public void Unacknowledged_it_moves_along_the_chain_at_each_deadline_and_ends_with_the_practice_and_referrer()
    {
        var events = EscalationDecider.Open(Subject, Rota, 4, MondayMorning).ToList();
        var now = MondayMorning;
        for (var step = 1; step <= 3; step++)
        {
            now = now.AddMinutes(15);
            var moved = EscalationDecider.OnDeadline(Fold(events), step, now);
            events.AddRange(moved);
        }

        var escalation = Fold(events);
        Assert.Equal(4, escalation.CurrentStep);
        Assert.Equal(EscalationState.ChainCompleted, escalation.State);
        Assert.Equal([EscalationRecipientKind.RegisteredPractice, EscalationRecipientKind.Referrer], escalation.CurrentRecipients.Select(r => r.Kind).ToArray());
        Assert.Empty(EscalationDecider.OnDeadline(escalation, 4, now.AddHours(1)));
        var statement = EscalationDecider.StatementFor(escalation, escalation.History[^1], escalation.CurrentRecipients[0]);
        Assert.Contains("not a crisis service", statement, StringComparison.Ordinal);
        Assert.Contains("needs your action", statement, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deadline_for_a_step_already_passed_or_acknowledged_does_nothing()
    {
        var events = EscalationDecider.Open(Subject, Rota, 4, MondayMorning).ToList();
        events.AddRange(EscalationDecider.OnDeadline(Fold(events), 1, MondayMorning.AddMinutes(15)));
        Assert.Empty(EscalationDecider.OnDeadline(Fold(events), 1, MondayMorning.AddMinutes(16)));
        events.AddRange(EscalationDecider.Acknowledge(Fold(events), "tl-lead", "team-lead", true, MondayMorning.AddMinutes(20)));
        Assert.Empty(EscalationDecider.OnDeadline(Fold(events), 2, MondayMorning.AddMinutes(30)));
        Assert.Equal(EscalationState.Acknowledged, Fold(events).State);
    }

    [Fact]
    public void Outside_rota_hours_it_goes_straight_to_the_practice_and_referrer_then_the_duty_worker_when_the_rota_opens()
    {
        var events = EscalationDecider.Open(Subject, Rota, 4, SaturdayNight);
        var escalation = Fold(events);
        Assert.True(escalation.OutsideRotaHours);
        Assert.Equal(EscalationState.AwaitingRota, escalation.State);
        Assert.Equal([EscalationRecipientKind.RegisteredPractice, EscalationRecipientKind.Referrer], escalation.CurrentRecipients.Select(r => r.Kind).ToArray());
        Assert.All(escalation.CurrentRecipients, r => Assert.Contains("not a crisis service", EscalationDecider.StatementFor(escalation, escalation.History[0], r),
            StringComparison.Ordinal));
        Assert.Equal(new DateTimeOffset(2026, 1, 12, 9, 0, 0, TimeSpan.Zero), escalation.NextStepDueAt);

        var monday = EscalationDecider.OnDeadline(escalation, 1, new DateTimeOffset(2026, 1, 12, 9, 0, 1, TimeSpan.Zero));
        var reached = Assert.IsType<EscalationStepReached>(Assert.Single(monday));
        Assert.Equal("lw-duty", Assert.Single(reached.Recipients).Id);
    }

    [Fact]
    public void Outside_rota_hours_with_no_practice_or_referrer_the_duty_worker_is_asked_when_the_rota_opens_with_the_deadline_counted_from_then()
    {
        var subject = Subject with
        {
            Trigger = EscalationTrigger.SafeguardingConcern, Indicators = ["Crisis raised by a worker"], RegisteredPracticeOds = null,
            ReferrerOrganisationId = null,
        };
        var events = EscalationDecider.Open(subject, Rota, 4, SaturdayNight).ToList();
        var opened = Assert.IsType<EscalationOpened>(Assert.Single(events));
        Assert.True(opened.OutsideRotaHours);
        var mondayNine = opened.Chain[0].NotBefore!.Value;
        Assert.Equal(new DateTimeOffset(2026, 1, 12, 9, 0, 0, TimeSpan.Zero), mondayNine);

        // Nobody is asked off duty: it waits for the rota, and a team lead can still acknowledge it meanwhile.
        var waiting = Fold(events);
        Assert.Equal(EscalationState.AwaitingRota, waiting.State);
        Assert.Equal(0, waiting.CurrentStep);
        Assert.Empty(waiting.CurrentRecipients);
        Assert.Equal(mondayNine, waiting.NextStepDueAt);
        Assert.Single(EscalationDecider.Acknowledge(waiting, "tl-lead", "team-lead", true, SaturdayNight.AddHours(1)));

        var monday = EscalationDecider.OnDeadline(waiting, 0, mondayNine);
        var reached = Assert.IsType<EscalationStepReached>(Assert.Single(monday));
        Assert.Equal(1, reached.Step);
        Assert.Equal("lw-duty", Assert.Single(reached.Recipients, r => r.Kind == EscalationRecipientKind.DutyWorker).Id);
        Assert.Equal(mondayNine.AddMinutes(15), reached.AcknowledgeBy);
        Assert.Equal(mondayNine.AddMinutes(15), reached.NextStepDueAt);
        events.AddRange(monday);

        var lead = Assert.IsType<EscalationStepReached>(Assert.Single(EscalationDecider.OnDeadline(Fold(events), 1, mondayNine.AddMinutes(15))));
        Assert.Equal("tl-lead", Assert.Single(lead.Recipients).Id);
        Assert.Equal(mondayNine.AddMinutes(30), lead.AcknowledgeBy);
    }

    [Fact]
    public void Escalated_a_minute_before_the_rota_closes_it_goes_to_the_practice_and_referrer_at_the_first_deadline_after_close_not_to_the_team_leads()
    {
        var events = Unacknowledged(Subject, MondayOneMinuteBeforeClose);
        var firstDeadline = MondayOneMinuteBeforeClose.AddMinutes(15);
        Assert.Equal(firstDeadline, Fold(events).NextStepDueAt);

        var moved = EscalationDecider.OnDeadline(Fold(events), 1, firstDeadline);
        var replanned = Assert.IsType<EscalationReplannedAfterRotaClosed>(moved[0]);
        var told = Assert.IsType<EscalationStepReached>(Assert.Single(moved.Skip(1)));
        // The team lead (step 2) and deputy are off shift and never asked; the new steps are numbered on from the old chain.
        Assert.Equal(2, replanned.SkippedStep);
        Assert.Equal(5, told.Step);
        Assert.Equal(firstDeadline, told.ReachedAt);
        Assert.Equal([EscalationRecipientKind.RegisteredPractice, EscalationRecipientKind.Referrer], told.Recipients.Select(r => r.Kind).ToArray());
        Assert.Null(told.AcknowledgeBy);
        Assert.Equal(TuesdayOpening, told.NextStepDueAt);

        events.AddRange(moved);
        var escalation = Fold(events);
        Assert.Equal(EscalationState.AwaitingRota, escalation.State);
        Assert.DoesNotContain(escalation.History, h => h.Recipients.Any(r => r.Kind == EscalationRecipientKind.TeamLead));
        Assert.All(told.Recipients, r =>
        {
            var statement = EscalationDecider.StatementFor(escalation, told, r);
            Assert.Contains("duty hours ended", statement, StringComparison.Ordinal);
            Assert.EndsWith(Rota.NotACrisisStatement, statement, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void After_the_rota_closed_on_an_escalation_the_duty_team_is_asked_again_when_the_rota_opens_with_the_deadline_counted_from_then()
    {
        var events = Unacknowledged(Subject, MondayOneMinuteBeforeClose, MondayOneMinuteBeforeClose.AddMinutes(15));
        var escalation = Fold(events);
        // The same shape as an escalation opened outside hours, from the close: duty worker, then the team leads, from the opening.
        Assert.Equal(
            ["5 RegisteredPractice:B86001 Referrer:B86001", "6 DutyWorker:lw-duty @09:00", "7 TeamLead:tl-lead @09:00", "8 TeamLead:tl-deputy @09:00"],
            escalation.Chain.Skip(4).Select(s => $"{s.Number} {string.Join(' ', s.Recipients.Select(r => $"{r.Kind}:{r.Id}"))}"
                + (s.NotBefore is { } notBefore ? $" @{notBefore:HH:mm}" : "")).ToArray());

        var duty = Assert.IsType<EscalationStepReached>(Assert.Single(EscalationDecider.OnDeadline(escalation, 5, TuesdayOpening)));
        Assert.Equal(6, duty.Step);
        Assert.Equal("lw-duty", Assert.Single(duty.Recipients).Id);
        Assert.Equal(TuesdayOpening.AddMinutes(15), duty.AcknowledgeBy);
        events.Add(duty);

        var lead = Assert.IsType<EscalationStepReached>(Assert.Single(EscalationDecider.OnDeadline(Fold(events), 6, TuesdayOpening.AddMinutes(15))));
        Assert.Equal((7, "tl-lead"), (lead.Step, Assert.Single(lead.Recipients).Id));
    }

    [Fact]
    public void A_team_lead_step_due_before_the_rota_closes_is_asked_as_planned_and_the_next_one_due_at_the_close_is_not()
    {
        var half = new DateTimeOffset(2026, 1, 5, 16, 30, 0, TimeSpan.Zero);
        var events = Unacknowledged(Subject, half, half.AddMinutes(15));
        Assert.Equal("tl-lead", Assert.Single(Fold(events).CurrentRecipients).Id);

        // 17:00 is the first minute outside the 09:00-17:00 slot.
        var atClose = EscalationDecider.OnDeadline(Fold(events), 2, half.AddMinutes(30));
        Assert.IsType<EscalationReplannedAfterRotaClosed>(atClose[0]);
        var told = Assert.IsType<EscalationStepReached>(atClose[1]);
        Assert.Equal([EscalationRecipientKind.RegisteredPractice, EscalationRecipientKind.Referrer], told.Recipients.Select(r => r.Kind).ToArray());
    }

    [Fact]
    public void An_escalation_acknowledged_before_the_rota_closes_is_not_moved_on_or_re_planned_after_it()
    {
        var events = Unacknowledged(Subject, MondayOneMinuteBeforeClose);
        events.AddRange(EscalationDecider.Acknowledge(Fold(events), "lw-duty", "link-worker", false, MondayOneMinuteBeforeClose.AddSeconds(30)));
        var escalation = Fold(events);
        Assert.Empty(EscalationDecider.OnDeadline(escalation, 1, MondayOneMinuteBeforeClose.AddMinutes(15)));
        Assert.Equal(EscalationState.Acknowledged, escalation.State);
    }

    [Fact]
    public void A_redelivered_or_late_deadline_after_the_rota_closed_does_nothing_and_the_same_deadline_always_decides_the_same_re_plan()
    {
        var events = Unacknowledged(Subject, MondayOneMinuteBeforeClose);
        var deadline = MondayOneMinuteBeforeClose.AddMinutes(15);
        var once = EscalationDecider.OnDeadline(Fold(events), 1, deadline);
        var again = EscalationDecider.OnDeadline(Fold(events), 1, deadline);
        Assert.Equal(Describe(once), Describe(again));

        events.AddRange(once);
        // A redelivered step-1 deadline, or the watchdog's late copy, finds step 5 reached and does nothing.
        Assert.Empty(EscalationDecider.OnDeadline(Fold(events), 1, deadline));
        Assert.Empty(EscalationDecider.OnDeadline(Fold(events), 1, deadline.Add(EscalationWatchdog.Grace).AddMinutes(1)));
        events.AddRange(EscalationDecider.OnDeadline(Fold(events), 5, TuesdayOpening));
        Assert.Empty(EscalationDecider.OnDeadline(Fold(events), 5, TuesdayOpening.AddMinutes(3)));
        // Every step reached has its own number, so its own timer key and notice id downstream.
        var reached = Fold(events).History.Select(h => h.Step).ToList();
        Assert.Equal([1, 5, 6], reached);

        static string Describe(IEnumerable<object> decided) =>
            System.Text.Json.JsonSerializer.Serialize(decided.Select(e => new { Type = e.GetType().Name, Event = e }));
    }

    [Fact]
    public void Across_the_spring_clock_change_the_duty_team_is_asked_again_at_nine_local_time()
    {
        // Friday 27 March 2026, 16:59 GMT; the clocks go forward on Sunday, so Monday's 09:00 is 08:00 UTC.
        var friday = new DateTimeOffset(2026, 3, 27, 16, 59, 0, TimeSpan.Zero);
        var events = Unacknowledged(Subject, friday, friday.AddMinutes(15));
        var mondayNine = new DateTimeOffset(2026, 3, 30, 8, 0, 0, TimeSpan.Zero);
        var escalation = Fold(events);
        Assert.Equal(mondayNine, escalation.NextStepDueAt);

        var duty = Assert.IsType<EscalationStepReached>(Assert.Single(EscalationDecider.OnDeadline(escalation, escalation.CurrentStep, mondayNine)));
        Assert.Equal("lw-duty", Assert.Single(duty.Recipients).Id);
        Assert.Equal(mondayNine.AddMinutes(15), duty.AcknowledgeBy);
    }

    [Fact]
    public void After_the_rota_closed_with_no_practice_or_referrer_known_nobody_off_shift_is_asked_and_it_waits_for_the_rota()
    {
        var subject = Subject with
        {
            Trigger = EscalationTrigger.SafeguardingConcern, Indicators = ["Crisis raised by a worker"], RegisteredPracticeOds = null,
            ReferrerOrganisationId = null,
        };
        var events = Unacknowledged(subject, MondayOneMinuteBeforeClose, MondayOneMinuteBeforeClose.AddMinutes(15));
        var waiting = Fold(events);
        Assert.Equal(EscalationState.AwaitingRota, waiting.State);
        Assert.Empty(waiting.CurrentRecipients);
        Assert.Equal(TuesdayOpening, waiting.NextStepDueAt);
        Assert.Single(EscalationDecider.Acknowledge(waiting, "tl-lead", "team-lead", true, MondayOneMinuteBeforeClose.AddHours(1)));

        var duty = Assert.IsType<EscalationStepReached>(Assert.Single(EscalationDecider.OnDeadline(waiting, waiting.CurrentStep, TuesdayOpening)));
        Assert.Equal([(EscalationRecipientKind.DutyWorker, "lw-duty")], duty.Recipients.Select(r => (r.Kind, r.Id)).ToArray());
    }

    [Fact]
    public void An_escalation_recorded_before_its_rota_was_kept_goes_on_along_its_planned_chain()
    {
        var events = EscalationDecider.Open(Subject, Rota, 4, MondayOneMinuteBeforeClose).ToList();
        events[0] = ((EscalationOpened)events[0]) with { Rota = null };
        var lead = Assert.IsType<EscalationStepReached>(Assert.Single(EscalationDecider.OnDeadline(Fold(events), 1, MondayOneMinuteBeforeClose.AddMinutes(15))));
        Assert.Equal("tl-lead", Assert.Single(lead.Recipients).Id);
    }

    // A concern for a referral triage has never seen: no practice or referrer to tell, so the chain ends at the last team lead.
    private static readonly EscalationSubject NeverSeen = Subject with
    {
        Trigger = EscalationTrigger.SafeguardingConcern, Indicators = ["Crisis raised by a worker"], RegisteredPracticeOds = null,
        ReferrerOrganisationId = null,
    };

    private static readonly string[] DutyTeam = ["DutyWorker:lw-duty", "TeamLead:tl-lead", "TeamLead:tl-deputy"];

    private static string[] Who(EscalationStepReached step) => step.Recipients.Select(r => $"{r.Kind}:{r.Id}").ToArray();

    [Fact]
    public void In_hours_a_concern_triage_has_never_seen_asks_the_whole_duty_team_again_with_a_new_deadline_when_the_last_team_lead_s_passes()
    {
        var events = Unacknowledged(NeverSeen, MondayMorning, MondayMorning.AddMinutes(15), MondayMorning.AddMinutes(30));
        var last = Fold(events);
        Assert.Equal((3, "tl-deputy"), (last.CurrentStep, Assert.Single(last.CurrentRecipients).Id));
        Assert.Equal(3, last.Chain.Count);
        // The last team lead's deadline is a due time, so a timer (and the watchdog) brings the repeat round.
        var deadline = MondayMorning.AddMinutes(45);
        Assert.Equal(deadline, last.NextStepDueAt);

        var moved = EscalationDecider.OnDeadline(last, 3, deadline);
        var round = Assert.IsType<EscalationRepeatRoundPlanned>(moved[0]);
        var asked = Assert.IsType<EscalationStepReached>(Assert.Single(moved.Skip(1)));
        Assert.Equal(1, round.Round);
        // Numbered on from the chain: its own timer key and notice ids.
        Assert.Equal(4, asked.Step);
        Assert.Equal(DutyTeam, Who(asked));
        Assert.All(asked.Recipients, r => Assert.True(r.MustAcknowledge));
        Assert.Equal(deadline.AddMinutes(15), asked.AcknowledgeBy);
        Assert.Equal(deadline.AddMinutes(15), asked.NextStepDueAt);

        events.AddRange(moved);
        var repeating = Fold(events);
        Assert.Equal((EscalationState.AwaitingAcknowledgement, 1), (repeating.State, repeating.RepeatRound));
        Assert.All(asked.Recipients, r => Assert.Contains("repeat round 1", EscalationDecider.StatementFor(repeating, asked, r), StringComparison.Ordinal));

        // Still unacknowledged: round 2, and so on, one acknowledgement window each.
        var again = EscalationDecider.OnDeadline(repeating, 4, deadline.AddMinutes(15));
        Assert.Equal(2, Assert.IsType<EscalationRepeatRoundPlanned>(again[0]).Round);
        var second = Assert.IsType<EscalationStepReached>(again[1]);
        Assert.Equal((5, deadline.AddMinutes(30)), (second.Step, second.AcknowledgeBy));
        Assert.Equal(DutyTeam, Who(second));
    }

    [Fact]
    public void An_acknowledgement_in_a_repeat_round_stops_it_and_its_deadline_then_does_nothing()
    {
        var deadline = MondayMorning.AddMinutes(45);
        var events = Unacknowledged(NeverSeen, MondayMorning, MondayMorning.AddMinutes(15), MondayMorning.AddMinutes(30), deadline);
        Assert.Equal(1, Fold(events).RepeatRound);
        // The duty worker was asked again in the round, so may acknowledge as one the chain reached.
        events.AddRange(EscalationDecider.Acknowledge(Fold(events), "lw-duty", "link-worker", false, deadline.AddMinutes(5)));
        var acknowledged = Fold(events);
        Assert.Equal(EscalationState.Acknowledged, acknowledged.State);
        Assert.Null(acknowledged.MovesOnAt);
        Assert.Empty(EscalationDecider.OnDeadline(acknowledged, 4, deadline.AddMinutes(15)));
        Assert.Empty(EscalationDecider.OnDeadline(acknowledged, 4, deadline.AddHours(2)));
    }

    [Fact]
    public void A_redelivered_or_late_deadline_after_a_repeat_round_does_nothing_and_the_same_deadline_always_decides_the_same_round()
    {
        var events = Unacknowledged(NeverSeen, MondayMorning, MondayMorning.AddMinutes(15), MondayMorning.AddMinutes(30));
        var deadline = MondayMorning.AddMinutes(45);
        var once = EscalationDecider.OnDeadline(Fold(events), 3, deadline);
        Assert.Equal(Describe(once), Describe(EscalationDecider.OnDeadline(Fold(events), 3, deadline)));

        events.AddRange(once);
        // The step-3 timer redelivered, or the watchdog's late copy, finds step 4 reached: no second round.
        Assert.Empty(EscalationDecider.OnDeadline(Fold(events), 3, deadline));
        Assert.Empty(EscalationDecider.OnDeadline(Fold(events), 3, deadline.Add(EscalationWatchdog.Grace).AddMinutes(1)));
        events.AddRange(EscalationDecider.OnDeadline(Fold(events), 4, deadline.AddMinutes(15)));
        Assert.Empty(EscalationDecider.OnDeadline(Fold(events), 4, deadline.AddMinutes(16)));
        var escalation = Fold(events);
        Assert.Equal([4, 5], escalation.RepeatRoundAtSteps);
        Assert.Equal([1, 2, 3, 4, 5], escalation.History.Select(h => h.Step).ToArray());

        static string Describe(IEnumerable<object> decided) =>
            System.Text.Json.JsonSerializer.Serialize(decided.Select(e => new { Type = e.GetType().Name, Event = e }));
    }

    [Fact]
    public void A_repeat_round_due_after_the_rota_closed_waits_for_the_opening_and_then_asks_the_next_slot_s_duty_team_together()
    {
        var quarterPast4 = new DateTimeOffset(2026, 1, 5, 16, 15, 0, TimeSpan.Zero);
        var events = Unacknowledged(NeverSeen, quarterPast4, quarterPast4.AddMinutes(15), quarterPast4.AddMinutes(30));
        Assert.Equal("tl-deputy", Assert.Single(Fold(events).CurrentRecipients).Id);

        // 17:00: nobody on shift and nobody outside the team to tell. Nobody off shift is asked; the round waits for the rota.
        var atClose = EscalationDecider.OnDeadline(Fold(events), 3, quarterPast4.AddMinutes(45));
        var round = Assert.IsType<EscalationRepeatRoundPlanned>(atClose[0]);
        Assert.Equal(["4 ", "5 DutyWorker:lw-duty TeamLead:tl-lead TeamLead:tl-deputy @09:00"],
            round.Steps.Select(s => $"{s.Number} {string.Join(' ', s.Recipients.Select(r => $"{r.Kind}:{r.Id}"))}"
                + (s.NotBefore is { } notBefore ? $" @{notBefore:HH:mm}" : "")).ToArray());
        var wait = Assert.IsType<EscalationStepReached>(Assert.Single(atClose.Skip(1)));
        Assert.Empty(wait.Recipients);
        events.AddRange(atClose);
        var waiting = Fold(events);
        Assert.Equal((EscalationState.AwaitingRota, TuesdayOpening, 1), (waiting.State, waiting.NextStepDueAt, waiting.RepeatRound));

        var asked = Assert.IsType<EscalationStepReached>(Assert.Single(EscalationDecider.OnDeadline(waiting, 4, TuesdayOpening)));
        Assert.Equal((5, TuesdayOpening.AddMinutes(15)), (asked.Step, asked.AcknowledgeBy));
        Assert.Equal(DutyTeam, Who(asked));
        events.Add(asked);
        var next = EscalationDecider.OnDeadline(Fold(events), 5, TuesdayOpening.AddMinutes(15));
        Assert.Equal(2, Assert.IsType<EscalationRepeatRoundPlanned>(next[0]).Round);
        Assert.Equal(DutyTeam, Who(Assert.IsType<EscalationStepReached>(next[1])));
    }

    [Fact]
    public void A_chain_that_told_the_practice_first_and_ends_with_the_duty_team_asks_the_duty_team_again_too()
    {
        // Opened outside hours: practice and referrer at once, then the duty team from Monday 09:00, last the deputy.
        var mondayNine = new DateTimeOffset(2026, 1, 12, 9, 0, 0, TimeSpan.Zero);
        var events = Unacknowledged(Subject, SaturdayNight, mondayNine, mondayNine.AddMinutes(15), mondayNine.AddMinutes(30));
        Assert.Equal("tl-deputy", Assert.Single(Fold(events).CurrentRecipients).Id);

        var moved = EscalationDecider.OnDeadline(Fold(events), 4, mondayNine.AddMinutes(45));
        Assert.IsType<EscalationRepeatRoundPlanned>(moved[0]);
        var asked = Assert.IsType<EscalationStepReached>(Assert.Single(moved.Skip(1)));
        Assert.Equal(5, asked.Step);
        Assert.Equal(DutyTeam, Who(asked));
    }

    [Fact]
    public void An_escalation_recorded_before_its_rota_was_kept_asks_everyone_it_asked_before_again()
    {
        var events = EscalationDecider.Open(NeverSeen, Rota, 4, MondayMorning).ToList();
        events[0] = ((EscalationOpened)events[0]) with { Rota = null };
        for (var step = 1; step <= 2; step++)
        {
            events.AddRange(EscalationDecider.OnDeadline(Fold(events), step, MondayMorning.AddMinutes(15 * step)));
        }

        var moved = EscalationDecider.OnDeadline(Fold(events), 3, MondayMorning.AddMinutes(45));
        Assert.IsType<EscalationRepeatRoundPlanned>(moved[0]);
        Assert.Equal(DutyTeam, Who(Assert.IsType<EscalationStepReached>(moved[1])));
    }

    [Fact]
    public void An_escalation_left_at_its_last_team_lead_with_no_due_time_is_still_found_and_asked_again_at_its_deadline()
    {
        // As recorded before repeat rounds: the last step kept its deadline but no due time, so nothing would move it.
        var events = Unacknowledged(NeverSeen, MondayMorning, MondayMorning.AddMinutes(15), MondayMorning.AddMinutes(30));
        events[^1] = ((EscalationStepReached)events[^1]) with { NextStepDueAt = null };
        var stuck = Fold(events);
        var deadline = MondayMorning.AddMinutes(45);
        Assert.Equal((null, deadline), (stuck.NextStepDueAt, stuck.MovesOnAt));

        var moved = EscalationDecider.OnDeadline(stuck, 3, deadline.Add(EscalationWatchdog.Grace).AddMinutes(1));
        Assert.IsType<EscalationRepeatRoundPlanned>(moved[0]);
        Assert.Equal(DutyTeam, Who(Assert.IsType<EscalationStepReached>(moved[1])));
    }

    [Fact]
    public void With_nobody_to_ask_or_tell_and_no_slot_ahead_it_opens_as_nobody_to_ask_for_a_team_lead()
    {
        var closed = Rota with { ClosedDates = Enumerable.Range(0, 30).Select(d => DateOnly.FromDateTime(MondayMorning.UtcDateTime).AddDays(d)).ToList() };
        var escalation = Fold(EscalationDecider.Open(NeverSeen, closed, 4, MondayMorning));
        Assert.Empty(escalation.Chain);
        Assert.Equal(EscalationState.NobodyToAsk, escalation.State);
        Assert.Null(escalation.MovesOnAt);
        Assert.Empty(EscalationDecider.OnDeadline(escalation, 0, MondayMorning.AddDays(1)));
        Assert.Single(EscalationDecider.Acknowledge(escalation, "tl-lead", "team-lead", true, MondayMorning.AddMinutes(5)));
    }

    [Fact]
    public void Only_someone_the_chain_reached_or_a_team_lead_can_acknowledge()
    {
        var escalation = Fold(EscalationDecider.Open(Subject, Rota, 4, MondayMorning));
        Assert.Throws<DomainRuleException>(() => EscalationDecider.Acknowledge(escalation, "lw-other", "link-worker", false, MondayMorning));
        Assert.Single(EscalationDecider.Acknowledge(escalation, "lw-duty", "link-worker", false, MondayMorning));
    }

    [Fact]
    public void In_a_programme_triage_is_not_set_up_for_the_practice_and_referrer_are_told_the_service_cannot_take_it_not_that_it_is_out_of_hours()
    {
        // Monday morning, when a programme's duty team would be on shift: the words must not blame the hour.
        var escalation = Fold(EscalationDecider.OpenInUnknownProgramme(Subject, MondayMorning));
        Assert.True(escalation.ProgrammeUnknown);
        // Nor does the flag the practice's record and the referrer's notice carry beside the words.
        Assert.False(escalation.OutsideRotaHours);
        Assert.Equal(EscalationState.ChainCompleted, escalation.State);
        var told = Assert.Single(escalation.History);
        Assert.Equal([EscalationRecipientKind.RegisteredPractice, EscalationRecipientKind.Referrer], told.Recipients.Select(r => r.Kind).ToArray());
        var practice = EscalationDecider.StatementFor(escalation, told, told.Recipients[0]);
        var referrer = EscalationDecider.StatementFor(escalation, told, told.Recipients[1]);
        Assert.Equal(EscalationDecider.ProgrammeUnknownPracticeStatement, practice);
        Assert.Equal(EscalationDecider.ProgrammeUnknownReferrerStatement, referrer);
        Assert.All(new[] { practice, referrer }, statement =>
        {
            Assert.Contains("not set up to take referrals for this programme", statement, StringComparison.Ordinal);
            Assert.Contains("not a crisis service", statement, StringComparison.Ordinal);
            Assert.DoesNotContain("duty hours", statement, StringComparison.Ordinal);
            Assert.DoesNotContain("Risk of harm", statement, StringComparison.Ordinal);
        });
        Assert.Contains("The practice must act on the risk itself", practice, StringComparison.Ordinal);

        // A known programme with no rota yet keeps the outside-duty-hours words.
        var noRota = Fold(EscalationDecider.Open(Subject, DutyRota.None, 1, MondayMorning));
        Assert.Contains("outside the link worker service's duty hours",
            EscalationDecider.StatementFor(noRota, noRota.History[0], noRota.History[0].Recipients[0]), StringComparison.Ordinal);
    }

    [Fact]
    public void With_no_rota_at_all_it_goes_straight_to_the_practice_and_referrer_and_waits_for_nobody()
    {
        var escalation = Fold(EscalationDecider.Open(Subject, DutyRota.None, 0, MondayMorning));
        Assert.True(escalation.OutsideRotaHours);
        Assert.Equal(EscalationState.ChainCompleted, escalation.State);
        Assert.Equal([EscalationRecipientKind.RegisteredPractice, EscalationRecipientKind.Referrer], escalation.CurrentRecipients.Select(r => r.Kind).ToArray());
        Assert.Null(escalation.NextStepDueAt);
    }
}
