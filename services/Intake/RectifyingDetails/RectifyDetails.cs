using Referrals.Contracts;

namespace Referrals.Intake.RectifyingDetails;

/// <summary>Correct the person's identifying and contact details (UK GDPR Article 16).</summary>
public sealed record RectifyDetails(Guid PersonId, PersonDetails Person, string RectifiedBy);

/// <summary>A referral's copy of the person's details was corrected.</summary>
public sealed record PersonDetailsCorrected(
    Guid ReferralId,
    Guid PersonId,
    [property: PersonalData] PersonDetails? Person,
    string CorrectedBy,
    DateTimeOffset CorrectedAt);

/// <summary>
/// A rectification added the person's NHS number, and the person was indexed under it: the referral now names that
/// person-index entry, so its journey's end or resumption, its withdrawal and the person's erasure reach the entry.
/// </summary>
public sealed record ReferralPersonIndexed(Guid ReferralId, Guid PersonId, Guid PersonIndexId, DateTimeOffset IndexedAt);
