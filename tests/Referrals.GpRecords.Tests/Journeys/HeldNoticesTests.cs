using Referrals.Contracts;
using Referrals.Contracts.Triage;
using Referrals.GpRecords.Journeys;
using Referrals.GpRecords.Patients;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using static Referrals.GpRecords.Tests.Support.Journeys;

namespace Referrals.GpRecords.Tests.Journeys;

/// <summary>HAZ-002: when the practice notices held for a referral with no journey go without one, and what goes.</summary>
public sealed class HeldNoticesTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);
    private readonly JourneyScript _script = new("A81011", ReferrerKind.Agency, "AGENCY-CITIZENS-ADVICE");

    private GpReferral Held(params ReferralEscalated[] notices) =>
        notices.Aggregate(new GpReferral(), (r, n) => r.Apply(new EscalationNoticeHeld(_script.ReferralId, _script.PersonId, n)));

    private ReferralSubmissionNoted Submitted(ConsentScope scope = ConsentScope.Full) =>
        new(_script.ReferralId, _script.PersonId, scope, _script.At(0));

    private ReferralWithdrawalNoted Withdrawn() => new(_script.ReferralId, _script.PersonId, _script.At(0, 3));

    [Fact]
    public void A_held_notice_waits_for_the_registration_until_the_referral_is_withdrawn_or_its_check_finds_it_overdue()
    {
        var submitted = Held(_script.Escalated()).Apply(Submitted());
        Assert.Null(HeldNotices.ReleaseDue(submitted, overdue: false));
        Assert.Equal(NoticeReleaseReason.Overdue, HeldNotices.ReleaseDue(submitted, overdue: true));
        Assert.Equal(NoticeReleaseReason.Withdrawn, HeldNotices.ReleaseDue(submitted.Apply(Withdrawn()), overdue: false));
    }

    [Fact]
    public void Without_the_submission_its_sharing_scope_is_unknown_so_nothing_goes_even_when_withdrawn_or_overdue()
    {
        var withdrawn = Held(_script.Escalated()).Apply(Withdrawn());
        Assert.Null(HeldNotices.ReleaseDue(withdrawn, overdue: true));
        Assert.Null(HeldNotices.Decide(withdrawn, Patient(_script), NoticeReleaseReason.Withdrawn, Now));
    }

    [Fact]
    public void A_registered_referral_or_one_with_nothing_held_releases_nothing()
    {
        var linked = Held(_script.Escalated()).Apply(Submitted()).Apply(Withdrawn())
            .Apply(new ReferralJourneyLinked(_script.ReferralId, _script.JourneyId, _script.PersonId, 1));
        Assert.Null(HeldNotices.ReleaseDue(linked, overdue: true));
        Assert.Null(HeldNotices.ReleaseDue(new GpReferral().Apply(Submitted()).Apply(Withdrawn()), overdue: true));
    }

    [Fact]
    public void A_release_queues_every_held_notice_once_on_the_referrals_notice_journey_under_the_submitted_scope()
    {
        var referral = Held(_script.Escalated(step: 1), _script.Escalated(step: 2)).Apply(Submitted(ConsentScope.CodedOnly)).Apply(Withdrawn());
        var release = HeldNotices.Decide(referral, Patient(_script), NoticeReleaseReason.Withdrawn, Now)!;

        var journeyId = ResourceIds.ReferralNotices(_script.ReferralId);
        Assert.NotEqual(_script.JourneyId, journeyId);
        Assert.Equal((journeyId, ConsentScope.CodedOnly), (release.Scope!.JourneyId, release.Scope.Scope));
        Assert.Equal(ResourceIds.Delivery(journeyId, 1), release.Queued.DeliveryId);
        Assert.Equal(_script.Practice, release.Queued.PracticeOds);
        Assert.Equal(
            ["Patient/" + ResourceIds.Patient(_script.PersonId), EscalationNotices.Key(journeyId, _script.Escalated(step: 1)),
                EscalationNotices.Key(journeyId, _script.Escalated(step: 2))],
            release.Queued.Entries!.Select(e => e.ResourceType + "/" + e.Id));
        Assert.True(release.Queued.Entries![0].ConditionalCreate);

        // Released: held no more, never held or moved again, and the next notice goes at once as a delivery of its own.
        var after = referral.Apply(release.Released);
        Assert.Empty(after.Held);
        Assert.False(HeldNotices.ShouldHold(after, _script.Escalated(step: 2)));
        Assert.True(HeldNotices.WasReleased(after, _script.Escalated(step: 1)));
        var next = after.Apply(new EscalationNoticeHeld(_script.ReferralId, _script.PersonId, _script.Escalated(step: 3)));
        var second = HeldNotices.Decide(next, Patient(_script), HeldNotices.ReleaseDue(next, overdue: false)!.Value, Now)!;
        Assert.Null(second.Scope);
        Assert.Equal(ResourceIds.Delivery(journeyId, 2), second.Queued.DeliveryId);
        Assert.Equal(2, second.Queued.Entries!.Count);
        Assert.Empty(next.Apply(second.Released)
            .Apply(new ReferralJourneyLinked(_script.ReferralId, _script.JourneyId, _script.PersonId, 0)).Held);
    }

    [Fact]
    public void A_release_is_the_same_bytes_however_often_it_is_decided()
    {
        var referral = Held(_script.Escalated()).Apply(Submitted()).Apply(Withdrawn());
        var first = HeldNotices.Decide(referral, Patient(_script), NoticeReleaseReason.Withdrawn, Now)!;
        var again = HeldNotices.Decide(referral, Patient(_script), NoticeReleaseReason.Withdrawn, Now.AddHours(1))!;
        Assert.Equal(first.Queued.Entries!.Select(e => e.FullJson), again.Queued.Entries!.Select(e => e.FullJson));
        Assert.Equal(first.Queued.DeliveryId, again.Queued.DeliveryId);
    }

    [Fact]
    public void Nothing_is_released_for_an_erased_person()
    {
        var referral = Held(_script.Escalated()).Apply(Submitted()).Apply(Withdrawn());
        var erased = Patient(_script).Apply(new PatientErased(_script.PersonId, Now));
        Assert.Null(HeldNotices.Decide(referral, erased, NoticeReleaseReason.Withdrawn, Now));
        Assert.Null(HeldNotices.Decide(referral, null, NoticeReleaseReason.Withdrawn, Now));
    }

    [Fact]
    public void A_notice_released_without_a_journey_is_the_same_restricted_observation_as_on_a_journey()
    {
        var noticeJourney = ResourceIds.ReferralNotices(_script.ReferralId);
        var released = JourneyRecordMapper.EscalationNotice(noticeJourney, _script.Escalated(), Patient(_script));
        var onJourney = Map(_script, [_script.Registered(), _script.Escalated()])
            .Single(r => r.Key == EscalationNotices.Key(_script.JourneyId, _script.Escalated()));
        Assert.Equal(
            Referrals.Fhir.FhirJson.Serialize(onJourney.Full).Replace(ResourceIds.EscalationNotice(_script.JourneyId, _script.EscalationId, 1), "id", StringComparison.Ordinal),
            Referrals.Fhir.FhirJson.Serialize(released.Full).Replace(ResourceIds.EscalationNotice(noticeJourney, _script.EscalationId, 1), "id", StringComparison.Ordinal));
    }
}
