// libFuzzer target: any bytes as a chat message through the steps that read it — the message
// reader (words, clauses, cues, opinion text, content words), title and people detection on a
// real catalogue, constraints and sentiment. Every span must lie inside the text, every index
// inside its table, every score in range; nothing may crash.
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "recommend/constraints.h"
#include "recommend/message.h"
#include "recommend/people.h"
#include "recommend/titles.h"
#include "text/nfkc.h"

namespace {

std::unique_ptr<cinerag::Recommender> g_rec;
std::unique_ptr<cinerag::TitleMatcher> g_titles;  // as Recommender::create builds it
std::unique_ptr<cinerag::Sentiment> g_sentiment;

using cinerag::fuzz::require;

void require_score(const cinerag::SentimentResult& s) {
  require(s.score >= 0 && s.score <= 1 && s.p_positive >= 0 && s.p_positive <= 1,
          "sentiment scores are in 0..1");
}

std::vector<cinerag::Span> read_titles(const cinerag::Message& m) {
  std::vector<cinerag::Span> spans;
  const size_t n = g_rec->table().size();
  for (const cinerag::TitleMention& t : g_titles->find(m.words, m.text)) {
    require(t.row < n && t.begin <= t.end && t.end <= m.text.size(), "a title is a row and a span");
    require(t.first_word <= t.last_word && t.last_word < m.words.size(), "a title's words");
    const cinerag::TitleClause clause = cinerag::title_clause(m.text, t.begin, t.end);
    require_score(g_sentiment->classify(clause.text));
    cinerag::stance_cue(cinerag::fold_for_matching(clause.text));
    cinerag::named_as_reference(m.words, t.first_word, t.last_word);
    cinerag::named_as_disliked(m.words, t.first_word);
    spans.emplace_back(t.begin, t.end);
  }
  return spans;
}

void read_people(const cinerag::Message& m) {
  const cinerag::PeopleMatcher& people = g_rec->people();
  for (const cinerag::PersonMention& p : people.find(m.words)) {
    require(p.person < people.people().size() && p.begin <= p.end && p.end <= m.text.size(),
            "a person is an index and a span");
    require(p.first_word <= p.last_word && p.last_word < m.words.size(), "a person's words");
    for (cinerag::Row row : people.films(p.person, p.role))
      require(row < g_rec->table().size(), "a person's films are rows");
    cinerag::words_before_are(m.words, p.first_word, "directed by");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  g_rec = cinerag::fuzz::load_recommender();
  // The recommender keeps its title matcher to itself: build the same one from its table.
  cinerag::Error e;
  std::vector<cinerag::TitleAlias> aliases;
  if (!g_rec->index().catalogue().read_aliases(&aliases, &e))
    cinerag::fuzz::broken("aliases: " + e.message);
  std::vector<std::pair<uint32_t, std::string>> rows;
  for (auto& a : aliases) {
    if (const cinerag::Row r = g_rec->table().row_of(a.movie_id); r != cinerag::kNoRow)
      rows.emplace_back(r, std::move(a.title));
  }
  g_titles = std::make_unique<cinerag::TitleMatcher>(
      g_rec->table().movies(), g_rec->table().title_prior(cinerag::CatalogueTuning{}.title_quality),
      rows);
  g_sentiment = cinerag::fuzz::load_sentiment();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const cinerag::Message m = cinerag::read_message(text);
  for (const cinerag::Word& w : m.words) {
    require(w.begin <= w.end && w.end <= size, "a word is a span of the text");
    cinerag::particle_forms(w.folded);
  }
  const std::vector<cinerag::Span> titles = read_titles(m);
  read_people(m);
  cinerag::opinion_text(m, titles);
  cinerag::content_words(m, titles);
  cinerag::is_request(m.folded);
  cinerag::is_greeting(m.folded);
  cinerag::clause_around(m.text, size / 2, size);
  const int newest = g_rec->table().newest_year();
  const cinerag::Constraints c = cinerag::parse_folded_constraints(m.folded, newest);
  require(((c.want_genres | c.avoid_genres) >> cinerag::kGenreCount) == 0, "known genres only");
  require_score(g_sentiment->classify(text));
  return 0;
}
