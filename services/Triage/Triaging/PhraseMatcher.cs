using System.Collections.Concurrent;
using System.Text;

namespace Referrals.Triage.Triaging;

/// <summary>
/// Finds configured phrases in free text, tolerating what referrers actually type: misspellings (one edit in words of four
/// or more letters, two in long words; the first letter must match), words run together or split ("selfharm",
/// "him self"), apostrophes dropped ("cant"), and up to <see cref="MaxGap"/> words between the words of a phrase
/// ("wants to just die"). It errs towards matching: a false alarm is acceptable, a miss is not.
/// </summary>
public static class PhraseMatcher
{
    /// <summary>Words allowed between two consecutive words of a phrase.</summary>
    public const int MaxGap = 2;

    private static readonly ConcurrentDictionary<string, CompiledPhrase> Compiled = new(StringComparer.Ordinal);

    /// <summary>Lower-case words of the text with punctuation removed and apostrophes dropped.</summary>
    public static TokenizedText Tokenize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return TokenizedText.Empty;
        }

        var tokens = new List<string>();
        var current = new StringBuilder();
        foreach (var raw in text)
        {
            var c = char.ToLowerInvariant(raw);
            if (c is '\'' or '\u2019' or '\u2018' or '`')
            {
                continue; // "can't" -> "cant", "she's" -> "shes"
            }

            if (char.IsLetterOrDigit(c))
            {
                // Collapse letters repeated three or more times ("sooooo" -> "soo").
                if (current.Length >= 2 && current[^1] == c && current[^2] == c)
                {
                    continue;
                }

                current.Append(c);
            }
            else if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return new TokenizedText(tokens);
    }

    public static CompiledPhrase Compile(string phrase) => Compiled.GetOrAdd(phrase, CompiledPhrase.Parse);

    /// <summary>True when the phrase occurs in the text.</summary>
    public static bool Contains(TokenizedText tokens, string phrase)
    {
        var compiled = Compile(phrase);
        if (compiled.Words.Count == 0 || tokens.Count == 0)
        {
            return false;
        }

        for (var start = 0; start < tokens.Count; start++)
        {
            if (MatchFrom(tokens, start, compiled, 0, first: true))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchFrom(TokenizedText tokens, int position, CompiledPhrase phrase, int word, bool first)
    {
        if (word == phrase.Words.Count)
        {
            return true;
        }

        var last = first ? position : Math.Min(tokens.Count - 1, position + MaxGap);
        for (var at = position; at <= last && at < tokens.Count; at++)
        {
            var alternatives = phrase.Words[word];

            // One text word for one phrase word.
            if (AnyMatches(alternatives, tokens[at], tokens.Squashed(at)) && MatchFrom(tokens, at + 1, phrase, word + 1, first: false))
            {
                return true;
            }

            // Two text words run together for one phrase word ("him self" for "himself", "any more" for "anymore").
            if (at + 1 < tokens.Count)
            {
                if (AnyMatches(alternatives, tokens.JoinedWithNext(at), tokens.SquashedJoinedWithNext(at)) &&
                    MatchFrom(tokens, at + 2, phrase, word + 1, first: false))
                {
                    return true;
                }
            }

            // One text word for two phrase words ("selfharm" for "self harm*").
            if (word + 1 < phrase.Words.Count &&
                AnyMatches(phrase.JoinedWith(word), tokens[at], tokens.Squashed(at)) &&
                MatchFrom(tokens, at + 1, phrase, word + 2, first: false))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyMatches(IReadOnlyList<PhraseWord> alternatives, string token, string squashed)
    {
        for (var i = 0; i < alternatives.Count; i++)
        {
            if (alternatives[i].Matches(token, squashed))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions), stopping early past <paramref name="limit"/>.</summary>
    internal static int Distance(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit || b.Length > 64)
        {
            return limit + 1;
        }

        Span<int> rows = stackalloc int[3 * (b.Length + 1)];
        var previousPrevious = rows[..(b.Length + 1)];
        var previous = rows.Slice(b.Length + 1, b.Length + 1);
        var current = rows.Slice(2 * (b.Length + 1), b.Length + 1);
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMinimum = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previousPrevious[j - 2] + 1);
                }

                current[j] = value;
                rowMinimum = Math.Min(rowMinimum, value);
            }

            if (rowMinimum > limit)
            {
                return limit + 1;
            }

            var recycled = previousPrevious;
            previousPrevious = previous;
            previous = current;
            current = recycled;
        }

        return previous[b.Length];
    }
}

/// <summary>The words of a text, with each pair of neighbours run together prepared once.</summary>
public sealed class TokenizedText : IReadOnlyList<string>
{
    public static readonly TokenizedText Empty = new([]);

