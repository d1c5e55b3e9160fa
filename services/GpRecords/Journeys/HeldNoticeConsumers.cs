using MassTransit;
using Microsoft.Extensions.Options;
using Referrals.Contracts;
using Referrals.Contracts.GpRecords;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Patients;
using Referrals.GpRecords.Recording;
using Referrals.ServiceDefaults.Messaging;

namespace Referrals.GpRecords.Journeys;

/// <summary>
/// Releases a referral's held practice notices once it no longer waits for its registration (<see cref="HeldNotices"/>),
/// then takes the notice queue's delivery step, as production does for a journey: the release commits first, under the
/// referral's lock (so two messages cannot release one notice twice), and the step follows in a transaction of its own.
/// </summary>
public sealed class HeldNoticeReleaser(DeliverySender sender, TimeProvider clock, ILogger<HeldNoticeReleaser> logger)
{
    /// <param name="overdue">A held notice's check came due: the notices go even though the referral is not withdrawn.</param>
    /// <param name="appliedNow">
    /// False for a message applied before: an earlier follow-up may have committed a release and stopped before its step, so
    /// the notice queue steps whenever anything was released.
    /// </param>
    public async Task ReleaseAndSendAsync(IDocumentSession session, Guid referralId, bool overdue, bool appliedNow, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<GpReferral>(ResourceIds.ReferralJourney(referralId), ct);
        if (stream.Aggregate is not { } referral)
        {
            return;
        }

        HeldNoticesReleased? released = null;
        if (HeldNotices.ReleaseDue(referral, overdue) is { } reason)
        {
            var patient = await session.Events.AggregateStreamAsync<PatientRecord>(referral.PersonId, ct: ct);
            if (patient is null)
            {
                // The submission's scope and the person's details are recorded together: this is a defect, not a race.
                throw new InvalidOperationException("Practice notices due for release for a submission whose person is not recorded.");
            }

            if (HeldNotices.Decide(referral, patient, reason, clock.GetUtcNow()) is { } release)
            {
                stream.AppendOne(release.Released);
                if (release.Scope is { } scope)
                {
                    session.Events.Append(scope.QueueId, scope);
                }

                session.Events.Append(release.Queued.QueueId, release.Queued);
                released = release.Released;
            }
        }

        await session.SaveChangesAsync(ct);
        if (released is not null)
        {
            logger.LogWarning("Released {Count} practice notice(s) of referral {ReferralId} without a journey ({Reason}) as delivery {DeliveryId}",
                released.NoticeKeys.Count, referralId, released.Reason, released.DeliveryId);
        }

        if (released is not null || (!appliedNow && referral.Releases > 0))
        {
            await sender.StepAsync(session, referral.PersonId, ResourceIds.ReferralNotices(referralId), null, ct);
            await session.SaveChangesAsync(ct);
        }
    }
}

/// <summary>
/// Intake's submission, noted on the referral's own stream by the patient consumer in the transaction that records the
/// person: the sharing scope a notice released without a journey is sent under. A withdrawal or a held notice may have
/// come first and waited for it.
/// </summary>
public static class ReferralSubmissions
{
    /// <summary>Notes the submission; true when a notice is held or the referral withdrawn, so a release may now be due.</summary>
    public static async Task<bool> NoteAsync(IDocumentSession session, ReferralSubmitted message, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<GpReferral>(ResourceIds.ReferralJourney(message.ReferralId), ct);
        if (stream.Aggregate?.SharingScope is null)
        {
            // A consent erased before intake's relay sent the message reads null: it shares nothing.
            stream.AppendOne(new ReferralSubmissionNoted(message.ReferralId, message.PersonId, message.Consent?.SharingScope ?? ConsentScope.None, message.SubmittedAt));
        }

        return stream.Aggregate is { } referral && (!referral.Held.IsEmpty || referral.WithdrawnAt is not null);
    }
}

