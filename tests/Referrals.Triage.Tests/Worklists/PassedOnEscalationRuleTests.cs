using Referrals.Contracts.Triage;
using Referrals.Triage.Escalating;
using Referrals.Triage.Programmes;
using Referrals.Triage.Tests.Support;
using Referrals.Triage.Worklists;

namespace Referrals.Triage.Tests.Worklists;

/// <summary>
/// HAZ-002 C8, the pure rule: how an escalation shows on a link worker's worklist as it moves along the duty chain. The weekday
/// rota runs 09:00-17:00 London time (GMT in January, so UTC here), 15 minutes to acknowledge each step.
/// </summary>
public sealed class PassedOnEscalationRuleTests
{
    private static readonly DateTimeOffset MondayMorning = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MondayOneMinuteBeforeClose = new(2026, 1, 5, 16, 59, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset TuesdayOpening = new(2026, 1, 6, 9, 0, 0, TimeSpan.Zero);
    private static readonly DutyRota Rota = Fixtures.WeekdayRota("lw-duty", "tl-lead", "tl-deputy");

    private static readonly EscalationSubject Subject = new(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(),
        "prog", EscalationTrigger.Triage, ["Suicidal thoughts or intent (risk notes: \"suicid*\")"], "B86001", "B86001");

    // A concern for a referral triage has never seen: no practice or referrer to tell.
    private static readonly EscalationSubject NeverSeen = Subject with
    {
        Trigger = EscalationTrigger.SafeguardingConcern, Indicators = ["Crisis raised by a worker"], RegisteredPracticeOds = null,
        ReferrerOrganisationId = null,
    };

    /// <summary>Opened at <paramref name="openedAt"/>, then each step's deadline passing unacknowledged at <paramref name="deadlines"/>.</summary>
    private static List<object> Unacknowledged(EscalationSubject subject, DateTimeOffset openedAt, params DateTimeOffset[] deadlines)
    {
        var events = EscalationDecider.Open(subject, Rota, 4, openedAt).ToList();
        foreach (var deadline in deadlines)
        {
            var escalation = TestEscalations.Fold(events);
            events.AddRange(EscalationDecider.OnDeadline(escalation, escalation.CurrentStep, deadline));
        }

        return events;
    }

    private static string[] Who(EscalationPassedOn passedOn) => passedOn.To.Select(r => $"{r.Kind}:{r.Id}").ToArray();

    [Fact]
    public void A_duty_worker_asked_at_an_earlier_step_sees_the_escalation_passed_on_to_whoever_has_it_now_until_it_is_acknowledged_and_a_worker_never_asked_sees_nothing()
    {
        var asked = TestEscalations.Fold(Unacknowledged(Subject, MondayMorning));
        var waiting = EscalationSummary.ForWorker(asked, "lw-duty");
        Assert.NotNull(waiting);
        Assert.Null(waiting.PassedOn);
        Assert.Null(EscalationSummary.ForWorker(asked, "lw-other"));

        var atLead = TestEscalations.Fold(Unacknowledged(Subject, MondayMorning, MondayMorning.AddMinutes(15)));
        var passed = EscalationSummary.ForWorker(atLead, "lw-duty")!.PassedOn;
        Assert.NotNull(passed);
        Assert.Equal(["TeamLead:tl-lead"], Who(passed));
        Assert.Equal(MondayMorning.AddMinutes(15), passed.At);
        Assert.Null(EscalationSummary.ForWorker(atLead, "lw-other"));

        // At the end of the chain the practice and the referrer were told: that is where it went.
        var events = Unacknowledged(Subject, MondayMorning, MondayMorning.AddMinutes(15), MondayMorning.AddMinutes(30), MondayMorning.AddMinutes(45));
        var completed = TestEscalations.Fold(events);
        Assert.Equal(EscalationState.ChainCompleted, completed.State);
        var told = EscalationSummary.ForWorker(completed, "lw-duty")!.PassedOn!;
        Assert.Equal(["RegisteredPractice:B86001", "Referrer:B86001"], Who(told));
        Assert.Equal(MondayMorning.AddMinutes(45), told.At);

        // The duty worker acknowledges it from there; it is then on nobody's worklist.
        events.AddRange(EscalationDecider.Acknowledge(completed, "lw-duty", "link-worker", false, MondayMorning.AddMinutes(50)));
        var acknowledged = TestEscalations.Fold(events);
        Assert.Null(EscalationSummary.ForWorker(acknowledged, "lw-duty"));
        Assert.Null(EscalationSummary.ForWorker(acknowledged, "lw-other"));
    }

    [Fact]
    public void An_escalation_whose_repeat_round_asks_the_duty_worker_again_is_waiting_for_them_not_passed_on()
    {
        var atDeputy = TestEscalations.Fold(Unacknowledged(NeverSeen, MondayMorning, MondayMorning.AddMinutes(15), MondayMorning.AddMinutes(30)));
        Assert.Equal(["TeamLead:tl-deputy"], Who(EscalationSummary.ForWorker(atDeputy, "lw-duty")!.PassedOn!));

        var repeating = TestEscalations.Fold(Unacknowledged(NeverSeen, MondayMorning, MondayMorning.AddMinutes(15), MondayMorning.AddMinutes(30),
            MondayMorning.AddMinutes(45)));
        Assert.Equal(1, repeating.RepeatRound);
        var waiting = EscalationSummary.ForWorker(repeating, "lw-duty");
        Assert.NotNull(waiting);
        Assert.Null(waiting.PassedOn);
        Assert.Equal((4, MondayMorning.AddMinutes(60)), (waiting.Step, waiting.AcknowledgeBy));
    }

    [Fact]
    public void An_escalation_that_asked_the_duty_worker_before_the_rota_closed_is_passed_on_to_nobody_until_the_rota_opens_and_then_waits_for_them_again()
    {
        var closed = TestEscalations.Fold(Unacknowledged(NeverSeen, MondayOneMinuteBeforeClose, MondayOneMinuteBeforeClose.AddMinutes(15)));
        Assert.Equal(EscalationState.AwaitingRota, closed.State);
        var passed = EscalationSummary.ForWorker(closed, "lw-duty")!.PassedOn!;
        Assert.Empty(passed.To);
        Assert.Equal(MondayOneMinuteBeforeClose.AddMinutes(15), passed.At);

        var reopened = TestEscalations.Fold(Unacknowledged(NeverSeen, MondayOneMinuteBeforeClose, MondayOneMinuteBeforeClose.AddMinutes(15), TuesdayOpening));
        var waiting = EscalationSummary.ForWorker(reopened, "lw-duty");
        Assert.NotNull(waiting);
        Assert.Null(waiting.PassedOn);
    }
}
