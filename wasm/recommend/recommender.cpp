// Candidate generation, fusion, filters, reasons and the answer text for one message.
#include "recommend/recommender.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <unordered_set>

#include "search/kernels.h"
#include "text/nfkc.h"

namespace cinerag {

struct Recommender::Signals {
  long row = -1;
  float item = 0, collab = 0, query = 0, text = 0, prior = 0, genre = 0, dislike = 0;
  long item_from = -1, collab_from = -1;  // the liked movie behind item / collab
  float score = 0;
};

namespace {

std::string fmt2(float v) {
  char b[16];
  std::snprintf(b, sizeof b, "%.2f", v);
  return b;
}

// Words the message asks about (for BM25 and "matches ..." reasons): folded, no stop words,
// no sentiment words, no words inside movie titles already found.
const std::unordered_set<std::string>& stop_words() {
  static const std::unordered_set<std::string> w = {"a",
                                                    "about",
                                                    "absolutely",
                                                    "after",
                                                    "again",
                                                    "all",
                                                    "also",
                                                    "am",
                                                    "an",
                                                    "and",
                                                    "any",
                                                    "anything",
                                                    "are",
                                                    "as",
                                                    "at",
                                                    "awesome",
                                                    "bad",
                                                    "be",
                                                    "because",
                                                    "been",
                                                    "best",
                                                    "better",
                                                    "but",
                                                    "by",
                                                    "can",
                                                    "could",
                                                    "did",
                                                    "do",
                                                    "does",
                                                    "dont",
                                                    "enjoy",
                                                    "enjoyed",
                                                    "even",
                                                    "ever",
                                                    "favorite",
                                                    "favourite",
                                                    "feel",
                                                    "film",
                                                    "films",
                                                    "for",
                                                    "from",
                                                    "fun",
                                                    "get",
                                                    "give",
                                                    "good",
                                                    "great",
                                                    "had",
                                                    "has",
                                                    "hate",
                                                    "hated",
                                                    "have",
                                                    "he",
                                                    "her",
                                                    "hi",
                                                    "hello",
                                                    "him",
                                                    "his",
                                                    "how",
                                                    "i",
                                                    "if",
                                                    "im",
                                                    "in",
                                                    "into",
                                                    "is",
                                                    "it",
                                                    "its",
                                                    "ive",
                                                    "just",
                                                    "kind",
                                                    "know",
                                                    "like",
                                                    "liked",
                                                    "likes",
                                                    "lot",
                                                    "love",
                                                    "loved",
                                                    "loves",
                                                    "made",
                                                    "make",
                                                    "me",
                                                    "more",
                                                    "most",
                                                    "movie",
                                                    "movies",
                                                    "much",
                                                    "my",
                                                    "need",
                                                    "no",
                                                    "not",
                                                    "of",
                                                    "on",
                                                    "one",
                                                    "or",
                                                    "other",
                                                    "please",
                                                    "really",
                                                    "recommend",
                                                    "recommendation",
                                                    "recommendations",
                                                    "saw",
                                                    "see",
                                                    "seen",
                                                    "she",
                                                    "similar",
                                                    "so",
                                                    "some",
                                                    "something",
                                                    "suggest",
                                                    "than",
                                                    "that",
                                                    "the",
                                                    "them",
                                                    "then",
                                                    "there",
                                                    "these",
                                                    "they",
                                                    "thing",
                                                    "think",
                                                    "this",
                                                    "to",
                                                    "too",
                                                    "very",
                                                    "want",
                                                    "was",
                                                    "watch",
                                                    "watched",
                                                    "watching",
                                                    "we",
                                                    "well",
                                                    "were",
                                                    "what",
                                                    "when",
                                                    "which",
                                                    "who",
                                                    "will",
                                                    "with",
                                                    "would",
                                                    "you",
                                                    "your",
                                                    "yes",
                                                    "yeah",
                                                    "ok",
                                                    "okay",
                                                    "thanks",
                                                    "thank",
                                                    "emotional",
                                                    "boring",
                                                    "amazing",
                                                    "terrible",
                                                    "wonderful",
                                                    "nice",
                                                    "cool",
                                                    "sure",
                                                    "maybe",
                                                    "any",
                                                    "now",
                                                    "today",
                                                    "tonight",
                                                    "new",
                                                    "old",
                                                    "lately",
                                                    "recently",
                                                    "seen",
                                                    "been",
                                                    "being",
                                                    "those",
                                                    "such",
                                                    "where",
                                                    "why",
                                                    "into",
                                                    "only",
                                                    "there",
                                                    "theres",
                                                    "where",
                                                    "whats",
                                                    "lets",
                                                    "also",
                                                    "got",
                                                    "go",
                                                    "going",
                                                    "am",
                                                    "us",
                                                    "our",
                                                    "kinda",
                                                    "sort",
                                                    "type",
                                                    "types",
                                                    "genre",
                                                    "genres",
                                                    "stuff",
                                                    "things",
                                                    "lots"};
  return w;
}

std::vector<std::string> content_words(const std::string& text) {
  std::vector<std::string> out;
  const std::string f = fold_for_matching(text);
  size_t p = 0;
  while (p < f.size()) {
    size_t e = f.find(' ', p);
    if (e == std::string::npos) e = f.size();
    const std::string w = f.substr(p, e - p);
    if (w.size() >= 3 && !stop_words().count(w) &&
        !std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        std::find(out.begin(), out.end(), w) == out.end()) {
      out.push_back(w);
    }
    p = e + 1;
  }
  return out;
}

// The clause around [begin, end): sentences end at . ! ? ; and "but" starts a new clause.
std::string clause_around(const std::string& text, size_t begin, size_t end) {
  size_t b = begin, e = end;
  while (b > 0 && !std::strchr(".!?;\n", text[b - 1])) --b;
  while (e < text.size() && !std::strchr(".!?;\n", text[e])) ++e;
  std::string c = text.substr(b, e - b);
  // "I loved Titanic but hated Twilight": cut at "but" / "하지만" on the other side.
  const size_t rel_b = begin - b, rel_e = end - b;
  for (const char* sep :
       {" but ", " however ", " whereas ", " while ", " 하지만 ", " 그런데 ", " 근데 ", "지만 "}) {
    const size_t n = std::strlen(sep);
    const size_t before = c.rfind(sep, rel_b);
    if (before != std::string::npos && before + n <= rel_b) {
      c = c.substr(before + n);
      return clause_around(c, rel_b - before - n, rel_e - before - n);
    }
    const size_t after = c.find(sep, rel_e);
    if (after != std::string::npos) return c.substr(0, after);
  }
  return c;
}

int ordinal_in(const std::string& folded) {
  static const std::pair<const char*, int> kWords[] = {
      {"first", 0},   {"1st", 0},     {"second", 1},  {"2nd", 1},     {"third", 2},
      {"3rd", 2},     {"fourth", 3},  {"4th", 3},     {"fifth", 4},   {"5th", 4},
      {"last", 4},    {"첫 번째", 0}, {"첫번째", 0},  {"두 번째", 1}, {"두번째", 1},
      {"세 번째", 2}, {"세번째", 2},  {"네 번째", 3}, {"네번째", 3},  {"다섯 번째", 4},
      {"다섯번째", 4}};
  for (const auto& [w, i] : kWords) {
    if (folded.find(w) != std::string::npos) return i;
  }
  return -1;
}

bool contains_any(const std::string& folded, std::initializer_list<const char*> phrases) {
  return std::any_of(phrases.begin(), phrases.end(),
                     [&](const char* p) { return has_phrase(folded, p); });
}

void add_unique(std::vector<int64_t>* v, int64_t id) {
  if (std::find(v->begin(), v->end(), id) == v->end()) v->push_back(id);
}
void remove_id(std::vector<int64_t>* v, int64_t id) {
  v->erase(std::remove(v->begin(), v->end(), id), v->end());
}

std::string genre_list(uint32_t mask, size_t max = 3) {
  std::string s;
  size_t n = 0;
  for (int i = 0; i < kGenreCount && n < max; ++i) {
    if (!(mask & (1u << i))) continue;
    if (!s.empty()) s += ", ";
    s += kGenreNames[i];
    ++n;
  }
  return s;
}

}  // namespace

std::unique_ptr<Recommender> Recommender::create(std::unique_ptr<CatalogueIndex> index,
                                                 std::unique_ptr<Sentiment> sentiment,
                                                 Error* error) {
  if (!index || !sentiment) {
    fail(error, ErrorCode::kInvalidArgument,
         "the recommender needs a catalogue and sentiment models");
    return nullptr;
  }
  std::unique_ptr<Recommender> r(new Recommender());
  if (!index->catalogue().movies(&r->movies_, error)) return nullptr;
  const size_t n = r->movies_.size();
  r->genres_.resize(n);
  r->folded_titles_.resize(n);
  for (size_t i = 0; i < n; ++i) r->folded_titles_[i] = fold_for_matching(r->movies_[i].title);
  r->prior_.resize(n);
  r->quality_.resize(n);
  double max_count = 1, max_votes = 1;
  for (const Movie& m : r->movies_) {
    max_count = std::max<double>(max_count, static_cast<double>(m.rating_count));
    max_votes = std::max<double>(max_votes, static_cast<double>(m.vote_count));
    r->newest_year_ = std::max(r->newest_year_, m.year);
  }
  for (size_t i = 0; i < n; ++i) {
    const Movie& m = r->movies_[i];
    r->genres_[i] = genre_mask(m.genres);
    const float pc =
        static_cast<float>(std::log1p(static_cast<double>(m.rating_count)) / std::log1p(max_count));
    const float pv =
        static_cast<float>(std::log1p(static_cast<double>(m.vote_count)) / std::log1p(max_votes));
    r->prior_[i] = std::max(pc, pv);
    // Quality: a Bayesian mean (MovieLens ratings, else TMDB votes), mapped to 0..1.
    float q = 0.5f;
    if (m.rating_count > 0) {
      q = static_cast<float>((m.rating_mean * m.rating_count + 3.4 * 10) / (m.rating_count + 10) -
                             2.5) /
          2.0f;
    } else if (m.vote_count > 0) {
      q = static_cast<float>((m.vote_average * m.vote_count + 6.2 * 20) / (m.vote_count + 20) -
                             5.0) /
          4.0f;
    }
    r->quality_[i] = std::min(1.0f, std::max(0.0f, q));
  }
  r->content_row_.assign(n, -1);
  const auto& ids = index->row_movie_ids();
  for (size_t i = 0; i < ids.size(); ++i) {
    const long row = r->row_of(ids[i]);
    if (row >= 0) r->content_row_[static_cast<size_t>(row)] = static_cast<long>(i);
  }
  r->content_dims_ = index->stored_dims();
  r->collab_slot_.assign(n, -1);
  VectorSet collab;
  Error ignored;
  if (index->catalogue().read_vectors("collab", &collab, &ignored)) {
    r->collab_dims_ = collab.dims;
    for (size_t i = 0; i < collab.movie_ids.size(); ++i) {
      const long row = r->row_of(collab.movie_ids[i]);
      if (row < 0) continue;
      r->collab_slot_[static_cast<size_t>(row)] = static_cast<long>(r->collab_movie_.size());
      r->collab_movie_.push_back(row);
      for (size_t d = 0; d < collab.dims; ++d) {
        r->collab_.push_back(collab.scales[i] * collab.rows[i * collab.dims + d]);
      }
    }
  }
  // The best-known movies do not change between messages: rank them once.
  std::vector<long> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = static_cast<long>(i);
  const size_t keep = std::min<size_t>(kBestKnown, n);
  std::partial_sort(order.begin(), order.begin() + static_cast<long>(keep), order.end(),
                    [&](long a, long b) { return r->known_key(a) > r->known_key(b); });
  r->best_known_.assign(order.begin(), order.begin() + static_cast<long>(keep));
  std::vector<float> title_prior(n);
  for (size_t i = 0; i < n; ++i) title_prior[i] = r->prior_[i] + 0.01f * r->quality_[i];
  r->titles_ = std::make_unique<TitleMatcher>(r->movies_, title_prior);
  r->index_ = std::move(index);
  r->sentiment_ = std::move(sentiment);
  return r;
}

long Recommender::row_of(int64_t movie_id) const {
  const auto it = std::lower_bound(movies_.begin(), movies_.end(), movie_id,
                                   [](const Movie& m, int64_t id) { return m.movie_id < id; });
  return it != movies_.end() && it->movie_id == movie_id ? static_cast<long>(it - movies_.begin())
                                                         : -1;
}

float Recommender::content_sim(long a, long b) const {
  const long ra = content_row_[static_cast<size_t>(a)], rb = content_row_[static_cast<size_t>(b)];
  if (ra < 0 || rb < 0) return 0;
  const Int8Index& ix = index_->int8_index();
  const int8_t* va = ix.rows() + static_cast<size_t>(ra) * content_dims_;
  const int8_t* vb = ix.rows() + static_cast<size_t>(rb) * content_dims_;
  return static_cast<float>(dot_i8_simd(va, vb, content_dims_)) * ix.scales()[ra] * ix.scales()[rb];
}

float Recommender::collab_sim(long a, long b) const {
  const long sa = collab_slot_[static_cast<size_t>(a)], sb = collab_slot_[static_cast<size_t>(b)];
  if (sa < 0 || sb < 0) return 0;
  const float* va = collab_.data() + static_cast<size_t>(sa) * collab_dims_;
  const float* vb = collab_.data() + static_cast<size_t>(sb) * collab_dims_;
  float s = 0;
  for (size_t d = 0; d < collab_dims_; ++d) s += va[d] * vb[d];
  return s;
}

bool Recommender::passes(long row, const Constraints& c) const {
  const Movie& m = movies_[static_cast<size_t>(row)];
  if (genres_[static_cast<size_t>(row)] & c.avoid_genres) return false;
  if (c.year_min && (m.year == 0 || m.year < c.year_min)) return false;
  if (c.year_max && (m.year == 0 || m.year > c.year_max)) return false;
  if (c.runtime_max && (m.runtime == 0 || m.runtime > c.runtime_max)) return false;
  if (!c.language.empty() && m.original_language != c.language) return false;
  return true;
}

void Recommender::gather(const RecommendRequest& req, const std::vector<long>& liked,
                         const std::vector<long>& disliked, const std::vector<float>& query,
                         const std::vector<std::pair<long, float>>& text_hits, const Constraints& c,
                         std::vector<Signals>* out) const {
  const size_t n = movies_.size();
  std::vector<long> slot(n, -1);
  auto candidate = [&](long row) -> Signals& {
    long& s = slot[static_cast<size_t>(row)];
    if (s < 0) {
      s = static_cast<long>(out->size());
      out->push_back({});
      out->back().row = row;
    }
    return (*out)[static_cast<size_t>(s)];
  };
  const size_t per_source = 300;
  std::vector<MovieHit> hits(per_source);
  std::vector<float> q(content_dims_);
  const Int8Index& ix = index_->int8_index();
  // Content neighbours of each liked movie (the most recent five).
  for (size_t li = liked.size() > 5 ? liked.size() - 5 : 0; li < liked.size(); ++li) {
    const long cr = content_row_[static_cast<size_t>(liked[li])];
    if (cr < 0) continue;
    for (size_t d = 0; d < content_dims_; ++d) {
      q[d] = ix.rows()[static_cast<size_t>(cr) * content_dims_ + d] * ix.scales()[cr];
    }
    const size_t got = index_->search_stored(q.data(), per_source, hits.data());
    for (size_t h = 0; h < got; ++h) candidate(row_of(hits[h].movie_id));
  }
  // Collaborative neighbours: a scan over the (few thousand) rated movies.
  for (size_t li = liked.size() > 5 ? liked.size() - 5 : 0; li < liked.size(); ++li) {
    const long sl = collab_slot_[static_cast<size_t>(liked[li])];
    if (sl < 0) continue;
    std::vector<std::pair<float, long>> best;
    for (size_t s = 0; s < collab_movie_.size(); ++s) {
      best.push_back({collab_sim(liked[li], collab_movie_[s]), collab_movie_[s]});
    }
    const size_t keep = std::min(per_source, best.size());
    std::partial_sort(best.begin(), best.begin() + static_cast<long>(keep), best.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first; });
    for (size_t s = 0; s < keep; ++s) candidate(best[s].second);
  }
  if (!query.empty()) {
    const size_t got = index_->search_stored(query.data(), per_source, hits.data());
    for (size_t h = 0; h < got; ++h) candidate(row_of(hits[h].movie_id));
  }
  for (const auto& [row, score] : text_hits) candidate(row).text = score;
  // The best-known movies, and the best-known that meet the constraints.
  for (long row : best_known_) candidate(row);
  if (c.any()) {
    std::vector<long> ok;
    for (size_t i = 0; i < n; ++i) {
      const long r = static_cast<long>(i);
      if (passes(r, c) && (!c.want_genres || (genres_[i] & c.want_genres))) ok.push_back(r);
    }
    const size_t k2 = std::min<size_t>(per_source, ok.size());
    std::partial_sort(ok.begin(), ok.begin() + static_cast<long>(k2), ok.end(),
                      [&](long a, long b) { return known_key(a) > known_key(b); });
    for (size_t i = 0; i < k2; ++i) candidate(ok[i]);
  }
  // Every signal for every candidate.
  for (Signals& s : *out) {
    for (long l : liked) {
      const float cs = content_sim(s.row, l);
      if (cs > s.item) s.item = cs, s.item_from = l;
      const float co = collab_sim(s.row, l);
      if (co > s.collab) s.collab = co, s.collab_from = l;
    }
    for (long d : disliked) s.dislike = std::max(s.dislike, content_sim(s.row, d));
    const long cr = content_row_[static_cast<size_t>(s.row)];
    if (!query.empty() && cr >= 0) {
      float dot = 0;
      const int8_t* v = ix.rows() + static_cast<size_t>(cr) * content_dims_;
      for (size_t d = 0; d < content_dims_; ++d) dot += query[d] * v[d];
      s.query = dot * ix.scales()[cr];
    }
    s.prior =
        0.6f * prior_[static_cast<size_t>(s.row)] + 0.4f * quality_[static_cast<size_t>(s.row)];
    if (c.highly_rated)
      s.prior =
          0.3f * prior_[static_cast<size_t>(s.row)] + 0.7f * quality_[static_cast<size_t>(s.row)];
    s.genre = (genres_[static_cast<size_t>(s.row)] & c.want_genres) ? 1.0f : 0.0f;
    const Weights& w = req.weights;
    s.score = w.item * s.item + w.collab * s.collab + w.query * s.query + w.text * s.text +
              w.prior * s.prior + w.genre * s.genre - w.dislike * s.dislike;
  }
}

