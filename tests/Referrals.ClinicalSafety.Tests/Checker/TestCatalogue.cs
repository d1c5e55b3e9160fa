using System.Text.RegularExpressions;

namespace Referrals.ClinicalSafety.Tests.Checker;

/// <summary>A test method found in source: an xunit <c>[Fact]</c> or <c>[Theory]</c>.</summary>
public sealed record TestMethod(
    string Namespace,
    IReadOnlyList<string> Classes,
    string Method,
    bool IsTheory,
    bool IsSkipped,
    string File,
    int Line)
{
    /// <summary>Namespace, enclosing classes (outermost first) and method, joined by dots.</summary>
    public string FullName =>
        string.Join('.', new[] { Namespace }.Concat(Classes).Append(Method).Where(s => s.Length > 0));

    /// <summary>The innermost class and the method: the short form the hazard log normally uses.</summary>
    public string ShortName => $"{Classes[^1]}.{Method}";

    public IReadOnlyList<string> Segments => FullName.Split('.');

    public override string ToString() => $"{FullName} ({File}:{Line})";
}

/// <summary>
/// Every xunit test method in a source tree, found by reading <c>*.cs</c> files: no compiled assemblies are needed,
/// so the hazard log can be checked before (and without) building the services. A method is a test when an attribute
/// list directly on it (in any order, on any line, with or without arguments) names <c>Fact</c> or <c>Theory</c>,
/// bare, qualified (<c>Xunit.Fact</c>) or with the <c>Attribute</c> suffix. <c>Skip = …</c> marks it skipped.
/// Folders named <c>bin</c> and <c>obj</c> are ignored.
/// </summary>
/// <remarks>
/// Limits, none of which the suite uses: custom attributes derived from <c>FactAttribute</c> are not recognised;
/// code inside <c>#if</c> blocks counts whatever the condition; tests inherited from an abstract base class are listed
/// under the base class.
/// </remarks>
public sealed partial class TestCatalogue
{
    private static readonly HashSet<string> TestAttributes = new(StringComparer.Ordinal)
    {
        "Fact", "FactAttribute", "Theory", "TheoryAttribute",
    };

    private static readonly HashSet<string> NotTypeNames = new(StringComparer.Ordinal) { "where", "new" };

    private TestCatalogue(IReadOnlyList<TestMethod> tests) => Tests = tests;

    public IReadOnlyList<TestMethod> Tests { get; }

