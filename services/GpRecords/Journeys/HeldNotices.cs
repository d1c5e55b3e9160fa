using System.Diagnostics.Metrics;
using System.Globalization;
using Referrals.Contracts.GpRecords;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.Fhir;
using Referrals.GpRecords.Delivering;
using Referrals.GpRecords.Patients;
using Referrals.GpRecords.Recording;
using Referrals.ServiceDefaults.Telemetry;

namespace Referrals.GpRecords.Journeys;

/// <summary>
/// Pure rules for the practice notices held for a referral that has no journey yet (HAZ-002). A notice waits for the
/// referral's registration so that it is recorded on the journey the referral is registered on; but support-plan never
/// registers a referral withdrawn before its registration, and a registration may be held up. So the notices go to the
/// practice without a journey once the referral is withdrawn, or once a held notice's check finds it still held; either
/// way under the sharing scope the referral was submitted with, to the practice the person is registered at when sent.
/// </summary>
public static class HeldNotices
{
    /// <summary>A release: recorded on the referral, and queued on the referral's notice journey for the practice.</summary>
    /// <param name="Scope">The notice queue's sharing scope, set with its first delivery (null for later ones).</param>
    public sealed record Release(HeldNoticesReleased Released, SharingScopeChanged? Scope, DeliveryQueued Queued);

    /// <summary>Whether to hold a notice for a referral with no journey: once per escalation step, and never one released already.</summary>
    public static bool ShouldHold(GpReferral? referral, ReferralEscalated notice)
    {
        var key = JourneyFacts.KeyOf(notice);
        return referral is null || (!referral.Held.ContainsKey(key) && !referral.Released.Contains(key));
    }

    /// <summary>A notice released without a journey is never recorded on one later: the practice has it already.</summary>
    public static bool WasReleased(GpReferral? referral, ReferralEscalated notice) => referral?.Released.Contains(JourneyFacts.KeyOf(notice)) == true;

    /// <summary>
    /// Why the referral's held notices should go now, or null while they wait: nothing is held, the referral is registered,
    /// or its submission (and so its sharing scope) is not known yet. A withdrawn referral's go at once; so do those of a
    /// referral whose notices were released before (it no longer waits). Otherwise they go when a check finds them overdue.
    /// </summary>
    public static NoticeReleaseReason? ReleaseDue(GpReferral referral, bool overdue) =>
        referral.JourneyId is not null || referral.Held.IsEmpty || referral.SharingScope is null ? null
        : referral.WithdrawnAt is not null ? NoticeReleaseReason.Withdrawn
        : overdue || referral.Releases > 0 ? NoticeReleaseReason.Overdue
        : null;

    /// <summary>
    /// Every held notice of the referral, as one delivery on its notice journey (<see cref="ResourceIds.ReferralNotices"/>):
    /// the Patient as a conditional create and each notice as the restricted Observation it would be on a journey. Null when
    /// nothing may be sent for the person: erased, or no details known (as for any production).
    /// </summary>
    public static Release? Decide(GpReferral referral, PatientRecord? patient, NoticeReleaseReason reason, DateTimeOffset now)
    {
        if (patient is null || patient.Erased || patient.Details is null || referral.SharingScope is not { } scope || referral.Held.IsEmpty)
        {
            return null;
        }

        var journeyId = ResourceIds.ReferralNotices(referral.ReferralId);
        var queueId = ResourceIds.DeliveryQueue(journeyId);
        var sequence = referral.Releases + 1;
        var deliveryId = ResourceIds.Delivery(journeyId, sequence);
        var patientJson = FhirJson.Serialize(JourneyRecordMapper.Patient(patient.Id, patient.Details, patient.RegisteredPracticeOds));
        var entries = new List<DeliveryEntry> { new("Patient", ResourceIds.Patient(patient.Id), patientJson, patientJson, null, ConditionalCreate: true) };
        var notices = referral.Held.Values.OrderBy(n => n.EscalatedAt).ThenBy(n => n.EscalationId).ThenBy(n => n.Step).ToList();
        foreach (var notice in notices)
        {
            var resource = JourneyRecordMapper.EscalationNotice(journeyId, notice, patient);
            entries.Add(new DeliveryEntry(resource.Full.ResourceType, resource.Full.Id!, FhirJson.Serialize(resource.Full),
                resource.Coded is null ? null : FhirJson.Serialize(resource.Coded), resource.ClinicalDate, false));
        }

        return new Release(
            new HeldNoticesReleased(referral.ReferralId, referral.PersonId, journeyId, deliveryId, sequence, [.. notices.Select(JourneyFacts.KeyOf)],
                reason, now),
            referral.Releases == 0 ? new SharingScopeChanged(queueId, journeyId, referral.PersonId, scope, referral.SubmittedAt ?? now) : null,
            new DeliveryQueued(queueId, journeyId, referral.PersonId, deliveryId, sequence, patient.RegisteredPracticeOds, [], null, entries, now));
    }

    /// <summary>
    /// Arms the check of a held notice: one timer per notice and round, because a key that has fired is ignored by the timer
    /// store. No source stream, so the fired check does not queue behind the referral's own outbox.
    /// </summary>
    public static void ScheduleCheck(IDocumentSession session, Guid personId, Guid referralId, Guid escalationId, int step, int round, DateTimeOffset due) =>
        session.Timers.Schedule(CheckTimerKey(referralId, escalationId, step, round), due, new GpHeldNoticeDue(personId, referralId, escalationId, step, round));

    public static string CheckTimerKey(Guid referralId, Guid escalationId, int step, int round) =>
        string.Create(CultureInfo.InvariantCulture, $"gp-records:held-notice:{referralId:N}:{escalationId:N}:{step}:round:{round}");
}

/// <summary>gp-records' held-notice counter, on the platform's meter ("Referrals").</summary>
public static class HeldNoticeMetrics
{
    /// <summary>
    /// Checks that found a practice notice still held for a referral with no journey (each one then released it if it could),
    /// tag <c>programme</c>.
    /// </summary>
    public static readonly Counter<long> HeldOverdue = ReferralsTelemetry.Meter.CreateCounter<long>(
        "referrals.gp_notices_held_overdue", "{check}", "Practice escalation notices still held for an unregistered referral when checked");
}
