// Reading a message once: words with spans, commands about the last answer, clauses around a
// title, content words without titles and stop words, phrase matching.
#include "recommend/message.h"

#include <gtest/gtest.h>

#include <tuple>

#include "text/nfkc.h"

namespace cinerag {
namespace {

TEST(Message, WordsKeepTheirSpansAndCase) {
  const std::string text = "I loved Spider-Man. the end";
  const std::vector<Word> w = split_words(text);
  ASSERT_EQ(w.size(), 6u);
  EXPECT_EQ(w[2].folded, "spider");
  EXPECT_EQ(w[3].folded, "man");
  EXPECT_EQ(text.substr(w[2].begin, w[2].end - w[2].begin), "Spider-Man");
  EXPECT_TRUE(w[2].capitalised);
  EXPECT_FALSE(w[2].sentence_start);
  EXPECT_TRUE(w[4].sentence_start);  // after the full stop
  EXPECT_TRUE(split_words("").empty());
  EXPECT_TRUE(split_words("!!! ...").empty());
}

TEST(Message, ReadOnceWithScriptAndCommands) {
  Message m = read_message("More like the SECOND one, please");
  EXPECT_EQ(m.folded, "more like the second one please");
  EXPECT_TRUE(m.commands.more_like);
  EXPECT_EQ(m.commands.ordinal, 1);
  EXPECT_FALSE(m.hangul);
  m = read_message("그거 말고 다른 거");
  EXPECT_TRUE(m.hangul);
  EXPECT_TRUE(m.commands.not_that);
  m = read_message("I've already seen it");
  EXPECT_TRUE(m.commands.seen_it);
  EXPECT_EQ(m.commands.ordinal, -1);
  EXPECT_FALSE(read_message("not thatcher").commands.not_that);  // whole words only
}

TEST(Message, ClauseAroundATitle) {
  const std::string t = "I loved Titanic but hated Twilight. Next one";
  const size_t a = t.find("Titanic"), b = t.find("Twilight");
  EXPECT_EQ(clause_around(t, a, a + 7), "I loved Titanic");
  EXPECT_EQ(clause_around(t, b, b + 8), "hated Twilight");
  const std::string ko = "타이타닉은 좋았지만 트와일라잇은 별로";
  const size_t k = ko.find("트와일라잇");
  EXPECT_EQ(clause_around(ko, k, k + std::string("트와일라잇").size()), "트와일라잇은 별로");
}

TEST(Message, ContentWordsSkipTitlesStopWordsAndNumbers) {
  const Message m = read_message("I loved The Matrix, want space robots from 1999 space");
  const size_t b = m.text.find("The Matrix");
  EXPECT_EQ(content_words(m, {{b, b + 10}}), (std::vector<std::string>{"space", "robots"}));
  EXPECT_EQ(content_words(m, {}), (std::vector<std::string>{"matrix", "space", "robots"}));
}

}  // namespace
}  // namespace cinerag

