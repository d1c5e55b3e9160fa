using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Assessing;
using Referrals.SupportPlan.Connecting;
using Referrals.SupportPlan.Directory;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Connecting;

public sealed class ConnectionDeciderTests
{
    private static DirectoryEntry Entry(string name, IReadOnlyList<NeedDomain> categories, IReadOnlyList<string> areas, bool active = true,
        ReferralMethod method = ReferralMethod.Email, string programme = TestJourneys.Programme)
    {
        var entry = DirectoryEntry.Create(new DirectoryEntryAdded(Guid.NewGuid(), programme,
            new DirectoryEntryDetails(name, Sector.Voluntary, categories, areas, "contact@example.org", method, null, null), "admin", TestJourneys.Now));
        return active ? entry : entry.Apply(new DirectoryEntryDeactivated(entry.Id, null, "admin", TestJourneys.Now));
    }

    private static Journey WithNeed(Journey journey, NeedDomain domain, NeedPriority priority) =>
        TestJourneys.Apply(journey, [.. AssessmentDecider.Identify(journey, new IdentifyNeed(domain, priority, null), Guid.NewGuid(), "lw-1", TestJourneys.Now)]);

    [Fact]
    public void Suggestions_match_the_persons_open_needs_and_area_best_first()
    {
        var journey = WithNeed(WithNeed(TestJourneys.Active(), NeedDomain.Housing, NeedPriority.High), NeedDomain.SocialConnection, NeedPriority.Low);
        var housingNearby = Entry("Housing advice LS6", [NeedDomain.Housing], ["LS6"]);
        var housingCitywide = Entry("Housing advice Leeds", [NeedDomain.Housing], ["LS"]);
        var lunchClub = Entry("Lunch club", [NeedDomain.SocialConnection], ["*"]);
        var elsewhere = Entry("Housing advice Bradford", [NeedDomain.Housing], ["BD1"]);
        var unrelated = Entry("Job club", [NeedDomain.EmploymentAndEducation], ["LS6"]);
        var closed = Entry("Closed service", [NeedDomain.Housing], ["LS6"], active: false);
        var otherProgramme = Entry("Other programme", [NeedDomain.Housing], ["LS6"], programme: "prog-other");

        var suggestions = Suggestions.For(journey, [lunchClub, elsewhere, unrelated, closed, otherProgramme, housingCitywide, housingNearby]);

        Assert.Equal(["Housing advice LS6", "Housing advice Leeds", "Lunch club"], suggestions.Select(s => s.Name).ToArray());
        Assert.Equal([AreaMatch.District, AreaMatch.PostcodeArea, AreaMatch.Anywhere], suggestions.Select(s => s.AreaMatch).ToArray());
    }

    [Fact]
    public void Before_the_assessment_the_referrals_needs_stand_in()
    {
        var suggestions = Suggestions.For(TestJourneys.Active(), [Entry("Befriending", [NeedDomain.SocialConnection], ["LS6"])]);

        Assert.Equal([NeedDomain.SocialConnection], Assert.Single(suggestions).MatchedNeeds);
    }

    [Fact]
    public void Resolved_needs_are_no_longer_matched()
    {
        var needId = Guid.NewGuid();
        var active = TestJourneys.Active();
        var journey = TestJourneys.Apply(active, [.. AssessmentDecider.Identify(active, new IdentifyNeed(NeedDomain.Housing, NeedPriority.High, null), needId, "lw-1", TestJourneys.Now)]);
        journey = TestJourneys.Apply(journey, [.. AssessmentDecider.Resolve(journey, needId, new ResolveNeed(null), "lw-1", TestJourneys.Now)]);

        Assert.Empty(Suggestions.For(journey, [Entry("Housing advice", [NeedDomain.Housing], ["LS6"])]));
    }

    [Fact]
    public void Signposting_shares_nothing()
    {
        var error = Assert.Throws<RequestValidationException>(() => ConnectionDecider.Make(TestJourneys.Active(),
            new MakeConnection(null, "Library", ConnectionKind.Signposting, false, "name and phone"), null, Guid.NewGuid(), "lw-1", TestJourneys.Now));

        Assert.Contains("sharedInformation", error.Errors.Keys);
    }

