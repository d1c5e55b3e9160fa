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

    private static Escalation Fold(IEnumerable<object> events) =>
        events.Skip(1).Aggregate(Escalation.Create((EscalationOpened)events.First()), (e, next) => next switch
        {
            EscalationStepReached r => e.Apply(r),
            EscalationReplannedAfterRotaClosed p => e.Apply(p),
            EscalationAcknowledgementRecorded a => e.Apply(a),
            _ => e,
        });

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

    [Fact]
    public void Only_someone_the_chain_reached_or_a_team_lead_can_acknowledge()
    {
        var escalation = Fold(EscalationDecider.Open(Subject, Rota, 4, MondayMorning));
        Assert.Throws<DomainRuleException>(() => EscalationDecider.Acknowledge(escalation, "lw-other", "link-worker", false, MondayMorning));
        Assert.Single(EscalationDecider.Acknowledge(escalation, "lw-duty", "link-worker", false, MondayMorning));
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
