// libFuzzer target: the catalogue's optional tables (people, aliases, neighbours) with any
// contents — damaged varint id lists, ids out of order or unknown, names of any bytes, values of
// the wrong type — in an otherwise valid catalogue (a small fixture). Reading them must fail
// with kCorrupt or give well-formed values, and a recommender over them must answer a message
// naming those people and titles. Mutating whole SQLite files (fuzz_catalogue) seldom gets past
// the file's own checks to these rows; this target writes the rows with SQL instead.
#include <fuzzer/FuzzedDataProvider.h>
#include <sqlite3.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "store/id_list.h"

namespace {

std::vector<uint8_t> g_base;  // the fixture catalogue's bytes

constexpr int64_t kMaxId = 60;  // ids a little past the fixture's movies: known and unknown ones
constexpr size_t kMaxRows = 12;
const char* const kNeighbourKinds[] = {"ratings", "dialogues", "people", "franchise", ""};

using cinerag::fuzz::require;

// Small sentiment models with arbitrary weights (a recommender is built per input, and copying
// the shipped 3 MB per input would cost most of the run): some words read liked, some disliked.
std::unique_ptr<cinerag::Sentiment> small_sentiment() {
  constexpr int kBits = 10;
  std::vector<int8_t> weights(size_t{1} << kBits);
  for (size_t i = 0; i < weights.size(); ++i) weights[i] = static_cast<int8_t>(i * 37 % 255 - 127);
  const auto en = cinerag::SentimentModel::to_bytes(cinerag::SentimentLang::kEnglish, kBits, 0,
                                                    0.05f, 0.35f, 0.65f, weights);
  const auto ko = cinerag::SentimentModel::to_bytes(cinerag::SentimentLang::kKorean, kBits, 0,
                                                    0.05f, 0.35f, 0.65f, weights);
  cinerag::Error e;
  auto s = cinerag::Sentiment::from_bytes(en.data(), en.size(), ko.data(), ko.size(), &e);
  if (!s) cinerag::fuzz::broken("small sentiment models: " + e.message);
  return s;
}

// An id list: usually a valid encoding of ascending ids (to get past the reader), else any bytes.
std::string id_blob(FuzzedDataProvider& in) {
  if (in.ConsumeBool()) return in.ConsumeRandomLengthString(24);
  std::vector<int64_t> ids;
  for (int64_t id = -1, n = in.ConsumeIntegralInRange<int64_t>(0, 8); n > 0; --n) {
    id += in.ConsumeIntegralInRange<int64_t>(1, 20);
    ids.push_back(id);
  }
  std::vector<uint8_t> out;
  cinerag::encode_id_list(ids, &out);
  return std::string(out.begin(), out.end());
}

// Binds parameter i as text, as a blob, or as a value of another storage class.
void bind_any(sqlite3_stmt* s, int i, const std::string& bytes, bool blob, FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 9)) {
    case 0: sqlite3_bind_null(s, i); return;
    case 1: sqlite3_bind_int64(s, i, in.ConsumeIntegral<int64_t>()); return;
    case 2: sqlite3_bind_double(s, i, in.ConsumeFloatingPoint<double>()); return;
    case 3:
      blob = !blob;  // a text where a blob goes, and the other way round
      break;
    default: break;
  }
  if (blob) {
    sqlite3_bind_blob(s, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  } else {
    sqlite3_bind_text(s, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  }
}

// Adds one row to people, aliases or neighbours; `names` collects the names and titles written.
void add_row(sqlite3* db, FuzzedDataProvider& in, std::vector<std::string>* names) {
  const int table = in.ConsumeIntegralInRange(0, 2);
  const char* sql[] = {
      "INSERT OR REPLACE INTO people (person_id, name, names_ko, directed, starred) "
      "VALUES (?, ?, ?, ?, ?)",
      "INSERT OR REPLACE INTO aliases (movie_id, lang, title) VALUES (?, ?, ?)",
      "INSERT OR REPLACE INTO neighbours (kind, movie_id, ids, weights) VALUES (?, ?, ?, ?)"};
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql[table], -1, &s, nullptr) != SQLITE_OK)
    cinerag::fuzz::broken(sql[table]);
  const int64_t id = in.ConsumeIntegralInRange<int64_t>(-2, kMaxId);
  if (table == 0) {
    sqlite3_bind_int64(s, 1, id);
    names->push_back(in.ConsumeRandomLengthString(40));
    bind_any(s, 2, names->back(), false, in);
    names->push_back(in.ConsumeRandomLengthString(24));
    bind_any(s, 3, names->back(), false, in);
    bind_any(s, 4, id_blob(in), true, in);
    bind_any(s, 5, id_blob(in), true, in);
  } else if (table == 1) {
    sqlite3_bind_int64(s, 1, id);
    bind_any(s, 2, in.ConsumeRandomLengthString(4), false, in);
    names->push_back(in.ConsumeRandomLengthString(40));
    bind_any(s, 3, names->back(), false, in);
  } else {
    const char* kind = kNeighbourKinds[in.ConsumeIntegralInRange<size_t>(0, 4)];
    sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, id);
    bind_any(s, 3, id_blob(in), true, in);
    bind_any(s, 4, in.ConsumeRandomLengthString(10), true, in);
  }
  sqlite3_step(s);  // a NOT NULL column given NULL is refused: that row is simply not there
  sqlite3_finalize(s);
}

