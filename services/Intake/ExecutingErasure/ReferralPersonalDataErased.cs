namespace Referrals.Intake.ExecutingErasure;

/// <summary>
/// An executed erasure (requested, or at the end of the retention period) shredded the personal data of this referral. The
/// referral stays, with its status, so the referrer sees what became of it and why it names nobody.
/// </summary>
public sealed record ReferralPersonalDataErased(Guid ReferralId, Guid ErasureRequestId, DateTimeOffset ErasedAt);
