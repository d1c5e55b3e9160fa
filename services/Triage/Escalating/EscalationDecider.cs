using System.Globalization;
using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.ServiceDefaults.Problems;
using Referrals.Triage.Programmes;

namespace Referrals.Triage.Escalating;

/// <summary>What an escalation is about, and whom it can finally fall back to.</summary>
public sealed record EscalationSubject(
    Guid EscalationId,
    Guid ReferralId,
    Guid JourneyId,
    Guid PersonId,
    string ProgrammeId,
    EscalationTrigger Trigger,
    IReadOnlyList<string> Indicators,
    string? RegisteredPracticeOds,
    string? ReferrerOrganisationId)
{
    /// <summary>The new referral, linked to the open journey, whose risk opened it; its referrer is told about it (null otherwise).</summary>
    public Guid? LinkedReferralId { get; init; }

    /// <summary>The referral as the escalation leaves it, for downstream services (null when triage does not know it).</summary>
    public EscalatedReferralState? Referral { get; init; }
}

/// <summary>
/// A referral's tier and priority once an escalation is recorded on it, and the version of triage's referral stream they are
/// from: published on every <see cref="ReferralEscalated"/> about it, so support-plan's journey follows the escalation.
/// </summary>
public sealed record EscalatedReferralState(Tier RequiredTier, Priority Priority, long Version);

/// <summary>
/// Pure escalation rules. In rota hours the chain is: the duty worker (with the referrer told at once), the slot's team
/// lead, each fallback team lead, each with <see cref="DutyRota.AcknowledgeWithinMinutes"/> to acknowledge; then the
/// registered practice and the referrer with the not-a-crisis statement. Outside rota hours it goes straight to the
/// practice and the referrer with that statement, and when the rota next opens, to the duty worker and on up the chain
/// (with no practice or referrer to tell, nobody is told until the rota opens; team leads see it waiting for the rota).
/// A step of the duty team that comes due once the rota has closed is not asked: from then the chain goes on as one
/// opened outside rota hours would (see <see cref="EscalationReplannedAfterRotaClosed"/>). One that comes due while another
/// duty slot is in force than the one it was planned from (the shift handed over) asks the duty team now on shift instead
/// (see <see cref="EscalationReplannedAtDutyHandover"/>); so does a step still awaiting acknowledgement when the shift hands
/// over before its deadline, at the handover itself (see <see cref="OnHandover"/>). A chain whose last step asks
/// someone (no practice or referrer step after it) never goes quiet: at that deadline the duty team is asked again, one
/// acknowledgement window per round, until someone acknowledges (see <see cref="EscalationRepeatRoundPlanned"/>).
/// </summary>
public static class EscalationDecider
{
    public const string InHoursReferrerStatement =
        "This referral shows possible risk and has been passed at once to the duty link worker. The social prescribing link worker " +
        "service is not a crisis service: if the person is in immediate danger call 999; for urgent mental health help call NHS 111 " +
        "and choose the mental health option.";

    /// <summary>What the practice is told of an escalation in a programme triage is not set up for (fixed words, nothing personal).</summary>
    public const string ProgrammeUnknownPracticeStatement =
        "This referral shows possible risk, but the social prescribing link worker service is not set up to take referrals for " +
        "this programme: nobody in the service will review it or act on it, and it is not a crisis service. The practice must act " +
        "on the risk itself: if the person is in immediate danger call 999; for urgent mental health help call NHS 111 and choose " +
        "the mental health option.";

    /// <summary>What the referrer is told of an escalation in a programme triage is not set up for (fixed words, nothing personal).</summary>
    public const string ProgrammeUnknownReferrerStatement =
        "This referral shows possible risk, but the social prescribing link worker service is not set up to take referrals for " +
        "this programme: nobody in the service will review it or act on it, and it is not a crisis service. Make sure the " +
        "person's GP practice knows and acts on the risk: if the person is in immediate danger call 999; for urgent mental " +
        "health help call NHS 111 and choose the mental health option.";

    /// <summary>
    /// An escalation in a programme triage is not set up for: no rota, so only the practice and referrer are told (with
    /// nobody known, nobody), and told why, not that it arrived outside duty hours.
    /// </summary>
    public static IReadOnlyList<object> OpenInUnknownProgramme(EscalationSubject subject, DateTimeOffset now) =>
        Open(subject, DutyRota.None, 0, now, programmeUnknown: true);

