using System.Security.Claims;
using Referrals.Contracts;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Closing;
using Referrals.SupportPlan.Consenting;
using Referrals.SupportPlan.Contacting;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.LinkingReferrals;
using Referrals.SupportPlan.Opening;
using Referrals.SupportPlan.People;
using Referrals.SupportPlan.Registering;
using Referrals.SupportPlan.Safeguarding;
using Referrals.SupportPlan.Tests.LinkingReferrals;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Registering;

public sealed class ReferralDeciderTests
{
    private static readonly JourneyPolicy Policy = JourneyPolicy.Default with { ReReferralWindow = TimeSpan.FromDays(90) };
    private static readonly Guid Person = Guid.NewGuid();
    private static readonly IReadOnlyDictionary<Guid, ConcernConfirmation> NoneConfirmed = new Dictionary<Guid, ConcernConfirmation>();

    private static Referral ReferralFor(Guid? previousJourneyId, DateTimeOffset submittedAt, bool eligible = true, Guid? person = null)
    {
        var referralId = Guid.NewGuid();
        var who = person ?? Person;
        return Fold.Apply<Referral>(null,
        [
            new ReferralReceived(referralId, who, Guid.CreateVersion7(), previousJourneyId, TestJourneys.Programme, "B82005",
                new Referrer(ReferrerKind.GpPractice, "B82005", null, null, null), [NeedCategory.Housing], "LS6", Urgency.Routine, ConsentScope.Full,
                null, null, submittedAt, submittedAt),
            new TriageReceived(referralId, who, TestJourneys.Programme, eligible, [], 2, Tier.LinkWorker, Priority.Routine, false, submittedAt, 1),
        ])!;
    }

    private static PersonDetails Details(string givenName) =>
        new("9434765919", givenName, "Okafor", new DateOnly(1960, 2, 3), "LS6 2AB", "07700 900123", null, ContactMethod.Phone, null, null);

    private static Referral WithDetails(Referral referral, PersonDetails details) =>
        referral with { Submission = referral.Submission! with { Person = details } };

    private static Journey Corrected(Journey journey, PersonDetails details, DateTimeOffset rectifiedAt) =>
        TestJourneys.Apply(journey, new PersonDetailsUpdated(journey.Id, journey.PersonId, details, rectifiedAt) { RectifiedAt = rectifiedAt });

    private static Journey ClosedJourney(DateTimeOffset closedAt) =>
        TestJourneys.Closed(TestJourneys.Agree(TestJourneys.Open(TestJourneys.Registered(personId: Person))), closedAt);

    [Fact]
    public void A_referral_waits_for_both_the_submission_and_the_triage_decision_in_either_order()
    {
        var submittedOnly = Fold.Apply<Referral>(null, [ReferralFor(null, TestJourneys.Now).Submission!])!;
        var triagedOnly = Fold.Apply<Referral>(null, [ReferralFor(null, TestJourneys.Now).Triage!])!;

        Assert.False(ReferralDecider.RegistrationDue(submittedOnly));
        Assert.False(ReferralDecider.RegistrationDue(triagedOnly));
        Assert.True(ReferralDecider.RegistrationDue(ReferralFor(null, TestJourneys.Now)));
    }

    [Fact]
    public void A_withdrawn_referral_is_never_registered()
    {
        var referral = ReferralFor(null, TestJourneys.Now);
        var withdrawn = Fold.Apply(referral, [new WithdrawalReceived(referral.Id, Person, null, TestJourneys.Now)])!;

        Assert.False(ReferralDecider.RegistrationDue(withdrawn));
    }