/// <summary>
/// The referrer withdrew the referral. Support-plan registers a referral only while no withdrawal has reached it, so one
/// withdrawn before its registration may never have a journey: its held practice notices go now. Should support-plan have
/// registered it after all (the withdrawal overtook the registration on the way here), the link finds them released and
/// moves nothing, so the practice has them once.
/// </summary>
public sealed class ReferralWithdrawnConsumer(IDocumentStore store, HeldNoticeReleaser releaser, ILogger<ReferralWithdrawnConsumer> logger)
    : IdempotentConsumer<ReferralWithdrawn>(store, logger)
{
    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralWithdrawn> context)
    {
        var message = context.Message;
        var stream = await session.Events.FetchForExclusiveWriting<GpReferral>(ResourceIds.ReferralJourney(message.ReferralId), context.CancellationToken);
        if (stream.Aggregate?.WithdrawnAt is null)
        {
            // The reason is the referrer's free text: not needed here, so not kept.
            stream.AppendOne(new ReferralWithdrawalNoted(message.ReferralId, message.PersonId, message.WithdrawnAt));
        }
    }

    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<ReferralWithdrawn> context, bool appliedNow) =>
        releaser.ReleaseAndSendAsync(session, context.Message.ReferralId, overdue: false, appliedNow, context.CancellationToken);
}

/// <summary>
/// A held notice's check came due (gp-records' own durable timer, armed when the notice was first held). Still held, it is
/// counted and logged (ids only) as held longer than expected, the next round is armed, and the referral's held notices are
/// released without a journey; a notice that cannot be released yet (the referral's submission not recorded) is reported
/// again every round. Nothing is checked any more for an erased person: nothing of theirs is sent.
/// </summary>
public sealed class GpHeldNoticeDueConsumer(IDocumentStore store, HeldNoticeReleaser releaser, IOptionsMonitor<GpRecordsOptions> options,
    TimeProvider clock, ILogger<GpHeldNoticeDueConsumer> logger) : IdempotentConsumer<GpHeldNoticeDue>(store, logger)
{
    /// <summary>Set by the handler when the notice was still held (its transaction may yet fail: counted after the commit).</summary>
    private bool _stillHeld;

    /// <summary>The held notice's programme, the counter's tag.</summary>
    private string? _programme;

    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<GpHeldNoticeDue> context)
    {
        _stillHeld = false;
        var due = context.Message;
        var stream = await session.Events.FetchForExclusiveWriting<GpReferral>(ResourceIds.ReferralJourney(due.ReferralId), context.CancellationToken);
        if (stream.Aggregate is not { } referral || !referral.Held.TryGetValue(JourneyFacts.EscalationKey(due.EscalationId, due.Step), out var notice))
        {
            return;
        }

        var patient = await session.Events.AggregateStreamAsync<PatientRecord>(referral.PersonId, ct: context.CancellationToken);
        if (patient is { Erased: true })
        {
            return;
        }

        HeldNotices.ScheduleCheck(session, referral.PersonId, due.ReferralId, due.EscalationId, due.Step, due.Round + 1,
            clock.GetUtcNow() + options.CurrentValue.Notices.HeldCheckAfter);
        _stillHeld = true;
        _programme = notice.ProgrammeId;
    }

    protected override async Task FollowUpAsync(IDocumentSession session, ConsumeContext<GpHeldNoticeDue> context, bool appliedNow)
    {
        var due = context.Message;
        if (appliedNow && _stillHeld)
        {
            HeldNoticeMetrics.HeldOverdue.Add(1, new KeyValuePair<string, object?>("programme", _programme));
            logger.LogWarning("Practice notice of escalation {EscalationId} step {Step} for referral {ReferralId} still held at check {Round}: the referral has no journey",
                due.EscalationId, due.Step, due.ReferralId, due.Round);
        }

        // A redelivery does not know what the first handling found; releasing what is still held then is what it would have done.
        await releaser.ReleaseAndSendAsync(session, due.ReferralId, overdue: _stillHeld || !appliedNow, appliedNow, context.CancellationToken);
    }
}

public sealed class ReferralWithdrawnConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<ReferralWithdrawnConsumer>(o);

public sealed class GpHeldNoticeDueConsumerDefinition(IOptions<MessagingOptions> o) : ReferralsConsumerDefinition<GpHeldNoticeDueConsumer>(o);