    public static IReadOnlyList<object> Open(EscalationSubject subject, DutyRota rota, int configurationVersion, DateTimeOffset now) =>
        Open(subject, rota, configurationVersion, now, programmeUnknown: false);

    private static IReadOnlyList<object> Open(EscalationSubject subject, DutyRota rota, int configurationVersion, DateTimeOffset now, bool programmeUnknown)
    {
        var slot = RotaCalendar.SlotAt(rota, now);
        var chain = new List<EscalationStep>();
        var informational = Informational(subject);
        if (slot is not null)
        {
            chain.Add(new EscalationStep(1,
            [
                new(EscalationRecipientKind.DutyWorker, slot.DutyWorkerId, true),
                .. informational.Where(r => r.Kind == EscalationRecipientKind.Referrer),
            ], null));
            AddTeamLeads(chain, slot, rota, null);
            if (informational.Count > 0)
            {
                chain.Add(new EscalationStep(chain.Count + 1, informational, null));
            }
        }
        else
        {
            if (informational.Count > 0)
            {
                chain.Add(new EscalationStep(1, informational, null));
            }

            AddDutyTeamAtNextOpening(chain, rota, now);
        }

        // In a programme triage is not set up for there are no duty hours to be outside of: the flag goes to the practice and referrer.
        var opened = new EscalationOpened(subject.EscalationId, subject.ReferralId, subject.JourneyId, subject.PersonId, subject.ProgrammeId,
            subject.Trigger, subject.Indicators, slot is null && !programmeUnknown, chain, rota.TimeZone, rota.AcknowledgeWithinMinutes, rota.NotACrisisStatement,
            configurationVersion, now, rota)
        {
            LinkedReferralId = subject.LinkedReferralId,
            Referral = subject.Referral,
            ProgrammeUnknown = programmeUnknown,
        };
        var escalation = Escalation.Create(opened);
        // A first step that waits for the rota (outside hours with no practice or referrer to tell now) is reached when
        // the rota opens, on the step-0 deadline, so its recipients are asked while on duty.
        return escalation.NextStepDueAt > now ? [opened] : [opened, .. Reach(escalation, 1, now)];
    }

    /// <summary>
    /// One of the escalation's timers for <paramref name="step"/> came due at <paramref name="dueAt"/>: a time before the
    /// step's acknowledgement deadline is its duty handover (<see cref="OnHandover"/>), any other its deadline (or, for step
    /// 0, the rota opening; <see cref="OnDeadline"/>). A timer for a step acknowledged or already passed does nothing.
    /// </summary>
    public static IReadOnlyList<object> OnTimer(Escalation escalation, int step, DateTimeOffset dueAt, DateTimeOffset now)
    {
        if (escalation.AcknowledgeBy is not { } deadline || dueAt >= deadline)
        {
            return OnDeadline(escalation, step, now);
        }

        // Read as a handover; one read after the step should have moved on, that hands nothing over, still moves it on, so
        // a timer taken for a handover never holds a step past its deadline.
        var handedOver = OnHandover(escalation, step, dueAt, now);
        return handedOver.Count == 0 && escalation.MovesOnAt <= now ? OnDeadline(escalation, step, now) : handedOver;
    }

    /// <summary>
    /// The duty shift hands over at <paramref name="handoverAt"/> (<see cref="EscalationStepReached.HandoverAt"/>) while
    /// <paramref name="step"/>, asked of the team going off shift, still awaits acknowledgement: it is re-planned then, as a
    /// step of the duty team coming due after a handover is (the duty team on shift asked together at once, then the practice
    /// and referrer at that deadline if the plan was to tell them), rather than left with people off shift until its deadline.
    /// That deadline is never later than the replaced plan would have told the practice and referrer
    /// (<see cref="EscalationReplannedAtDutyHandover.TellBy"/>): the handover brings people on shift in sooner, it never
    /// puts off telling them, however many handovers fall inside the windows. Decided as at the handover even if this
    /// host's clock has not reached it. Nothing once acknowledged or moved on, nor if the slot in force then is the planned
    /// team's after all.
    /// </summary>
    public static IReadOnlyList<object> OnHandover(Escalation escalation, int step, DateTimeOffset handoverAt, DateTimeOffset now)
    {
        var at = Later(now, handoverAt);
        if (!escalation.IsOpen || escalation.CurrentStep != step || escalation.AcknowledgeBy is null
            || ReplanIfHandedOver(escalation, step, step + 1, at) is not { } handedOver)
        {
            return [];
        }

        handedOver = handedOver with
        {
            StepInHand = step,
            TellBy = handedOver.Steps.Count > 1 ? TellingAsPlanned(escalation, escalation.Rota!) : null,
        };
        return [handedOver, .. Reach(escalation.Apply(handedOver), handedOver.Steps[0].Number, at, handedOver.TellBy)];
    }

