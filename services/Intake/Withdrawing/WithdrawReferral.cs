using Referrals.Contracts;

namespace Referrals.Intake.Withdrawing;

/// <summary>The referrer withdraws its referral, giving a reason.</summary>
public sealed record WithdrawReferral(Guid ReferralId, string OrganisationId, string Reason, string WithdrawnBy, long? ExpectedVersion);

/// <summary>The referrer withdrew the referral.</summary>
public sealed record ReferralWithdrawnByReferrer(
    Guid ReferralId,
    Guid PersonId,
    [property: PersonalData] string? Reason,
    string WithdrawnBy,
    DateTimeOffset WithdrawnAt);