std::string Recommender::explain(const Signals& s, const Weights& w, const Constraints& c,
                                 const std::string& lang,
                                 const std::vector<std::string>& words) const {
  const bool ko = lang == "ko";
  const Movie& m = movies_[static_cast<size_t>(s.row)];
  std::vector<std::string> parts;
  const float item = w.item * s.item, collab = w.collab * s.collab;
  if (s.item_from >= 0 && item >= collab && s.item > 0.3f) {
    const Movie& from = movies_[static_cast<size_t>(s.item_from)];
    const uint32_t shared =
        genres_[static_cast<size_t>(s.row)] & genres_[static_cast<size_t>(s.item_from)];
    if (shared) {
      parts.push_back(ko ? "'" + from.title + "'와(과) 같은 " + genre_list(shared)
                         : genre_list(shared) + " like '" + from.title + "'");
    } else {
      parts.push_back(ko ? "'" + from.title + "'와(과) 비슷한 이야기"
                         : "a story close to '" + from.title + "'");
    }
    // Shared keywords or tags.
    std::vector<std::string> shared_kw;
    const std::string mine = fold_for_matching(m.keywords + ", " + m.tags);
    size_t p = 0;
    const std::string theirs = from.keywords + ", " + from.tags;
    while (p < theirs.size() && shared_kw.size() < 2) {
      size_t e = theirs.find(',', p);
      if (e == std::string::npos) e = theirs.size();
      std::string kw = theirs.substr(p, e - p);
      while (!kw.empty() && kw[0] == ' ') kw.erase(0, 1);
      const std::string f = fold_for_matching(kw);
      if (f.size() >= 3 && (", " + mine + ",").find(" " + f + ",") != std::string::npos &&
          std::find(shared_kw.begin(), shared_kw.end(), kw) == shared_kw.end())
        shared_kw.push_back(kw);
      p = e + 1;
    }
    if (!shared_kw.empty()) {
      std::string k = shared_kw[0] + (shared_kw.size() > 1 ? ", " + shared_kw[1] : "");
      parts.push_back(ko ? "공통 키워드: " + k : "both about " + k);
    }
  } else if (s.collab_from >= 0 && s.collab > 0.2f) {
    const Movie& from = movies_[static_cast<size_t>(s.collab_from)];
    parts.push_back(ko ? "'" + from.title + "'을(를) 좋아한 사람들이 좋아한 영화"
                       : "fans of '" + from.title + "' loved it");
  }
  if (!words.empty()) {
    const std::string text =
        fold_for_matching(m.title + " " + m.overview + " " + m.keywords + " " + m.tags);
    std::vector<std::string> hit;
    for (const auto& wd : words) {
      if ((" " + text + " ").find(" " + wd + " ") != std::string::npos) hit.push_back(wd);
      if (hit.size() == 2) break;
    }
    if (!hit.empty()) {
      std::string h = "\"" + hit[0] + "\"" + (hit.size() > 1 ? ", \"" + hit[1] + "\"" : "");
      parts.push_back(ko ? h + " 와(과) 관련" : "matches " + h);
    }
  }
  if (c.want_genres & genres_[static_cast<size_t>(s.row)]) {
    const std::string g = genre_list(c.want_genres & genres_[static_cast<size_t>(s.row)], 2);
    if (parts.empty() || parts[0].find(g) == std::string::npos)
      parts.push_back(ko ? g + " 장르" : g);
  }
  if (c.year_min || c.year_max)
    parts.push_back(ko ? std::to_string(m.year) + "년 작품" : "from " + std::to_string(m.year));
  if (!c.language.empty())
    parts.push_back(ko ? "원어: " + m.original_language
                       : "original language: " + m.original_language);
  if (parts.empty() || c.highly_rated) {
    char b[96];
    if (m.rating_count >= 5) {
      std::snprintf(b, sizeof b, ko ? "평점 %.1f/5 (%lld명)" : "rated %.1f/5 by %lld people",
                    m.rating_mean, static_cast<long long>(m.rating_count));
      parts.push_back(b);
    } else if (m.vote_count >= 10) {
      std::snprintf(b, sizeof b, ko ? "TMDB 평점 %.1f/10" : "TMDB %.1f/10", m.vote_average);
      parts.push_back(b);
    } else {
      parts.push_back(ko ? "비슷한 분위기" : "a close match");
    }
  }
  std::string why;
  for (size_t i = 0; i < parts.size() && i < 3; ++i) why += (i ? "; " : "") + parts[i];
  return why;
}

