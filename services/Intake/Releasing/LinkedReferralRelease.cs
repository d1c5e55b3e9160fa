using Microsoft.Extensions.Options;
using Referrals.EventStore;
using Referrals.Intake.ConfirmingTriage;
using Referrals.Intake.People;
using Referrals.Intake.Referrals;
using Referrals.Intake.Retention;
using Referrals.Intake.Submitting;
using Referrals.Intake.Tracking;
using Referrals.Intake.Webhooks;

namespace Referrals.Intake.Releasing;

/// <summary>
/// Releases the referrals linked to a journey that ended untaken (HAZ-007, HAZ-014), in the caller's transaction: the one
/// that recorded the journey's end in the person index, whose stream the caller holds locked
/// (<c>FetchForExclusiveWriting</c>, as a submission does), so a concurrent submission for the person either linked first and
/// is released here, or waits and joins the journey a released referral opens.
/// </summary>
public sealed class LinkedReferralRelease(
    WebhookScheduler webhooks,
    RetentionScheduler retention,
    IOptions<TriageConfirmationOptions> triageConfirmation,
    ILogger<LinkedReferralRelease> logger)
{
    /// <param name="person">The person's index stream, locked; <paramref name="ended"/> is appended to it in this transaction.</param>
    /// <param name="entry">The entry with <paramref name="ended"/> applied.</param>
    /// <param name="endingReferralId">The referral that ended the journey (already fetched by the caller; never linked).</param>
    public async Task ReleaseAsync(IDocumentSession session, IEventStream<PersonIndexEntry> person, PersonIndexEntry? entry,
        JourneyEnded ended, Guid endingReferralId, DateTimeOffset now, CancellationToken ct)
    {
        if (!ReleaseLinkedReferralsDecider.EndedUntaken(ended.Reason))
        {
            return;
        }

        var index = await session.LoadAsync<JourneyIndex>(ended.JourneyId, ct);
        var streams = new Dictionary<Guid, IEventStream<Referral>>();
        foreach (var referralId in index?.ReferralIds.Where(id => id != endingReferralId) ?? [])
        {
            var stream = await session.Events.FetchForWriting<Referral>(referralId, ct);
            if (stream.Aggregate is not null)
            {
                streams[referralId] = stream;
            }
        }

        var decision = ReleaseLinkedReferralsDecider.Decide(entry, ended, [.. streams.Values.Select(s => s.Aggregate!)],
            Guid.CreateVersion7, now);
        person.AppendMany(decision.PersonIndexEvents);
        foreach (var released in decision.Released)
        {
            var stream = streams[released.ReferralId];
            var before = stream.Aggregate!;
            stream.AppendOne(released);
            var after = before.Then(released) with { Version = stream.CurrentVersion };
            retention.OnChanged(session, before, after);
            if (TriageConfirmationDecider.FirstCheck(after, now, triageConfirmation.Value) is { } check)
            {
                // As a submission publishes it: under the MessageId derived from the referral (the check's copies reuse it).
                session.Outbox.Publish(SubmissionMessages.Submitted(after), after.Id, TriageConfirmationDecider.SubmissionMessageId(after.Id));
                TriageConfirmationEffects.Schedule(session, check);
            }
            else
            {
                // Joined the journey a referral released before it opened: triage reads it for risk against that one, and
                // its receipt for this linking is checked (HAZ-001 C18).
                LinkedReferralReceiptEffects.Publish(session, SubmissionMessages.Linked(after, now), triageConfirmation.Value);
            }

            foreach (var push in ReferrerPushes.Plan(before, [released], stream.CurrentVersion - 1))
            {
                await webhooks.ScheduleAsync(session, push.Referral, now, ct);
            }

            // Ids only: nothing about the person.
            logger.LogInformation("Referral {ReferralId} released from journey {EndedJourneyId} ({Reason}): {Outcome} {JourneyId}",
                released.ReferralId, released.EndedJourneyId, released.EndReason,
                released.LinkedToOpenJourney ? "linked to journey" : "submitted on new journey", released.JourneyId);
        }
    }
}
