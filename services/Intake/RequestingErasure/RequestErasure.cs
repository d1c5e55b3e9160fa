using Referrals.Intake.Erasure;

namespace Referrals.Intake.RequestingErasure;

/// <summary>Anyone authorised asks for a person's personal data to be erased.</summary>
public sealed record RequestErasure(Guid ErasureRequestId, Guid PersonId, ErasureGround Ground, string RequestedBy);

/// <summary>An erasure was requested; it waits for a data-protection officer's review.</summary>
public sealed record ErasureRequested(
    Guid ErasureRequestId,
    Guid PersonId,
    ErasureOrigin Origin,
    ErasureGround Ground,
    string RequestedBy,
    DateTimeOffset RequestedAt);
