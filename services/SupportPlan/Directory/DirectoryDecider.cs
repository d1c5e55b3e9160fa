using Referrals.ServiceDefaults.Problems;
using Referrals.SupportPlan.Journeys;

namespace Referrals.SupportPlan.Directory;

public sealed record AddDirectoryEntry(string ProgrammeId, DirectoryEntryDetails Details);

public sealed record DeactivateDirectoryEntry(string? Reason);

/// <summary>The programme-managed directory of community groups and services, voluntary-sector and statutory.</summary>
public static class DirectoryDecider
{
    /// <summary>An area is a postcode district ("LS6"), a postcode area ("LS"), or "*" for the whole programme.</summary>
    public const string Anywhere = "*";

    public static IReadOnlyList<object> Add(AddDirectoryEntry command, Guid entryId, string by, DateTimeOffset now)
    {
        var validation = new Validation().Required(command.ProgrammeId, "programmeId", Validation.ShortText);
        var details = Normalise(command.Details, validation, "details.");
        return [new DirectoryEntryAdded(entryId, command.ProgrammeId, details, by, now)];
    }

    public static IReadOnlyList<object> Update(DirectoryEntry entry, DirectoryEntryDetails command, string by, DateTimeOffset now)
    {
        var details = Normalise(command, new Validation(), string.Empty);
        return Same(details, entry.Details) ? [] : [new DirectoryEntryUpdated(entry.Id, details, by, now)];
    }

    public static IReadOnlyList<object> Deactivate(DirectoryEntry entry, DeactivateDirectoryEntry command, string by, DateTimeOffset now)
    {
        new Validation().Optional(command.Reason, "reason", Validation.Text).ThrowIfAny();
        return entry.Active ? [new DirectoryEntryDeactivated(entry.Id, command.Reason, by, now)] : throw new DomainRuleException("The entry is already inactive.");
    }

    public static IReadOnlyList<object> Reactivate(DirectoryEntry entry, string by, DateTimeOffset now) =>
        entry.Active ? throw new DomainRuleException("The entry is already active.") : [new DirectoryEntryReactivated(entry.Id, by, now)];

    private static bool Same(DirectoryEntryDetails a, DirectoryEntryDetails b) =>
        a with { Categories = [], Areas = [] } == b with { Categories = [], Areas = [] } &&
        a.Categories.SequenceEqual(b.Categories) && a.Areas.SequenceEqual(b.Areas, StringComparer.Ordinal);

    /// <summary>Validates the details (400 naming each field) and normalises the areas (upper case, no spaces, distinct).</summary>
    public static DirectoryEntryDetails Normalise(DirectoryEntryDetails? details, Validation validation, string prefix)
    {
        validation.Check(details is not null, prefix + "name", "The entry's details are required.");
        if (details is null)
        {
            validation.ThrowIfAny();
            throw new InvalidOperationException("unreachable");
        }

        validation.Required(details.Name, prefix + "name", Validation.ShortText)
            .Defined(details.Sector, prefix + "sector")
            .Defined(details.ReferralMethod, prefix + "referralMethod")
            .Check(details.Categories is { Count: > 0 }, prefix + "categories", "At least one category (need domain).")
            .Check(details.Areas is { Count: > 0 }, prefix + "areas", "At least one area: a postcode district, a postcode area, or \"*\".")
            .Required(details.Contact, prefix + "contact", Validation.Text)
            .Optional(details.OpeningTimes, prefix + "openingTimes", Validation.Text)
            .Optional(details.Description, prefix + "description", Validation.Text);
        for (var i = 0; i < (details.Categories?.Count ?? 0); i++)
        {
            validation.Defined(details.Categories![i], $"{prefix}categories[{i}]");
        }

        var areas = (details.Areas ?? []).Select(a => (a ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant()).ToList();
        for (var i = 0; i < areas.Count; i++)
        {
            validation.Check(areas[i] == Anywhere || (areas[i].Length is >= 1 and <= 4 && areas[i].All(char.IsAsciiLetterOrDigit) && char.IsAsciiLetter(areas[i][0])),
                $"{prefix}areas[{i}]", "A postcode district (e.g. LS6), a postcode area (e.g. LS), or \"*\".");
        }

        validation.ThrowIfAny();
        return details with
        {
            Name = details.Name.Trim(),
            Categories = details.Categories!.Distinct().ToList(),
            Areas = areas.Distinct().ToList(),
        };
    }
}
