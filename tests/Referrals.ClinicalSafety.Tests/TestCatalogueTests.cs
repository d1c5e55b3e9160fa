using Referrals.ClinicalSafety.Tests.Checker;

namespace Referrals.ClinicalSafety.Tests;

public sealed class TestCatalogueTests
{
    private static IReadOnlyList<TestMethod> Scan(string source) => TestCatalogue.ScanSource(source, "Sample.cs");

    [Fact]
    public void Facts_and_theories_are_found_with_their_namespace_class_and_line()
    {
        var tests = Scan("""
            using Xunit;

            namespace Sample.Tests.Timers;

            public sealed class TimerTests
            {
                [Fact]
                public async Task A_timer_fires_once() => await Task.CompletedTask;

                [Theory]
                [InlineData(1)]
                public void Due_times_are_kept(int minutes) { }

                public void Not_a_test() { }
            }
            """);

        Assert.Collection(tests,
            t =>
            {
                Assert.Equal("Sample.Tests.Timers.TimerTests.A_timer_fires_once", t.FullName);
                Assert.False(t.IsTheory);
                Assert.Equal(7, t.Line);
            },
            t =>
            {
                Assert.Equal("Sample.Tests.Timers.TimerTests.Due_times_are_kept", t.FullName);
                Assert.True(t.IsTheory);
            });
    }

    [Fact]
    public void Attributes_with_arguments_qualified_names_and_on_separate_lines_are_found()
    {
        var tests = Scan("""
            namespace Sample;

            public class Shapes
            {
                [Fact(DisplayName = "shown [like] this", Timeout = 1000)]
                public void With_arguments() { }

                [Trait("Category", "Safety")]
                [Fact]
                public void After_another_list() { }

                [Trait("a", "b"), Theory, MemberData(nameof(Data))]
                public void In_one_list_with_others(int x) { }

                [Xunit.Fact]
                public void Qualified() { }

                [global::Xunit.TheoryAttribute]
                [InlineData(2)]
                public void Global_with_suffix(int x) { }

                [
                    Fact
                ]
                public
                    async
                    Task
                    Spread_over_lines
                    (
                    )
                { await Task.Yield(); }

                [Fact]
                public async Task<int> Generic_return_type() => 1;

                [method: Fact]
                public void With_a_target() { }

                [Fact(Skip = "waits for the service")]
                public void Skipped() { }
            }
            """);

        Assert.Equal(
            ["With_arguments", "After_another_list", "In_one_list_with_others", "Qualified", "Global_with_suffix",
                "Spread_over_lines", "Generic_return_type", "With_a_target", "Skipped"],
            tests.Select(t => t.Method));
        Assert.Equal(["Skipped"], tests.Where(t => t.IsSkipped).Select(t => t.Method));
        Assert.Equal(["In_one_list_with_others", "Global_with_suffix"], tests.Where(t => t.IsTheory).Select(t => t.Method));
    }

    [Fact]
    public void Nested_classes_are_recorded_inside_their_outer_class()
    {
        var tests = Scan("""
            namespace Sample;

            public sealed class Outer
            {
                [Fact]
                public void Outer_test() { }

                public sealed class Inner
                {
                    [Fact]
                    public void Inner_test() { }

                    private sealed record Helper(int X);
                }

                [Fact]
                public void After_the_inner_class() { }
            }
            """);

        Assert.Equal(
            ["Sample.Outer.Outer_test", "Sample.Outer.Inner.Inner_test", "Sample.Outer.After_the_inner_class"],
            tests.Select(t => t.FullName));
        var catalogue = TestCatalogue.FromSources(("Sample.cs", """
            namespace Sample;
            public sealed class Outer { public sealed class Inner { [Fact] public void Inner_test() { } } }
            """));
        Assert.Single(catalogue.Resolve(new TestReference("Outer+Inner.Inner_test")));
        Assert.Single(catalogue.Resolve(new TestReference("Outer.Inner.Inner_test")));
        Assert.Single(catalogue.Resolve(new TestReference("Inner.Inner_test")));
        Assert.Single(catalogue.Resolve(new TestReference("Sample.Outer+Inner.Inner_test")));
        Assert.Empty(catalogue.Resolve(new TestReference("Outer.Inner_test")));
    }

