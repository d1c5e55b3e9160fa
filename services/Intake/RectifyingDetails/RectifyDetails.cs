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
