using Referrals.Contracts;
using Referrals.Contracts.SupportPlan;
using Referrals.Contracts.Triage;
using Referrals.Intake.People;
using Referrals.Intake.Referrals;

namespace Referrals.Intake.Tracking;

/// <summary>A fact from upstream, as it bears on the referral's status.</summary>
public sealed record ProgressFact(ProgressPhase Phase, ReferralStatus Status, EventSource? Source, DateTimeOffset OccurredAt)
{
    public ClosureReason? ClosureReason { get; init; }

    public ClosingSummary? Summary { get; init; }

    /// <summary>Triage's reasons, when it found the referral not eligible for link work.</summary>
    public IReadOnlyList<string>? NotEligibleReasons { get; init; }

    /// <summary>Where triage suggests the person is directed instead, when it found the referral not eligible.</summary>
    public string? Signposting { get; init; }

    /// <summary>The person's sharing consent at closure, when support-plan states it (it may be narrower than at referral).</summary>
    public ConsentScope? SharingScope { get; init; }
}

/// <summary>
/// Pure decisions about a referral's progress. Facts arrive on different queues in any order, so each phase keeps the
/// upstream stream and version of the fact it shows: a fact from the same stream counts only if its version is newer, or
/// (published in the same transaction) as new and further along; a
/// fact from another stream of the same service counts if it happened later (the same service's clock) or, at the same
/// instant, is further along. Journey facts (support-plan) always outrank triage facts in the status shown.
/// </summary>
public static class ProgressDecider
{
    public static IReadOnlyList<object> Record(Referral referral, ProgressFact fact, DateTimeOffset now)
    {
        var source = fact.Source ?? new EventSource(Guid.Empty, 0);
        var mark = fact.Phase == ProgressPhase.Triage ? referral.TriageMark : referral.JourneyMark;
        if (mark is not null && !Supersedes(fact, source, mark))
        {
            return [];
        }

        return
        [
            new ReferralProgressRecorded(referral.Id, referral.PersonId, fact.Phase, fact.Status, source, fact.OccurredAt, now)
            {
                ClosureReason = fact.ClosureReason,
                NotEligibleReasons = fact.Status == ReferralStatus.NotEligible ? fact.NotEligibleReasons : null,
                Signposting = fact.Status == ReferralStatus.NotEligible ? fact.Signposting : null,
                Outcome = fact.Status == ReferralStatus.Closed && fact.ClosureReason is { } reason
                    ? OutcomeFor(reason, fact.Summary, Narrower(referral.SharingScope, fact.SharingScope))
                    : null,
            },
        ];
    }

    /// <summary>
    /// Support-plan closed the journey. Closed as withdrawn, it closed untaken (the first referral withdrawn before the person
    /// agreed, HAZ-007 C9): a referral still linked to it and waiting is not closed with it, as it never was withdrawn; the
    /// closure of the withdrawn referral releases it (<see cref="JourneyEndReasonOf"/>) to be triaged on its own.
    /// </summary>
    public static IReadOnlyList<object> Close(Referral referral, ProgressFact fact, DateTimeOffset now) =>
        fact.ClosureReason == ClosureReason.Withdrawn && referral.Status == ReferralStatus.LinkedToOpenJourney
            ? []
            : Record(referral, fact, now);

    /// <summary>
    /// Why the person's journey ends with this referral: closed or declined always, untaken (withdrawn) when support-plan
    /// closed it as withdrawn; not eligible only when the referral opened the journey (a referral that joined an open
    /// journey cannot end it).
    /// </summary>
    public static JourneyEndReason? JourneyEndReasonOf(Referral referral) => referral.Status switch
    {
        ReferralStatus.Closed when referral.ClosureReason == ClosureReason.Withdrawn => JourneyEndReason.Withdrawn,
        ReferralStatus.Closed => JourneyEndReason.Closed,
        ReferralStatus.Declined => JourneyEndReason.Declined,
        ReferralStatus.NotEligible when !referral.LinkedToOpenJourney => JourneyEndReason.NotEligible,
        _ => null,
    };

    public static IReadOnlyList<object> Escalate(Referral referral, DateTimeOffset escalatedAt, DateTimeOffset now) =>
        referral.Escalated ? [] : [new ReferralEscalationNoted(referral.Id, referral.PersonId, escalatedAt, now)];