namespace cinerag {
namespace {

// A title's words in `text`: [first, last] indices into split_words(text).
struct TitleWords {
  std::vector<Word> words;
  size_t first = 0, last = 0;
};
TitleWords title_words(const std::string& text, const std::string& title) {
  TitleWords t{split_words(text)};
  const size_t at = text.find(title);
  for (size_t i = 0; i < t.words.size(); ++i) {
    if (t.words[i].begin == at) t.first = i;
    if (t.words[i].end == at + title.size()) t.last = i;
  }
  return t;
}

bool reference(const std::string& text, const std::string& title) {
  const TitleWords t = title_words(text, title);
  return named_as_reference(t.words, t.first, t.last);
}

bool disliked(const std::string& text, const std::string& title) {
  const TitleWords t = title_words(text, title);
  return named_as_disliked(t.words, t.first);
}

TEST(Message, TitlesNamedAsTheReferenceForWhatIsWanted) {
  EXPECT_TRUE(reference("Hi I am looking for a movie like Super Troopers", "Super Troopers"));
  EXPECT_TRUE(reference("something similar to Alien please", "Alien"));
  EXPECT_TRUE(reference("기생충 같은 영화 추천해줘", "기생충"));
  EXPECT_TRUE(reference("인셉션같은 영화", "인셉션같은"));
  EXPECT_FALSE(reference("I didn't like Super Troopers", "Super Troopers"));
  EXPECT_FALSE(reference("I don't really like Alien", "Alien"));
  EXPECT_FALSE(reference("I watched Alien yesterday", "Alien"));
  EXPECT_FALSE(reference("Alien", "Alien"));
}

TEST(Message, NegatedLikingBeforeATitle) {
  EXPECT_TRUE(disliked("I didn't like The Notebook, too cheesy", "The Notebook"));
  EXPECT_TRUE(disliked("I did not really enjoy Titanic", "Titanic"));
  EXPECT_TRUE(disliked("never loved Alien", "Alien"));
  EXPECT_FALSE(disliked("I loved The Notebook", "The Notebook"));
  EXPECT_FALSE(disliked("not sure, but I like Titanic", "Titanic"));
  EXPECT_FALSE(disliked("Titanic", "Titanic"));
}

}  // namespace
}  // namespace cinerag

