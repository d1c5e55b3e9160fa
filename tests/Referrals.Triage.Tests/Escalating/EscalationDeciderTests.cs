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
            EscalationAcknowledgementRecorded a => e.Apply(a),
            _ => e,
        });

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
