using Referrals.Triage.Triaging;

namespace Referrals.Triage.Tests.Triaging;

public sealed class PhraseMatcherTests
{
    private static bool Finds(string text, string phrase) => PhraseMatcher.Contains(PhraseMatcher.Tokenize(text), phrase);

    [Fact]
    public void Apostrophes_punctuation_and_case_do_not_matter() => Assert.True(Finds("He CAN'T go on!!", "cant go on"));

    [Fact]
    public void A_word_misspelt_by_one_letter_matches() => Assert.True(Finds("thoughts of sucide", "suicide"));

    [Fact]
    public void Two_transposed_letters_count_as_one_edit() => Assert.True(Finds("a safegaurding referral", "safeguard*"));

    [Fact]
    public void The_first_letter_must_match_for_a_fuzzy_match() => Assert.False(Finds("the bill arrived", "kill* himself"));

    [Fact]
    public void Short_words_must_match_exactly() => Assert.False(Finds("wants to dye her hair", "want* die"));

    [Fact]
    public void Words_run_together_match_a_phrase() => Assert.True(Finds("selfharm", "self harm*"));

    [Fact]
    public void A_word_split_in_two_matches() => Assert.True(Finds("to hurt him self", "hurt* himself"));

    [Fact]
    public void Up_to_two_words_may_come_between_the_words_of_a_phrase()
    {
        Assert.True(Finds("wants to just die", "want* die"));
        Assert.False(Finds("wants to know why her father had to die so young", "want* die"));
    }

    [Fact]
    public void A_stem_matches_any_ending_and_a_misspelt_beginning()
    {
        Assert.True(Finds("abused", "abus*"));
        Assert.True(Finds("abbused", "abus*"));
        Assert.False(Finds("absent from work", "abus*"));
    }

    [Fact]
    public void Letters_repeated_for_emphasis_are_collapsed() => Assert.True(Finds("sooo tired, wants to diiiie", "want* die"));

    [Fact]
    public void Empty_or_erased_text_finds_nothing()
    {
        Assert.False(Finds("", "suicid*"));
        Assert.Empty(PhraseMatcher.Tokenize(null));
    }
}
