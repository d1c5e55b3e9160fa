namespace Referrals.Fhir.Terminology;

/// <summary>National social prescribing SNOMED CT concepts (standards.md §1.1).</summary>
public static class SocialPrescribingCodes
{
    /// <summary>871731000000106 — recorded when the person accepts a referral; first interaction of an episode only (NHSE).</summary>
    public static SnomedConcept ReferralToSocialPrescribingService => SnomedCatalogue.Get("871731000000106");

    /// <summary>871711000000103 — recorded when the person declines the referral (NHSE).</summary>
    public static SnomedConcept SocialPrescribingDeclined => SnomedCatalogue.Get("871711000000103");

    /// <summary>871691000000100 — social prescribing offered.</summary>
    public static SnomedConcept SocialPrescribingOffered => SnomedCatalogue.Get("871691000000100");

    /// <summary>1362931000000106 — single secondary source; configurable.</summary>
    public static SnomedConcept SeenBySocialPrescribingLinkWorker => SnomedCatalogue.Get("1362931000000106");

    /// <summary>1362721000000106 — single secondary source; configurable.</summary>
    public static SnomedConcept SocialPrescribingCaseClosed => SnomedCatalogue.Get("1362721000000106");

    /// <summary>1084281000000109 — single secondary source; configurable.</summary>
    public static SnomedConcept SignpostingToSocialPrescribingService => SnomedCatalogue.Get("1084281000000109");

    /// <summary>515721000000104 — single secondary source; configurable.</summary>
    public static SnomedConcept SocialPrescribingForMentalHealth => SnomedCatalogue.Get("515721000000104");

    public static IReadOnlyList<SnomedConcept> All =>
    [
        ReferralToSocialPrescribingService, SocialPrescribingDeclined, SocialPrescribingOffered, SeenBySocialPrescribingLinkWorker,
        SocialPrescribingCaseClosed, SignpostingToSocialPrescribingService, SocialPrescribingForMentalHealth,
    ];
}

/// <summary>Outcome-instrument SNOMED CT concepts (standards.md §1.2). ONS4 and PAM score have no confirmed code.</summary>
public static class OutcomeMeasureCodes
{
    /// <summary>718426000 — WEMWBS total score (14–70). Emitted.</summary>
    public static SnomedConcept WemwbsScore => SnomedCatalogue.Get("718426000");

    /// <summary>718466001 — SWEMWBS score (7–35, metric after Rasch conversion). Emitted.</summary>
    public static SnomedConcept SwemwbsScore => SnomedCatalogue.Get("718466001");

    /// <summary>885541000000103 — legacy UK-extension WEMWBS code: accepted inbound, resolves to <see cref="WemwbsScore"/>.</summary>
    public static SnomedConcept WemwbsScoreLegacy => SnomedCatalogue.Get("885541000000103");

    /// <summary>960481000000107 — legacy UK-extension SWEMWBS code: accepted inbound, resolves to <see cref="SwemwbsScore"/>.</summary>
    public static SnomedConcept SwemwbsScoreLegacy => SnomedCatalogue.Get("960481000000107");

    /// <summary>962851000000103 — PAM level (observable entity); single secondary source; configurable.</summary>
    public static SnomedConcept PatientActivationMeasureLevel => SnomedCatalogue.Get("962851000000103");

    public static IReadOnlyList<SnomedConcept> All =>
        [WemwbsScore, SwemwbsScore, WemwbsScoreLegacy, SwemwbsScoreLegacy, PatientActivationMeasureLevel];
}
