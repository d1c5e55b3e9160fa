namespace Referrals.Fhir.Terminology;

/// <summary>
/// The Verhoeff check-digit scheme used by SNOMED CT identifiers.
/// <para>
/// Nothing here is a typed-out table. The multiplication table is the dihedral group D5 (elements 0–4 are rotations,
/// 5–9 reflections), computed from its definition. The permutation rows are built by composition from the base
/// permutation <c>p1 = (1 5 7 6 2 8 3 0 9 4)</c>: row <c>i</c> is <c>p1 ∘ row(i−1)</c>, row 0 the identity. A widely copied
/// typed table has row 2 wrong (<c>5 8 0 3 7 9 6 2 1 4</c> instead of <c>5 8 0 3 7 9 6 1 4 2</c>), which wrongly fails
/// about a quarter of UK-extension IDs; composing the rows cannot make that mistake.
/// </para>
/// </summary>
public static class Verhoeff
{
    private static readonly int[] s_basePermutation = [1, 5, 7, 6, 2, 8, 3, 0, 9, 4];

    /// <summary>d(j, k): the group operation of D5.</summary>
    internal static int[,] Multiplication { get; } = BuildMultiplication();

    /// <summary>p[i][x] for i = 0..7 (the permutation cycle has length 8).</summary>
    internal static int[][] Permutations { get; } = BuildPermutations(s_basePermutation);

    /// <summary>True when the last digit of <paramref name="digits"/> is its correct Verhoeff check digit.</summary>
    public static bool IsValid(ReadOnlySpan<char> digits) => IsValid(digits, Permutations);

    /// <summary>The check digit to append to <paramref name="payload"/>.</summary>
    public static char ComputeCheckDigit(ReadOnlySpan<char> payload)
    {
        var c = 0;
        for (var i = 0; i < payload.Length; i++)
        {
            var digit = payload[payload.Length - 1 - i] - '0';
            if (digit is < 0 or > 9)
            {
                throw new ArgumentException("Only digits 0-9 are allowed.", nameof(payload));
            }

            c = Multiplication[c, Permutations[(i + 1) % 8][digit]];
        }

        return (char)('0' + Inverse(c));
    }

    /// <summary>Verhoeff check with a given permutation table (exposed for tests that compare tables).</summary>
    internal static bool IsValid(ReadOnlySpan<char> digits, int[][] permutations)
    {
        if (digits.IsEmpty)
        {
            return false;
        }

        var c = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i] - '0';
            if (digit is < 0 or > 9)
            {
                return false;
            }

            c = Multiplication[c, permutations[i % 8][digit]];
        }

        return c == 0;
    }

    internal static int[][] BuildPermutations(int[] basePermutation)
    {
        var rows = new int[8][];
        rows[0] = [.. Enumerable.Range(0, 10)];
        for (var i = 1; i < 8; i++)
        {
            var previous = rows[i - 1];
            rows[i] = [.. previous.Select(x => basePermutation[x])];
        }

        return rows;
    }

    private static int[,] BuildMultiplication()
    {
        // D5 as {r^a} ∪ {s·r^a}: j, k < 5 are rotations r^j; j, k >= 5 are reflections.
        var d = new int[10, 10];
        for (var j = 0; j < 10; j++)
        {
            for (var k = 0; k < 10; k++)
            {
                d[j, k] = (j < 5, k < 5) switch
                {
                    (true, true) => (j + k) % 5,
                    (true, false) => 5 + ((j + k) % 5),
                    (false, true) => 5 + ((j - k + 5) % 5),
                    (false, false) => (j - k + 5) % 5,
                };
            }
        }

        return d;
    }

    private static int Inverse(int j)
    {
        for (var k = 0; k < 10; k++)
        {
            if (Multiplication[j, k] == 0)
            {
                return k;
            }
        }

        throw new InvalidOperationException("D5 has an inverse for every element.");
    }
}
