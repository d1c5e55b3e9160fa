namespace Referrals.ClinicalSafety.Tests.Checker;

/// <summary>
/// Blanks everything in C# source that is not code: comments, string and character literals (regular, verbatim,
/// interpolated and raw, with the code inside interpolation holes) and preprocessor lines. Every blanked character
/// becomes a space and line breaks are kept, so positions and line numbers stay those of the source and the structure
/// (namespaces, types, attributes, braces) can be found by plain scanning. A <c>[Fact]</c> in a comment or in a string
/// (such as a test's own sample source) is therefore never taken for a test.
/// </summary>
public static class CSharpCode
{
    public static string Blank(string source)
    {
        var scanner = new Scanner(source);
        scanner.Code(closingBraces: 0, blank: false);
        return new string(scanner.Output);
    }

    /// <summary>The 1-based line of a position in the source.</summary>
    public static int LineOf(string text, int position)
    {
        var line = 1;
        for (var i = 0; i < position && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }

    private sealed class Scanner(string source)
    {
        private int _i;

        public char[] Output { get; } = source.ToCharArray();

        private char At(int offset) => _i + offset < source.Length ? source[_i + offset] : '\0';

        private void BlankChar(int index)
        {
            if (index < Output.Length && Output[index] != '\n' && Output[index] != '\r')
            {
                Output[index] = ' ';
            }
        }

        private void Skip(int count, bool blank)
        {
            for (var k = 0; k < count && _i < source.Length; k++, _i++)
            {
                if (blank)
                {
                    BlankChar(_i);
                }
            }
        }

        /// <summary>
        /// Scans code. With <paramref name="closingBraces"/> &gt; 0 this is an interpolation hole: it ends at a closing
        /// brace at depth zero, consuming that many braces (one for <c>$"…"</c>, n for a raw string with n dollars).
        /// </summary>
        public void Code(int closingBraces, bool blank)
        {
            var depth = 0;
            var atLineStart = true;
            while (_i < source.Length)
            {
                var c = source[_i];
                if (c == '\n')
                {
                    atLineStart = true;
                    _i++;
                    continue;
                }

                if (atLineStart && c == '#' && closingBraces == 0)
                {
                    while (_i < source.Length && source[_i] != '\n')
                    {
                        Skip(1, blank: true);
                    }

                    continue;
                }

                if (!char.IsWhiteSpace(c))
                {
                    atLineStart = false;
                }

                if (c == '/' && At(1) == '/')
                {
                    while (_i < source.Length && source[_i] != '\n')
                    {
                        Skip(1, blank: true);
                    }

                    continue;
                }

                if (c == '/' && At(1) == '*')
                {
                    Skip(2, blank: true);
                    while (_i < source.Length && !(source[_i] == '*' && At(1) == '/'))
                    {
                        Skip(1, blank: true);
                    }

                    Skip(2, blank: true);
                    continue;
                }

                if (c == '\'')
                {
                    CharLiteral();
                    continue;
                }

                if (TryString())
                {
                    continue;
                }

                if (closingBraces > 0)
                {
                    if (c == '{')
                    {
                        depth++;
                    }
                    else if (c == '}')
                    {
                        if (depth == 0)
                        {
                            for (var k = 0; k < closingBraces && At(0) == '}'; k++)
                            {
                                Skip(1, blank);
                            }

                            return;
                        }

                        depth--;
                    }
                }

                Skip(1, blank);
            }
        }

        private void CharLiteral()
        {
            Skip(1, blank: true);
            while (_i < source.Length && source[_i] != '\'' && source[_i] != '\n')
            {
                Skip(source[_i] == '\\' ? 2 : 1, blank: true);
            }

            Skip(1, blank: true);
        }

        /// <summary>A string literal at the current position, with any prefix of <c>$</c> and <c>@</c>.</summary>
        private bool TryString()
        {
            var k = 0;
            var dollars = 0;
            var verbatim = false;
            while (At(k) is '$' or '@')
            {
                if (At(k) == '$')
                {
                    dollars++;
                }
                else
                {
                    verbatim = true;
                }

                k++;
            }

            if (At(k) != '"')
            {
                return false;
            }

            // An identifier character just before a bare quote would be odd C#; a prefix never follows one.
            if (k > 0 && _i > 0 && (char.IsLetterOrDigit(source[_i - 1]) || source[_i - 1] == '_'))
            {
                return false;
            }

            Skip(k, blank: true);
            var quotes = 0;
            while (At(quotes) == '"')
            {
                quotes++;
            }

            if (quotes >= 3)
            {
                RawString(quotes, dollars);
            }
            else if (quotes == 2)
            {
                Skip(2, blank: true); // ""
            }
            else
            {
                QuotedString(dollars > 0, verbatim);
            }

            return true;
        }

        private void QuotedString(bool interpolated, bool verbatim)
        {
            Skip(1, blank: true);
            while (_i < source.Length)
            {
                var c = source[_i];
                if (!verbatim && c == '\\')
                {
                    Skip(2, blank: true);
                }
                else if (c == '"' && verbatim && At(1) == '"')
                {
                    Skip(2, blank: true);
                }
                else if (c == '"')
                {
                    Skip(1, blank: true);
                    return;
                }
                else if (!verbatim && c == '\n')
                {
                    return; // unterminated: stop at the line's end rather than swallow the file
                }
                else if (interpolated && c == '{' && At(1) == '{')
                {
                    Skip(2, blank: true);
                }
                else if (interpolated && c == '{')
                {
                    Skip(1, blank: true);
                    Code(closingBraces: 1, blank: true);
                }
                else
                {
                    Skip(1, blank: true);
                }
            }
        }

        private void RawString(int quotes, int dollars)
        {
            Skip(quotes, blank: true);
            while (_i < source.Length)
            {
                var c = source[_i];
                if (c == '"')
                {
                    var run = 0;
                    while (At(run) == '"')
                    {
                        run++;
                    }

                    Skip(run, blank: true);
                    if (run >= quotes)
                    {
                        return;
                    }
                }
                else if (dollars > 0 && c == '{')
                {
                    var run = 0;
                    while (At(run) == '{')
                    {
                        run++;
                    }

                    Skip(run, blank: true);
                    if (run >= dollars)
                    {
                        Code(closingBraces: dollars, blank: true);
                    }
                }
                else
                {
                    Skip(1, blank: true);
                }
            }
        }
    }
}
