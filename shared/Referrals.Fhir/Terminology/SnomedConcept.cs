using Referrals.Fhir.Model;

namespace Referrals.Fhir.Terminology;

/// <summary>How strong the evidence is that a SNOMED CT id means what its term says (strongest first).</summary>
public enum SourceStrength
{
    /// <summary>Named in NHS England guidance for social prescribing link workers.</summary>
    NhsEnglandGuidance,

    /// <summary>In an NHS England / NHS Digital national dataset's reference data (e.g. MHSDS).</summary>
    NationalDataset,

    /// <summary>One secondary source (a public code list), corroborated by published research describing the concept.</summary>
    CorroboratedSecondarySource,

    /// <summary>One secondary source only (e.g. one public code list): configurable, can be switched off.</summary>
    SingleSecondarySource,
}

/// <summary>The raw, unvalidated definition of a concept in the code set (id as text, term, provenance).</summary>
/// <param name="Id">The SCTID as a string.</param>
/// <param name="Term">The term given by the source.</param>
/// <param name="Strength">The strength of the source.</param>
/// <param name="Source">Where the id and term come from (standards.md section).</param>
/// <param name="ReplacedBy">For a legacy id accepted only on inbound data: the id emitted instead.</param>
public sealed record SnomedConceptDefinition(string Id, string Term, SourceStrength Strength, string Source, string? ReplacedBy = null);

/// <summary>A validated concept of the code set.</summary>
public sealed class SnomedConcept
{
    internal SnomedConcept(SnomedCode code, SnomedConceptDefinition definition)
    {
        Code = code;
        Term = definition.Term;
        Strength = definition.Strength;
        Source = definition.Source;
    }

    public SnomedCode Code { get; }

    public string Term { get; }

    public SourceStrength Strength { get; }

    public string Source { get; }

    /// <summary>For a legacy id: the concept to emit in its place. Legacy ids are accepted inbound, never emitted.</summary>
    public SnomedConcept? ReplacedBy { get; internal set; }

    /// <summary>True for legacy ids accepted on inbound data only.</summary>
    public bool IsInboundOnly => ReplacedBy is not null;

    /// <summary>True when the concept comes from a secondary source and can therefore be switched off by configuration.</summary>
    public bool IsConfigurable => Strength >= SourceStrength.CorroboratedSecondarySource;

    public Coding ToCoding() => Code.ToCoding(Term);

    public CodeableConcept ToCodeableConcept() => Code.ToCodeableConcept(Term);

    public override string ToString() => $"{Code} |{Term}|";
}
