using Referrals.Contracts.Intake;
using Referrals.EventStore;
using Referrals.Intake.Auditing;
using Referrals.Intake.Erasure;
using Referrals.Intake.People;
using Referrals.Intake.Referrals;
using Referrals.ServiceDefaults.DataProtection;

namespace Referrals.Intake.ExecutingErasure;

/// <summary>
/// Executes an approved erasure in intake: destroys the person's key here (crypto-shredding: every personal field of their
/// referrals, outbox rows and timers reads as erased), makes the person index forget them, drops their dead-lettered
/// messages, marks each of their referrals erased (what the referrer sees), audits the step and publishes <see cref="PersonErased"/> through the outbox so every other service shreds too.
/// </summary>
public sealed class ErasureExecutor(DocumentStore documents, DeadLetterShredder deadLetters, DataProtectionAudit audit)
{
    /// <summary>Returns the request's events to append (none if it is not an approved, unexecuted request).</summary>
    public async Task<IReadOnlyList<object>> ExecuteAsync(IDocumentSession session, ErasureRequest request, string actor, DateTimeOffset now,
        CancellationToken ct)
    {
        var events = ExecuteErasureDecider.Decide(request, now);
        if (events.Count == 0)
        {
            return events;
        }

        var personId = request.PersonId;
        // Shredding is idempotent and commits on its own: if the transaction below fails, the retry shreds again.
        await documents.ErasePersonAsync(personId, ct);
        var referrals = await session.QueryAsync<Referral>("person_id = ?", [personId], ct);
        foreach (var referral in referrals.Where(r => r.PersonalDataErasedAt is null))
        {
            var stream = await session.Events.FetchForWriting<Referral>(referral.Id, ct);
            stream.AppendOne(new ReferralPersonalDataErased(referral.Id, request.Id, now));
        }

        foreach (var indexId in referrals.Select(r => r.PersonIndexId).OfType<Guid>().Distinct())
        {
            var entry = await session.Events.FetchForWriting<PersonIndexEntry>(indexId, ct);
            if (entry.Aggregate?.PersonId == personId)
            {
                entry.AppendMany(PersonIndexDecider.Erase(entry.Aggregate, now));
            }
        }

        await deadLetters.ShredAsync(personId, ct);
        audit.Record(session, personId, DataProtectionStep.ErasureExecuted, actor, now, request.Id);
        session.Outbox.Publish(new PersonErased(personId, request.Id, now), request.Id);
        return events;
    }
}
