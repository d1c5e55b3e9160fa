using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Referrals.Contracts;
using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.Intake.ConfirmingTriage;
using Referrals.Intake.Http;
using Referrals.Intake.People;
using Referrals.Intake.Referrals;
using Referrals.ServiceDefaults.Problems;
using Referrals.ServiceDefaults.Telemetry;

namespace Referrals.Intake.Submitting;

/// <summary>The referral a submission produced (or, for a repeated Idempotency-Key, produced before).</summary>
public sealed record SubmissionResult(Guid ReferralId, ReferralStatus Status, bool Replayed);

/// <summary>Configuration section <c>Intake:Submission</c>.</summary>
public sealed class SubmissionOptions
{
    /// <summary>How many times a submission that lost a race (same person, same key) is retried before giving up.</summary>
    public int MaxAttempts { get; set; } = 50;
}

/// <summary>
/// Submits a validated referral in one transaction: the person-index entry (optimistic concurrency on a stream keyed by
/// the NHS number's blind index), the new referral stream, the Idempotency-Key claim (a stream keyed by organisation and
/// key: the first writer wins), the integration event in the outbox and, for a referral triage is to triage, the first
/// triage confirmation check (a durable timer). A lost race is retried from the top, where a
/// concurrent duplicate now finds the claim and gets the same referral, and a concurrent referral for the same person
/// and programme now finds the open journey and joins it.
/// </summary>
public sealed class SubmissionHandler(
    IDocumentStore store,
    BlindIndex blindIndex,
    TimeProvider time,
    IOptions<SubmissionOptions> options,
    IOptions<TriageConfirmationOptions> triageConfirmation,
    ILogger<SubmissionHandler> logger)
{
    private static readonly JsonSerializerOptions CanonicalJson = JsonBody.CanonicalOptions;

    /// <summary>The refusal of an Idempotency-Key already used for a different referral.</summary>
    public const string KeyReused = "This Idempotency-Key was already used for a different referral. Use a new key for a new referral.";

    /// <param name="identityConfirmed">The referrer confirmed that details differing from those held for the NHS number are the same person.</param>
    public Task<SubmissionResult> SubmitAsync(SubmitReferral command, string? idempotencyKey, bool identityConfirmed, CancellationToken ct) =>
        SubmitAsync(command, idempotencyKey, identityConfirmed, KeyReused, ct);

    /// <param name="identityConfirmed">The referrer confirmed that details differing from those held for the NHS number are the same person.</param>
    /// <param name="keyReused">
    /// The 409's wording when the key was already used for a different referral: it names where the key came from (a key
    /// derived from a FHIR ServiceRequest.identifier is not one the sender chose).
    /// </param>
    public async Task<SubmissionResult> SubmitAsync(SubmitReferral command, string? idempotencyKey, bool identityConfirmed, string keyReused,
        CancellationToken ct)
    {
        var claimId = idempotencyKey is null ? (Guid?)null : IdempotencyRecord.StreamIdFor(blindIndex, command.OrganisationId, idempotencyKey);
        var requestHash = blindIndex.Compute("idempotency-request", JsonSerializer.Serialize(command, CanonicalJson));
        var indexId = command.Person.NhsNumber is { } nhs ? blindIndex.ComputeGuid("nhs-number", nhs) : (Guid?)null;
        var maxAttempts = Math.Max(1, options.Value.MaxAttempts);

        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            if (claimId is { } id && await session.Events.AggregateStreamAsync<IdempotencyRecord>(id, ct: ct) is { } claimed)
            {
                return await ReplayAsync(session, claimed, requestHash, keyReused, ct);
            }

            // The person's entry is locked for the rest of this transaction (SELECT … FOR UPDATE), so concurrent referrals
            // for the same person queue rather than race; a brand-new entry has no row to lock yet, and there the
            // version check makes the first writer win and the others retry.
            IEventStream<PersonIndexEntry>? person = indexId is { } index
                ? await session.Events.FetchForExclusiveWriting<PersonIndexEntry>(index, ct)
                : null;
            var held = person?.Aggregate?.PersonId is { } known ? await HeldDetailsAsync(session, known, ct) : null;
            var now = time.GetUtcNow();
            var ids = new SubmissionIds(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
            SubmissionDecision decision;
            try
            {
                decision = SubmitReferralDecider.Decide(person?.Aggregate, indexId, command, ids, now, held, identityConfirmed);
            }
            catch (DomainRuleException) when (held is not null)
            {
                // Organisation only: refusals per referrer show an integration, or someone, trying numbers.
                logger.LogWarning("A referral from {Organisation} was refused: its identifying details differ from those held for its NHS number",
                    command.OrganisationId);
                throw;
            }

            person?.AppendMany(decision.PersonIndexEvents);
            session.Events.StartStream<Referral>(ids.ReferralId, decision.Received);
            if (claimId is { } newClaim)
            {
                session.Events.StartStream<IdempotencyRecord>(newClaim,
                    new IdempotencyKeyClaimed(newClaim, command.OrganisationId, ids.ReferralId, requestHash, now));
            }

            if (TriageConfirmationDecider.FirstCheck(decision.Received, triageConfirmation.Value) is { } check)
            {
                // Triage's copy under an id derived from the referral's, so the check can send it again under the same one;
                // and the check itself, should triage never confirm it (HAZ-001, HAZ-007).
                session.Outbox.Publish(decision.Message, ids.ReferralId, TriageConfirmationDecider.SubmissionMessageId(ids.ReferralId));
                TriageConfirmationEffects.Schedule(session, check);
            }
            else if (decision.Message is ReferralLinkedToOpenJourney linked)
            {
                // Triage reads it for risk (HAZ-001 C8) and sends a receipt; without one in time it is sent again (C18).
                LinkedReferralReceiptEffects.Publish(session, linked, triageConfirmation.Value);
            }
            else
            {
                session.Outbox.Publish(decision.Message, ids.ReferralId);
            }

            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (ConcurrencyException) when (attempt < maxAttempts)
            {
                // Another submission for the same person or key committed first: decide again against what it wrote.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 10 + Math.Min(attempt, 10) * 5)), ct);
                continue;
            }

            if (decision.Received.IdentityMismatch is { } mismatch)
            {
                // Field names only: neither the details held nor those submitted.
                logger.LogWarning("Referral {ReferralId}: {Fields} differ from the details held for its NHS number; linked to that person: {Linked}",
                    ids.ReferralId, string.Join(", ", mismatch.Fields), mismatch.Linked);
            }

            ReferralsTelemetry.ReferralsReceived.Add(1,
                new TagList { { "channel", command.Channel.ToString() }, { "programme", command.ProgrammeId }, { "linked", decision.Received.LinkedToOpenJourney } });
            logger.LogInformation("Referral {ReferralId} received via {Channel} for programme {Programme} ({Outcome}, attempt {Attempt})",
                ids.ReferralId, command.Channel, command.ProgrammeId,
                decision.Received.LinkedToOpenJourney ? "linked to the open journey" : "new journey", attempt);
            return new SubmissionResult(ids.ReferralId,
                decision.Received.LinkedToOpenJourney ? ReferralStatus.LinkedToOpenJourney : ReferralStatus.Submitted, false);
        }
    }

    /// <summary>
    /// The person's details as last known: those of their latest referral, which carry any correction made since (a
    /// rectification corrects every referral of the person). A withdrawn referral counts only when every one is withdrawn,
    /// so a referral confirmed by mistake and then withdrawn does not become the person's details. Null when nothing is
    /// held (an erasure under way).
    /// </summary>
    private static async Task<PersonDetails?> HeldDetailsAsync(IDocumentSession session, Guid personId, CancellationToken ct) =>
        (await session.QueryAsync<Referral>("person_id = ?", [personId], ct))
        .Where(r => r.Person is not null).OrderBy(r => !r.Withdrawn).ThenBy(r => r.SubmittedAt).LastOrDefault()?.Person;

    private static async Task<SubmissionResult> ReplayAsync(IDocumentSession session, IdempotencyRecord claimed, string requestHash,
        string keyReused, CancellationToken ct)
    {
        if (claimed.RequestHash != requestHash)
        {
            throw new DomainRuleException(keyReused);
        }

        var referral = await session.LoadAsync<Referral>(claimed.ReferralId, ct);
        return new SubmissionResult(claimed.ReferralId, referral?.Status ?? ReferralStatus.Submitted, true);
    }
}