    /// <summary>
    /// A step's deadline (step 0's: the rota opening before the first step) came due: move to the next step unless
    /// acknowledged or already moved on. Past a last step that asked someone, the next is a repeat round.
    /// </summary>
    public static IReadOnlyList<object> OnDeadline(Escalation escalation, int step, DateTimeOffset now)
    {
        if (!escalation.IsOpen || escalation.CurrentStep != step || escalation.MovesOnAt is null)
        {
            return [];
        }

        if (step < escalation.Chain.Count)
        {
            return Reach(escalation, step + 1, now);
        }

        // Nobody acknowledged and nobody outside the team is left to tell: ask the duty team again rather than go quiet.
        var round = RepeatRound(escalation, now);
        return [round, .. Reach(escalation.Apply(round), round.Steps[0].Number, now)];
    }

    public static IReadOnlyList<object> Acknowledge(Escalation escalation, string who, string role, bool isTeamLead, DateTimeOffset now)
    {
        if (!escalation.IsOpen)
        {
            throw new DomainRuleException("The escalation was already acknowledged.");
        }

        if (!isTeamLead && !escalation.AskedToAcknowledge.Contains(who, StringComparer.Ordinal))
        {
            throw new DomainRuleException("Only a worker the escalation was sent to, or a team lead of the programme, can acknowledge it.");
        }

        return [new EscalationAcknowledgementRecorded(escalation.Id, escalation.CurrentStep, who, role, now)];
    }

    /// <summary>
    /// Reaches <paramref name="step"/> (and any later step due at once), returning the events. <paramref name="tellBy"/>
    /// (a handover re-plan's <see cref="EscalationReplannedAtDutyHandover.TellBy"/>) caps the deadline of
    /// <paramref name="step"/>, the on-shift team's, whose passing tells the practice and referrer; already past, they are
    /// told at once.
    /// </summary>
    private static List<object> Reach(Escalation escalation, int step, DateTimeOffset now, DateTimeOffset? tellBy = null)
    {
        var events = new List<object>();
        var current = escalation;
        for (var number = step; number <= current.Chain.Count; number++)
        {
            var definition = current.Chain[number - 1];
            var mustAcknowledge = definition.Recipients.Any(r => r.MustAcknowledge);
            if (mustAcknowledge && ReplanIfRotaClosed(current, number, now) is { } replanned)
            {
                // Nobody on the duty team is on shift to act: don't wait on them, go on from the re-plan's first step.
                events.Add(replanned);
                current = current.Apply(replanned);
                number = replanned.Steps[0].Number;
                definition = current.Chain[number - 1];
                mustAcknowledge = definition.Recipients.Any(r => r.MustAcknowledge);
            }
            else if (mustAcknowledge && ReplanIfHandedOver(current, number, number, now) is { } handedOver)
            {
                // The planned people went off shift: ask the duty team on shift now, from the re-plan's first step.
                events.Add(handedOver);
                current = current.Apply(handedOver);
                number = handedOver.Steps[0].Number;
                definition = current.Chain[number - 1];
                mustAcknowledge = true;
            }

            var acknowledgeBy = mustAcknowledge ? now.AddMinutes(current.AcknowledgeWithinMinutes) : (DateTimeOffset?)null;
            if (number == step && acknowledgeBy > tellBy)
            {
                acknowledgeBy = Later(now, tellBy);
            }

            var next = number < current.Chain.Count ? current.Chain[number] : null;
            // A last step that asks someone keeps its deadline as a due time, so its timer (and the watchdog) brings the
            // repeat round; a last step that tells the practice and referrer ends the chain.
            DateTimeOffset? nextDue = next is null
                ? acknowledgeBy
                : mustAcknowledge
                    ? Later(acknowledgeBy!.Value, next.NotBefore)
                    : next.NotBefore ?? now;
            var reached = new EscalationStepReached(current.Id, number, definition.Recipients, acknowledgeBy, nextDue, now)
            {
                // The shift hands over before the deadline: the step in hand goes to the team on shift then (OnHandover).
                HandoverAt = acknowledgeBy is { } deadline && current.Rota is { } rota
                    ? RotaCalendar.NextHandover(rota, PlannedSlot(current, number, rota), now, deadline)
                    : null,
            };
            events.Add(reached);
            current = current.Apply(reached);
            if (nextDue is null || nextDue > now)
            {
                break;
            }
        }

        return events;
    }

