using Referrals.Intake.People;

namespace Referrals.Intake.Releasing;

/// <summary>
/// The journey the referral was linked to ended before anyone took it on (its first referral not eligible, or withdrawn
/// before the person agreed: ended by intake before support-plan opened the journey, else by support-plan's closure as
/// withdrawn), so the referral was admitted again as if submitted then (HAZ-007, HAZ-014): it opened
/// <see cref="JourneyId"/> for the person, naming <see cref="PreviousJourneyId"/>, and goes to triage on its own; or,
/// when a referral released before it had opened one, it joined that journey (<see cref="LinkedToOpenJourney"/>).
/// </summary>
public sealed record LinkedReferralReleased(
    Guid ReferralId,
    Guid PersonId,
    string ProgrammeId,
    Guid EndedJourneyId,
    JourneyEndReason EndReason,
    Guid JourneyId,
    Guid? PreviousJourneyId,
    bool LinkedToOpenJourney,
    DateTimeOffset ReleasedAt);
