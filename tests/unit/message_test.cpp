// Reading a message once: words with spans, commands about the last answer, clauses around a
// title, content words without titles and stop words, phrase matching.
#include "recommend/message.h"

#include <gtest/gtest.h>

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