    /// <summary>
    /// Null while the rota the chain was planned from is open at <paramref name="now"/>. Once it has closed: the re-plan an
    /// escalation opened now would get, the practice and referrer told at once (the step stands even with nobody to tell,
    /// as the wait for the rota) and the duty team asked when the rota next opens. With nobody to tell and no opening
    /// ahead there is no re-plan: asking the planned people off shift is better than asking nobody.
    /// </summary>
    private static EscalationReplannedAfterRotaClosed? ReplanIfRotaClosed(Escalation escalation, int skipped, DateTimeOffset now)
    {
        if (escalation.Rota is not { } rota || RotaCalendar.SlotAt(rota, now) is not null)
        {
            return null;
        }

        var chain = escalation.Chain.ToList();
        var informational = Informational(chain);
        chain.Add(new EscalationStep(chain.Count + 1, informational, null));
        if (!AddDutyTeamAtNextOpening(chain, rota, now) && informational.Count == 0)
        {
            return null;
        }

        return new EscalationReplannedAfterRotaClosed(escalation.Id, skipped, chain[escalation.Chain.Count..], now);
    }

    /// <summary>
    /// Null unless a duty slot is in force at <paramref name="now"/> with another duty worker or team lead than the slot the
    /// step <paramref name="planned"/> was planned from (the slot in force when the chain was planned, or opening when the
    /// step waits for the rota): the step coming due (<paramref name="skipped"/> is <paramref name="planned"/>), or the step
    /// in hand at a handover before its deadline (<paramref name="skipped"/> is the one after it). Then: the duty team on
    /// shift (its duty worker and team leads) asked together now, as a repeat round in hours asks them (the escalation
    /// already waited on the team that went off shift, so its new duty worker is not asked alone first); then, if the plan
    /// it replaces went on to tell the practice and referrer, they are told at its deadline; otherwise the chain ends with
    /// the duty team and repeat rounds follow. A step coming due is asked now, so the replaced plan would have told them
    /// one window from now at the earliest: no later than this re-plan does. At a handover the step in hand's deadline may
    /// be nearer: <see cref="OnHandover"/> caps the on-shift team's deadline at the replaced plan's. Its steps are
    /// planned from the slot on shift, so the next step re-plans only at the next handover. Anyone asked before can still
    /// acknowledge.
    /// </summary>
    private static EscalationReplannedAtDutyHandover? ReplanIfHandedOver(Escalation escalation, int planned, int skipped, DateTimeOffset now)
    {
        if (escalation.Rota is not { } rota || RotaCalendar.SlotAt(rota, now) is not { } onShift)
        {
            return null;
        }

        if (PlannedSlot(escalation, planned, rota) is { } plannedSlot && RotaCalendar.SameTeam(plannedSlot, onShift))
        {
            return null;
        }

        var number = escalation.Chain.Count + 1;
        var steps = new List<EscalationStep> { new(number, DutyTeam(onShift, rota), null) };
        var informational = Informational(escalation.Chain);
        // The old plan's steps never reached: from the skipped one on.
        var wasToTell = escalation.Chain.Skip(skipped - 1).Any(s => s.Recipients.Count > 0 && s.Recipients.All(r => !r.MustAcknowledge));
        if (wasToTell && informational.Count > 0)
        {
            steps.Add(new EscalationStep(number + 1, informational, null));
        }

        return new EscalationReplannedAtDutyHandover(escalation.Id, skipped, steps, onShift.DutyWorkerId, onShift.TeamLeadId, now);
    }

