using System.Text.Json;
using System.Text.Json.Serialization;
using Referrals.Contracts;
using Referrals.EventStore;
using Referrals.Contracts.Triage;
using Referrals.Triage.Programmes;

namespace Referrals.Triage.Escalating;

public enum EscalationState
{
    /// <summary>Waiting for someone in the chain to acknowledge before the current step's deadline.</summary>
    AwaitingAcknowledgement,

    /// <summary>Told the practice and referrer; waiting for the rota to open before the duty worker is asked.</summary>
    AwaitingRota,

    /// <summary>Nobody in the team acknowledged; the practice and referrer were told. Still shown to team leads until acknowledged.</summary>
    ChainCompleted,

    Acknowledged,

    /// <summary>Nobody could be asked or told: no duty slot now or ahead, and no practice or referrer known. Only a team lead can act.</summary>
    NobodyToAsk,
}

/// <summary>
/// An escalation: its chain (fixed when it opened; only a re-plan when the rota closes or the duty shift hands over, or a
/// repeat round when nobody acknowledged, adds steps, to its end), the step reached, and whether (and by whom) it was acknowledged. Its indicators
/// are personal data (a worker's concern brings its own, free text), encrypted under the person's key.
/// </summary>
public sealed record Escalation(
    Guid Id,
    Guid ReferralId,
    Guid JourneyId,
    Guid PersonId,
    string ProgrammeId,
    EscalationTrigger Trigger,
    IReadOnlyList<string>? Indicators,
    bool OutsideRotaHours,
    IReadOnlyList<EscalationStep> Chain,
    string TimeZone,
    int AcknowledgeWithinMinutes,
    string NotACrisisStatement,
    int ConfigurationVersion,
    DateTimeOffset OpenedAt)
{
    /// <summary>Empty once the person is erased.</summary>
    [PersonalData]
    public IReadOnlyList<string> Indicators { get; init; } = Indicators ?? [];

    public long Version { get; set; }

    /// <summary>The linked referral whose risk opened it, if any: the referrer's notices name it (see <see cref="EscalationOpened"/>).</summary>
    public Guid? LinkedReferralId { get; init; }

    /// <summary>The escalated referral's tier, priority and stream version once the escalation was recorded on it (see <see cref="EscalationOpened"/>).</summary>
    public EscalatedReferralState? Referral { get; init; }

    /// <summary>The referral a recipient is told about: the referrer of a linked referral hears of the one they sent.</summary>
    public Guid ReferralFor(EscalationRecipient recipient) =>
        recipient.Kind == EscalationRecipientKind.Referrer ? LinkedReferralId ?? ReferralId : ReferralId;

    public int CurrentStep { get; init; }

    public IReadOnlyList<EscalationRecipient> CurrentRecipients { get; init; } = [];

    public DateTimeOffset? AcknowledgeBy { get; init; }

    public DateTimeOffset? NextStepDueAt { get; init; }

    public IReadOnlyList<EscalationStepReached> History { get; init; } = [];

    /// <summary>The rota the chain was planned from (null for escalations opened before it was recorded).</summary>
    public DutyRota? Rota { get; init; }

    /// <summary>The first step of each re-plan made because the rota had closed.</summary>
    public IReadOnlyList<int> ReplannedAtSteps { get; init; } = [];

    /// <summary>The first step of each repeat round, asked because nobody acknowledged by the end of the chain.</summary>
    public IReadOnlyList<int> RepeatRoundAtSteps { get; init; } = [];

    /// <summary>Opened for a programme triage is not set up for (see <see cref="EscalationOpened.ProgrammeUnknown"/>).</summary>
    public bool ProgrammeUnknown { get; init; }

    /// <summary>The first step of each re-plan made because the duty shift handed over to another duty team.</summary>
    public IReadOnlyList<int> HandedOverAtSteps { get; init; } = [];

    /// <summary>
    /// When the steps still to come were planned: the opening, then the latest re-plan or repeat round. A step of the duty
    /// team asks the slot in force then, or, if it waits for the rota (<see cref="EscalationStep.NotBefore"/>), the slot
    /// opening then; a different slot in force when it comes due means the shift handed over.
    /// </summary>
    public DateTimeOffset ChainPlannedAt { get; init; }

    public string? AcknowledgedBy { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public EscalationState State => AcknowledgedAt is not null
        ? EscalationState.Acknowledged
        : AcknowledgeBy is not null
            ? EscalationState.AwaitingAcknowledgement
            : NextStepDueAt is not null
                ? EscalationState.AwaitingRota
                : Chain.Count == 0 ? EscalationState.NobodyToAsk : EscalationState.ChainCompleted;

    /// <summary>The repeat round the current step belongs to; 0 while still on the chain as planned.</summary>
    [JsonIgnore]
    public int RepeatRound => RepeatRoundOf(CurrentStep);

    /// <summary>
    /// When the current step moves on if nobody acknowledges. Escalations that reached a last step asking someone before
    /// repeat rounds existed kept no due time for it: its deadline stands in, so the watchdog still finds them.
    /// </summary>
    [JsonIgnore]
    public DateTimeOffset? MovesOnAt => IsOpen ? NextStepDueAt ?? AcknowledgeBy : null;

    [JsonIgnore]
    public bool IsOpen => AcknowledgedAt is null;

    /// <summary>Everyone asked to acknowledge at the steps reached so far.</summary>
    [JsonIgnore]
    public IEnumerable<string> AskedToAcknowledge =>
        History.SelectMany(h => h.Recipients).Where(r => r.MustAcknowledge).Select(r => r.Id).Distinct();

    public int RepeatRoundOf(int step) => RepeatRoundAtSteps.Count(first => first <= step);

    /// <summary>
    /// The escalation's fields as SQL over a stored document, and its computed index. Open escalations are few among all those
    /// ever raised, and a worker's worklist asks on every load: the partial index holds the open ones alone.
    /// </summary>
    public static class Sql
    {
        public const string Programme = "data->>'programmeId'";

        public const string Open = "data->>'acknowledgedAt' is null";

        /// <summary>A step reached so far asked the worker to acknowledge; the parameter is <see cref="AskedParameter"/>.</summary>
        public const string Asked = "data->'history' @> ?::jsonb";

        public static string AskedParameter(string worker) =>
            JsonSerializer.Serialize(new[] { new { recipients = new[] { new { id = worker, mustAcknowledge = true } } } });

        public static DocumentRegistry Indexes(DocumentRegistry documents) => documents.Index<Escalation>("open", [Programme], where: Open);
    }

    public static string TimerKey(Guid escalationId, int step) => $"escalation:{escalationId:N}:step:{step}";

    /// <summary>The timer of a step's duty handover before its deadline (<see cref="EscalationStepReached.HandoverAt"/>).</summary>
    public static string HandoverTimerKey(Guid escalationId, int step) => $"{TimerKey(escalationId, step)}:handover";

    /// <summary>Opened at step 0; a first step that waits for the rota makes its opening the step-0 deadline.</summary>
    public static Escalation Create(EscalationOpened e) =>
        new(e.EscalationId, e.ReferralId, e.JourneyId, e.PersonId, e.ProgrammeId, e.Trigger, e.Indicators, e.OutsideRotaHours, e.Chain,
            e.TimeZone, e.AcknowledgeWithinMinutes, e.NotACrisisStatement, e.ConfigurationVersion, e.OpenedAt)
        {
            NextStepDueAt = e.Chain is [{ NotBefore: { } opensAt }, ..] && opensAt > e.OpenedAt ? opensAt : null,
            Rota = e.Rota,
            ChainPlannedAt = e.OpenedAt,
            ProgrammeUnknown = e.ProgrammeUnknown,
            LinkedReferralId = e.LinkedReferralId,
            Referral = e.Referral,
        };

    /// <summary>The new steps join the end of the chain; the step reached next is the first of them.</summary>
    public Escalation Apply(EscalationReplannedAfterRotaClosed e) => this with
    {
        Chain = [.. Chain, .. e.Steps],
        ReplannedAtSteps = [.. ReplannedAtSteps, e.Steps[0].Number],
        ChainPlannedAt = e.ReplannedAt,
    };

    /// <summary>The new duty team's steps join the end of the chain; the step reached next is the first of them.</summary>
    public Escalation Apply(EscalationReplannedAtDutyHandover e) => this with
    {
        Chain = [.. Chain, .. e.Steps],
        HandedOverAtSteps = [.. HandedOverAtSteps, e.Steps[0].Number],
        ChainPlannedAt = e.ReplannedAt,
    };

    /// <summary>The round's steps join the end of the chain; the step reached next is the first of them.</summary>
    public Escalation Apply(EscalationRepeatRoundPlanned e) => this with
    {
        Chain = [.. Chain, .. e.Steps],
        RepeatRoundAtSteps = [.. RepeatRoundAtSteps, e.Steps[0].Number],
        ChainPlannedAt = e.PlannedAt,
    };

    public Escalation Apply(EscalationStepReached e) => this with
    {
        CurrentStep = e.Step,
        CurrentRecipients = e.Recipients,
        AcknowledgeBy = e.AcknowledgeBy,
        NextStepDueAt = e.NextStepDueAt,
        History = [.. History, e],
    };

    public Escalation Apply(EscalationAcknowledgementRecorded e) => this with
    {
        AcknowledgedBy = e.AcknowledgedBy,
        AcknowledgedAt = e.AcknowledgedAt,
        NextStepDueAt = null,
    };
}
