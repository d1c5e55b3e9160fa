using Referrals.Fhir;
using Referrals.Fhir.Model;
using Referrals.GpRecords.Recording;
using Referrals.GpRecords.Tests.Support;
using static Referrals.GpRecords.Tests.Support.Journeys;

namespace Referrals.GpRecords.Tests.Recording;

/// <summary>
/// Dates the mapper takes from an instant are the UK day (Europe/London), as support-plan dates things: from midnight to
/// 01:00 BST the UTC date is still the day before.
/// </summary>
public sealed class UkDateMappingTests
{
    private readonly JourneyScript _script = new("A81001");

    // 00:30 on 2 June 2026 in London (BST) is 23:30Z on 1 June.
    private static readonly DateTimeOffset LondonHalfPastMidnight = new(2026, 6, 2, 0, 30, 0, TimeSpan.FromHours(1));

    private Bundle Document(IEnumerable<MappedResource> resources, string kind) =>
        resources.Select(r => r.Full).OfType<Bundle>().Single(b => b.Id == ResourceIds.Document(_script.JourneyId, _script.ReferralId, kind));

    [Fact]
    public void A_goal_agreed_and_a_journey_closed_at_half_past_midnight_bst_are_dated_the_uk_day()
    {
        var agreed = _script.Agreed() with { AgreedAt = LondonHalfPastMidnight };
        var plan = _script.Plan() with { AgreedAt = LondonHalfPastMidnight.AddDays(1) };
        var closed = _script.Closed() with { ClosedAt = LondonHalfPastMidnight.AddDays(2) };

        var resources = Map(_script, [_script.Registered(), _script.Opened(), agreed, plan, closed]);

        Assert.Equal("2026-06-03", Single<Goal>(resources, g => g.Id == ResourceIds.Goal(_script.JourneyId, _script.GoalId)).StartDate!.Value);
        Assert.Contains("agreed to social prescribing on 2 June 2026", FhirJson.Serialize(Document(resources, JourneyRecordMapper.AgreementMessage)),
            StringComparison.Ordinal);
        Assert.Contains("Closed on 4 June 2026", FhirJson.Serialize(Document(resources, JourneyRecordMapper.ClosureMessage)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_dormant_journeys_last_contact_at_half_past_midnight_bst_is_the_uk_day()
    {
        var dormant = _script.Dormant() with { LastContactAt = LondonHalfPastMidnight, DormantAt = LondonHalfPastMidnight.AddDays(56) };

        var task = TaskOf(_script, [_script.Registered(), _script.Opened(), _script.Agreed(), dormant]);

        Assert.Equal("Dormant: no contact since 2026-06-02", task.StatusReason!.Text);
    }
}