// The fixture's bytes with the fuzzer's rows in its optional tables.
std::vector<uint8_t> edited_catalogue(FuzzedDataProvider& in, std::vector<std::string>* names) {
  sqlite3* db = nullptr;
  sqlite3_open(":memory:", &db);
  auto* buffer = static_cast<unsigned char*>(sqlite3_malloc64(g_base.size()));
  std::memcpy(buffer, g_base.data(), g_base.size());
  if (sqlite3_deserialize(db, "main", buffer, static_cast<sqlite3_int64>(g_base.size()),
                          static_cast<sqlite3_int64>(g_base.size()),
                          SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) !=
      SQLITE_OK)
    cinerag::fuzz::broken("cannot load the fixture into SQLite");
  if (in.ConsumeBool())  // from empty tables, or on top of the fixture's own rows
    sqlite3_exec(db, "DELETE FROM people; DELETE FROM aliases; DELETE FROM neighbours", nullptr,
                 nullptr, nullptr);
  for (size_t n = in.ConsumeIntegralInRange<size_t>(0, kMaxRows); n > 0; --n)
    add_row(db, in, names);
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(db, "main", &size, 0);
  std::vector<uint8_t> out(bytes, bytes + size);
  sqlite3_free(bytes);
  sqlite3_close(db);
  return out;
}

// Every read of the optional tables: a failure says why; what reads is well formed.
void read_tables(const cinerag::Catalogue& c) {
  cinerag::Error e;
  std::vector<cinerag::PersonCredits> people;
  if (!c.read_people(&people, &e)) {
    cinerag::fuzz::require_reason(e);
    require(people.empty(), "no people from a failed read");
  }
  for (const auto& p : people) {
    for (const auto* ids : {&p.directed, &p.starred})
      for (size_t i = 0; i < ids->size(); ++i)
        require((*ids)[i] >= 0 && (i == 0 || (*ids)[i] > (*ids)[i - 1]), "credits ascend");
  }
  std::vector<cinerag::TitleAlias> aliases;
  if (!c.read_aliases(&aliases, &e)) cinerag::fuzz::require_reason(e);
  for (const std::string& kind : c.neighbour_kinds(&e)) {
    cinerag::NeighbourSet lists;
    if (!c.read_neighbours(kind, &lists, &e)) {
      cinerag::fuzz::require_reason(e);
      continue;
    }
    require(lists.offsets.size() == lists.movie_ids.size() + 1 &&
                lists.offsets.back() == lists.neighbours.size() &&
                lists.weights.size() == lists.neighbours.size(),
            "neighbour lists are whole");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  g_base = cinerag::fuzz::read_file(cinerag::fuzz::env_or("CINERAG_FUZZ_CATALOGUE", ""));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  {  // the id lists' decoder on bytes of its own: all of them, and a counted prefix
    const std::string blob = in.ConsumeRandomLengthString(32);
    const auto* b = reinterpret_cast<const uint8_t*>(blob.data());
    std::vector<int64_t> ids;
    if (cinerag::decode_id_list(b, blob.size(), -1, &ids)) {
      std::vector<int64_t> again;  // a valid list decodes the same with its count given
      require(cinerag::decode_id_list(b, blob.size(), static_cast<long long>(ids.size()), &again) &&
                  again == ids,
              "a valid list decodes the same with its count");
    }
  }
  std::vector<std::string> names;
  const std::vector<uint8_t> bytes = edited_catalogue(in, &names);
  cinerag::Error e;
  auto catalogue = cinerag::Catalogue::open(bytes.data(), bytes.size(), &e);
  if (!catalogue) std::abort();  // only optional tables changed: the file must still open
  read_tables(*catalogue);
  auto rec = cinerag::fuzz::recommender_from(bytes, small_sentiment(), &e);
  if (!rec) return cinerag::fuzz::require_reason(e), 0;
  // A message naming what was written, so that the matchers meet the fuzzer's names.
  cinerag::RecommendRequest req;
  std::string message = in.ConsumeRandomLengthString(64);
  for (size_t i = 0; i < names.size() && i < 3; ++i) message += " " + names[names.size() - 1 - i];
  req.turns.push_back({true, message + " movies"});
  cinerag::fuzz::check_answer(*rec, req);
  return 0;
}