    [Fact]
    public void An_onward_referral_needs_consent_to_share_and_records_what_was_shared()
    {
        var entry = Entry("Befriending", [NeedDomain.SocialConnection], ["LS6"]);
        var noConsent = Assert.Throws<RequestValidationException>(() => ConnectionDecider.Make(TestJourneys.Active(),
            new MakeConnection(entry.Id, null, ConnectionKind.OnwardReferral, false, "name"), entry, Guid.NewGuid(), "lw-1", TestJourneys.Now));
        var nothingShared = Assert.Throws<RequestValidationException>(() => ConnectionDecider.Make(TestJourneys.Active(),
            new MakeConnection(entry.Id, null, ConnectionKind.OnwardReferral, true, null), entry, Guid.NewGuid(), "lw-1", TestJourneys.Now));

        var made = Assert.IsType<CommunityConnectionMade>(Assert.Single(ConnectionDecider.Make(TestJourneys.Active(),
            new MakeConnection(entry.Id, null, ConnectionKind.OnwardReferral, true, "Name and phone number"), entry, Guid.NewGuid(), "lw-1", TestJourneys.Now)));

        Assert.Contains("consentToShare", noConsent.Errors.Keys);
        Assert.Contains("sharedInformation", nothingShared.Errors.Keys);
        Assert.True(made.ConsentToShare);
        Assert.Equal("Name and phone number", made.SharedInformation);
        Assert.Equal("Befriending", made.ServiceName);
    }

    [Fact]
    public void A_service_that_takes_no_referrals_is_signposted_not_referred()
    {
        var entry = Entry("Leaflet service", [NeedDomain.Housing], ["LS6"], method: ReferralMethod.SignpostOnly);

        Assert.Throws<DomainRuleException>(() => ConnectionDecider.Make(TestJourneys.Active(),
            new MakeConnection(entry.Id, null, ConnectionKind.OnwardReferral, true, "name"), entry, Guid.NewGuid(), "lw-1", TestJourneys.Now));
    }

    [Fact]
    public void Only_an_onward_referral_is_acknowledged_and_only_once()
    {
        var signposted = Guid.NewGuid();
        var referred = Guid.NewGuid();
        var journey = TestJourneys.Active();
        journey = TestJourneys.Apply(journey, [.. ConnectionDecider.Make(journey, new MakeConnection(null, "Library", ConnectionKind.Signposting, false, null), null,
            signposted, "lw-1", TestJourneys.Now)]);
        journey = TestJourneys.Apply(journey, [.. ConnectionDecider.Make(journey, new MakeConnection(null, "Food bank", ConnectionKind.OnwardReferral, true, "name"),
            null, referred, "lw-1", TestJourneys.Now)]);

        Assert.Throws<DomainRuleException>(() => ConnectionDecider.Acknowledge(journey, signposted, new AcknowledgeOnwardReferral(true, null, null), "lw-1", TestJourneys.Now));
        journey = TestJourneys.Apply(journey, [.. ConnectionDecider.Acknowledge(journey, referred, new AcknowledgeOnwardReferral(true, null, null), "lw-1", TestJourneys.Now)]);
        Assert.Throws<DomainRuleException>(() => ConnectionDecider.Acknowledge(journey, referred, new AcknowledgeOnwardReferral(true, null, null), "lw-1", TestJourneys.Now));
        Assert.Throws<JourneyPartNotFoundException>(() => ConnectionDecider.RecordOutcome(journey, Guid.NewGuid(), new RecordConnectionOutcome(ConnectionOutcome.Attended, null), "lw-1", TestJourneys.Now));
    }

    [Theory]
    [InlineData(ConnectionOutcome.Attended)]
    [InlineData(ConnectionOutcome.DidNotAttend)]
    [InlineData(ConnectionOutcome.Declined)]
    [InlineData(ConnectionOutcome.ServiceFull)]
    public void Each_connections_outcome_is_recorded(ConnectionOutcome outcome)
    {
        var connection = Guid.NewGuid();
        var journey = TestJourneys.Active();
        journey = TestJourneys.Apply(journey, [.. ConnectionDecider.Make(journey, new MakeConnection(null, "Library", ConnectionKind.Signposting, false, null), null,
            connection, "lw-1", TestJourneys.Now)]);

        journey = TestJourneys.Apply(journey, [.. ConnectionDecider.RecordOutcome(journey, connection, new RecordConnectionOutcome(outcome, null), "lw-1", TestJourneys.Now)]);

        Assert.Equal(outcome, journey.Connections.Single().Outcome);
    }
}