    private readonly List<string> _tokens;
    private readonly string[] _squashed;
    private readonly string[] _joined;
    private readonly string[] _joinedSquashed;

    public TokenizedText(List<string> tokens)
    {
        _tokens = tokens;
        _squashed = tokens.Select(PhraseWord.Squash).ToArray();
        _joined = new string[Math.Max(0, tokens.Count - 1)];
        _joinedSquashed = new string[_joined.Length];
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            _joined[i] = tokens[i] + tokens[i + 1];
            _joinedSquashed[i] = PhraseWord.Squash(_joined[i]);
        }
    }

    public string Squashed(int index) => _squashed[index];

    public string SquashedJoinedWithNext(int index) => _joinedSquashed[index];

    public int Count => _tokens.Count;

    public string this[int index] => _tokens[index];

    public string JoinedWithNext(int index) => _joined[index];

    public IEnumerator<string> GetEnumerator() => _tokens.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>One alternative of a phrase word: a whole word, or a stem (written with a trailing <c>*</c>).</summary>
public sealed record PhraseWord(string Text, bool IsStem)
{
    private int Tolerance => Text.Length switch
    {
        <= 3 => 0,
        >= 9 => 2,
        _ => 1,
    };

    private readonly string _squashed = Squash(Text);

    public bool Matches(string token) => Matches(token, Squash(token));

    /// <summary>Matches a token whose doubled letters were already collapsed (<paramref name="squashed"/>).</summary>
    public bool Matches(string token, string squashed)
    {
        if (IsStem ? token.StartsWith(Text, StringComparison.Ordinal) : token == Text)
        {
            return true;
        }

        // Every looser match keeps the first letter: a cheap test that rules out almost every pair.
        if (token.Length == 0 || token[0] != Text[0])
        {
            return false;
        }

        // Doubled letters added or dropped ("diie", "kil", "harrm") match even in short words.
        if (IsStem ? squashed.StartsWith(_squashed, StringComparison.Ordinal) && _squashed.Length >= 3 : squashed == _squashed)
        {
            return true;
        }

        var tolerance = Tolerance;
        if (tolerance == 0)
        {
            return false;
        }

        if (!IsStem)
        {
            return PhraseMatcher.Distance(token, Text, tolerance) <= tolerance;
        }

        // A misspelt stem: compare the stem with the token's beginning, allowing the beginning to be one letter shorter
        // (a dropped letter) or longer (an extra one). Short stems only allow the longer beginning, so "abus*" does not
        // take "absent".
        var shortest = Text.Length >= 6 ? Text.Length - 1 : Text.Length;
        for (var length = shortest; length <= Text.Length + 1 && length <= token.Length; length++)
        {
            if (PhraseMatcher.Distance(token.AsSpan(0, length), Text, tolerance) <= tolerance)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The word with runs of a repeated letter collapsed to one ("harrm" -> "harm").</summary>
    public static string Squash(string value)
    {
        if (value.Length < 2)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (builder.Length == 0 || builder[^1] != c)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}

/// <summary>A phrase parsed once: its words, each with alternatives.</summary>
public sealed class CompiledPhrase
{
    private readonly Dictionary<int, IReadOnlyList<PhraseWord>> _joined = [];

    private CompiledPhrase(IReadOnlyList<IReadOnlyList<PhraseWord>> words)
    {
        Words = words;
        for (var i = 0; i + 1 < words.Count; i++)
        {
            // Whole-word alternatives of word i run into every alternative of word i+1 ("self" + "harm*" -> "selfharm*").
            _joined[i] = words[i].Where(w => !w.IsStem)
                .SelectMany(w => words[i + 1].Select(next => new PhraseWord(w.Text + next.Text, next.IsStem)))
                .ToList();
        }
    }

    public IReadOnlyList<IReadOnlyList<PhraseWord>> Words { get; }

    public IReadOnlyList<PhraseWord> JoinedWith(int word) => _joined.GetValueOrDefault(word) ?? [];

    public static CompiledPhrase Parse(string phrase) =>
        new(phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(word => (IReadOnlyList<PhraseWord>)word.Split('|', StringSplitOptions.RemoveEmptyEntries)
                .Select(alternative =>
                {
                    var stem = alternative.EndsWith('*');
                    var text = string.Concat(PhraseMatcher.Tokenize(stem ? alternative[..^1] : alternative));
                    return new PhraseWord(text, stem);
                })
                .Where(w => w.Text.Length > 0)
                .ToList())
            .Where(alternatives => alternatives.Count > 0)
            .ToList());
}
