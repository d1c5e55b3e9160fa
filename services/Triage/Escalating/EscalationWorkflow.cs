using Microsoft.Extensions.Logging;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Telemetry;
using Referrals.Triage.Programmes;

namespace Referrals.Triage.Escalating;

/// <summary>
/// Applies escalation decisions to the store: appends the events, publishes a <see cref="ReferralEscalated"/> for every
/// recipient of every step reached (intake relays the referrer's to them; a linked referral's referrer hears of the referral
/// they sent, see <see cref="Escalation.ReferralFor"/>), and schedules the durable timer that moves the
/// chain on at the step's deadline, and the one that re-plans it at a duty handover before that deadline
/// (<see cref="EscalationStepReached.HandoverAt"/>). Timers, events and messages commit together.
/// </summary>
public sealed class EscalationWorkflow(TimeProvider clock, ILogger<EscalationWorkflow> logger)
{
    /// <summary>
    /// Opens the escalation unless it already exists (a redelivery). Returns what it opened, null when it existed. Its
    /// counters and logs wait for the commit: the caller passes it to <see cref="RecordCommitted"/> once the transaction has
    /// committed, so a retried or failed save neither counts twice nor counts what did not happen.
    /// </summary>
    public async Task<OpenedEscalation?> OpenAsync(IDocumentSession session, EscalationSubject subject, Programme? programme, CancellationToken ct)
    {
        if (await session.Events.FetchStreamStateAsync(subject.EscalationId, ct) is not null)
        {
            return null;
        }

        var events = programme is null
            ? EscalationDecider.OpenInUnknownProgramme(subject, clock.GetUtcNow())
            : EscalationDecider.Open(subject, programme.DutyRota, (int)programme.Version, clock.GetUtcNow());
        session.Events.StartStream<Escalation>(subject.EscalationId, [.. events]);
        var opened = (EscalationOpened)events[0];
        var state = Escalation.Create(opened);
        if (opened.Chain.Count > 0 && state.NextStepDueAt is { } opensAt)
        {
            ScheduleDeadline(session, state, 0, opensAt);
        }

        Emit(session, state, events.Skip(1).ToList());
        return new OpenedEscalation(subject, opened);
    }

    /// <summary>
    /// Counts and logs an escalation opened in a transaction that has committed; called once per committed opening (a
    /// consumer's follow-up when it applied the message now), never before the save. Ids only.
    /// </summary>
    public void RecordCommitted(OpenedEscalation escalation)
    {
        var (subject, opened) = escalation;
        var programme = new KeyValuePair<string, object?>("programme", subject.ProgrammeId);
        var trigger = new KeyValuePair<string, object?>("trigger", subject.Trigger.ToString());
        if (opened.ProgrammeUnknown)
        {
            // No duty team exists and no team lead's list shows it: only the practice and referrer (if known) are told to act.
            // An error and counted (alert on it): intake took a referral for a programme triage is not set up for.
            EscalationMetrics.ProgrammeUnknown.Add(1, programme, trigger);
            logger.LogError("Escalation {EscalationId} for referral {ReferralId} is in programme {ProgrammeId}, which triage is not set up for: no duty team to ask; {Told} practice or referrer told to act on the risk themselves",
                subject.EscalationId, subject.ReferralId, subject.ProgrammeId, opened.Chain.Sum(s => s.Recipients.Count));
        }

        if (opened.Chain.Count == 0)
        {
            // Nobody to ask or tell: no duty slot now or ahead, no practice or referrer. Only a team lead can act, so it is an
            // error and counted (alert on it). No check timer: the chain comes from the rota recorded now, which has no slot
            // in the look-ahead, so checking it again would ask nobody sooner.
            EscalationMetrics.NobodyToAsk.Add(1, programme, trigger);
            logger.LogError("Escalation {EscalationId} for referral {ReferralId} in programme {ProgrammeId} has nobody to ask or tell (no duty slot in the next {Days} days, no practice or referrer known); only a team lead can act",
                subject.EscalationId, subject.ReferralId, subject.ProgrammeId, RotaCalendar.LookAheadDays);
        }
        else if (Escalation.Create(opened).NextStepDueAt is { } opensAt)
        {
            // Outside rota hours with no practice or referrer known: nobody is told until the rota opens. Team leads see it.
            logger.LogWarning("Escalation {EscalationId} in programme {ProgrammeId} has nobody to tell before the rota opens at {OpensAt}",
                subject.EscalationId, subject.ProgrammeId, opensAt);
        }

        ReferralsTelemetry.Escalations.Add(1, trigger, new KeyValuePair<string, object?>("outside_rota_hours", opened.OutsideRotaHours));
    }

