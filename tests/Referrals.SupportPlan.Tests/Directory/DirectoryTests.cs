using System.Net;
using Referrals.ServiceDefaults.Auth;
using Referrals.SupportPlan.Assessing;
using Referrals.SupportPlan.Connecting;
using Referrals.SupportPlan.Directory;
using Referrals.SupportPlan.Journeys;
using Referrals.SupportPlan.Tests.Support;

namespace Referrals.SupportPlan.Tests.Directory;

/// <summary>The programme-managed community directory, suggestions, and connections made from it.</summary>
public sealed class DirectoryTests(SupportPlanHost fixture) : IClassFixture<SupportPlanHost>
{
    private readonly Scenario _scenario = new(fixture);

    private HttpClient Admin(string programme) => fixture.Host.ClientFor(Roles.ProgrammeAdmin, (ReferralsClaims.Programme, programme));

    private static object Details(string name, string[] categories, string[] areas, string method = "Email") => new
    {
        name, sector = "Voluntary", categories, areas, contact = "hello@example.org", referralMethod = method, openingTimes = "Weekdays 9-5",
    };

    [Fact]
    public async Task A_programme_admin_adds_updates_deactivates_and_reactivates_entries()
    {
        var programme = "prog-" + Guid.NewGuid().ToString("N")[..8];
        using var admin = Admin(programme);

        var entry = await admin.Post("/directory", new { programmeId = programme, details = Details("Men's Shed", ["SocialConnection"], ["ls 6"]) })
            .Expect<DirectoryEntry>(HttpStatusCode.Created);
        Assert.Equal(["LS6"], entry.Details.Areas);
        Assert.Equal((Sector.Voluntary, "hello@example.org", ReferralMethod.Email, "Weekdays 9-5"),
            (entry.Details.Sector, entry.Details.Contact, entry.Details.ReferralMethod, entry.Details.OpeningTimes));
        Assert.True(entry.Active);

        var updated = await admin.Put($"/directory/{entry.Id}", Details("Men's Shed Headingley", ["SocialConnection", "MentalWellbeing"], ["LS6", "LS4"]),
            ifMatch: entry.Version).Expect<DirectoryEntry>();
        await admin.Put($"/directory/{entry.Id}", Details("Stale edit", ["Housing"], ["LS6"]), ifMatch: entry.Version).Problem(HttpStatusCode.PreconditionFailed);
        var deactivated = await admin.Post($"/directory/{entry.Id}/deactivation", new { reason = "Funding ended" }).Expect<DirectoryEntry>();
        using var worker = _scenario.Worker("lw-x", programme);
        var activeOnly = await worker.Get<List<DirectoryEntry>>($"/directory?programme={programme}");
        var everything = await worker.Get<List<DirectoryEntry>>($"/directory?programme={programme}&includeInactive=true");
        var reactivated = await admin.Post($"/directory/{entry.Id}/activation").Expect<DirectoryEntry>();

        Assert.Equal("Men's Shed Headingley", updated.Details.Name);
        Assert.Equal(entry.Version + 1, updated.Version);
        Assert.Equal(updated.Version + 2, reactivated.Version);
        Assert.False(deactivated.Active);
        Assert.Empty(activeOnly);
        Assert.Single(everything);
        Assert.True(reactivated.Active);
        Assert.Single(await worker.Get<List<DirectoryEntry>>($"/directory?programme={programme}&category=MentalWellbeing&area=LS4"));
        Assert.Empty(await worker.Get<List<DirectoryEntry>>($"/directory?programme={programme}&category=Housing"));
    }