    [Fact]
    public void Block_namespaces_nest_and_file_scoped_ones_apply_to_the_whole_file()
    {
        var tests = Scan("""
            namespace Company.Product
            {
                namespace Area.Tests
                {
                    public class A { [Fact] public void One() { } }
                }

                public class B { [Fact] public void Two() { } }
            }

            public class NoNamespace { [Fact] public void Three() { } }
            """);

        Assert.Equal(["Company.Product.Area.Tests.A.One", "Company.Product.B.Two", "NoNamespace.Three"], tests.Select(t => t.FullName));
    }

    [Fact]
    public void Fact_in_comments_strings_and_raw_strings_is_not_a_test()
    {
        var tests = Scan("""""
            namespace Sample;

            public class Texts
            {
                // [Fact]
                // public void Commented_out() { }

                /*
                [Fact]
                public void Block_commented() { }
                */

                private const string Verbatim = @"
                    [Fact]
                    public void In_a_verbatim_string() { }
                ";

                private const string Raw = """
                    class Fake { [Fact] public void In_a_raw_string() { } }
                    """;

                private static string Interpolated(int n) => $$"""
                    {{n}} [Fact] public void In_an_interpolated_raw_string() { {{"}"}} }
                    """;

                private static string Nested(bool b) => $"{(b ? "[Fact]" : "}")} public void In_a_hole() {{ }}";

                private const char Brace = '}';

                private const string Quote = "\"[Fact] public void Escaped() { \"";

                [Fact]
                public void The_only_test() { }
            }
            """"");

        Assert.Equal(["Sample.Texts.The_only_test"], tests.Select(t => t.FullName));
    }

    [Fact]
    public void Attributes_inside_method_bodies_and_array_indexers_are_not_tests()
    {
        var tests = Scan("""
            namespace Sample;

            public class Bodies
            {
                private static readonly string[] Fact = ["x"];

                public void Helper()
                {
                    [Fact] void Local() { }
                    var x = Fact[0];
                }

                public string this[int i] => Fact[i];

                [Fact]
                public void Real() => Helper();
            }
            """);

        Assert.Equal(["Real"], tests.Select(t => t.Method));
    }

    [Fact]
    public void Records_generic_classes_and_primary_constructors_are_classes_like_any_other()
    {
        var tests = Scan("""
            namespace Sample;

            public sealed class Fixture<T> where T : class, new() { }

            public sealed record Row(int Id);

            public sealed class Hosted(Fixture<object> fixture) : IClassFixture<Fixture<object>>
            {
                [Fact]
                public void Uses_the_fixture() => Assert.NotNull(fixture);
            }

            public record class Described
            {
                [Fact]
                public void In_a_record_class() { }
            }
            """);

        Assert.Equal(["Sample.Hosted.Uses_the_fixture", "Sample.Described.In_a_record_class"], tests.Select(t => t.FullName));
    }

    [Fact]
    public void The_catalogue_of_this_repository_finds_this_projects_tests_and_none_of_its_sample_sources()
    {
        var root = RepositoryRoot.Find();
        var catalogue = TestCatalogue.Scan(Path.Combine(root, "tests"), root);

        var own = catalogue.Tests.Where(t => t.File.StartsWith("tests/Referrals.ClinicalSafety.Tests/", StringComparison.Ordinal)).ToList();
        Assert.Contains(own, t => t.FullName == "Referrals.ClinicalSafety.Tests.HazardLogTests.Every_verification_in_the_hazard_log_names_a_test_that_exists");
        Assert.Contains(own, t => t.FullName == "Referrals.ClinicalSafety.Tests.TestCatalogueTests." + nameof(The_catalogue_of_this_repository_finds_this_projects_tests_and_none_of_its_sample_sources));
        Assert.All(own, t => Assert.StartsWith("Referrals.ClinicalSafety.Tests.", t.FullName, StringComparison.Ordinal));
        Assert.DoesNotContain(catalogue.Tests, t => t.File.Contains("/obj/", StringComparison.Ordinal) || t.File.Contains("/bin/", StringComparison.Ordinal));
        Assert.Contains(catalogue.Tests, t => t.File.StartsWith("tests/Referrals.EventStore.Tests/", StringComparison.Ordinal));
    }
}
