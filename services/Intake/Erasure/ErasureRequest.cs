using Referrals.Intake.ExecutingErasure;
using Referrals.Intake.RequestingErasure;
using Referrals.Intake.ReviewingErasure;

namespace Referrals.Intake.Erasure;

/// <summary>Why erasure was asked for (UK GDPR Article 17(1)).</summary>
public enum ErasureGround
{
    ConsentWithdrawn,
    NoLongerNecessary,
    Objection,
    UnlawfulProcessing,
    LegalObligationToErase,

    /// <summary>Raised by the retention timer, not by a person.</summary>
    RetentionPeriodEnded,
}

/// <summary>Where the request came from.</summary>
public enum ErasureOrigin
{
    /// <summary>Someone asked (the person, or staff on their behalf).</summary>
    Request,

    /// <summary>The retention period of the person's records ended.</summary>
    Retention,
}

/// <summary>The exemptions of UK GDPR Article 17(3) on which an erasure can be refused.</summary>
public enum ErasureRefusalGround
{
    /// <summary>17(3)(b): a legal obligation to keep the record, e.g. care records retained by law.</summary>
    LegalObligation,

    /// <summary>17(3)(c): public health.</summary>
    PublicHealth,

    /// <summary>17(3)(d): archiving in the public interest, research or statistics.</summary>
    ArchivingInThePublicInterest,

    /// <summary>17(3)(e): establishing, exercising or defending legal claims.</summary>
    LegalClaims,

    /// <summary>17(3)(a): freedom of expression and information.</summary>
    FreedomOfExpression,
}

public enum ErasureDecision
{
    Approve,
    Refuse,
}

public enum ErasureState
{
    Requested,
    Refused,
    Approved,
    Executed,
}

/// <summary>
/// One erasure request: requested, reviewed by a data-protection officer (approved, or refused on a legal ground), and once
/// approved executed. Holds no personal data: the person is named by id only, and reasons are justifications, not notes
/// about the person.
/// </summary>
public sealed record ErasureRequest
{
    public Guid Id { get; init; }

    public long Version { get; set; }

    public Guid PersonId { get; init; }

    public ErasureOrigin Origin { get; init; }

    public ErasureGround Ground { get; init; }

    public required string RequestedBy { get; init; }

    public DateTimeOffset RequestedAt { get; init; }

    public ErasureState State { get; init; }

    public string? ReviewedBy { get; init; }

    public string? ReviewReason { get; init; }

    public ErasureRefusalGround? RefusalGround { get; init; }

    public DateTimeOffset? ReviewedAt { get; init; }

    public DateTimeOffset? ExecutedAt { get; init; }

    public static ErasureRequest Create(ErasureRequested e) => new()
    {
        Id = e.ErasureRequestId,
        PersonId = e.PersonId,
        Origin = e.Origin,
        Ground = e.Ground,
        RequestedBy = e.RequestedBy,
        RequestedAt = e.RequestedAt,
        State = ErasureState.Requested,
    };

    public ErasureRequest Apply(ErasureApproved e) =>
        this with { State = ErasureState.Approved, ReviewedBy = e.ReviewedBy, ReviewReason = e.Reason, ReviewedAt = e.ReviewedAt };

    public ErasureRequest Apply(ErasureRefused e) => this with
    {
        State = ErasureState.Refused, ReviewedBy = e.ReviewedBy, ReviewReason = e.Reason, RefusalGround = e.LegalGround, ReviewedAt = e.ReviewedAt,
    };

    public ErasureRequest Apply(ErasureExecuted e) => this with { State = ErasureState.Executed, ExecutedAt = e.ExecutedAt };

    /// <summary>The same fold the store runs, for deciders that chain decisions.</summary>
    public ErasureRequest Then(object @event) => @event switch
    {
        ErasureApproved e => Apply(e),
        ErasureRefused e => Apply(e),
        ErasureExecuted e => Apply(e),
        _ => this,
    };
}