    /// <summary>Appends further events to a fetched escalation and emits what they cause.</summary>
    public static Escalation Apply(IDocumentSession session, IEventStream<Escalation> stream, IReadOnlyList<object> events)
    {
        var state = stream.Aggregate ?? throw new InvalidOperationException("The escalation does not exist.");
        if (events.Count == 0)
        {
            return state;
        }

        stream.AppendMany(events);
        return Emit(session, state, events);
    }

    private static void ScheduleDeadline(IDocumentSession session, Escalation state, int step, DateTimeOffset due) =>
        session.Timers.Schedule(Escalation.TimerKey(state.Id, step), due, new EscalationDeadlineDue(state.Id, state.ReferralId, step, due), state.Id);

    private static Escalation Emit(IDocumentSession session, Escalation state, IReadOnlyList<object> events)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case EscalationStepReached reached:
                    state = state.Apply(reached);
                    foreach (var recipient in reached.Recipients)
                    {
                        var about = state.ReferralFor(recipient);
                        // The escalated referral's standing, on notices about it only (a linked referral's referrer hears of another).
                        var standing = about == state.ReferralId ? state.Referral : null;
                        session.Outbox.Publish(new ReferralEscalated(state.Id, about, state.JourneyId, state.PersonId, state.ProgrammeId,
                            reached.Step, recipient.Kind, recipient.Id, state.Indicators, recipient.MustAcknowledge ? reached.AcknowledgeBy : null,
                            state.OutsideRotaHours, EscalationDecider.StatementFor(state, reached, recipient), reached.ReachedAt)
                        {
                            RequiredTier = standing?.RequiredTier,
                            Priority = standing?.Priority,
                            ReferralVersion = standing?.Version,
                        }, state.Id);
                    }

                    if (reached.NextStepDueAt is { } due)
                    {
                        ScheduleDeadline(session, state, reached.Step, due);
                    }

                    if (reached.HandoverAt is { } handover)
                    {
                        // The same message as the deadline's, due before it: the consumer's decision tells them apart.
                        session.Timers.Schedule(Escalation.HandoverTimerKey(state.Id, reached.Step), handover,
                            new EscalationDeadlineDue(state.Id, state.ReferralId, reached.Step, handover), state.Id);
                    }

                    break;
                case EscalationAcknowledgementRecorded acknowledged:
                    session.Timers.Cancel(Escalation.TimerKey(state.Id, state.CurrentStep));
                    session.Timers.Cancel(Escalation.HandoverTimerKey(state.Id, state.CurrentStep));
                    state = state.Apply(acknowledged);
                    session.Outbox.Publish(new EscalationAcknowledged(state.Id, state.ReferralId, state.JourneyId, state.PersonId,
                        acknowledged.AcknowledgedBy, acknowledged.AcknowledgedAt), state.Id);
                    break;
                case EscalationReplannedAfterRotaClosed replanned:
                    state = state.Apply(replanned);
                    break;
                case EscalationReplannedAtDutyHandover handedOver:
                    if (handedOver.StepInHand is { } inHand)
                    {
                        // Re-planned at the handover: the step in hand's deadline no longer moves anything on.
                        session.Timers.Cancel(Escalation.TimerKey(state.Id, inHand));
                    }

                    state = state.Apply(handedOver);
                    break;
                case EscalationRepeatRoundPlanned round:
                    state = state.Apply(round);
                    break;
                case EscalationOpened:
                    break;
                default:
                    throw new ArgumentException($"{e.GetType().Name} is not an escalation event.", nameof(events));
            }
        }

        return state;
    }
}

/// <summary>An escalation a transaction opened: what <see cref="EscalationWorkflow.RecordCommitted"/> counts and logs once it commits.</summary>
public sealed record OpenedEscalation(EscalationSubject Subject, EscalationOpened Opened);
