using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Referrals.Fhir.Terminology;

/// <summary>Which configurable (secondary-source) codes are switched off. Bind from configuration section <c>Snomed</c>.</summary>
public sealed class SnomedCodeSetOptions
{
    /// <summary>Switches off every code whose only source is a single secondary source.</summary>
    public bool DisableSingleSecondarySourceCodes { get; set; }

    /// <summary>Ids of configurable codes to switch off. Listing a code that is not in the set, or not configurable, fails start-up.</summary>
    public ISet<string> DisabledCodes { get; } = new HashSet<string>(StringComparer.Ordinal);
}

/// <summary>
/// The social prescribing and outcome-measure SNOMED CT code set, with the options applied. Build it once at start-up with
/// <see cref="CreateValidated"/> (or call <see cref="ValidateAll"/>): every id is checked (digits, partition, Verhoeff)
/// and a bad id stops the service with an exception naming it.
/// </summary>
public sealed class SnomedCodeSet
{
    private readonly FrozenSet<SnomedConcept> _disabled;

    private SnomedCodeSet(FrozenSet<SnomedConcept> disabled) => _disabled = disabled;

    /// <summary>The raw definitions of every concept (standards.md §1.1 and §1.2).</summary>
    public static IReadOnlyList<SnomedConceptDefinition> Definitions => SnomedDefinitions.All;

    /// <summary>Every concept, enabled or not.</summary>
    public static IReadOnlyList<SnomedConcept> AllConcepts => SnomedCatalogue.All;

    /// <summary>Concepts enabled under these options (inbound-only legacy codes excluded).</summary>
    public IReadOnlyList<SnomedConcept> Enabled => [.. SnomedCatalogue.All.Where(c => !c.IsInboundOnly && IsEnabled(c))];

    /// <summary>Start-up check of the built-in definitions and of <paramref name="options"/>; throws naming the bad id.</summary>
    public static void ValidateAll(SnomedCodeSetOptions? options = null) => CreateValidated(options);

    /// <summary>Validates the definitions and the options and returns the code set to use.</summary>
    /// <exception cref="InvalidOperationException">An id is not a valid SNOMED CT concept id, or the options name a code that cannot be disabled.</exception>
    public static SnomedCodeSet CreateValidated(SnomedCodeSetOptions? options = null)
    {
        ValidateDefinitions(SnomedDefinitions.All);
        options ??= new SnomedCodeSetOptions();
        var disabled = new HashSet<SnomedConcept>();
        foreach (var id in options.DisabledCodes)
        {
            if (!SnomedCatalogue.ById.TryGetValue(id ?? "", out var concept))
            {
                throw new InvalidOperationException($"SNOMED CT code set option DisabledCodes names '{id}', which is not in the code set.");
            }

            if (!concept.IsConfigurable)
            {
                throw new InvalidOperationException(
                    $"SNOMED CT code {concept} comes from {concept.Strength} and cannot be disabled; only secondary-source codes are configurable.");
            }

            disabled.Add(concept);
        }

        if (options.DisableSingleSecondarySourceCodes)
        {
            disabled.UnionWith(SnomedCatalogue.All.Where(c => c.Strength == SourceStrength.SingleSecondarySource));
        }

        return new SnomedCodeSet(disabled.ToFrozenSet());
    }

    /// <summary>
    /// Checks every definition: valid SCTID (6–18 digits, no leading zero, partition 00/10, Verhoeff), no duplicate id,
    /// and each <see cref="SnomedConceptDefinition.ReplacedBy"/> naming another definition.
    /// </summary>
    /// <exception cref="InvalidOperationException">Naming the first bad id and why.</exception>
    public static void ValidateDefinitions(IEnumerable<SnomedConceptDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var list = definitions.ToList();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in list)
        {
            if (!SnomedCode.TryCreate(d.Id, out _, out var error))
            {
                throw new InvalidOperationException($"SNOMED CT code set: '{d.Id}' ({d.Term}) is not a valid concept id: {error}");
            }

            if (!ids.Add(d.Id))
            {
                throw new InvalidOperationException($"SNOMED CT code set: '{d.Id}' ({d.Term}) is defined twice.");
            }
        }

        foreach (var d in list.Where(d => d.ReplacedBy is not null))
        {
            if (!ids.Contains(d.ReplacedBy!) || d.ReplacedBy == d.Id)
            {
                throw new InvalidOperationException($"SNOMED CT code set: '{d.Id}' ({d.Term}) is replaced by '{d.ReplacedBy}', which is not another code of the set.");
            }
        }
    }

    public bool IsEnabled(SnomedConcept concept) => !_disabled.Contains(concept);

    /// <summary>Returns <paramref name="concept"/> for emitting; throws when it is switched off or inbound-only.</summary>
    public SnomedConcept RequireEmittable(SnomedConcept concept)
    {
        ArgumentNullException.ThrowIfNull(concept);
        if (concept.IsInboundOnly)
        {
            throw new InvalidOperationException($"{concept} is a legacy code accepted inbound only; emit {concept.ReplacedBy} instead.");
        }

        return IsEnabled(concept) ? concept : throw new InvalidOperationException($"{concept} is disabled by configuration.");
    }

    /// <summary>
    /// Resolves an inbound coding: the system must be SNOMED CT, the id a valid SCTID, known to the set and enabled.
    /// Legacy ids (e.g. UK-extension WEMWBS/SWEMWBS) resolve to the concept emitted today.
    /// </summary>
    public bool TryResolveInbound(string? system, string? code, [NotNullWhen(true)] out SnomedConcept? concept, out string error)
    {
        concept = null;
        if (!string.Equals(system, FhirSystems.Snomed, StringComparison.Ordinal))
        {
            error = $"system '{system}' is not SNOMED CT ({FhirSystems.Snomed}).";
            return false;
        }

        if (!SnomedCode.TryCreate(code, out var sctid, out error))
        {
            return false;
        }

        if (!SnomedCatalogue.ById.TryGetValue(sctid.Value, out var found))
        {
            error = $"{sctid} is not in the social prescribing code set.";
            return false;
        }

        var current = found.ReplacedBy ?? found;
        if (!IsEnabled(current))
        {
            error = $"{current} is disabled by configuration.";
            return false;
        }

        concept = current;
        return true;
    }
}

/// <summary>The validated concepts, built once from <see cref="SnomedDefinitions"/>.</summary>
internal static class SnomedCatalogue
{
    static SnomedCatalogue()
    {
        SnomedCodeSet.ValidateDefinitions(SnomedDefinitions.All);
        var byId = SnomedDefinitions.All.ToDictionary(d => d.Id, d => new SnomedConcept(SnomedCode.Create(d.Id), d), StringComparer.Ordinal);
        foreach (var d in SnomedDefinitions.All.Where(d => d.ReplacedBy is not null))
        {
            byId[d.Id].ReplacedBy = byId[d.ReplacedBy!];
        }

        ById = byId.ToFrozenDictionary(StringComparer.Ordinal);
        All = [.. SnomedDefinitions.All.Select(d => byId[d.Id])];
    }

    public static FrozenDictionary<string, SnomedConcept> ById { get; }

    public static IReadOnlyList<SnomedConcept> All { get; }

    public static SnomedConcept Get(string id) => ById[id];
}
