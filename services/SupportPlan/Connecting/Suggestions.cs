using Referrals.Contracts;
using Referrals.SupportPlan.Assessing;
using Referrals.SupportPlan.Directory;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Connecting;

public enum AreaMatch
{
    None,

    /// <summary>The person's postcode district is not known: every area is shown, none preferred.</summary>
    AreaUnknown,

    /// <summary>The service covers the whole programme ("*").</summary>
    Anywhere,

    /// <summary>The service covers the person's postcode area (e.g. "LS" for LS6).</summary>
    PostcodeArea,

    /// <summary>The service covers the person's postcode district exactly.</summary>
    District,
}

/// <summary>A directory entry suggested for the person, why, and its rank.</summary>
public sealed record Suggestion(
    Guid EntryId,
    string Name,
    Sector Sector,
    ReferralMethod ReferralMethod,
    IReadOnlyList<NeedDomain> MatchedNeeds,
    AreaMatch AreaMatch,
    int Score);

/// <summary>
/// Suggests services that match the person's needs and area: active entries of the journey's programme that serve at least
/// one open need and cover the person's area. Ranked by the priority of the needs they meet (high 3, medium 2, low 1) plus
/// closeness (district 2, postcode area 1). Before the assessment, the referral's needs stand in (at medium priority).
/// </summary>
public static class Suggestions
{
    public static IReadOnlyList<Suggestion> For(Journey journey, IEnumerable<DirectoryEntry> entries)
    {
        var needs = OpenNeeds(journey);
        var district = journey.Referral.PostcodeDistrict?.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        return entries
            .Where(e => e.Active && e.ProgrammeId == journey.ProgrammeId)
            .Select(e =>
            {
                var matched = needs.Where(n => e.Details.Categories.Contains(n.Key)).OrderByDescending(n => n.Value).ToList();
                var area = AreaMatchOf(e, district);
                var score = matched.Sum(n => Weight(n.Value)) + area switch { AreaMatch.District => 2, AreaMatch.PostcodeArea => 1, _ => 0 };
                return (Entry: e, Matched: matched, Area: area, Score: score);
            })
            .Where(s => s.Matched.Count > 0 && s.Area != AreaMatch.None)
            .OrderByDescending(s => s.Score).ThenBy(s => s.Entry.Details.Name, StringComparer.OrdinalIgnoreCase)
            .Select(s => new Suggestion(s.Entry.Id, s.Entry.Details.Name, s.Entry.Details.Sector, s.Entry.Details.ReferralMethod,
                s.Matched.Select(n => n.Key).ToList(), s.Area, s.Score))
            .ToList();
    }

    /// <summary>How an entry's areas cover a postcode district (normalised: upper case, no spaces).</summary>
    public static AreaMatch AreaMatchOf(DirectoryEntry entry, string? district)
    {
        if (string.IsNullOrEmpty(district))
        {
            return AreaMatch.AreaUnknown;
        }

        var postcodeArea = new string(district.TakeWhile(char.IsAsciiLetter).ToArray());
        return entry.Details.Areas.Contains(district, StringComparer.Ordinal) ? AreaMatch.District
            : postcodeArea.Length > 0 && entry.Details.Areas.Contains(postcodeArea, StringComparer.Ordinal) ? AreaMatch.PostcodeArea
            : entry.Details.Areas.Contains(DirectoryDecider.Anywhere, StringComparer.Ordinal) ? AreaMatch.Anywhere
            : AreaMatch.None;
    }

    /// <summary>The open assessed needs with their priority; before any assessment, the referral's needs at medium priority.</summary>
    public static IReadOnlyDictionary<NeedDomain, NeedPriority> OpenNeeds(Journey journey)
    {
        var assessed = journey.Needs.Where(n => n.IsOpen).GroupBy(n => n.Domain).ToDictionary(g => g.Key, g => g.Max(n => n.Priority));
        if (assessed.Count > 0 || journey.Needs.Count > 0)
        {
            return assessed;
        }

        return journey.Referral.Needs.Select(DomainOf).OfType<NeedDomain>().Distinct().ToDictionary(d => d, _ => NeedPriority.Medium);
    }

    public static NeedDomain? DomainOf(NeedCategory category) => category switch
    {
        NeedCategory.LonelinessOrIsolation => NeedDomain.SocialConnection,
        NeedCategory.MentalWellbeing or NeedCategory.Bereavement => NeedDomain.MentalWellbeing,
        NeedCategory.PhysicalActivity => NeedDomain.PhysicalActivity,
        NeedCategory.Housing => NeedDomain.Housing,
        NeedCategory.DebtOrBenefits or NeedCategory.FoodOrFuel => NeedDomain.MoneyDebtAndBenefits,
        NeedCategory.Employment => NeedDomain.EmploymentAndEducation,
        NeedCategory.CarerSupport => NeedDomain.CarerRole,
        NeedCategory.PracticalSupport => NeedDomain.PracticalNeeds,
        _ => null,
    };

    private static int Weight(NeedPriority priority) => priority switch
    {
        NeedPriority.High => 3,
        NeedPriority.Medium => 2,
        _ => 1,
    };
}