    /// <summary>
    /// Triage escalated the referral (one message per recipient per step of the duty chain). Any recipient sets the
    /// one-off <see cref="Referral.Escalated"/> flag; a message addressed to the referrer is also recorded as an
    /// escalation notice, once per escalation and step, however often it is delivered and even though the referral is
    /// already escalated. Messages to the duty worker, team lead or registered practice add nothing else here.
    /// </summary>
    public static IReadOnlyList<object> Escalation(Referral referral, ReferralEscalated message, DateTimeOffset now)
    {
        var flag = Escalate(referral, message.EscalatedAt, now);
        var alreadyRecorded = referral.EscalationNotices.Any(n => n.EscalationId == message.EscalationId && n.Step == message.Step);
        if (message.RecipientKind != EscalationRecipientKind.Referrer || alreadyRecorded)
        {
            return flag;
        }

        return
        [
            .. flag,
            new EscalationNoticeReceived(referral.Id, referral.PersonId, message.EscalationId, message.Step, message.RecipientId,
                message.Statement, message.OutsideRotaHours, message.AcknowledgeBy, message.EscalatedAt, now),
        ];
    }

    public static IReadOnlyList<object> IdentifyJourney(Referral referral, Guid journeyId, DateTimeOffset now) =>
        referral.JourneyId == journeyId ? [] : [new ReferralJourneyIdentified(referral.Id, referral.JourneyId, journeyId, now)];

    /// <summary>
    /// What the referrer sees of the outcome. With full sharing consent: the reason, the community connections made and
    /// the change in outcome measures; coded-only: the reason and the measures; no sharing: the reason alone. What
    /// matters to the person and their goals (their own words) are never passed back this way.
    /// </summary>
    public static ReferrerOutcome OutcomeFor(ClosureReason reason, ClosingSummary? summary, ConsentScope scope) => scope switch
    {
        ConsentScope.Full => new ReferrerOutcome(reason, summary?.Connections ?? [], summary?.OutcomeChanges ?? []),
        ConsentScope.CodedOnly => new ReferrerOutcome(reason, [], summary?.OutcomeChanges ?? []),
        _ => new ReferrerOutcome(reason, [], []),
    };

    /// <summary>
    /// Consent can only have narrowed for the referrer's purposes: a withdrawal or a narrower scope recorded on the journey
    /// wins over the scope given at referral, and a wider one never widens what this referrer was told it would see.
    /// </summary>
    public static ConsentScope Narrower(ConsentScope atReferral, ConsentScope? atClosure) => atClosure switch
    {
        null => atReferral,
        ConsentScope.None => ConsentScope.None,
        ConsentScope.CodedOnly => atReferral == ConsentScope.None ? ConsentScope.None : ConsentScope.CodedOnly,
        _ => atReferral,
    };

    private static bool Supersedes(ProgressFact fact, EventSource source, PhaseMark mark)
    {
        if (source.StreamId != Guid.Empty && source.StreamId == mark.Source.StreamId)
        {
            // Messages published in one transaction carry the same version (the stream's, after the commit), e.g. triage's
            // ReferralTriaged with ReferralAssigned or ReferralQueued, or support-plan's decline with the closure. They
            // arrive in either order; the stage further along is the later one, so it wins whichever came first.
            return source.Version > mark.Source.Version ||
                   (source.Version == mark.Source.Version && Rank(fact.Status) > Rank(mark.Status));
        }

        return fact.OccurredAt > mark.OccurredAt || (fact.OccurredAt == mark.OccurredAt && Rank(fact.Status) > Rank(mark.Status));
    }

    private static int Rank(ReferralStatus status) => status switch
    {
        ReferralStatus.Triaged or ReferralStatus.NotEligible => 1,
        ReferralStatus.Queued => 2,
        ReferralStatus.Assigned => 3,
        ReferralStatus.Accepted => 4,
        ReferralStatus.JourneyOpened => 5,
        ReferralStatus.Agreed or ReferralStatus.Declined => 6,
        ReferralStatus.Closed => 7,
        _ => 0,
    };
}
