using Referrals.EventStore;

namespace Referrals.Intake.Submitting;

/// <summary>
/// An organisation's Idempotency-Key was used: it names the referral it produced and a keyed hash of the request, so a
/// retry with the same body gets the same referral and a different body is refused.
/// </summary>
public sealed record IdempotencyKeyClaimed(Guid RecordId, string OrganisationId, Guid ReferralId, string RequestHash, DateTimeOffset ClaimedAt);

/// <summary>
/// One (organisation, Idempotency-Key) pair. The stream id is derived from the pair, so the first request to commit
/// claims it atomically and every concurrent duplicate collides.
/// </summary>
public sealed record IdempotencyRecord(Guid Id, Guid ReferralId, string RequestHash)
{
    public const int MaxKeyLength = 200;

    public static IdempotencyRecord Create(IdempotencyKeyClaimed e) => new(e.RecordId, e.ReferralId, e.RequestHash);

    public static Guid StreamIdFor(BlindIndex index, string organisationId, string key) =>
        index.ComputeGuid("idempotency-key", organisationId + "\n" + key);
}
