using Referrals.Contracts;
using Referrals.Intake.Erasure;
using Referrals.Intake.Referrals;
using Referrals.Intake.RequestingErasure;
using Referrals.Intake.Submitting;
using Referrals.Intake.Tracking;

namespace Referrals.Intake.Tests;

/// <summary>Referrals and erasure requests for the pure data-protection decider tests.</summary>
public static class DataProtectionData
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static PersonDetails Details(string given = "Ada", string? nhs = "9434765919") =>
        new(nhs, given, "Lovelace", new DateOnly(1960, 12, 10), "LS7 3AB", "07700900123", null, ContactMethod.Phone, null, null);

    public static Referral Referral(Guid personId, PersonDetails? person = null, DateTimeOffset? at = null) => Referrals.Referral.Create(new ReferralReceived(
        Guid.NewGuid(), personId, Guid.NewGuid(), Guid.NewGuid(), null, false, "north-leeds", "B86001",
        new Referrer(ReferrerKind.GpPractice, "B86001", "Dr Shah", "GP", null), ReferralChannel.Api, person ?? Details(), 65, "LS7", false, false,
        [NeedCategory.LonelinessOrIsolation], null, null, new RiskAnswers(false, false, false, false), null, Urgency.Routine,
        new ConsentRecord(ConsentAuthority.Person, "Ada", at ?? Now, "Dr Shah", ConsentScope.Full), ConsentScope.Full, at ?? Now));

    /// <summary>The referral with a progress fact applied (as the tracker would).</summary>
    public static Referral With(Referral referral, ProgressPhase phase, ReferralStatus status, DateTimeOffset at) =>
        ProgressDecider.Record(referral, new ProgressFact(phase, status, new EventSource(Guid.NewGuid(), 1), at), at)
            .Aggregate(referral, (r, e) => r.Then(e));

    public static ErasureRequest Requested(Guid? personId = null, string by = "referrer-1") =>
        ErasureRequest.Create(new ErasureRequested(Guid.NewGuid(), personId ?? Guid.NewGuid(), ErasureOrigin.Request,
            ErasureGround.ConsentWithdrawn, by, Now));
}
