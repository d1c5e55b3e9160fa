using Referrals.Fhir.Terminology;

namespace Referrals.Fhir.Tests;

public sealed class SnomedCodeSetTests
{
    [Fact]
    public void Start_up_validation_of_the_built_in_code_set_passes()
    {
        SnomedCodeSet.ValidateAll();

        Assert.Equal(SnomedCodeSet.Definitions.Count, SnomedCodeSet.AllConcepts.Count);
    }

    [Fact]
    public void Every_concept_carries_a_valid_code_a_term_and_its_source()
    {
        Assert.All(SnomedCodeSet.AllConcepts, c =>
        {
            Assert.True(SnomedCode.TryCreate(c.Code.Value, out _));
            Assert.False(string.IsNullOrWhiteSpace(c.Term));
            Assert.StartsWith("standards.md §1.", c.Source, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void The_national_codes_have_the_terms_and_strengths_of_standards_section_1()
    {
        Assert.Equal("871731000000106", SocialPrescribingCodes.ReferralToSocialPrescribingService.Code.Value);
        Assert.Equal("Referral to social prescribing service", SocialPrescribingCodes.ReferralToSocialPrescribingService.Term);
        Assert.Equal(SourceStrength.NhsEnglandGuidance, SocialPrescribingCodes.ReferralToSocialPrescribingService.Strength);
        Assert.Equal(SourceStrength.NhsEnglandGuidance, SocialPrescribingCodes.SocialPrescribingDeclined.Strength);
        Assert.Equal(SourceStrength.NationalDataset, OutcomeMeasureCodes.SwemwbsScore.Strength);
        Assert.Equal("718466001", OutcomeMeasureCodes.SwemwbsScore.Code.Value);
        Assert.Equal("718426000", OutcomeMeasureCodes.WemwbsScore.Code.Value);
        Assert.Equal(SourceStrength.SingleSecondarySource, SocialPrescribingCodes.SeenBySocialPrescribingLinkWorker.Strength);
        Assert.Equal(SourceStrength.SingleSecondarySource, SocialPrescribingCodes.SocialPrescribingCaseClosed.Strength);
        Assert.Equal(SourceStrength.SingleSecondarySource, OutcomeMeasureCodes.PatientActivationMeasureLevel.Strength);
        Assert.DoesNotContain(SnomedCodeSet.AllConcepts, c => c.Code.Value == "925431000000109"); // term unconfirmed
    }

    [Fact]
    public void Everything_is_enabled_by_default()
    {
        var set = SnomedCodeSet.CreateValidated();

        Assert.All(SnomedCodeSet.AllConcepts, c => Assert.True(set.IsEnabled(c)));
        Assert.DoesNotContain(OutcomeMeasureCodes.WemwbsScoreLegacy, set.Enabled); // inbound only
    }

    [Fact]
    public void Single_secondary_source_codes_can_be_switched_off_together()
    {
        var set = SnomedCodeSet.CreateValidated(new SnomedCodeSetOptions { DisableSingleSecondarySourceCodes = true });

        Assert.False(set.IsEnabled(SocialPrescribingCodes.SeenBySocialPrescribingLinkWorker)); // 1362931000000106
        Assert.False(set.IsEnabled(SocialPrescribingCodes.SocialPrescribingCaseClosed)); // 1362721000000106
        Assert.False(set.IsEnabled(OutcomeMeasureCodes.PatientActivationMeasureLevel)); // 962851000000103
        Assert.True(set.IsEnabled(SocialPrescribingCodes.ReferralToSocialPrescribingService));
        Assert.True(set.IsEnabled(SocialPrescribingCodes.SocialPrescribingOffered));
        Assert.Throws<InvalidOperationException>(() => set.RequireEmittable(SocialPrescribingCodes.SocialPrescribingCaseClosed));
    }

    [Fact]
    public void A_single_configurable_code_can_be_switched_off_by_id()
    {
        var options = new SnomedCodeSetOptions();
        options.DisabledCodes.Add("1362721000000106");

        var set = SnomedCodeSet.CreateValidated(options);

        Assert.False(set.IsEnabled(SocialPrescribingCodes.SocialPrescribingCaseClosed));
        Assert.True(set.IsEnabled(SocialPrescribingCodes.SeenBySocialPrescribingLinkWorker));
    }

    [Theory]
    [InlineData("871731000000106", "cannot be disabled")] // NHS England guidance
    [InlineData("718466001", "cannot be disabled")] // national dataset
    [InlineData("123456789", "not in the code set")]
    public void Options_that_disable_a_strong_or_unknown_code_fail_start_up(string id, string message)
    {
        var options = new SnomedCodeSetOptions();
        options.DisabledCodes.Add(id);

        var ex = Assert.Throws<InvalidOperationException>(() => SnomedCodeSet.ValidateAll(options));

        Assert.Contains(id, ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_of_definitions_throws_naming_the_bad_id()
    {
        SnomedConceptDefinition[] definitions =
        [
            .. SnomedCodeSet.Definitions,
            new("1362931000000100", "Mistyped id", SourceStrength.SingleSecondarySource, "test"),
        ];

        var ex = Assert.Throws<InvalidOperationException>(() => SnomedCodeSet.ValidateDefinitions(definitions));

        Assert.Contains("'1362931000000100'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Verhoeff", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_ids_and_dangling_replacements_are_rejected()
    {
        Assert.Throws<InvalidOperationException>(() => SnomedCodeSet.ValidateDefinitions(
            [new("718426000", "a", SourceStrength.NationalDataset, "t"), new("718426000", "b", SourceStrength.NationalDataset, "t")]));
        Assert.Throws<InvalidOperationException>(() => SnomedCodeSet.ValidateDefinitions(
            [new("885541000000103", "legacy", SourceStrength.NationalDataset, "t", ReplacedBy: "718426000")]));
    }

    [Theory]
    [InlineData("885541000000103", "718426000")] // legacy UK WEMWBS → international
    [InlineData("960481000000107", "718466001")] // legacy UK SWEMWBS → international
    [InlineData("718466001", "718466001")]
    public void Inbound_legacy_WEMWBS_and_SWEMWBS_codes_resolve_to_the_codes_emitted_today(string inbound, string emitted)
    {
        var set = SnomedCodeSet.CreateValidated();

        Assert.True(set.TryResolveInbound(FhirSystems.Snomed, inbound, out var concept, out var error), error);
        Assert.Equal(emitted, concept.Code.Value);
    }

    [Theory]
    [InlineData("http://snomed.info/sct", "718426001", "Verhoeff")]
    [InlineData("http://snomed.info/sct", "306238000", "not in the social prescribing code set")]
    [InlineData("http://loinc.org", "718426000", "not SNOMED CT")]
    public void Inbound_codes_that_are_invalid_unknown_or_from_another_system_are_refused(string system, string code, string reason)
    {
        var set = SnomedCodeSet.CreateValidated();

        Assert.False(set.TryResolveInbound(system, code, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Legacy_codes_are_never_emitted()
    {
        var set = SnomedCodeSet.CreateValidated();

        var ex = Assert.Throws<InvalidOperationException>(() => set.RequireEmittable(OutcomeMeasureCodes.SwemwbsScoreLegacy));

        Assert.Contains("718466001", ex.Message, StringComparison.Ordinal);
    }
}