namespace cinerag {
namespace {

// The byte span of `title` in `text`.
Span span_of(const std::string& text, const std::string& title) {
  const size_t at = text.find(title);
  return {at, at + title.size()};
}

TEST(Message, OpinionTextLeavesOutQuestionsRequestsGreetingsAndTitles) {
  const Message m =
      read_message("Hi there! Can you recommend a funny comedy? I loved Titanic, it was great");
  const std::string o = opinion_text(m, {span_of(m.text, "Titanic")});
  EXPECT_NE(o.find("I loved"), std::string::npos) << o;
  EXPECT_NE(o.find("it was great"), std::string::npos) << o;
  for (const char* gone : {"Titanic", "Hi", "there", "recommend", "funny"}) {
    EXPECT_EQ(o.find(gone), std::string::npos) << gone << " in " << o;
  }
  EXPECT_NE(opinion_text(m, {}).find("Titanic"), std::string::npos);  // only the titles given
  // Nothing but a greeting, a question or a request: no opinion at all.
  EXPECT_EQ(opinion_text(read_message("hi"), {}), "");
  EXPECT_EQ(opinion_text(read_message("Hello, thanks!"), {}), "");
  EXPECT_EQ(opinion_text(read_message("Can you recommend a good horror movie?"), {}), "");
  EXPECT_EQ(opinion_text(read_message("is it scary?"), {}), "");
  EXPECT_EQ(opinion_text(read_message("looking for a sad drama"), {}), "");
  EXPECT_EQ(opinion_text(read_message("안녕하세요"), {}), "");
  EXPECT_EQ(opinion_text(read_message("슬픈 영화 추천해줘"), {}), "");
  EXPECT_EQ(opinion_text(read_message("it was boring"), {}), "it was boring.");
}

TEST(Message, RequestsAndGreetings) {
  EXPECT_TRUE(is_request("can you recommend a comedy"));
  EXPECT_TRUE(is_request("im looking for a thriller"));
  EXPECT_TRUE(is_request("액션 영화 추천해줘"));
  EXPECT_FALSE(is_request("i loved the ending"));
  EXPECT_TRUE(is_greeting("hi there"));
  EXPECT_TRUE(is_greeting("안녕하세요"));
  EXPECT_FALSE(is_greeting("hi i loved titanic"));
  EXPECT_FALSE(is_greeting(""));
}

TEST(Message, StanceCuesTheClassifierMisreads) {
  auto cue = [](const char* text) { return stance_cue(fold_for_matching(text)); };
  EXPECT_EQ(cue("I don't like sci-fi"), -1);
  EXPECT_EQ(cue("honestly it was a real letdown"), -1);
  EXPECT_EQ(cue("I'm not a fan"), -1);
  EXPECT_EQ(cue("it wasn't funny"), -1);
  EXPECT_EQ(cue("couldn't stand the ending"), -1);
  EXPECT_EQ(cue("it wasn't bad at all"), 1);
  EXPECT_EQ(cue("never boring"), 1);
  EXPECT_EQ(cue("I like sci-fi"), 0);
  EXPECT_EQ(cue("it is about a ship that sinks"), 0);
  EXPECT_EQ(cue(""), 0);
}

// A two-word name between the negation and the word of liking does not hide it.
TEST(Message, StanceCueNegationBeforeANameAndFan) {
  EXPECT_EQ(stance_cue(fold_for_matching("not a Jim Carrey fan")), -1);
}

TEST(Message, TitleClauseMasksTheTitleAndTellsAQuestion) {
  std::string t = "Have you seen Titanic?";
  auto [b, e] = span_of(t, "Titanic");
  TitleClause c = title_clause(t, b, e);
  EXPECT_EQ(c.text.find("Titanic"), std::string::npos) << c.text;
  EXPECT_NE(c.text.find("Have you seen"), std::string::npos) << c.text;
  EXPECT_TRUE(c.asks);
  t = "I loved Titanic. Have you seen it?";
  std::tie(b, e) = span_of(t, "Titanic");
  c = title_clause(t, b, e);
  EXPECT_EQ(c.text, "I loved ");
  EXPECT_FALSE(c.asks);  // the question is the next sentence
  t = "Can you recommend something like Toy Story 3";
  std::tie(b, e) = span_of(t, "Toy Story 3");
  c = title_clause(t, b, e);
  EXPECT_TRUE(c.asks);  // a request, without a question mark
  EXPECT_EQ(c.text.find("Toy"), std::string::npos) << c.text;
  t = "Toy Story 3 made me cry but Cars was dull";
  std::tie(b, e) = span_of(t, "Cars");
  EXPECT_EQ(title_clause(t, b, e).text, " was dull");
  // An opinion followed by a request or a question still tells how the film was.
  for (const char* s :
       {"I loved Titanic, recommend something similar",
        "I loved Titanic so please recommend me something", "I loved Titanic, any suggestions?",
        "Recommend me something, I loved Titanic"}) {
    t = s;
    std::tie(b, e) = span_of(t, "Titanic");
    EXPECT_FALSE(title_clause(t, b, e).asks) << s;
  }
  t = "Could you suggest something other than Titanic";
  std::tie(b, e) = span_of(t, "Titanic");
  EXPECT_TRUE(title_clause(t, b, e).asks);
}

TEST(Message, WordsAfterAQuotationMarkAreQuoted) {
  const std::vector<Word> w = split_words("we watched \"heavy\" and \"Up\" together");
  ASSERT_EQ(w.size(), 6u);
  EXPECT_FALSE(w[1].quoted);
  EXPECT_TRUE(w[2].quoted);
  EXPECT_EQ(w[2].folded, "heavy");
  EXPECT_FALSE(w[3].quoted);  // after the closing mark and a space
  EXPECT_EQ(w[4].folded, "up");
  EXPECT_TRUE(w[4].quoted);
  EXPECT_TRUE(w[4].capitalised);
  EXPECT_FALSE(w[5].quoted);
}

// A single quotation mark before a word quotes it (an apostrophe inside a word does not).
TEST(Message, SingleQuotedWordsAreQuoted) {
  const std::vector<Word> w = split_words("we watched 'heavy' and 'Up' together");
  ASSERT_EQ(w.size(), 6u);
  EXPECT_TRUE(w[2].quoted);
  EXPECT_EQ(w[4].folded, "up");
  EXPECT_TRUE(w[4].quoted);
  EXPECT_TRUE(w[4].capitalised);
}

}  // namespace
}  // namespace cinerag