    /// <summary>Scans every <c>*.cs</c> file under <paramref name="testsDirectory"/>.</summary>
    public static TestCatalogue Scan(string testsDirectory, string? pathsRelativeTo = null)
    {
        var relativeTo = pathsRelativeTo ?? testsDirectory;
        var tests = new List<TestMethod>();
        if (Directory.Exists(testsDirectory))
        {
            foreach (var file in Directory.EnumerateFiles(testsDirectory, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(relativeTo, file).Replace('\\', '/');
                if (relative.Split('/').Any(part => part is "bin" or "obj"))
                {
                    continue;
                }

                tests.AddRange(ScanSource(File.ReadAllText(file), relative));
            }
        }

        return new TestCatalogue(tests);
    }

    public static TestCatalogue FromSources(params (string File, string Source)[] files) =>
        new(files.SelectMany(f => ScanSource(f.Source, f.File)).ToList());

    /// <summary>The tests a reference names: the reference's dot-separated segments end the test's full name.</summary>
    public IReadOnlyList<TestMethod> Resolve(TestReference reference) =>
        Tests.Where(t => EndsWith(t.Segments, reference.Segments)).ToList();

    private static bool EndsWith(IReadOnlyList<string> whole, IReadOnlyList<string> suffix)
    {
        if (suffix.Count > whole.Count)
        {
            return false;
        }

        for (var k = 1; k <= suffix.Count; k++)
        {
            if (!string.Equals(whole[^k], suffix[^k], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public static IReadOnlyList<TestMethod> ScanSource(string source, string file)
    {
        var code = CSharpCode.Blank(source);
        var depths = BraceDepths(code);
        var namespaces = FindNamespaces(code);
        var types = FindTypes(code, depths);
        var tests = new List<TestMethod>();

        for (var p = 0; p < code.Length; p++)
        {
            if (code[p] != '[' || !AtMemberStart(code, p))
            {
                continue;
            }

            // Only attribute lists that sit directly in a type's body (not inside a method) can mark a test.
            var owner = types.Where(t => t.BodyStart < p && p < t.BodyEnd).MaxBy(t => t.BodyStart);
            if (owner is null || depths[p] != owner.BodyDepth)
            {
                continue;
            }

            var end = MatchingClose(code, p, '[', ']');
            if (end < 0)
            {
                break;
            }

            var attributes = ParseAttributeList(code[(p + 1)..end]);
            var test = attributes.FirstOrDefault(a => TestAttributes.Contains(a.Name));
            if (test.Name is null)
            {
                continue;
            }

            var skipped = attributes.Any(a => TestAttributes.Contains(a.Name) && SkipArgument().IsMatch(a.Arguments));
            var method = MethodNameAfter(code, end + 1);
            if (method is null)
            {
                continue;
            }

            var classes = types.Where(t => t.BodyStart < p && p < t.BodyEnd).OrderBy(t => t.BodyStart).Select(t => t.Name).ToList();
            var ns = string.Join('.', namespaces.Where(n => n.Start <= p && p < n.End).OrderBy(n => n.Start).Select(n => n.Name));
            tests.Add(new TestMethod(ns, classes, method, test.Name.StartsWith("Theory", StringComparison.Ordinal), skipped, file,
                CSharpCode.LineOf(source, p)));
            p = end;
        }

        return tests;
    }

    private sealed record TypeSpan(string Name, int BodyStart, int BodyEnd, int BodyDepth);

    private sealed record NamespaceSpan(string Name, int Start, int End);

    private readonly record struct AttributeUse(string Name, string Arguments);

    /// <summary>depths[i] = the number of braces open before position i.</summary>
    private static int[] BraceDepths(string code)
    {
        var depths = new int[code.Length + 1];
        var depth = 0;
        for (var i = 0; i < code.Length; i++)
        {
            depths[i] = depth;
            if (code[i] == '{')
            {
                depth++;
            }
            else if (code[i] == '}')
            {
                depth--;
            }
        }

        depths[code.Length] = depth;
        return depths;
    }

    private static List<NamespaceSpan> FindNamespaces(string code)
    {
        var spans = new List<NamespaceSpan>();
        foreach (Match m in NamespaceDeclaration().Matches(code))
        {
            var name = m.Groups["name"].Value;
            if (m.Groups["end"].Value == ";")
            {
                spans.Add(new NamespaceSpan(name, m.Index, code.Length));
            }
            else
            {
                var open = m.Groups["end"].Index;
                var close = MatchingClose(code, open, '{', '}');
                spans.Add(new NamespaceSpan(name, open, close < 0 ? code.Length : close));
            }
        }

        return spans;
    }

    private static List<TypeSpan> FindTypes(string code, int[] depths)
    {
        var types = new List<TypeSpan>();
        foreach (Match m in TypeDeclaration().Matches(code))
        {
            var name = m.Groups["name"].Value.TrimStart('@');
            if (NotTypeNames.Contains(name))
            {
                continue;
            }

            // The body is the first '{' outside parentheses and brackets; a ';' first means there is none.
            var parens = 0;
            for (var i = m.Index + m.Length; i < code.Length; i++)
            {
                var c = code[i];
                if (c is '(' or '[')
                {
                    parens++;
                }
                else if (c is ')' or ']')
                {
                    parens--;
                }
                else if (parens == 0 && c == ';')
                {
                    break;
                }
                else if (parens == 0 && c == '{')
                {
                    var close = MatchingClose(code, i, '{', '}');
                    types.Add(new TypeSpan(name, i, close < 0 ? code.Length : close, depths[i] + 1));
                    break;
                }
            }
        }

        return types;
    }

    /// <summary>A '[' that begins a member's attribute list follows '{', '}', ';' or another list's ']'.</summary>
    private static bool AtMemberStart(string code, int position)
    {
        for (var i = position - 1; i >= 0; i--)
        {
            if (!char.IsWhiteSpace(code[i]))
            {
                return code[i] is '{' or '}' or ';' or ']';
            }
        }

        return true;
    }

    private static int MatchingClose(string code, int open, char opening, char closing)
    {
        var depth = 0;
        for (var i = open; i < code.Length; i++)
        {
            if (code[i] == opening)
            {
                depth++;
            }
            else if (code[i] == closing && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Splits "method: Fact(Skip = …), Trait(…)" into attribute names (last segment) and argument text.</summary>
    private static List<AttributeUse> ParseAttributeList(string content)
    {
        var uses = new List<AttributeUse>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= content.Length; i++)
        {
            var c = i < content.Length ? content[i] : ',';
            if (c is '(' or '[' or '{')
            {
                depth++;
            }
            else if (c is ')' or ']' or '}')
            {
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                var part = content[start..i];
                start = i + 1;
                var m = AttributeUsePattern().Match(part);
                if (m.Success)
                {
                    var name = m.Groups["name"].Value;
                    uses.Add(new AttributeUse(name[(name.LastIndexOfAny([':', '.']) + 1)..], part[(m.Index + m.Length)..]));
                }
            }
        }

        return uses;
    }

    /// <summary>
    /// The method declared after the attribute lists that end at <paramref name="from"/>: the last identifier outside
    /// generic brackets before the parameter list's '('. Null when the member is not a method.
    /// </summary>
    private static string? MethodNameAfter(string code, int from)
    {
        var i = from;
        while (true)
        {
            while (i < code.Length && char.IsWhiteSpace(code[i]))
            {
                i++;
            }

            if (i < code.Length && code[i] == '[')
            {
                var close = MatchingClose(code, i, '[', ']');
                if (close < 0)
                {
                    return null;
                }

                i = close + 1;
                continue;
            }

            break;
        }

        string? last = null;
        var angles = 0;
        while (i < code.Length)
        {
            var c = code[i];
            if (c == '<')
            {
                angles++;
            }
            else if (c == '>')
            {
                angles--;
            }
            else if (c == '(')
            {
                return angles == 0 ? last : null;
            }
            else if (c is '{' or ';' or '=')
            {
                return null;
            }
            else if (char.IsLetter(c) || c is '_' or '@')
            {
                var start = i;
                while (i + 1 < code.Length && (char.IsLetterOrDigit(code[i + 1]) || code[i + 1] == '_'))
                {
                    i++;
                }

                if (angles == 0)
                {
                    last = code[start..(i + 1)].TrimStart('@');
                }
            }

            i++;
        }

        return null;
    }

    [GeneratedRegex(@"\bnamespace\s+(?<name>[A-Za-z_][\w.]*)\s*(?<end>[;{])")]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"\b(?:class|struct|interface|record(?:\s+(?:class|struct))?)\s+(?<name>@?[A-Za-z_]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"^\s*(?:[A-Za-z_]\w*\s*:(?!:)\s*)?(?<name>(?:global::)?[A-Za-z_][\w.]*)")]
    private static partial Regex AttributeUsePattern();

    [GeneratedRegex(@"\bSkip\s*=")]
    private static partial Regex SkipArgument();
}
