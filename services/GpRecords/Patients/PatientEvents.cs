using Referrals.Contracts;

namespace Referrals.GpRecords.Patients;

/// <summary>
/// The person's details as intake holds them, with the registered practice a referral names (null for a rectification,
/// which leaves the practice as it is; rectifications recorded before moves existed carry the practice then held). The
/// NHS number is kept inside the encrypted details; <see cref="NhsNumberIndex"/> is its blind index for search.
/// </summary>
public sealed record PatientDetailsRecorded(
    Guid PersonId,
    [property: PersonalData] PersonDetails? Details,
    string? RegisteredPracticeOds,
    string? NhsNumberIndex,
    DateTimeOffset RecordedAt);

/// <summary>The person moved to another GP practice (intake's RegisteredPracticeChanged): deliveries go there from now on.</summary>
public sealed record PatientRegisteredPracticeChanged(Guid PersonId, string RegisteredPracticeOds, DateTimeOffset ChangedAt);

/// <summary>The person was erased: their key is destroyed, nothing personal can be sent or served any more.</summary>
public sealed record PatientErased(Guid PersonId, DateTimeOffset ErasedAt);
