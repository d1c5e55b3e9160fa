using Microsoft.Extensions.Logging;
using Referrals.Contracts.Intake;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Telemetry;
using Referrals.Triage.Assigning;
using Referrals.Triage.Common;
using Referrals.Triage.Escalating;
using Referrals.Triage.Journeys;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;
using Referrals.Triage.ServiceLevels;

namespace Referrals.Triage.Triaging;

/// <summary>
/// Triages one submitted referral: decides (pure), records the decision with the configuration version, escalates at once
/// when risk is indicated, starts the first-contact service level, and assigns or queues it. Every step commits in the
/// caller's session, with the messages in the outbox: <see cref="ReferralTriaged"/>, <see cref="ReferralEscalated"/>,
/// <see cref="ReferralAssigned"/> or <see cref="ReferralQueued"/>.
/// </summary>
public sealed class TriageReferral(TimeProvider clock, AllocationService allocation, EscalationWorkflow escalations, ILogger<TriageReferral> logger)
{
    public const string Actor = "triage";

    /// <summary>
    /// Returns null when the referral was triaged before (a redelivery with a new message id); otherwise what was triaged, with
    /// the escalation it opened, whose counters and logs the caller records once the session commits
    /// (<see cref="EscalationWorkflow.RecordCommitted"/>).
    /// </summary>
    public async Task<Triaged?> HandleAsync(IDocumentSession session, ReferralSubmitted submitted, CancellationToken ct)
    {
        if (await session.Events.FetchStreamStateAsync(submitted.ReferralId, ct) is not null)
        {
            logger.LogInformation("Referral {ReferralId} was already triaged", submitted.ReferralId);
            return null;
        }

        // Decide on the configuration as it stands (outside the lock: reading free text takes a moment), then lock the
        // programme for allocation; should the configuration have changed in between, decide again on the locked version.
        var text = new ReferralText(submitted.ReasonText, submitted.WhatMatters, submitted.RiskNotes);
        var snapshot = await session.LoadAsync<Programme>(StreamIds.Programme(submitted.ProgrammeId), ct);
        var early = snapshot is null ? null : Decide(submitted, snapshot, text);
        await session.ReadyPersonalDataKeysAsync([submitted.PersonId], ct);
        var programme = await ProgrammeLock.AcquireAsync(session, submitted.ProgrammeId, ct);
        var now = clock.GetUtcNow();
        var previousWorker = submitted.PreviousJourneyId is { } previousJourney
            ? (await session.LoadAsync<JourneyIndex>(previousJourney, ct))?.LinkWorkerId
            : null;
        var received = new ReferralReceived(submitted.ReferralId, submitted.JourneyId, submitted.PersonId, submitted.PreviousJourneyId,
            previousWorker, submitted.ProgrammeId, submitted.RegisteredPracticeOds.Trim().ToUpperInvariant(), submitted.Referrer.Kind,
            submitted.Referrer.OrganisationId, submitted.AgeAtReferral, submitted.PostcodeDistrict?.Trim().ToUpperInvariant(),
            submitted.HasLongTermCondition, submitted.IsCarer, submitted.Needs, submitted.Risk, submitted.Urgency, submitted.SubmittedAt, now);
        var outcome = early is not null && programme is not null && early.ConfigurationVersion == programme.Version
            ? early
            : TriageDecider.Decide(ReferralFacts.From(received), text, programme);

        var referrals = new ReferralChanges(session);
        var referral = referrals.Start(received, new TriageDecided(received.ReferralId, outcome, now));
        session.Outbox.Publish(new ReferralTriaged(referral.Id, referral.JourneyId, referral.PersonId, referral.ProgrammeId, outcome.Eligible,
            outcome.Reasons, outcome.Signposting, outcome.ComplexityScore, outcome.ContributingFactors, outcome.RequiredTier, outcome.Priority,
            outcome.Escalated, outcome.ConfigurationVersion, now), referral.Id);

        OpenedEscalation? escalation = null;
        if (outcome.Escalated)
        {
            // Escalation first and regardless of eligibility or capacity: someone who can act is told now.
            escalation = await escalations.OpenAsync(session, new EscalationSubject(StreamIds.EscalationForReferral(referral.Id), referral.Id,
                referral.JourneyId, referral.PersonId, referral.ProgrammeId, EscalationTrigger.Triage,
                outcome.Indicators.Select(i => i.Describe()).Distinct().ToList(), referral.RegisteredPracticeOds, referral.ReferrerOrganisationId)
            {
                Referral = new EscalatedReferralState(referral.RequiredTier, referral.Priority, referral.Version),
            }, programme, ct);
        }

        if (outcome.Eligible && programme is not null)
        {
            ServiceLevelClock.Start(session, referrals, referral, programme, now);
            await allocation.AllocateAsync(session, referrals, programme,
                [new AllocationCandidate(referral.Id, referral.QueueNeeds(), outcome.Escalated, Waiting: false)], Actor, ct);
        }

        ReferralsTelemetry.TimeToTriage.Record(Math.Max(0, (now - submitted.SubmittedAt).TotalSeconds),
            new KeyValuePair<string, object?>("eligible", outcome.Eligible), new KeyValuePair<string, object?>("escalated", outcome.Escalated));
        logger.LogInformation(
            "Triaged referral {ReferralId} in {ProgrammeId}: eligible {Eligible}, tier {Tier}, priority {Priority}, escalated {Escalated}, configuration v{Version}",
            referral.Id, referral.ProgrammeId, outcome.Eligible, outcome.RequiredTier, outcome.Priority, outcome.Escalated, outcome.ConfigurationVersion);
        return new Triaged(referral.Id, escalation);
    }

    private static TriageOutcome Decide(ReferralSubmitted submitted, Programme programme, ReferralText text) =>
        TriageDecider.Decide(new ReferralFacts(submitted.ProgrammeId, submitted.RegisteredPracticeOds.Trim().ToUpperInvariant(), submitted.AgeAtReferral,
            submitted.PostcodeDistrict?.Trim().ToUpperInvariant(), submitted.HasLongTermCondition, submitted.IsCarer, submitted.Needs, submitted.Risk,
            submitted.Urgency), text, programme);
}

/// <summary>A referral triaged in the caller's session, and the escalation it opened (null when it indicated no risk).</summary>
public sealed record Triaged(Guid ReferralId, OpenedEscalation? Escalation);