    [Fact]
    public void A_first_referral_starts_a_journey_under_the_id_intake_proposed()
    {
        var referral = ReferralFor(null, TestJourneys.Now);

        var registration = ReferralDecider.Register(referral, null, null, TestJourneys.Now, Policy, Guid.NewGuid);

        Assert.Equal(referral.Submission!.ProposedJourneyId, registration.JourneyId);
        Assert.False(registration.Reopened);
        Assert.False(registration.Event.Reopened);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(45)]
    [InlineData(90)]
    public void A_re_referral_within_the_window_reopens_the_previous_journey(int daysAfterClosure)
    {
        var closedAt = TestJourneys.Now.AddDays(-100);
        var previous = ClosedJourney(closedAt);
        var referral = ReferralFor(previous.Id, closedAt.AddDays(daysAfterClosure));

        var registration = ReferralDecider.Register(referral, previous, null, TestJourneys.Now, Policy, Guid.NewGuid);

        Assert.Equal(previous.Id, registration.JourneyId);
        Assert.True(registration.Reopened);
        Assert.True(registration.Event.Reopened);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_re_referral_submitted_before_a_correction_but_registered_after_it_keeps_the_corrected_details(bool withinWindow)
    {
        var closedAt = TestJourneys.Now.AddDays(-100);
        var submittedAt = closedAt.AddDays(withinWindow ? 10 : 95);
        var previous = Corrected(ClosedJourney(closedAt), Details("Alexandra"), submittedAt.AddMinutes(5));
        var referral = WithDetails(ReferralFor(previous.Id, submittedAt), Details("Alexa"));

        var registration = ReferralDecider.Register(referral, previous, null, TestJourneys.Now, Policy, Guid.NewGuid);

        Assert.Equal(withinWindow, registration.Reopened);
        Assert.Equal("Alexandra", registration.Event.Person!.GivenName);
        Assert.Equal("Alexandra", TestJourneys.Apply(registration.Reopened ? previous : null, registration.Event).Person!.GivenName);
    }

    [Fact]
    public void A_re_referral_submitted_after_a_correction_brings_the_details_as_referred()
    {
        var closedAt = TestJourneys.Now.AddDays(-100);
        var previous = Corrected(ClosedJourney(closedAt), Details("Alexandra"), closedAt.AddDays(1));
        var referral = WithDetails(ReferralFor(previous.Id, closedAt.AddDays(10)), Details("Sasha"));

        var registration = ReferralDecider.Register(referral, previous, null, TestJourneys.Now, Policy, Guid.NewGuid);

        Assert.True(registration.Reopened);
        Assert.Equal("Sasha", registration.Event.Person!.GivenName);
    }

    [Fact]
    public void A_self_referral_naming_a_journey_closed_within_the_window_starts_a_new_journey_with_the_caller_s_details_and_the_old_one_keeps_its_own()
    {
        var closedAt = TestJourneys.Now.AddDays(-30);
        var previous = ClosedJourney(closedAt);
        var held = previous.Person;
        var referral = WithDetails(ReferralFor(previous.Id, closedAt.AddDays(10)), Details("Caller"));
        referral = referral with { Submission = referral.Submission! with { Referrer = new Referrer(ReferrerKind.Self, "SELF", null, null, null) } };

        var registration = ReferralDecider.Register(referral, previous, null, TestJourneys.Now, Policy, Guid.NewGuid);

        Assert.False(registration.Reopened);
        Assert.Equal(referral.Submission.ProposedJourneyId, registration.JourneyId);
        Assert.Equal("Caller", registration.Event.Person!.GivenName); // on the caller's own, new journey only
        Assert.Equal(held, previous.Person);
    }

    [Fact]
    public void A_re_referral_just_outside_the_window_starts_a_new_journey()
    {
        var closedAt = TestJourneys.Now.AddDays(-100);
        var previous = ClosedJourney(closedAt);
        var referral = ReferralFor(previous.Id, closedAt.AddDays(90).AddSeconds(1));

        var registration = ReferralDecider.Register(referral, previous, null, TestJourneys.Now, Policy, Guid.NewGuid);

        Assert.Equal(referral.Submission!.ProposedJourneyId, registration.JourneyId);
        Assert.False(registration.Reopened);
    }

    [Fact]
    public void A_referral_made_before_the_previous_journey_closed_starts_the_new_journey_intake_gave_it()
    {
        // Intake released it when the journey it was linked to was withdrawn before anyone took it on: the referral keeps its
        // first submission time, before that journey closed, and intake has moved it (and those linked with it) to a new journey.
        var closedAt = TestJourneys.Now.AddDays(-1);
        var previous = ClosedJourney(closedAt);
        var referral = ReferralFor(previous.Id, closedAt.AddDays(-2));

        var registration = ReferralDecider.Register(referral, previous, null, TestJourneys.Now, Policy, Guid.NewGuid);

        Assert.Equal(referral.Submission!.ProposedJourneyId, registration.JourneyId);
        Assert.False(registration.Reopened);
    }

    [Fact]
    public void The_window_is_configurable()
    {
        var closedAt = TestJourneys.Now.AddDays(-100);
        var previous = ClosedJourney(closedAt);
        var referral = ReferralFor(previous.Id, closedAt.AddDays(20));

        var registration = ReferralDecider.Register(referral, previous, null, TestJourneys.Now, Policy with { ReReferralWindow = TimeSpan.FromDays(14) }, Guid.NewGuid);

        Assert.False(registration.Reopened);
    }

    [Fact]
    public void A_previous_journey_that_is_not_closed_is_not_reopened()
    {
        var previous = TestJourneys.Agree(TestJourneys.Open(TestJourneys.Registered(personId: Person)));

        var registration = ReferralDecider.Register(ReferralFor(previous.Id, TestJourneys.Now), previous, null, TestJourneys.Now, Policy, Guid.NewGuid);

        Assert.False(registration.Reopened);
        Assert.NotEqual(previous.Id, registration.JourneyId);
    }

    [Fact]
    public void Another_persons_journey_is_never_reopened()
    {
        var previous = ClosedJourney(TestJourneys.Now.AddDays(-5));

        var registration = ReferralDecider.Register(ReferralFor(previous.Id, TestJourneys.Now, person: Guid.NewGuid()), previous, null, TestJourneys.Now, Policy,
            Guid.NewGuid);

        Assert.False(registration.Reopened);
    }

    [Fact]
    public void An_ineligible_re_referral_does_not_reopen_the_journey()
    {
        var previous = ClosedJourney(TestJourneys.Now.AddDays(-5));

        var registration = ReferralDecider.Register(ReferralFor(previous.Id, TestJourneys.Now, eligible: false), previous, null, TestJourneys.Now, Policy, Guid.NewGuid);

        Assert.False(registration.Reopened);
        Assert.Equal(JourneyStatus.NotEligible, Fold.Apply<Journey>(null, [registration.Event])!.Status);
    }

    [Fact]
    public void When_the_proposed_id_is_already_taken_by_another_journey_a_fresh_id_is_used()
    {
        var taken = TestJourneys.Opened();
        var fresh = Guid.CreateVersion7();

        var registration = ReferralDecider.Register(ReferralFor(null, TestJourneys.Now), null, taken, TestJourneys.Now, Policy, () => fresh);

        Assert.Equal(fresh, registration.JourneyId);
    }

    [Fact]
    public void Duplicates_and_stale_re_sends_are_ignored()
    {
        var referral = ReferralFor(null, TestJourneys.Now);

        Assert.False(ReferralDecider.Accepts(referral, referral.Submission!));
        Assert.False(ReferralDecider.Accepts(referral, referral.Triage! with { SourceVersion = 1 }));
        Assert.True(ReferralDecider.Accepts(referral, referral.Triage! with { SourceVersion = 2 }));
    }

    [Fact]
    public void Acceptance_opens_the_journey_and_a_later_reassignment_changes_the_worker()
    {
        var registered = TestJourneys.Registered();
        var acceptance = new AssignmentAcceptanceReceived(registered.Referral.ReferralId, registered.PersonId, Guid.NewGuid(), TestJourneys.Programme, "lw-1",
            TestJourneys.Now, 1);

        var opened = ReferralDecider.Open(registered, acceptance, TestJourneys.Now);
        var journey = TestJourneys.Apply(registered, [.. opened]);
        var reassigned = ReferralDecider.Open(journey, acceptance with { AssignmentId = Guid.NewGuid(), LinkWorkerId = "lw-2" }, TestJourneys.Now);

        var open = Assert.IsType<JourneyOpened>(Assert.Single(opened));
        Assert.Equal(1, open.Episode);
        Assert.False(open.Reopened);
        Assert.Equal(JourneyStatus.Open, journey.Status);
        Assert.Equal("lw-2", Assert.IsType<LinkWorkerChanged>(Assert.Single(reassigned)).LinkWorkerId);
    }

    [Fact]
    public void A_reopened_journey_where_the_person_had_agreed_opens_active_with_no_agreement_due()
    {
        var closedAt = TestJourneys.Now.AddDays(-10);
        var previous = ClosedJourney(closedAt);
        var referral = ReferralFor(previous.Id, TestJourneys.Now);
        var registration = ReferralDecider.Register(referral, previous, null, TestJourneys.Now, Policy, Guid.NewGuid);
        var reregistered = TestJourneys.Apply(previous, registration.Event);
        var acceptance = new AssignmentAcceptanceReceived(referral.Id, Person, Guid.NewGuid(), TestJourneys.Programme, "lw-9", TestJourneys.Now, 1);

        var opened = Assert.IsType<JourneyOpened>(Assert.Single(ReferralDecider.Open(reregistered, acceptance, TestJourneys.Now)));
        var journey = TestJourneys.Apply(reregistered, opened);

        Assert.True(opened.Reopened);
        Assert.Equal(2, opened.Episode);
        Assert.Equal(JourneyStatus.Active, journey.Status);
        Assert.False(journey.AgreementDue);
    }

    private static ClaimsPrincipal LinkWorker(string workerId) => new(new ClaimsIdentity(
        [new Claim(ReferralsClaims.Role, Roles.LinkWorker), new Claim(ReferralsClaims.LinkWorkerId, workerId), new Claim(ReferralsClaims.Programme, TestJourneys.Programme)],
        "test", ReferralsClaims.Name, ReferralsClaims.Role));

    /// <summary>
    /// HAZ-001, HAZ-019: the re-referral is a new episode nobody has been offered yet, so the previous episode's worker does not
    /// hold it (nor read it, nor have it on their caseload) until a worker accepts it; whoever accepts holds it, the previous
    /// worker too (continuity). An acceptance of the earlier referral (a late reassignment of the closed episode) gives it no worker.
    /// </summary>
    [Fact]
    public void A_reopened_journey_has_no_worker_until_the_re_referral_is_accepted_and_whoever_accepts_it_holds_it_the_previous_worker_included()
    {
        var previous = ClosedJourney(TestJourneys.Now.AddDays(-10));
        var referral = ReferralFor(previous.Id, TestJourneys.Now);
        var registration = ReferralDecider.Register(referral, previous, null, TestJourneys.Now, Policy, Guid.NewGuid);
        var reopened = TestJourneys.Apply(previous, registration.Event);
        AssignmentAcceptanceReceived Acceptance(Guid referralId, string worker) =>
            new(referralId, Person, Guid.NewGuid(), TestJourneys.Programme, worker, TestJourneys.Now, 1);
        Journey AcceptedBy(string worker) =>
            TestJourneys.Apply(reopened, [.. ReferralDecider.Open(reopened, Acceptance(referral.Id, worker), TestJourneys.Now)]);

        Assert.Equal(TestJourneys.Worker, previous.LinkWorkerId);
        Assert.Equal((JourneyStatus.AwaitingAcceptance, (string?)null, (Guid?)null), (reopened.Status, reopened.LinkWorkerId, reopened.AssignmentId));
        Assert.False(JourneyAccess.Evaluate(LinkWorker(TestJourneys.Worker), reopened).Allowed);
        Assert.Empty(ReferralDecider.Open(reopened, Acceptance(previous.Referral.ReferralId, "lw-late"), TestJourneys.Now));

        var another = AcceptedBy("lw-9");
        Assert.Equal("lw-9", another.LinkWorkerId);
        Assert.True(JourneyAccess.Evaluate(LinkWorker("lw-9"), another).Allowed);
        Assert.False(JourneyAccess.Evaluate(LinkWorker(TestJourneys.Worker), another).Allowed);

        var same = AcceptedBy(TestJourneys.Worker);
        Assert.Equal(TestJourneys.Worker, same.LinkWorkerId);
        Assert.True(JourneyAccess.Evaluate(LinkWorker(TestJourneys.Worker), same).Allowed);
    }

    [Fact]
    public void A_reopened_journey_takes_the_consent_given_with_the_re_referral_and_is_no_longer_closed()
    {
        var previous = ClosedJourney(TestJourneys.Now.AddDays(-10));
        var referral = ReferralFor(previous.Id, TestJourneys.Now);
        var registration = ReferralDecider.Register(referral, previous, null, TestJourneys.Now, Policy, Guid.NewGuid);
        var reregistered = TestJourneys.Apply(previous, registration.Event with { Referral = registration.Event.Referral with { SharingScope = ConsentScope.CodedOnly } });

        Assert.Equal(JourneyStatus.AwaitingAcceptance, reregistered.Status);
        Assert.Null(reregistered.ClosedAt);
        Assert.Equal(ConsentScope.CodedOnly, reregistered.SharingScope);
        Assert.NotNull(reregistered.AgreedAt);
    }

    [Theory]
    [InlineData(JourneyStatus.AwaitingAcceptance, true)]
    [InlineData(JourneyStatus.Open, true)]
    [InlineData(JourneyStatus.Active, false)]
    public void A_withdrawal_closes_the_journey_only_before_the_person_has_started_with_a_worker(JourneyStatus status, bool closes)
    {
        var journey = status switch
        {
            JourneyStatus.AwaitingAcceptance => TestJourneys.Registered(),
            JourneyStatus.Open => TestJourneys.Opened(),
            _ => TestJourneys.Active(),
        };

        var events = ReferralDecider.Withdraw(journey, new WithdrawalReceived(journey.Referral.ReferralId, journey.PersonId, "changed mind", TestJourneys.Now),
            NoneConfirmed, TestJourneys.Now);

        Assert.Equal(closes, Assert.IsType<ReferralWithdrawalNoted>(events[0]).ClosesJourney);
        Assert.Equal(closes, events.OfType<JourneyClosed>().Any(c => c.Reason == ClosureReason.Withdrawn));
        Assert.Equal(closes ? JourneyStatus.Closed : JourneyStatus.Active, TestJourneys.Apply(journey, [.. events]).Status);
    }

    [Fact]
    public void A_withdrawal_closes_a_journey_that_went_dormant_before_the_person_agreed()
    {
        var journey = TestJourneys.Opened();
        journey = TestJourneys.Apply(journey, new JourneyWentDormant(journey.Id, journey.NoContactSince!.Value, TestJourneys.Now));
        Assert.Equal(JourneyStatus.Dormant, journey.Status);

        var events = ReferralDecider.Withdraw(journey, new WithdrawalReceived(journey.Referral.ReferralId, journey.PersonId, "changed mind", TestJourneys.Now),
            NoneConfirmed, TestJourneys.Now);

        Assert.True(Assert.IsType<ReferralWithdrawalNoted>(events[0]).ClosesJourney);
        Assert.Equal(ClosureReason.Withdrawn, Assert.IsType<JourneyClosed>(Assert.Single(events.OfType<JourneyClosed>())).Reason);
        Assert.Equal(JourneyStatus.Closed, TestJourneys.Apply(journey, [.. events]).Status);
    }

    [Theory]
    [InlineData(JourneyStatus.AwaitingAcceptance)]
    [InlineData(JourneyStatus.NotEligible)]
    [InlineData(JourneyStatus.Open)]
    public void A_withdrawal_closes_over_concerns_triage_has_not_confirmed_and_records_their_ids_with_no_reason(JourneyStatus status)
    {
        var journey = status == JourneyStatus.Open ? TestJourneys.Opened() : TestJourneys.Registered(eligible: status == JourneyStatus.AwaitingAcceptance);
        var (confirmedId, unconfirmedId) = (Guid.NewGuid(), Guid.NewGuid());
        foreach (var id in new[] { confirmedId, unconfirmedId })
        {
            journey = TestJourneys.Apply(journey, [.. SafeguardingDecider.Raise(journey, new RaiseSafeguardingConcern(true, ["suicidal-ideation"], null), id,
                "lw-1", TestJourneys.Now.AddHours(-1))]);
        }

        var confirmations = new Dictionary<Guid, ConcernConfirmation>
        {
            [confirmedId] = new() { Id = confirmedId, JourneyId = journey.Id, ConfirmedAt = TestJourneys.Now.AddMinutes(-50) },
        };

        var events = ReferralDecider.Withdraw(journey, new WithdrawalReceived(journey.Referral.ReferralId, journey.PersonId, "changed mind", TestJourneys.Now),
            confirmations, TestJourneys.Now);

        Assert.Equal(status, journey.Status);
        var closed = Assert.Single(events.OfType<JourneyClosed>());
        Assert.Equal((ClosureReason.Withdrawn, ReferralDecider.System), (closed.Reason, closed.ClosedBy));
        Assert.Equal([unconfirmedId], closed.ClosedWithUnconfirmedConcerns);
        Assert.Null(closed.ClosedWithUnconfirmedConcernReason);
    }

    /// <summary>HAZ-001 C11: a withdrawal cannot be refused, so it records the further referrals nobody had read.</summary>
    [Fact]
    public void A_withdrawal_closes_over_further_referrals_nobody_has_read_and_records_their_ids()
    {
        var journey = TestJourneys.Opened();
        var (read, unread) = (FurtherReferralDeciderTests.Linked(journey), FurtherReferralDeciderTests.Linked(journey));
        journey = TestJourneys.Apply(journey, [.. FurtherReferralDecider.Record(journey, read, TestJourneys.Now.AddHours(-2))]);
        journey = TestJourneys.Apply(journey, [.. FurtherReferralDecider.Record(journey, unread, TestJourneys.Now.AddHours(-1))]);
        journey = TestJourneys.Apply(journey, [.. FurtherReferralDecider.Acknowledge(journey, read.ReferralId, "lw-1", TestJourneys.Now)]);

        var events = ReferralDecider.Withdraw(journey, new WithdrawalReceived(journey.Referral.ReferralId, journey.PersonId, "changed mind", TestJourneys.Now),
            NoneConfirmed, TestJourneys.Now);

        var closed = Assert.Single(events.OfType<JourneyClosed>());
        Assert.Equal(ClosureReason.Withdrawn, closed.Reason);
        Assert.Equal([unread.ReferralId], closed.ClosedWithUnacknowledgedFurtherReferrals);
    }

    [Fact]
    public void A_withdrawal_leaves_a_dormant_journey_the_person_agreed_to_open()
    {
        var journey = TestJourneys.Active();
        journey = TestJourneys.Apply(journey, new JourneyWentDormant(journey.Id, journey.NoContactSince!.Value, TestJourneys.Now));

        var events = ReferralDecider.Withdraw(journey, new WithdrawalReceived(journey.Referral.ReferralId, journey.PersonId, "changed mind", TestJourneys.Now),
            NoneConfirmed, TestJourneys.Now);

        Assert.False(Assert.IsType<ReferralWithdrawalNoted>(Assert.Single(events)).ClosesJourney);
    }

    [Fact]
    public void A_reopened_journey_keeps_a_consent_withdrawal_made_after_the_re_referral_was_submitted()
    {
        var previous = ClosedJourney(TestJourneys.Now.AddDays(-30));
        var referral = ReferralFor(previous.Id, TestJourneys.Now.AddDays(-10));
        previous = TestJourneys.Apply(previous, [.. ConsentDecider.Change(previous, new ChangeConsent(ConsentScope.None, true, "Does not want the GP told"), "lw-1",
            TestJourneys.Now.AddDays(-5))]);

        var registration = ReferralDecider.Register(referral, previous, null, TestJourneys.Now, Policy, Guid.NewGuid);
        var reopened = TestJourneys.Apply(previous, registration.Event);

        Assert.Equal(ConsentScope.Full, registration.Event.Referral.SharingScope);
        Assert.Equal(ConsentScope.None, reopened.SharingScope);
        Assert.True(reopened.ConsentWithdrawn);
        var published = Assert.IsType<Integration.JourneyRegistered>(JourneyEffects.IntegrationEventFor(reopened, registration.Event));
        Assert.Equal(ConsentScope.None, published.SharingScope);
    }

    [Fact]
    public void A_reopened_journey_takes_the_consent_of_a_re_referral_submitted_after_an_earlier_withdrawal()
    {
        var previous = ClosedJourney(TestJourneys.Now.AddDays(-30));
        previous = TestJourneys.Apply(previous, [.. ConsentDecider.Change(previous, new ChangeConsent(ConsentScope.None, true, null), "lw-1",
            TestJourneys.Now.AddDays(-20))]);
        var referral = ReferralFor(previous.Id, TestJourneys.Now.AddDays(-10));

        var registration = ReferralDecider.Register(referral, previous, null, TestJourneys.Now, Policy, Guid.NewGuid);
        var reopened = TestJourneys.Apply(previous, registration.Event);

        Assert.Equal(ConsentScope.Full, reopened.SharingScope);
        Assert.False(reopened.ConsentWithdrawn);
    }
}
