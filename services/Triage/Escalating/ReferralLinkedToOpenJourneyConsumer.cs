using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.Contracts.Triage;
using Referrals.EventStore;
using Referrals.ServiceDefaults.Messaging;
using Referrals.SharedKernel;
using Referrals.Triage.Assigning;
using Referrals.Triage.Common;
using Referrals.Triage.Journeys;
using Referrals.Triage.Programmes;
using Referrals.Triage.Referrals;
using Referrals.Triage.Triaging;

namespace Referrals.Triage.Escalating;

/// <summary>
/// A new referral for a person already on an open journey in the programme: intake linked it to that journey instead of
/// opening a second one (HAZ-014), so it is never triaged as a referral of its own. Its risk answers, risk notes, reason
/// and what matters to the person are read for the indicators triage reads in a new referral, and an urgent request counts too (HAZ-001). Any indicator
/// escalates the open referral through the duty chain, as a worker's concern does: a referral still waiting leaves the
/// routine queue. The escalation's id derives from the linked referral's, so a redelivery, a re-sent copy or a second
/// consumer finds it open and does nothing more. The referrer who sent the new referral is told about that referral (their
/// own); the duty team, and the practice, about the open one. With no indicator nothing is recorded. Safety first: an open
/// referral triage does not know (its submission not consumed yet, or never) does not delay the escalation; it opens on the
/// linked referral, telling the duty team and its referrer (the practice is told through the open referral only). Whatever
/// it finds, it answers intake with <see cref="LinkedReferralReceived"/> in the same transaction (HAZ-001 C18).
/// </summary>
public sealed class ReferralLinkedToOpenJourneyConsumer(
    IDocumentStore store,
    TimeProvider clock,
    EscalationWorkflow escalations,
    AllocationService allocation,
    ILogger<ReferralLinkedToOpenJourneyConsumer> logger)
    : IdempotentConsumer<ReferralLinkedToOpenJourney>(store, logger)
{
    public const string Actor = "linked-referral";

    /// <summary>First of the escalation's indicators, so the duty team knows where the risk was reported.</summary>
    public const string LinkedIndicator = "New referral for a person already on an open journey in the programme";

    public const string UrgentIndicator = "Referrer asked for urgent help";

    /// <summary>The escalation this delivery opened (set by the handler, whose transaction may yet fail).</summary>
    private OpenedEscalation? _opened;

    protected override async Task HandleAsync(IDocumentSession session, ConsumeContext<ReferralLinkedToOpenJourney> context)
    {
        _opened = null;
        var ct = context.CancellationToken;
        var message = context.Message;
        await session.ReadyPersonalDataKeysAsync([message.PersonId], ct);
        var programme = await ProgrammeLock.AcquireAsync(session, message.ProgrammeId, ct);
        var found = IndicatorsOf(message, programme?.TriageRules ?? DefaultTriageRules.Rules);
        var escalationId = StreamIds.EscalationForLinkedReferral(message.ReferralId, message.JourneyId);
        // Every path answers intake, in this transaction: read and nothing found, escalated, or found already escalated.
        // Intake sends the linking again until it hears this (HAZ-001 C18).
        var receipt = LinkedReferralReceipt.For(message, found.Count == 0 ? null : escalationId, clock.GetUtcNow());
        session.Outbox.Publish(receipt, escalationId, LinkedReferralReceipt.MessageId(message));
        if (found.Count == 0)
        {
            // Ids only: nothing about the person or what the referral said.
            logger.LogInformation("Referral {LinkedReferralId} linked to open journey {JourneyId} in programme {ProgrammeId} indicates no risk; nothing to escalate",
                message.ReferralId, message.JourneyId, message.ProgrammeId);
            return;
        }

        var referrals = new ReferralChanges(session);
        var journey = await session.LoadAsync<JourneyIndex>(message.JourneyId, ct);
        var open = journey is null ? null : await referrals.GetAsync(journey.ReferralId, ct);
        if (open is not null && open.ProgrammeId != message.ProgrammeId)
        {
            open = null;
        }

        var subject = open is null
            ? new EscalationSubject(escalationId, message.ReferralId, message.JourneyId, message.PersonId, message.ProgrammeId,
                EscalationTrigger.LinkedReferral, [LinkedIndicator, .. found], null, message.Referrer.OrganisationId)
            : new EscalationSubject(escalationId, open.Id, message.JourneyId, message.PersonId, message.ProgrammeId,
                EscalationTrigger.LinkedReferral, [LinkedIndicator, .. found], open.RegisteredPracticeOds, message.Referrer.OrganisationId)
            {
                LinkedReferralId = message.ReferralId,
                Referral = EscalatedReferral.StandingAfter(open, escalationId, clock.GetUtcNow()),
            };
        _opened = await escalations.OpenAsync(session, subject, programme, ct);
        if (_opened is null)
        {
            logger.LogInformation("Referral {LinkedReferralId} linked to open journey {JourneyId}: escalation {EscalationId} is already open",
                message.ReferralId, message.JourneyId, escalationId);
            return;
        }

        if (open is null)
        {
            logger.LogWarning("Referral {LinkedReferralId} linked to open journey {JourneyId} in programme {ProgrammeId} indicates risk, and triage does not know the journey's referral: escalation {EscalationId} opened on the linked referral",
                message.ReferralId, message.JourneyId, message.ProgrammeId, escalationId);
            return;
        }

        logger.LogInformation("Referral {LinkedReferralId} linked to open journey {JourneyId} indicates risk: escalation {EscalationId} opened on referral {ReferralId}",
            message.ReferralId, message.JourneyId, escalationId, open.Id);
        await EscalatedReferral.TakeOutOfRoutineOrderAsync(session, referrals, open, escalationId, programme, allocation, Actor, clock.GetUtcNow(), ct);
    }

    /// <summary>The opened escalation's counters and logs, once it is committed: a retried save counts once, a redelivery nothing.</summary>
    protected override Task FollowUpAsync(IDocumentSession session, ConsumeContext<ReferralLinkedToOpenJourney> context, bool appliedNow)
    {
        if (appliedNow && _opened is { } opened)
        {
            escalations.RecordCommitted(opened);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// What escalates in a linked referral: the indicators triage finds in a new referral's risk answers, risk notes,
    /// reason and what matters (absent from messages sent before it was added), and an urgent request, which for a person already in the programme has no
    /// other way to reach anyone. Descriptions only, never the referrer's words.
    /// </summary>
    public static IReadOnlyList<string> IndicatorsOf(ReferralLinkedToOpenJourney message, TriageRules rules)
    {
        var found = TriageDecider.FindEscalationIndicators(message.Risk ?? new RiskAnswers(false, false, false, false),
            new ReferralText(message.ReasonText, message.WhatMatters, message.RiskNotes), rules).Select(h => h.Describe()).ToList();
        if (message.Urgency == Urgency.Urgent)
        {
            found.Add(UrgentIndicator);
        }

        return found.Distinct().ToList();
    }
}

/// <summary>
/// Triage's receipt for a linked referral (HAZ-001 C18). Its MessageId derives from the linked referral and the journey, as
/// the escalation's id does, so one reaches intake per linking however many copies triage consumes (the outbox and intake's
/// inbox keep the first).
/// </summary>
public static class LinkedReferralReceipt
{
    public static LinkedReferralReceived For(ReferralLinkedToOpenJourney linked, Guid? escalationId, DateTimeOffset now) =>
        new(linked.ReferralId, linked.JourneyId, linked.PersonId, escalationId, now);

    public static Guid MessageId(ReferralLinkedToOpenJourney linked) =>
        NameBasedGuid.Create(string.Create(CultureInfo.InvariantCulture, $"triage:linked-referral-received\n{linked.ReferralId:N}\n{linked.JourneyId:N}"));
}

public sealed class ReferralLinkedToOpenJourneyConsumerDefinition(IOptions<MessagingOptions> options)
    : ReferralsConsumerDefinition<ReferralLinkedToOpenJourneyConsumer>(options);
