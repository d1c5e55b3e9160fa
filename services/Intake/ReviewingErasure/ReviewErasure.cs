using Referrals.Intake.Erasure;

namespace Referrals.Intake.ReviewingErasure;

/// <summary>A data-protection officer approves or refuses an erasure request, recording why (and, to refuse, the legal ground).</summary>
public sealed record ReviewErasure(Guid ErasureRequestId, ErasureDecision Decision, string Reason, ErasureRefusalGround? LegalGround, string ReviewedBy);

/// <summary>The request was approved; execution follows at once (a durable timer due now).</summary>
public sealed record ErasureApproved(Guid ErasureRequestId, Guid PersonId, string ReviewedBy, string Reason, DateTimeOffset ReviewedAt);

/// <summary>The request was refused on a legal ground (UK GDPR Article 17(3)); nothing is erased.</summary>
public sealed record ErasureRefused(
    Guid ErasureRequestId,
    Guid PersonId,
    string ReviewedBy,
    string Reason,
    ErasureRefusalGround LegalGround,
    DateTimeOffset ReviewedAt);
