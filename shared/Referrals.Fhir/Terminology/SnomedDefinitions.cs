namespace Referrals.Fhir.Terminology;

/// <summary>
/// The code set's source data: ids, terms and provenance exactly as shared/reference/standards.md §1.1 and §1.2 record them.
/// Nothing here is a guessed code. Held as text and validated by <see cref="SnomedCodeSet.ValidateDefinitions"/>.
/// Left out on purpose: 925431000000109 (PAM score: preferred term not found, "do not use until confirmed").
/// </summary>
internal static class SnomedDefinitions
{
    private const string TransformationPartnersFaq =
        "standards.md §1.1: Transformation Partners SPLW FAQ quoting NHSE guidance; socialrx blog; gm-sde and OpenSAFELY code lists";

    private const string OpenSafelyOnly = "standards.md §1.1: OpenSAFELY opensafely/dfms-covid19 social prescribing code list only";

    private const string Mhsds = "standards.md §1.2: NHS Digital MHSDS reference data (LoadRefData.sql, 04_mhsds_ref_tables.py)";

    internal static readonly IReadOnlyList<SnomedConceptDefinition> All =
    [
        // §1.1 Social prescribing (England)
        new("871731000000106", "Referral to social prescribing service", SourceStrength.NhsEnglandGuidance, TransformationPartnersFaq),
        new("871711000000103", "Social prescribing declined", SourceStrength.NhsEnglandGuidance, TransformationPartnersFaq),
        new("871691000000100", "Social prescribing offered", SourceStrength.CorroboratedSecondarySource,
            "standards.md §1.1: OpenSAFELY code list; offered/referred/declined recording described by NIHR PMC10593349 and JMIR 2020;22(12):e23721"),
        new("1362931000000106", "Seen by social prescribing link worker", SourceStrength.SingleSecondarySource, OpenSafelyOnly),
        new("1362721000000106", "Social prescribing case closed", SourceStrength.SingleSecondarySource, OpenSafelyOnly),
        new("1084281000000109", "Signposting to social prescribing service", SourceStrength.SingleSecondarySource, OpenSafelyOnly),
        new("515721000000104", "Social prescribing for mental health", SourceStrength.SingleSecondarySource, OpenSafelyOnly),

        // §1.2 Outcome measures. International (v2) codes are emitted; UK-extension (v1) codes are accepted inbound.
        new("718426000", "Warwick-Edinburgh Mental Well-being Scale score", SourceStrength.NationalDataset, Mhsds + " (v2)"),
        new("718466001", "Short Warwick-Edinburgh Mental Well-being Scale score", SourceStrength.NationalDataset, Mhsds + " (v2)"),
        new("885541000000103", "Warwick-Edinburgh Mental Well-being Scale score", SourceStrength.NationalDataset, Mhsds + " (v1, legacy)", ReplacedBy: "718426000"),
        new("960481000000107", "Short Warwick-Edinburgh Mental Well-being Scale score", SourceStrength.NationalDataset, Mhsds + " (v1, legacy)", ReplacedBy: "718466001"),
        new("962851000000103", "Patient Activation Measure Level", SourceStrength.SingleSecondarySource,
            "standards.md §1.2: NHS Digital DSP pipeline test code and one public SQL view (secondary)"),
    ];
}