    /// <summary>
    /// When the plan in hand would tell the practice and referrer, nobody acknowledging (null if it tells them no more): at
    /// the current step's deadline, plus one acknowledgement window for each step asking someone before their step; or,
    /// if the rota has closed when a step asking someone comes due, then (the re-plan after the close tells them at once).
    /// Waits for the rota to open are not counted, and a re-plan the plan would make when a step comes due under another
    /// slot tells them no later than this: so this is never later than the plan would tell them.
    /// </summary>
    private static DateTimeOffset? TellingAsPlanned(Escalation escalation, DutyRota rota)
    {
        if (escalation.MovesOnAt is not { } at)
        {
            return null;
        }

        foreach (var next in escalation.Chain.Skip(escalation.CurrentStep).Where(s => s.Recipients.Count > 0))
        {
            if (next.Recipients.All(r => !r.MustAcknowledge) || RotaCalendar.SlotAt(rota, at) is null)
            {
                return at;
            }

            at = at.AddMinutes(escalation.AcknowledgeWithinMinutes);
        }

        return null;
    }

    /// <summary>The slot a step's recipients were planned from: in force when its plan was made, or opening when it waits for the rota.</summary>
    private static DutySlot? PlannedSlot(Escalation escalation, int step, DutyRota rota) =>
        RotaCalendar.SlotAt(rota, escalation.Chain[step - 1].NotBefore ?? escalation.ChainPlannedAt);

    /// <summary>
    /// The next repeat round, decided from the rota recorded when the escalation opened, at <paramref name="now"/>: with a
    /// slot in force, its duty worker and the team leads asked together now; with the rota closed, the practice and
    /// referrer told now (nobody to tell: the step is the wait) and the next slot's duty worker and team leads asked
    /// together when it opens. With the rota closed and no opening ahead, the practice and referrer are told and the chain
    /// ends there, as for an escalation opened then; with nobody to tell either, or no rota recorded, the people asked
    /// before are asked again now: off shift is better than nobody.
    /// </summary>
    private static EscalationRepeatRoundPlanned RepeatRound(Escalation escalation, DateTimeOffset now)
    {
        var number = escalation.Chain.Count + 1;
        var informational = Informational(escalation.Chain);
        List<EscalationStep> steps = escalation.Rota switch
        {
            { } rota when RotaCalendar.SlotAt(rota, now) is { } slot => [new(number, DutyTeam(slot, rota), null)],
            { } rota when RotaCalendar.NextOpening(rota, now) is var (opensAt, next) =>
                [new(number, informational, null), new(number + 1, DutyTeam(next, rota), opensAt)],
            not null when informational.Count > 0 => [new(number, informational, null)],
            _ => [new(number, AskedBefore(escalation), null)],
        };
        return new EscalationRepeatRoundPlanned(escalation.Id, escalation.RepeatRoundAtSteps.Count + 1, steps, now);
    }

    /// <summary>A slot's duty worker and team leads, all asked to acknowledge at once.</summary>
    private static List<EscalationRecipient> DutyTeam(DutySlot slot, DutyRota rota) =>
    [
        new(EscalationRecipientKind.DutyWorker, slot.DutyWorkerId, true),
        .. TeamLeads(slot, rota).Select(lead => new EscalationRecipient(EscalationRecipientKind.TeamLead, lead, true)),
    ];

    /// <summary>Everyone the chain has asked to acknowledge, once each, in the order first asked.</summary>
    private static List<EscalationRecipient> AskedBefore(Escalation escalation) =>
        escalation.History.SelectMany(h => h.Recipients).Where(r => r.MustAcknowledge).DistinctBy(r => r.Id, StringComparer.Ordinal).ToList();

