using Referrals.Contracts;
using Referrals.EventStore;
using Referrals.Intake.ConfirmingTriage;
using Referrals.Intake.People;
using Referrals.Intake.Referrals;
using Referrals.Intake.Releasing;
using Referrals.Intake.Retention;
using Referrals.Intake.Webhooks;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.Intake.Tracking;

/// <summary>
/// Applies upstream facts to referrals inside a consumer's session: appends the decided events, keeps the person index
/// in step (a journey that ended, or that support-plan recorded under another id) and queues webhook pushes when the
/// status the referrer sees changes or an escalation notice for the referrer is recorded. Everything commits with the
/// consumer's inbox claim, or not at all.
/// </summary>
public sealed class ReferralTracker(WebhookScheduler webhooks, RetentionScheduler retention, LinkedReferralRelease release, TimeProvider time,
    ILogger<ReferralTracker> logger)
{
    public delegate IReadOnlyList<object> Decide(Referral referral, DateTimeOffset now);

    /// <summary>A fact about one referral (triage's events, and support-plan's that name the referral).</summary>
    public async Task UpdateReferralAsync(IDocumentSession session, Guid referralId, Decide decide, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Referral>(referralId, ct);
        if (stream.Aggregate is null)
        {
            throw new MessageOutOfOrderException($"Referral {referralId} is not known (yet).");
        }

        await ApplyAsync(session, stream, decide, ct);
    }

    /// <summary>
    /// A fact about a journey (support-plan's events that name only the journey): it applies to every referral of the
    /// journey that has not finished (or that a fact of the same version finished). If none is known yet the fact is early
    /// (retried) - unless it is older than what the referrals already show, when it is stale and ignored.
    /// </summary>
    public async Task UpdateJourneyAsync(IDocumentSession session, Guid journeyId, EventSource? source, Decide decide, CancellationToken ct)
    {
        var index = await session.LoadAsync<JourneyIndex>(journeyId, ct);
        var streams = new List<IEventStream<Referral>>();
        foreach (var referralId in index?.ReferralIds ?? [])
        {
            var stream = await session.Events.FetchForWriting<Referral>(referralId, ct);
            if (stream.Aggregate is not null)
            {
                streams.Add(stream);
            }
        }

        var current = streams.Where(s => !s.Aggregate!.IsFinished).ToList();
        if (current.Count == 0 && source is not null)
        {
            // Published in the transaction that finished the referral (a decline and the closure it causes share a
            // version): the decider's tie-break says which shows, whichever arrived first.
            current = streams.Where(s => s.Aggregate!.JourneyMark is { } mark &&
                mark.Source.StreamId == source.StreamId && mark.Source.Version == source.Version).ToList();
        }

        if (current.Count == 0)
        {
            var stale = streams.Count > 0 && (source is null || streams.Any(s => s.Aggregate!.JourneyMark is { } mark &&
                mark.Source.StreamId == source.StreamId && mark.Source.Version >= source.Version));
            if (stale)
            {
                logger.LogInformation("Ignored a stale journey event for journey {JourneyId}", journeyId);
                return;
            }

            throw new MessageOutOfOrderException($"No open referral is known for journey {journeyId} (yet).");
        }

        foreach (var stream in current)
        {
            await ApplyAsync(session, stream, decide, ct);
        }
    }

    private async Task ApplyAsync(IDocumentSession session, IEventStream<Referral> stream, Decide decide, CancellationToken ct)
    {
        var before = stream.Aggregate!;
        var now = time.GetUtcNow();
        var events = decide(before, now);
        if (events.Count == 0)
        {
            return;
        }

        stream.AppendMany(events);
        var after = events.Aggregate(before, (referral, e) => referral.Then(e)) with { Version = stream.CurrentVersion };

        retention.OnChanged(session, before, after);
        TriageConfirmationEffects.OnChanged(session, before, after);
        var journeyChanged = after.JourneyId != before.JourneyId;
        var endReason = !before.IsFinished && after.IsFinished ? ProgressDecider.JourneyEndReasonOf(after) : null;
        // Brought back into scope by a team lead after it ended its journey as not eligible.
        var resumed = ProgressDecider.JourneyEndReasonOf(before) == JourneyEndReason.NotEligible && !after.IsFinished;
        if (after.PersonIndexId is { } indexId && (journeyChanged || endReason is not null || resumed))
        {
            // Locked as a submission locks it: a journey that ends untaken releases its linked referrals, and a concurrent
            // submission must either link first (and be released here) or see the journey ended.
            var person = await session.Events.FetchForExclusiveWriting<PersonIndexEntry>(indexId, ct);
            var entry = person.Aggregate;
            if (journeyChanged)
            {
                var confirmed = PersonIndexDecider.ConfirmJourney(entry, after.ProgrammeId, before.JourneyId, after.JourneyId, now);
                person.AppendMany(confirmed);
                entry = confirmed.OfType<JourneyIdentityConfirmed>().Aggregate(entry, (e, c) => e?.Apply(c));
            }

            if (endReason is { } reason)
            {
                var ended = PersonIndexDecider.EndJourney(entry, after.ProgrammeId, after.JourneyId, reason, now);
                person.AppendMany(ended);
                foreach (var end in ended.OfType<JourneyEnded>())
                {
                    // Ended untaken (not eligible, or closed by support-plan as withdrawn): no journey event finishes its
                    // linked referrals, so they are released. Once only: a journey intake already ended is not ended again.
                    entry = entry?.Apply(end);
                    await release.ReleaseAsync(session, person, entry, end, after.Id, now, ct);
                }
            }

            if (resumed)
            {
                var reopened = PersonIndexDecider.ResumeJourney(entry, after.ProgrammeId, after.JourneyId, after.Id, now);
                person.AppendMany(reopened);
                if (reopened.Count == 0)
                {
                    logger.LogWarning("Referral {ReferralId} was brought back into scope but the person has another open journey in programme {ProgrammeId}; both journeys run",
                        after.Id, after.ProgrammeId);
                }
            }
        }

        // Each push carries the referral version of the event it reports: the first escalation message records the flag
        // and the referrer's notice in one batch, and the two pushes must not share a sequence (HAZ-002).
        foreach (var push in ReferrerPushes.Plan(before, events, stream.CurrentVersion - events.Count))
        {
            if (push.Notice is { } notice)
            {
                logger.LogInformation("Referral {ReferralId} received an escalation notice (escalation {EscalationId}, step {Step})",
                    after.Id, notice.EscalationId, notice.Step);
                await webhooks.ScheduleEscalationNoticeAsync(session, push.Referral, notice, now, ct);
            }
            else
            {
                logger.LogInformation("Referral {ReferralId} is now {Status}{Escalated}", after.Id, after.Status, after.Escalated ? " (escalated)" : "");
                await webhooks.ScheduleAsync(session, push.Referral, now, ct);
            }
        }
    }
}
