using System.Security.Claims;
using Referrals.ServiceDefaults.Auth;
using Referrals.WebApp.Api;
using Referrals.WebApp.Pages.Journeys;

namespace Referrals.WebApp.Tests;

/// <summary>Who the journey page offers a home visit's check-out to: support-plan's rule (HAZ-008 C5), pure, no browser.</summary>
public sealed class HomeVisitCheckOutTests
{
    private static readonly DateTimeOffset CheckedInAt = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    public enum Alert
    {
        None,
        Outstanding,
        Acknowledged,
    }

    private static HomeVisit Visit(Alert alert, bool checkedIn = true) => new(Guid.NewGuid(), "lw-nl-01", CheckedInAt, CheckedInAt.AddHours(1),
        checkedIn ? null : CheckedInAt.AddHours(2), checkedIn, alert == Alert.None ? null : CheckedInAt.AddMinutes(75),
        alert == Alert.Outstanding && checkedIn, alert == Alert.Acknowledged ? CheckedInAt.AddMinutes(80) : null,
        alert == Alert.Acknowledged ? "tl-nl-01" : null);

    private static ClaimsPrincipal User(string who) => new(new ClaimsIdentity(
        who.StartsWith("tl-", StringComparison.Ordinal)
            ? [new(ReferralsClaims.Subject, who), new(ReferralsClaims.Role, Roles.TeamLead)]
            : [new(ReferralsClaims.Subject, who), new(ReferralsClaims.Role, Roles.LinkWorker), new(ReferralsClaims.LinkWorkerId, who)],
        "test", ReferralsClaims.Name, ReferralsClaims.Role));

    [Theory]
    [InlineData("lw-nl-01", Alert.None, true)] // the worker who checked in, always
    [InlineData("lw-nl-01", Alert.Outstanding, true)]
    [InlineData("lw-nl-01", Alert.Acknowledged, true)]
    [InlineData("lw-nl-03", Alert.None, false)] // the worker now holding the journey, never
    [InlineData("lw-nl-03", Alert.Outstanding, false)]
    [InlineData("lw-nl-03", Alert.Acknowledged, false)]
    [InlineData("tl-nl-01", Alert.None, false)] // a team lead, only once they have acknowledged the overdue alert
    [InlineData("tl-nl-01", Alert.Outstanding, false)]
    [InlineData("tl-nl-01", Alert.Acknowledged, true)]
    public void The_check_out_is_offered_to_the_visiting_worker_and_to_a_team_lead_only_after_acknowledging_the_alert(string who, Alert alert,
        bool offered) =>
        Assert.Equal(offered, HomeVisitCheckOut.MayCheckOut(User(who), Visit(alert)));

    [Theory]
    [InlineData("lw-nl-01")]
    [InlineData("tl-nl-01")]
    public void A_visit_already_checked_out_offers_no_check_out(string who) =>
        Assert.False(HomeVisitCheckOut.MayCheckOut(User(who), Visit(Alert.Acknowledged, checkedIn: false)));
}