    /// <summary>What each recipient of a reached step is told (plain English, no personal details).</summary>
    public static string StatementFor(Escalation escalation, EscalationStepReached step, EscalationRecipient recipient)
    {
        var indicators = string.Join("; ", escalation.Indicators);
        switch (recipient.Kind)
        {
            case EscalationRecipientKind.DutyWorker or EscalationRecipientKind.TeamLead:
                var zone = RotaCalendar.ZoneOf(DutyRota.None with { TimeZone = escalation.TimeZone });
                var by = step.AcknowledgeBy is { } deadline
                    ? TimeZoneInfo.ConvertTime(deadline, zone).ToString("HH:mm", CultureInfo.InvariantCulture)
                    : "now";
                if (escalation.RepeatRoundOf(step.Step) is var round and > 0)
                {
                    return $"Possible risk: {indicators}. Nobody in the duty team has acknowledged it yet (repeat round {round}). Review now and acknowledge by {by}; unacknowledged, the duty team is asked again.";
                }

                if (escalation.HandedOverAtSteps.Contains(step.Step))
                {
                    // A handover re-plan asks the whole on-shift team at once; what comes next is the practice and referrer.
                    var then = step.Step < escalation.Chain.Count &&
                               escalation.Chain[step.Step].Recipients.Any(r => r.Kind == EscalationRecipientKind.RegisteredPractice)
                        ? "the registered practice is told that nobody in the team acknowledged it"
                        : "it moves on along the duty chain";
                    return $"Possible risk: {indicators}. It was raised before the duty shift changed and nobody acknowledged it; it is now with the duty team on shift. Review now and acknowledge by {by}; unacknowledged, {then}.";
                }

                return $"Possible risk: {indicators}. Review now and acknowledge by {by}; unacknowledged, it moves to the next person in the duty chain.";
            case EscalationRecipientKind.RegisteredPractice when escalation.ProgrammeUnknown:
                return ProgrammeUnknownPracticeStatement;
            case EscalationRecipientKind.Referrer when escalation.ProgrammeUnknown:
                return ProgrammeUnknownReferrerStatement;
            case EscalationRecipientKind.Referrer when !escalation.OutsideRotaHours && step.Step == 1:
                return InHoursReferrerStatement;
            default:
                var context = escalation.OutsideRotaHours && step.Step == 1
                    ? "This referral shows possible risk and arrived outside the link worker service's duty hours. "
                    : escalation.ReplannedAtSteps.Contains(step.Step)
                        ? "This referral shows possible risk and the link worker service's duty hours ended before anyone in the team acknowledged it. "
                        : "This referral shows possible risk and nobody in the link worker team acknowledged it in time. ";
                return context + escalation.NotACrisisStatement;
        }
    }

    private static List<EscalationRecipient> Informational(EscalationSubject subject)
    {
        var recipients = new List<EscalationRecipient>();
        if (!string.IsNullOrEmpty(subject.RegisteredPracticeOds))
        {
            recipients.Add(new EscalationRecipient(EscalationRecipientKind.RegisteredPractice, subject.RegisteredPracticeOds, false));
        }

        if (!string.IsNullOrEmpty(subject.ReferrerOrganisationId))
        {
            recipients.Add(new EscalationRecipient(EscalationRecipientKind.Referrer, subject.ReferrerOrganisationId, false));
        }

        return recipients;
    }

    /// <summary>The practice and the referrer as the chain names them (the subject is not kept), practice first.</summary>
    private static List<EscalationRecipient> Informational(IReadOnlyList<EscalationStep> chain)
    {
        var named = chain.SelectMany(s => s.Recipients).Where(r => !r.MustAcknowledge).ToList();
        return new[] { EscalationRecipientKind.RegisteredPractice, EscalationRecipientKind.Referrer }
            .Select(kind => named.FirstOrDefault(r => r.Kind == kind)).OfType<EscalationRecipient>().ToList();
    }

    /// <summary>The duty worker and team leads of the next slot to open, none asked before it opens. False if none opens.</summary>
    private static bool AddDutyTeamAtNextOpening(List<EscalationStep> chain, DutyRota rota, DateTimeOffset now)
    {
        if (RotaCalendar.NextOpening(rota, now) is not var (opensAt, next))
        {
            return false;
        }

        chain.Add(new EscalationStep(chain.Count + 1, [new(EscalationRecipientKind.DutyWorker, next.DutyWorkerId, true)], opensAt));
        AddTeamLeads(chain, next, rota, opensAt);
        return true;
    }

    private static void AddTeamLeads(List<EscalationStep> chain, DutySlot slot, DutyRota rota, DateTimeOffset? notBefore)
    {
        foreach (var lead in TeamLeads(slot, rota))
        {
            chain.Add(new EscalationStep(chain.Count + 1, [new(EscalationRecipientKind.TeamLead, lead, true)], notBefore));
        }
    }

    /// <summary>The slot's team lead, then each fallback team lead, once each and never the slot's duty worker again.</summary>
    private static IEnumerable<string> TeamLeads(DutySlot slot, DutyRota rota) =>
        new[] { slot.TeamLeadId }.Concat(rota.FallbackTeamLeadIds).Where(l => !string.IsNullOrWhiteSpace(l))
            .Distinct(StringComparer.Ordinal).Where(l => l != slot.DutyWorkerId);

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset? b) => b is { } other && other > a ? other : a;
}