    [Fact]
    public async Task Replacing_an_entry_without_if_match_is_refused_with_428_and_changes_nothing_while_deactivation_needs_none()
    {
        var programme = "prog-" + Guid.NewGuid().ToString("N")[..8];
        using var admin = Admin(programme);
        var entry = await admin.Post("/directory", new { programmeId = programme, details = Details("Men's Shed", ["SocialConnection"], ["LS6"]) })
            .Expect<DirectoryEntry>(HttpStatusCode.Created);

        var problem = await admin.Put($"/directory/{entry.Id}", Details("Stale edit", ["Housing"], ["LS6"])).Problem(HttpStatusCode.PreconditionRequired);

        Assert.Equal("If-Match is required", problem.GetProperty("title").GetString());
        Assert.Contains("read the directory entry and send the change with the ETag", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal($"/directory/{entry.Id}", problem.GetProperty("reload").GetString());
        var (unchanged, etag) = await admin.GetWithETag<DirectoryEntry>($"/directory/{entry.Id}");
        Assert.Equal(("Men's Shed", $"\"{entry.Version}\""), (unchanged.Details.Name, etag));

        // With the ETag read, the replacement goes through; deactivating appends and conflicts with nothing.
        var replaced = await admin.PutAsRead($"/directory/{entry.Id}", $"/directory/{entry.Id}", Details("Men's Shed Meanwood", ["SocialConnection"], ["LS6"]))
            .Expect<DirectoryEntry>();
        var deactivated = await admin.Post($"/directory/{entry.Id}/deactivation", new { reason = "Closed for winter" }).Expect<DirectoryEntry>();
        Assert.Equal(("Men's Shed Meanwood", false), (deactivated.Details.Name, deactivated.Active));
        Assert.Equal(entry.Version + 1, replaced.Version);
    }

    [Fact]
    public async Task Replacing_an_entry_that_does_not_exist_is_answered_404_as_a_read_is_never_428()
    {
        // 428 would tell the admin to read an entry that is not there.
        using var admin = Admin("prog-" + Guid.NewGuid().ToString("N")[..8]);
        var missing = Guid.NewGuid();
        await admin.Send(HttpMethod.Get, $"/directory/{missing}").Problem(HttpStatusCode.NotFound);

        var withoutIfMatch = await admin.Put($"/directory/{missing}", Details("Nowhere", ["Housing"], ["LS6"])).Problem(HttpStatusCode.NotFound);
        var withIfMatch = await admin.Put($"/directory/{missing}", Details("Nowhere", ["Housing"], ["LS6"]), ifMatch: 1).Problem(HttpStatusCode.NotFound);

        Assert.Equal(("No such directory entry", "No such directory entry"),
            (withoutIfMatch.GetProperty("title").GetString(), withIfMatch.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task Only_the_programmes_admins_manage_its_directory()
    {
        var programme = "prog-" + Guid.NewGuid().ToString("N")[..8];
        using var admin = Admin(programme);
        using var otherAdmin = Admin("prog-other");
        using var worker = _scenario.Worker("lw-x", programme);
        var entry = await admin.Post("/directory", new { programmeId = programme, details = Details("Food bank", ["MoneyDebtAndBenefits"], ["*"]) })
            .Expect<DirectoryEntry>(HttpStatusCode.Created);

        await otherAdmin.Post("/directory", new { programmeId = programme, details = Details("X", ["Housing"], ["*"]) }).Problem(HttpStatusCode.Forbidden);
        await otherAdmin.Put($"/directory/{entry.Id}", Details("X", ["Housing"], ["*"])).Problem(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.Post("/directory", new { programmeId = programme, details = Details("X", ["Housing"], ["*"]) })).StatusCode);
    }

    [Fact]
    public async Task An_invalid_entry_is_refused_naming_each_field()
    {
        using var admin = Admin("prog-v");

        var problem = await admin.Post("/directory", new
        {
            programmeId = "prog-v",
            details = new { name = "", sector = "Voluntary", categories = Array.Empty<string>(), areas = new[] { "not an area!" }, contact = "", referralMethod = "Email" },
        }).Problem(HttpStatusCode.BadRequest);

        Assert.Equal(["details.areas[0]", "details.categories", "details.contact", "details.name"], problem.ErrorFields().Order().ToArray());
    }

    [Fact]
    public async Task Suggestions_match_the_persons_needs_and_area_and_an_onward_referral_records_consent_and_acknowledgement()
    {
        var c = ReferralCase.New();
        using var admin = Admin(c.ProgrammeId);
        var near = await admin.Post("/directory", new { programmeId = c.ProgrammeId, details = Details("Befriending LS6", ["SocialConnection"], ["LS6"]) })
            .Expect<DirectoryEntry>(HttpStatusCode.Created);
        var wide = await admin.Post("/directory", new { programmeId = c.ProgrammeId, details = Details("Housing Leeds", ["Housing"], ["LS"]) })
            .Expect<DirectoryEntry>(HttpStatusCode.Created);
        await admin.Post("/directory", new { programmeId = c.ProgrammeId, details = Details("Bradford only", ["Housing"], ["BD1"]) })
            .Expect<DirectoryEntry>(HttpStatusCode.Created);
        var journey = await _scenario.OpenAndAgreeAsync(c);
        using var worker = _scenario.Worker(c);
        await worker.Post($"/journeys/{journey.JourneyId}/assessment/needs", new { domain = "Housing", priority = "High" }).Ok();
        await worker.Post($"/journeys/{journey.JourneyId}/assessment/needs", new { domain = "SocialConnection", priority = "Low" }).Ok();

        var suggestions = await worker.Get<List<Suggestion>>($"/journeys/{journey.JourneyId}/suggestions");

        Assert.Equal([wide.Id, near.Id], suggestions.Select(s => s.EntryId).ToArray());
        Assert.Equal([NeedDomain.Housing], suggestions[0].MatchedNeeds);

        await worker.Post($"/journeys/{journey.JourneyId}/connections", new { directoryEntryId = near.Id, kind = "OnwardReferral", consentToShare = false, sharedInformation = "x" })
            .Problem(HttpStatusCode.BadRequest);
        var referral = await worker.Post($"/journeys/{journey.JourneyId}/connections",
            new { directoryEntryId = near.Id, kind = "OnwardReferral", consentToShare = true, sharedInformation = "First name and mobile" }).Ok();
        await worker.Post($"/journeys/{journey.JourneyId}/connections/{referral.Id}/acknowledgement", new { accepted = true, note = "Volunteer matched" }).Ok();
        await worker.Post($"/journeys/{journey.JourneyId}/connections/{referral.Id}/outcome", new { outcome = "ServiceFull" }).Ok();
        var signposted = await worker.Post($"/journeys/{journey.JourneyId}/connections", new { directoryEntryId = wide.Id, kind = "Signposting" }).Ok();

        var view = await worker.Get<JourneyView>($"/journeys/{journey.JourneyId}");
        var made = view.Connections.Single(x => x.ConnectionId == referral.Id);
        Assert.Equal((true, "First name and mobile", true, "Volunteer matched", ConnectionOutcome.ServiceFull),
            (made.ConsentToShare, made.SharedInformation, made.Acknowledgement!.Accepted, made.AcknowledgementNote, made.Outcome));
        var signpost = view.Connections.Single(x => x.ConnectionId == signposted.Id);
        Assert.Equal((ConnectionKind.Signposting, false, (string?)null), (signpost.Kind, signpost.ConsentToShare, signpost.SharedInformation));
        var published = await fixture.Probe.WaitForAsync<Integration.CommunityConnectionMade>(e => e.ConnectionId == referral.Id && e.Outcome == ConnectionOutcome.ServiceFull);
        Assert.Equal("Befriending LS6", published.ServiceName);
    }
}
