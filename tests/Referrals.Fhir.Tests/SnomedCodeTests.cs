using Referrals.Fhir.Terminology;

namespace Referrals.Fhir.Tests;

public sealed class SnomedCodeTests
{
    /// <summary>Every id listed in standards.md §1.1–§1.3 (including related and pharmacy document codes) with a PASS.</summary>
    public static TheoryData<string> ListedIds =>
    [
        "871731000000106", "871711000000103", "871691000000100", "1362931000000106", "1362721000000106", "1084281000000109",
        "515721000000104", "1078371000000100", "276221000000100", "1156338001", "306238000", "718426000", "718466001",
        "885541000000103", "960481000000107", "962851000000103", "925431000000109", "1035681000000101",
        "1659111000000107", "1659121000000101", "1577041000000109", "1577321000000100",
    ];

    [Theory]
    [MemberData(nameof(ListedIds))]
    public void Every_listed_id_is_a_valid_concept_id(string id)
    {
        Assert.True(SnomedCode.TryCreate(id, out var code, out var error), error);
        Assert.Equal(id, code.Value);
    }

    [Theory]
    [InlineData("871731000000107")] // last digit changed
    [InlineData("871731000000105")]
    [InlineData("718426001")]
    [InlineData("1035681000000100")] // float64-truncated MHSDS id (standards.md §1.3)
    public void An_id_with_a_wrong_check_digit_is_rejected(string id)
    {
        Assert.False(SnomedCode.TryCreate(id, out _, out var error));
        Assert.Contains("Verhoeff", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Swapping_two_adjacent_digits_is_detected()
    {
        Assert.False(SnomedCode.TryCreate("817731000000106", out _));
        Assert.False(SnomedCode.TryCreate("871713000000106", out _));
    }

    [Theory]
    [InlineData("7184201", "01")] // description partition
    [InlineData("7184202", "02")] // relationship partition
    [InlineData("87173100000011", "11")] // extension description partition
    public void An_id_outside_the_concept_partitions_is_rejected(string payloadWithPartition, string partition)
    {
        // A correct check digit, so only the partition can fail.
        var id = payloadWithPartition + Verhoeff.ComputeCheckDigit(payloadWithPartition);
        Assert.True(Verhoeff.IsValid(id));

        Assert.False(SnomedCode.TryCreate(id, out _, out var error));
        Assert.Contains($"partition '{partition}'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("12345", "6 to 18")]
    [InlineData("1234567890123456789", "6 to 18")]
    [InlineData("0718426000", "starts with 0")]
    [InlineData("71842600O", "not a digit")]
    [InlineData("718 426000", "not a digit")]
    [InlineData(" 718426000", "not a digit")]
    public void Malformed_ids_are_rejected_with_the_reason(string id, string reason)
    {
        Assert.False(SnomedCode.TryCreate(id, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_throws_naming_the_bad_id()
    {
        var ex = Assert.Throws<ArgumentException>(() => SnomedCode.Create("871731000000107"));

        Assert.Contains("871731000000107", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_permutation_rows_are_built_by_composition_and_row_2_is_the_correct_one()
    {
        var rows = Verhoeff.Permutations;

        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], rows[0]);
        Assert.Equal([1, 5, 7, 6, 2, 8, 3, 0, 9, 4], rows[1]);
        Assert.Equal([5, 8, 0, 3, 7, 9, 6, 1, 4, 2], rows[2]);
        for (var i = 2; i < 8; i++)
        {
            Assert.Equal(rows[i - 1].Select(x => rows[1][x]), rows[i]);
        }

        Assert.Equal(rows[0], rows[7].Select(x => rows[1][x])); // the cycle closes after 8
    }

    [Fact]
    public void The_multiplication_table_is_the_dihedral_group_D5()
    {
        var d = Verhoeff.Multiplication;

        for (var j = 0; j < 10; j++)
        {
            Assert.Equal(j, d[0, j]);
            Assert.Equal(j, d[j, 0]);
            Assert.Equal(10, Enumerable.Range(0, 10).Select(k => d[j, k]).Distinct().Count()); // each row a permutation
            for (var k = 0; k < 10; k++)
            {
                for (var m = 0; m < 10; m++)
                {
                    Assert.Equal(d[d[j, k], m], d[j, d[k, m]]); // associative
                }
            }
        }

        Assert.NotEqual(d[1, 5], d[5, 1]); // not commutative: why Verhoeff catches transpositions
    }

    [Theory]
    [InlineData("1084281000000109")] // digit 8 before the UK namespace 1000000
    [InlineData("960481000000107")] // 8
    [InlineData("871691000000100")] // 9
    [InlineData("1078371000000100")] // 7
    public void UK_extension_ids_that_the_known_bad_row_2_table_rejects_pass_here(string id)
    {
        var badTable = Verhoeff.BuildPermutations([1, 5, 7, 6, 2, 8, 3, 0, 9, 4]);
        badTable[2] = [5, 8, 0, 3, 7, 9, 6, 2, 1, 4]; // the widely copied typo

        Assert.False(Verhoeff.IsValid(id, badTable));
        Assert.True(Verhoeff.IsValid(id));
        Assert.True(SnomedCode.TryCreate(id, out var code));
        Assert.Equal("1000000", code.Namespace);
    }

    [Fact]
    public void Computed_check_digits_validate()
    {
        foreach (var payload in new[] { "87173100000010", "71842600", "123456789012345" })
        {
            Assert.True(Verhoeff.IsValid(payload + Verhoeff.ComputeCheckDigit(payload)));
        }
    }

    [Fact]
    public void Codes_are_values_with_partition_and_namespace()
    {
        var core = SnomedCode.Create("718426000");
        var uk = SnomedCode.Create("871731000000106");

        Assert.Equal(SnomedCode.Create("718426000"), core);
        Assert.False(core.IsExtension);
        Assert.Null(core.Namespace);
        Assert.True(uk.IsExtension);
        Assert.Equal("1000000", uk.Namespace);
        Assert.Equal("http://snomed.info/sct", uk.ToCoding().System);
    }
}
