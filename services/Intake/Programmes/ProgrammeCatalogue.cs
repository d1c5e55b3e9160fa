using System.Text.RegularExpressions;
using Referrals.SharedKernel;

namespace Referrals.Intake.Programmes;

/// <summary>One social prescribing programme as intake knows it: its id, name and the GP practices it serves.</summary>
public sealed record Programme(string Id, string Name, IReadOnlySet<string> Practices)
{
    public bool Serves(string practiceOds) => Practices.Contains(practiceOds);
}

/// <summary>Configuration shape of one programme: <c>Intake:Programmes:&lt;id&gt;:Name</c> and <c>:Practices</c>.</summary>
public sealed class ProgrammeSettings
{
    public string? Name { get; set; }

    public List<string> Practices { get; set; } = [];
}

/// <summary>
/// The small catalogue intake needs to validate a referral: which programmes exist and which practices each serves.
/// It is read from configuration (<c>Intake:Programmes</c>). Triage owns the full programme configuration (eligibility
/// rules, rota, capacity); intake only checks that a referral names a programme that serves the person's practice.
/// </summary>
public sealed partial class ProgrammeCatalogue
{
    private readonly Dictionary<string, Programme> _programmes;

    public ProgrammeCatalogue(IEnumerable<Programme> programmes) =>
        _programmes = programmes.ToDictionary(p => p.Id, StringComparer.Ordinal);

    public IReadOnlyCollection<Programme> All => _programmes.Values;

    public Programme? Find(string? id) => id is not null && _programmes.TryGetValue(id, out var programme) ? programme : null;

    /// <summary>The programmes serving a practice, in id order.</summary>
    public IReadOnlyList<Programme> Serving(string practiceOds) =>
        _programmes.Values.Where(p => p.Serves(practiceOds)).OrderBy(p => p.Id, StringComparer.Ordinal).ToList();

    /// <summary>Builds the catalogue from settings, refusing ids and practice codes that are not well formed.</summary>
    public static ProgrammeCatalogue Create(IReadOnlyDictionary<string, ProgrammeSettings> settings)
    {
        var programmes = new List<Programme>();
        foreach (var (id, programme) in settings)
        {
            if (!ProgrammeId().IsMatch(id))
            {
                throw new InvalidOperationException(
                    $"Intake:Programmes: '{id}' is not a programme id (lower-case letters, digits and hyphens, 2-50 characters).");
            }

            var practices = new HashSet<string>(StringComparer.Ordinal);
            foreach (var practice in programme.Practices)
            {
                if (!OdsCode.TryCreate(practice, out var ods, out var error))
                {
                    throw new InvalidOperationException($"Intake:Programmes:{id}:Practices: '{practice}' is not an ODS code ({error}).");
                }

                practices.Add(ods.Value.Value);
            }

            programmes.Add(new Programme(id, string.IsNullOrWhiteSpace(programme.Name) ? id : programme.Name, practices));
        }

        return new ProgrammeCatalogue(programmes);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,49}$")]
    private static partial Regex ProgrammeId();
}
