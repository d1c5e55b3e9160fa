using Microsoft.Extensions.Options;
using Referrals.EventStore;
using Referrals.SupportPlan.Escalating;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Overriding;
using Referrals.SupportPlan.Safeguarding;

namespace Referrals.SupportPlan.Registering;

/// <summary>
/// Records a fact about a referral on its stream and then does whatever has become due, in the caller's transaction:
/// register the journey (new or reopened) and publish JourneyRegistered; open it on the worker's acceptance; apply a
/// withdrawal, a re-triage, a team lead's override or an escalation triage raised after its decision. Because every fact lands on the referral stream first, the messages may arrive in any order:
/// whichever completes the picture triggers the step. Concurrent messages for one referral conflict on its stream and retry.
/// </summary>
public sealed class ReferralProcessor(TimeProvider clock, IOptions<SupportPlanOptions> options, ILogger<ReferralProcessor> logger)
{
    /// <summary>Returns true when the fact completed the picture and the journey was registered (new or reopened).</summary>
    public async Task<bool> RecordAsync(IDocumentSession session, Guid referralId, object fact, CancellationToken ct)
    {
        var referralStream = await session.Events.FetchForWriting<Referral>(referralId, ct);
        if (!ReferralDecider.Accepts(referralStream.Aggregate, fact))
        {
            logger.LogInformation("Ignored a duplicate or stale {Fact} for a referral", fact.GetType().Name);
            return false;
        }

        referralStream.AppendOne(fact);
        var referral = Fold.Apply(referralStream.Aggregate, [fact])!;
        var now = clock.GetUtcNow();
        var policy = options.Value.ToPolicy();
        IEventStream<Journey>? journeyStream = null;
        Journey? journey = null;
        var registered = false;

        if (ReferralDecider.RegistrationDue(referral))
        {
            var submission = referral.Submission!;
            var previous = submission.PreviousJourneyId is { } previousId ? await session.Events.FetchForWriting<Journey>(previousId, ct) : null;
            var proposed = await session.Events.FetchForWriting<Journey>(submission.ProposedJourneyId, ct);
            var registration = ReferralDecider.Register(referral, previous?.Aggregate, proposed.Aggregate, now, policy, Guid.CreateVersion7);
            journeyStream = registration.JourneyId == previous?.Id ? previous
                : registration.JourneyId == proposed.Id ? proposed
                : await session.Events.FetchForWriting<Journey>(registration.JourneyId, ct);
            journey = Append(session, journeyStream, journeyStream.Aggregate, [registration.Event], policy);
            var linked = new ReferralLinkedToJourney(referral.Id, referral.PersonId, registration.JourneyId, registration.Reopened, now);
            referralStream.AppendOne(linked);
            referral = Fold.Apply(referral, [linked])!;
            logger.LogInformation("Registered a referral against journey {JourneyId} (reopened: {Reopened})", registration.JourneyId, registration.Reopened);
            registered = true;
        }

        if (referral.JourneyId is not { } journeyId)
        {
            return registered;
        }

        if (journeyStream is null)
        {
            journeyStream = await session.Events.FetchForWriting<Journey>(journeyId, ct);
            journey = journeyStream.Aggregate ?? throw new InvalidOperationException($"Journey {journeyId} of a linked referral is missing.");
        }

        if (referral.Triage is { } triage && triage.SourceVersion != referral.AppliedTriageVersion && triage.SourceVersion is not null)
        {
            // A team lead's later override, or a later escalation, keeps its tier and priority (they come on different queues).
            journey = Append(session, journeyStream, journey!,
                ReferralDecider.Retriage(journey!, EscalationDecider.InForce(triage, referral.Override, referral.Escalation)), policy);
            referralStream.AppendOne(new RetriageApplied(referral.Id, journeyId, triage.SourceVersion));
        }

        if (referral.Override is { } overridden && !referral.OverrideApplied)
        {
            // An escalation after the override stands: the override changes nothing then.
            var followed = EscalationDecider.IsLaterThan(referral.Escalation, overridden) ? [] : OverrideDecider.Follow(journey!, overridden, referral.Triage, now);
            journey = Append(session, journeyStream, journey!, followed, policy);
            referralStream.AppendOne(new TriageOverrideApplied(referral.Id, journeyId, overridden.SourceVersion));
        }

        if (referral.Escalation is { } escalation && !referral.EscalationApplied)
        {
            journey = Append(session, journeyStream, journey!, EscalationDecider.Follow(journey!, escalation, referral.Triage, referral.Override, now),
                policy);
            referralStream.AppendOne(new EscalationApplied(referral.Id, journeyId, escalation.SourceVersion));
        }

        if (referral.Acceptance is { } acceptance && referral.AppliedAssignmentId != acceptance.AssignmentId)
        {
            journey = Append(session, journeyStream, journey!, ReferralDecider.Open(journey!, acceptance, now), policy);
            referralStream.AppendOne(new AssignmentAcceptanceApplied(referral.Id, acceptance.AssignmentId, journeyId));
        }

        if (referral.Withdrawal is { } withdrawal && !referral.WithdrawalApplied)
        {
            // A withdrawal that closes the journey records the concerns triage has not confirmed (HAZ-001 C9).
            var confirmations = await ConcernConfirmation.OfAsync(session, [journey!], ct);
            Append(session, journeyStream, journey!, ReferralDecider.Withdraw(journey!, withdrawal, confirmations, now), policy);
            referralStream.AppendOne(new WithdrawalApplied(referral.Id, journeyId));
        }

        return registered;
    }

    private static Journey Append(IDocumentSession session, IEventStream<Journey> stream, Journey? before, IReadOnlyList<object> events,
        JourneyPolicy policy)
    {
        if (events.Count == 0)
        {
            return before!;
        }

        var after = Fold.Apply(before, events)!;
        stream.AppendMany(events);
        JourneyEffects.Apply(session, before, after, events, policy);
        return after;
    }
}