RecommendResponse Recommender::recommend(const RecommendRequest& req) const {
  RecommendResponse r;
  r.state = req.state;
  std::string message;
  size_t message_turn = req.turns.size();
  for (size_t t = req.turns.size(); t-- > 0;) {
    if (req.turns[t].user) {
      message = req.turns[t].text;
      message_turn = t;
      break;
    }
  }
  r.sentiment = sentiment_->classify(message);
  // The sentiment models are routed by script (any Hangul -> Korean): answer in that language.
  r.lang =
      !req.lang.empty() ? req.lang : (r.sentiment.lang == SentimentLang::kKorean ? "ko" : "en");
  const std::string folded = fold_for_matching(message);

  // Commands about the previous answer.
  const int ord = ordinal_in(folded);
  const auto& last = req.state.last_results;
  auto referenced = [&]() -> int64_t {
    if (last.empty()) return 0;
    const size_t i =
        ord >= 0 && static_cast<size_t>(ord) < last.size() ? static_cast<size_t>(ord) : 0;
    return last[i];
  };
  if (!last.empty()) {
    if (contains_any(folded, {"more like", "similar to the", "like that one", "like the first",
                              "like the second", "like the third", "같은 거", "비슷한 거",
                              "비슷한 걸", "같은 걸"}) &&
        ord >= 0) {
      add_unique(&r.state.liked, referenced());
    } else if (contains_any(folded, {"not that one", "not this one", "not that", "no thanks",
                                     "dont like that", "그거 말고", "이거 말고", "별로"})) {
      add_unique(&r.state.disliked, referenced());
    }
    if (contains_any(folded, {"seen it", "seen that", "already seen", "watched it", "seen that one",
                              "봤어", "봤어요", "이미 봤"})) {
      add_unique(&r.state.seen, referenced());
    }
  }

  // Titles in every turn; sentiment for the user's.
  std::vector<std::pair<size_t, size_t>> title_spans;  // in `message`
  for (size_t t = 0; t < req.turns.size(); ++t) {
    const Turn& turn = req.turns[t];
    for (const TitleMention& tm : titles_->find(turn.text)) {
      Mention m;
      m.movie_id = movies_[tm.row].movie_id;
      m.surface = tm.surface;
      m.from_user = turn.user;
      if (turn.user) {
        const SentimentResult s = sentiment_->classify(clause_around(turn.text, tm.begin, tm.end));
        m.score = s.score;
        m.liked = s.label == SentimentLabel::kPositive   ? 1
                  : s.label == SentimentLabel::kNegative ? -1
                                                         : 0;
      }
      if (t == message_turn) title_spans.push_back({tm.begin, tm.end});
      add_unique(&r.state.mentioned, m.movie_id);
      if (m.liked > 0) {
        add_unique(&r.state.liked, m.movie_id);
        remove_id(&r.state.disliked, m.movie_id);
      } else if (m.liked < 0) {
        add_unique(&r.state.disliked, m.movie_id);
        remove_id(&r.state.liked, m.movie_id);
      }
      bool dup = false;
      for (auto& prev : r.mentions) dup |= prev.movie_id == m.movie_id;
      if (!dup) r.mentions.push_back(m);
    }
  }

  r.constraints = parse_constraints(message, newest_year_);
  // BM25 over the message's content words, without the titles found in it.
  std::string rest = message;
  for (auto it = title_spans.rbegin(); it != title_spans.rend(); ++it) {
    if (it->second <= rest.size()) rest.replace(it->first, it->second - it->first, " ");
  }
  std::vector<std::string> words = content_words(rest);
  std::vector<std::pair<long, float>> text_hits;
  if (!words.empty()) {
    std::string q;
    for (const auto& w : words) q += w + " ";
    Error e;
    const auto hits = index_->catalogue().search_text(q, 100, &e);
    if (!hits.empty()) {
      const double best = -hits[0].bm25;
      for (size_t i = 0; i < hits.size(); ++i) {
        const long row = row_of(hits[i].movie_id);
        if (row >= 0 && best > 0)
          text_hits.push_back({row, static_cast<float>(-hits[i].bm25 / best)});
      }
    }
  }

  std::vector<long> liked, disliked;
  for (int64_t id : r.state.liked)
    if (long row = row_of(id); row >= 0) liked.push_back(row);
  for (int64_t id : r.state.disliked)
    if (long row = row_of(id); row >= 0) disliked.push_back(row);
  std::vector<float> query;
  if (!req.embedding.empty() && req.embedding.size() == index_->dims()) {
    query.resize(content_dims_);
    index_->project(req.embedding.data(), query.data());
  }

  std::vector<Signals> cands;
  gather(req, liked, disliked, query, text_hits, r.constraints, &cands);
  std::unordered_set<int64_t> excluded(r.state.mentioned.begin(), r.state.mentioned.end());
  excluded.insert(r.state.seen.begin(), r.state.seen.end());
  excluded.insert(r.state.disliked.begin(), r.state.disliked.end());
  excluded.insert(r.state.liked.begin(), r.state.liked.end());  // chosen already
  // Another film of the same title as one named ("Titanic" 1953 for 1997) is not a
  // recommendation the person asked for.
  std::unordered_set<std::string> named_titles;
  for (int64_t id : r.state.mentioned) {
    if (long row = row_of(id); row >= 0)
      named_titles.insert(folded_titles_[static_cast<size_t>(row)]);
  }
  std::vector<Signals> kept;
  for (const Signals& s : cands) {
    const Movie& m = movies_[static_cast<size_t>(s.row)];
    if (excluded.count(m.movie_id) || !passes(s.row, r.constraints)) continue;
    if (named_titles.count(folded_titles_[static_cast<size_t>(s.row)])) continue;
    if (s.dislike > 0.92f) continue;  // a near-duplicate of something disliked
    kept.push_back(s);
  }
  std::sort(kept.begin(), kept.end(), [](const Signals& a, const Signals& b) {
    return a.score != b.score ? a.score > b.score : a.row < b.row;
  });
  if (kept.size() > req.k) kept.resize(req.k);
  float best_item = 0, best_query = 0;
  for (const Signals& s : kept) {
    Recommendation rec;
    rec.movie_id = movies_[static_cast<size_t>(s.row)].movie_id;
    rec.score = s.score;
    rec.similarity = std::max(0.0f, std::min(1.0f, std::max({s.item, s.collab, s.query})));
    rec.why = explain(s, req.weights, r.constraints, r.lang, words);
    best_item = std::max(best_item, s.item);
    best_query = std::max(best_query, s.query);
    r.results.push_back(std::move(rec));
  }
  r.state.last_results.clear();
  for (const auto& rec : r.results) r.state.last_results.push_back(rec.movie_id);

  // Confidence and the fallback decision.
  float conf = 0;
  if (!liked.empty()) conf = std::max(conf, 0.4f + 0.6f * best_item);
  if (r.constraints.any()) conf = std::max(conf, 0.55f);
  if (!text_hits.empty()) conf = std::max(conf, 0.35f + 0.3f * best_query);
  conf = std::max(conf, best_query);
  r.confidence = std::min(1.0f, conf);
  if (r.constraints.asked_year > newest_year_) {
    r.fallback = true;
    r.fallback_reason = "newer_than_catalogue";
  } else if (r.results.size() < std::min<size_t>(req.k, 5)) {
    r.fallback = true;
    r.fallback_reason = "too_few_matches";
  } else if (r.confidence < 0.45f) {
    r.fallback = true;
    r.fallback_reason = "low_confidence";
  }

  // The answer text.
  const bool ko = r.lang == "ko";
  std::string a;
  const char* label = sentiment_label_name(r.sentiment.label);
  std::vector<const Mention*> user_mentions;
  for (const auto& m : r.mentions)
    if (m.from_user) user_mentions.push_back(&m);
  if (!user_mentions.empty()) {
    std::string names;
    for (size_t i = 0; i < user_mentions.size() && i < 3; ++i) {
      names += (i ? ", '" : "'") +
               movies_[static_cast<size_t>(row_of(user_mentions[i]->movie_id))].title + "'";
    }
    a = ko ? "당신은 " + names + "에 대해 " + label + " (" + fmt2(r.sentiment.score) +
                 ") 감정을 갖고 있군요. "
           : "You feel " + std::string(label) + " (" + fmt2(r.sentiment.score) + ") about " +
                 names + ". ";
  }
  if (r.fallback) {
    if (r.fallback_reason == "newer_than_catalogue") {
      a += ko ? "카탈로그는 " + std::to_string(newest_year_) + "년까지의 영화만 알고 있어요. "
              : "The catalogue only knows movies up to " + std::to_string(newest_year_) + ". ";
    } else {
      a += ko ? "카탈로그에서 딱 맞는 영화를 찾기 어려웠어요. "
              : "I could not find a strong match in the catalogue. ";
    }
  }
  if (!r.results.empty()) {
    a += ko ? "추천 영화:" : (r.fallback ? "The closest I have:" : "Recommendations:");
    for (size_t i = 0; i < r.results.size(); ++i) {
      const Movie& m = movies_[static_cast<size_t>(row_of(r.results[i].movie_id))];
      std::string g = m.genres;
      std::replace(g.begin(), g.end(), '|', ',');
      a += "\n" + std::to_string(i + 1) + ". " + m.title +
           (m.year ? " (" + std::to_string(m.year) + ")" : "") + " — " + g + " — " +
           r.results[i].why;
    }
  } else {
    a += ko ? "조건에 맞는 영화가 없어요." : "No movie in the catalogue meets that.";
  }
  r.answer = a;
  return r;
}

}  // namespace cinerag
