// The catalogue store: written by the writer, read back from bytes; every kind of bad file fails
// with its own error value and never crashes.
#include "store/catalogue.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>

#include "recommend/catalogue_index.h"
#include "search/kernels.h"

namespace cinerag {
namespace {

constexpr size_t kDims = 16;

std::vector<float> unit_vector(int seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> v(kDims);
  double n = 0;
  for (float& x : v) {
    x = normal(rng);
    n += double{x} * x;
  }
  for (float& x : v) x = static_cast<float>(x / std::sqrt(n));
  return v;
}

std::vector<uint8_t> small_catalogue(size_t movies = 5) {
  Error e;
  auto w = CatalogueWriter::create("", &e);
  EXPECT_TRUE(w) << e.message;
  EXPECT_TRUE(w->add_vector_kind("content", kDims, "test-model", "abc", &e)) << e.message;
  const char* titles[] = {"Titanic", "The Matrix", "Parasite", "Toy Story 3", "Amélie"};
  for (size_t i = 0; i < movies; ++i) {
    Movie m;
    m.movie_id = static_cast<int64_t>(10 * (i + 1));
    m.title = i < 5 ? titles[i] : "Movie " + std::to_string(i);
    m.year = 1990 + static_cast<int>(i);
    m.genres = "Drama|Romance";
    m.overview = i == 0 ? "A ship hits an iceberg and a love story ends." : "Something else.";
    if (i == 2) m.original_title = "기생충";
    EXPECT_TRUE(w->add_movie(m, &e)) << e.message;
    int8_t q[kDims];
    const auto v = unit_vector(static_cast<int>(i));
    const float scale = quantize_i8(v.data(), kDims, q);
    EXPECT_TRUE(w->add_vector("content", m.movie_id, q, kDims, scale, &e)) << e.message;
  }
  EXPECT_TRUE(w->set_meta("model_name", "test-model", &e));
  auto bytes = w->finish_to_bytes(&e);
  EXPECT_FALSE(bytes.empty()) << e.message;
  return bytes;
}

std::unique_ptr<Catalogue> open_bytes(const std::vector<uint8_t>& b, Error* e) {
  return Catalogue::open(b.data(), b.size(), e);
}

TEST(Catalogue, RoundTripsThroughBytes) {
  const auto bytes = small_catalogue();
  Error e;
  auto c = open_bytes(bytes, &e);
  ASSERT_TRUE(c) << e.message;
  EXPECT_EQ(c->schema_version(), kCatalogueSchemaVersion);
  EXPECT_EQ(c->movie_count(), 5u);
  EXPECT_EQ(c->meta("model_name"), "test-model");
  EXPECT_EQ(c->meta("movie_count"), "5");
  EXPECT_FALSE(c->meta("built_at").empty());
  EXPECT_EQ(c->meta("no such key"), "");
  EXPECT_EQ(c->vector_kinds(&e), std::vector<std::string>{"content"});

  Movie m;
  ASSERT_TRUE(c->movie(30, &m, &e)) << e.message;
  EXPECT_EQ(m.title, "Parasite");
  EXPECT_EQ(m.original_title, "기생충");
  EXPECT_EQ(m.year, 1992);
  EXPECT_FALSE(c->movie(31, &m, &e));
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);

  VectorSet vs;
  ASSERT_TRUE(c->read_vectors("content", &vs, &e)) << e.message;
  EXPECT_EQ(vs.dims, kDims);
  EXPECT_EQ(vs.movie_ids, (std::vector<int64_t>{10, 20, 30, 40, 50}));
  EXPECT_EQ(vs.rows.size(), 5 * kDims);
  EXPECT_FALSE(c->read_vectors("collab", &vs, &e));
}

TEST(Catalogue, TextSearchUsesFts5Bm25) {
  const auto bytes = small_catalogue();
  Error e;
  auto c = open_bytes(bytes, &e);
  ASSERT_TRUE(c) << e.message;
  auto hits = c->search_text("titanic", 5, &e);
  ASSERT_EQ(hits.size(), 1u) << e.message;
  EXPECT_EQ(hits[0].movie_id, 10);
  hits = c->search_text("iceberg love", 5, &e);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].movie_id, 10);
  hits = c->search_text("기생충", 5, &e);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].movie_id, 30);
  hits = c->search_text("amelie", 5, &e);  // diacritics folded
  ASSERT_EQ(hits.size(), 1u);
  // FTS5 syntax in user text is just text: no error, the words still match.
  hits = c->search_text("\"Titanic\" AND (NEAR* ^ : -", 5, &e);
  EXPECT_TRUE(e.ok()) << e.message;
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].movie_id, 10);
  EXPECT_TRUE(c->search_text("*** ((( ^^^", 5, &e).empty());
  EXPECT_TRUE(e.ok()) << e.message;
}

TEST(Catalogue, IndexFindsMoviesByVector) {
  const auto bytes = small_catalogue(50);
  Error e;
  auto index = CatalogueIndex::build(open_bytes(bytes, &e), &e);
  ASSERT_TRUE(index) << e.message;
  EXPECT_EQ(index->size(), 50u);
  const auto v = unit_vector(2);  // movie 30's vector
  MovieHit hits[3];
  ASSERT_EQ(index->search(v.data(), 3, Kernel::kAuto, hits), 3u);
  EXPECT_EQ(hits[0].movie_id, 30);
  EXPECT_NEAR(hits[0].score, 1.0f, 0.02f);
}

TEST(Catalogue, IndexSearchesThroughTheProjection) {
  // Stored vectors keep every other coordinate; queries arrive in the full space. The movies'
  // vectors live in the kept coordinates (odd ones 0), so the projection loses nothing of them.
  auto movie_vector = [](int i) {
    std::vector<float> v = unit_vector(i);
    double n = 0;
    for (size_t d = 0; d < kDims; ++d) {
      if (d % 2) v[d] = 0;
      n += double(v[d]) * v[d];
    }
    for (float& x : v) x = static_cast<float>(x / std::sqrt(n));
    return v;
  };
  const size_t out_dims = kDims / 2;
  std::vector<float> matrix(out_dims * kDims, 0.0f);  // (out_dims, kDims)
  for (size_t o = 0; o < out_dims; ++o) matrix[o * kDims + 2 * o] = 1.0f;
  Error e;
  auto w = CatalogueWriter::create("", &e);
  ASSERT_TRUE(w) << e.message;
  ASSERT_TRUE(w->add_vector_kind("content", out_dims, "m", "", &e));
  ASSERT_TRUE(w->add_projection("content", kDims, out_dims, matrix.data(), &e)) << e.message;
  for (int i = 0; i < 20; ++i) {
    Movie m;
    m.movie_id = 100 + i;
    m.title = "Movie " + std::to_string(i);
    ASSERT_TRUE(w->add_movie(m, &e));
    const auto v = movie_vector(i);
    std::vector<float> p(out_dims);
    for (size_t o = 0; o < out_dims; ++o) p[o] = v[2 * o];
    std::vector<int8_t> q(out_dims);
    const float scale = quantize_i8(p.data(), out_dims, q.data());
    ASSERT_TRUE(w->add_vector("content", m.movie_id, q.data(), out_dims, scale, &e));
  }
  const auto bytes = w->finish_to_bytes(&e);
  auto index = CatalogueIndex::build(open_bytes(bytes, &e), &e);
  ASSERT_TRUE(index) << e.message;
  EXPECT_EQ(index->dims(), kDims);
  EXPECT_EQ(index->stored_dims(), out_dims);
  const auto v = movie_vector(7);
  MovieHit hits[1];
  ASSERT_EQ(index->search(v.data(), 1, Kernel::kAuto, hits), 1u);
  EXPECT_EQ(hits[0].movie_id, 107);
}

TEST(Catalogue, EmptyBytes) {
  Error e;
  EXPECT_FALSE(Catalogue::open(nullptr, 0, &e));
  EXPECT_EQ(e.code, ErrorCode::kEmpty);
}

TEST(Catalogue, RandomBytes) {
  std::vector<uint8_t> junk(8192);
  std::mt19937 rng(3);
  for (auto& b : junk) b = static_cast<uint8_t>(rng());
  Error e;
  EXPECT_FALSE(open_bytes(junk, &e));
  EXPECT_EQ(e.code, ErrorCode::kNotADatabase);
  EXPECT_FALSE(e.message.empty());
}

TEST(Catalogue, EveryTruncationFailsCleanly) {
  const auto bytes = small_catalogue(40);
  for (size_t keep : {size_t{1}, size_t{50}, size_t{100}, size_t{4096}, bytes.size() / 2,
                      bytes.size() - 4096, bytes.size() - 1}) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + keep);
    Error e;
    EXPECT_FALSE(open_bytes(cut, &e)) << "kept " << keep;
    EXPECT_TRUE(e.code == ErrorCode::kNotADatabase || e.code == ErrorCode::kCorrupt)
        << keep << ": " << e.message;
  }
}

TEST(Catalogue, CorruptPagesFailAsErrors) {
  const auto bytes = small_catalogue(40);
  size_t opened = 0;
  for (size_t page = 1; page * 4096 < bytes.size(); ++page) {
    std::vector<uint8_t> bad = bytes;
    for (size_t i = page * 4096; i < page * 4096 + 4096 && i < bad.size(); ++i) bad[i] ^= 0x5A;
    Error e;
    auto c = open_bytes(bad, &e);
    if (!c) {
      EXPECT_NE(e.code, ErrorCode::kOk);
      continue;
    }
    // It may open (the damage is in data pages), but reading must fail cleanly or succeed.
    VectorSet vs;
    c->read_vectors("content", &vs, &e);
    Movie m;
    c->movie(10, &m, &e);
    ++opened;
  }
  SUCCEED() << opened << " damaged files opened and were read without crashing";
}

TEST(Catalogue, ValidSqliteWithAnotherSchema) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  sqlite3_exec(
      db,
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, 'hi')",
      nullptr, nullptr, nullptr);
  sqlite3_int64 size = 0;
  unsigned char* raw = sqlite3_serialize(db, "main", &size, 0);
  std::vector<uint8_t> bytes(raw, raw + size);
  sqlite3_free(raw);
  sqlite3_close(db);
  Error e;
  EXPECT_FALSE(open_bytes(bytes, &e));
  EXPECT_EQ(e.code, ErrorCode::kWrongSchema) << e.message;
}

// The catalogue's bytes with one SQL statement applied to them.
std::vector<uint8_t> rewritten(const std::vector<uint8_t>& bytes, const char* sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  unsigned char* buf = static_cast<unsigned char*>(sqlite3_malloc64(bytes.size()));
  std::copy(bytes.begin(), bytes.end(), buf);
  EXPECT_EQ(sqlite3_deserialize(db, "main", buf, bytes.size(), bytes.size(),
                                SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE),
            SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  sqlite3_int64 size = 0;
  unsigned char* raw = sqlite3_serialize(db, "main", &size, 0);
  std::vector<uint8_t> out(raw, raw + size);
  sqlite3_free(raw);
  sqlite3_close(db);
  return out;
}

TEST(Catalogue, NewerSchemaVersionIsRefused) {
  const auto newer =
      rewritten(small_catalogue(), "UPDATE meta SET value = '99' WHERE key = 'schema_version'");
  Error e;
  EXPECT_FALSE(open_bytes(newer, &e));
  EXPECT_EQ(e.code, ErrorCode::kUnsupportedVersion) << e.message;
  EXPECT_NE(e.message.find("newer"), std::string::npos) << e.message;
}

TEST(Catalogue, OlderSchemaVersionAsksForARebuild) {
  const auto older =
      rewritten(small_catalogue(), "UPDATE meta SET value = '1' WHERE key = 'schema_version'");
  Error e;
  EXPECT_FALSE(open_bytes(older, &e));
  EXPECT_EQ(e.code, ErrorCode::kUnsupportedVersion) << e.message;
  EXPECT_NE(e.message.find("rebuild"), std::string::npos) << e.message;
}

// Schema 4: people with their credits and Korean names, and Korean titles, read back as written.
std::vector<uint8_t> people_catalogue() {
  Error e;
  auto w = CatalogueWriter::create("", &e);
  EXPECT_TRUE(w) << e.message;
  for (int64_t id : {10, 20, 30, 202439}) {
    Movie m;
    m.movie_id = id;
    m.title = "Movie " + std::to_string(id);
    EXPECT_TRUE(w->add_movie(m, &e)) << e.message;
  }
  PersonCredits bong{7, "Bong Joon-ho", {"봉준호"}, {202439, 30, 30}, {}};
  PersonCredits hanks{3, "Tom Hanks", {"톰 행크스", "톰 헹크스"}, {}, {20, 10}};
  EXPECT_TRUE(w->add_person(bong, &e)) << e.message;
  EXPECT_TRUE(w->add_person(hanks, &e)) << e.message;
  EXPECT_TRUE(w->add_alias({10, "ko", "타이타닉"}, &e)) << e.message;
  EXPECT_TRUE(w->add_alias({202439, "ko", "기생충"}, &e)) << e.message;
  EXPECT_TRUE(w->add_alias({10, "ko", "타이타닉"}, &e)) << e.message;  // again: no-op
  auto bytes = w->finish_to_bytes(&e);
  EXPECT_FALSE(bytes.empty()) << e.message;
  return bytes;
}

TEST(Catalogue, PeopleAndAliasesRoundTrip) {
  Error e;
  auto c = open_bytes(people_catalogue(), &e);
  ASSERT_TRUE(c) << e.message;
  EXPECT_EQ(c->schema_version(), 4);
  std::vector<PersonCredits> people;
  ASSERT_TRUE(c->read_people(&people, &e)) << e.message;
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[0].person_id, 3);  // person_id order
  EXPECT_EQ(people[0].name, "Tom Hanks");
  EXPECT_EQ(people[0].names_ko, (std::vector<std::string>{"톰 행크스", "톰 헹크스"}));
  EXPECT_TRUE(people[0].directed.empty());
  EXPECT_EQ(people[0].starred, (std::vector<int64_t>{10, 20}));  // ascending
  EXPECT_EQ(people[1].name, "Bong Joon-ho");
  EXPECT_EQ(people[1].names_ko, (std::vector<std::string>{"봉준호"}));
  EXPECT_EQ(people[1].directed, (std::vector<int64_t>{30, 202439}));  // repeat dropped
  EXPECT_TRUE(people[1].starred.empty());
  std::vector<TitleAlias> aliases;
  ASSERT_TRUE(c->read_aliases(&aliases, &e)) << e.message;
  ASSERT_EQ(aliases.size(), 2u);
  EXPECT_EQ(aliases[0].movie_id, 10);
  EXPECT_EQ(aliases[0].lang, "ko");
  EXPECT_EQ(aliases[0].title, "타이타닉");
  EXPECT_EQ(aliases[1].movie_id, 202439);
  EXPECT_EQ(aliases[1].title, "기생충");
}

TEST(CatalogueWriter, RefusesBadPeopleAndAliases) {
  Error e;
  auto w = CatalogueWriter::create("", &e);
  ASSERT_TRUE(w) << e.message;
  EXPECT_FALSE(w->add_person({1, "A", {"가|나"}, {}, {}}, &e));
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(w->add_person({2, "B", {}, {-5, 3}, {}}, &e));
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(w->add_person({3, "C", {}, {}, {}}, &e)) << e.message;
  EXPECT_FALSE(w->add_person({3, "C again", {}, {}, {}}, &e));  // person_id is the key
  EXPECT_FALSE(w->add_alias({1, "", "x"}, &e));
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
}

TEST(Catalogue, Version3FileWithoutPeopleOrAliasesReadsEmpty) {
  const auto v3 = rewritten(people_catalogue(),
                            "DROP TABLE people; DROP TABLE aliases; "
                            "UPDATE meta SET value = '3' WHERE key = 'schema_version'");
  Error e;
  auto c = open_bytes(v3, &e);
  ASSERT_TRUE(c) << e.message;
  EXPECT_EQ(c->schema_version(), 3);
  std::vector<PersonCredits> people{PersonCredits{}};
  std::vector<TitleAlias> aliases{TitleAlias{}};
  EXPECT_TRUE(c->read_people(&people, &e)) << e.message;
  EXPECT_TRUE(c->read_aliases(&aliases, &e)) << e.message;
  EXPECT_TRUE(people.empty());
  EXPECT_TRUE(aliases.empty());
}

TEST(Catalogue, PeopleTableWithoutItsColumnsIsAnotherSchema) {
  const auto odd =
      rewritten(people_catalogue(), "DROP TABLE people; CREATE TABLE people (person_id INTEGER)");
  Error e;
  EXPECT_FALSE(open_bytes(odd, &e));
  EXPECT_EQ(e.code, ErrorCode::kWrongSchema) << e.message;
}

TEST(Catalogue, DamagedCreditsAreCorrupt) {
  // A varint that runs past its blob, an id list that goes back, 10 continuation bytes, text.
  for (const char* sql : {"UPDATE people SET directed = x'80' WHERE person_id = 7",
                          "UPDATE people SET starred = x'0a00' WHERE person_id = 3",
                          "UPDATE people SET starred = x'ffffffffffffffffff01' WHERE person_id = 3",
                          "UPDATE people SET directed = 'abc' WHERE person_id = 7"}) {
    auto c = open_bytes(rewritten(people_catalogue(), sql), nullptr);
    ASSERT_TRUE(c) << sql;
    std::vector<PersonCredits> people;
    Error e;
    EXPECT_FALSE(c->read_people(&people, &e)) << sql;
    EXPECT_EQ(e.code, ErrorCode::kCorrupt) << sql;
    EXPECT_NE(e.message.find("credits of person"), std::string::npos) << e.message;
    EXPECT_TRUE(people.empty());
  }
}

TEST(Catalogue, NeighbourListsRoundTripCompactly) {
  Error e;
  auto w = CatalogueWriter::create("", &e);
  ASSERT_TRUE(w) << e.message;
  for (int64_t id : {1, 2, 300, 70000}) {
    Movie m;
    m.movie_id = id;
    m.title = "Movie " + std::to_string(id);
    ASSERT_TRUE(w->add_movie(m, &e)) << e.message;
  }
  ASSERT_TRUE(w->add_neighbours("ratings", 2, {{70000, 0.5f}, {1, 1.0f}, {300, 0.004f}}, &e));
  ASSERT_TRUE(w->add_neighbours("ratings", 1, {{2, 2.0f}}, &e));  // clamped to 1
  ASSERT_TRUE(w->add_neighbours("dialogues", 300, {}, &e));
  EXPECT_FALSE(w->add_neighbours("ratings", 300, {{1, 0.5f}, {1, 0.2f}}, &e));
  const auto bytes = w->finish_to_bytes(&e);
  auto c = open_bytes(bytes, &e);
  ASSERT_TRUE(c) << e.message;
  EXPECT_EQ(c->neighbour_kinds(&e), (std::vector<std::string>{"dialogues", "ratings"}));
  NeighbourSet n;
  ASSERT_TRUE(c->read_neighbours("ratings", &n, &e)) << e.message;
  EXPECT_EQ(n.movie_ids, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(n.offsets, (std::vector<uint32_t>{0, 1, 4}));
  EXPECT_EQ(n.neighbours, (std::vector<int64_t>{2, 1, 300, 70000}));  // ascending per owner
  EXPECT_FLOAT_EQ(n.weights[0], 1.0f);
  EXPECT_FLOAT_EQ(n.weights[1], 1.0f);
  EXPECT_NEAR(n.weights[2], 0.004f, 0.51f / 255);
  EXPECT_NEAR(n.weights[3], 0.5f, 0.51f / 255);
  ASSERT_TRUE(c->read_neighbours("people", &n, &e));  // absent kind: no lists
  EXPECT_TRUE(n.movie_ids.empty());

  const auto damaged = rewritten(bytes, "UPDATE neighbours SET ids = x'80' WHERE movie_id = 2");
  auto d = open_bytes(damaged, &e);
  ASSERT_TRUE(d) << e.message;
  EXPECT_FALSE(d->read_neighbours("ratings", &n, &e));
  EXPECT_EQ(e.code, ErrorCode::kCorrupt);
  EXPECT_NE(e.message.find("'ratings' neighbours of movie 2"), std::string::npos) << e.message;
}

TEST(Catalogue, AltTitlesTagsAndAllMoviesRoundTrip) {
  Error e;
  auto w = CatalogueWriter::create("", &e);
  ASSERT_TRUE(w) << e.message;
  Movie m;
  m.movie_id = 47;
  m.title = "Seven";
  m.alt_titles = "Se7en";
  m.tags = "twist ending, serial killer";
  ASSERT_TRUE(w->add_movie(m, &e)) << e.message;
  m.movie_id = 48;
  m.title = "Pocahontas";
  m.alt_titles.clear();
  m.tags.clear();
  ASSERT_TRUE(w->add_movie(m, &e)) << e.message;
  const auto bytes = w->finish_to_bytes(&e);
  auto c = open_bytes(bytes, &e);
  ASSERT_TRUE(c) << e.message;
  std::vector<Movie> all;
  ASSERT_TRUE(c->movies(&all, &e)) << e.message;
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].alt_titles, "Se7en");
  EXPECT_EQ(all[0].tags, "twist ending, serial killer");
  EXPECT_EQ(all[1].title, "Pocahontas");
  // The text index covers alternate titles and tags.
  auto hits = c->search_text("se7en", 5, &e);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].movie_id, 47);
  hits = c->search_text("twist", 5, &e);
  ASSERT_EQ(hits.size(), 1u);
}

TEST(Catalogue, ProjectionRoundTripsAndIsChecked) {
  Error e;
  auto w = CatalogueWriter::create("", &e);
  ASSERT_TRUE(w) << e.message;
  ASSERT_TRUE(w->add_vector_kind("content", 2, "m", "", &e));
  const float matrix[2 * 3] = {1, 0, 0, 0, 0.5f, 0.5f};          // (2, 3)
  EXPECT_FALSE(w->add_projection("content", 3, 4, matrix, &e));  // kind has 2 dims
  EXPECT_FALSE(w->add_projection("collab", 3, 2, matrix, &e));   // no such kind
  ASSERT_TRUE(w->add_projection("content", 3, 2, matrix, &e)) << e.message;
  const auto bytes = w->finish_to_bytes(&e);
  auto c = open_bytes(bytes, &e);
  ASSERT_TRUE(c) << e.message;
  Projection p;
  ASSERT_TRUE(c->read_projection("content", &p, &e)) << e.message;
  EXPECT_EQ(p.in_dims, 3u);
  EXPECT_EQ(p.out_dims, 2u);
  EXPECT_EQ(p.matrix, std::vector<float>(matrix, matrix + 6));
  ASSERT_TRUE(c->read_projection("other", &p, &e));
  EXPECT_EQ(p.in_dims, 0u);

  const auto bad = rewritten(bytes, "UPDATE projections SET matrix = x'00112233'");
  auto c2 = open_bytes(bad, &e);
  ASSERT_TRUE(c2) << e.message;
  EXPECT_FALSE(c2->read_projection("content", &p, &e));
  EXPECT_EQ(e.code, ErrorCode::kCorrupt);
}

TEST(Catalogue, WrongVectorLengthIsCorrupt) {
  Error e;
  auto w = CatalogueWriter::create("", &e);
  ASSERT_TRUE(w);
  ASSERT_TRUE(w->add_vector_kind("content", 4, "", "", &e));
  const int8_t v[8] = {};
  EXPECT_FALSE(w->add_vector("content", 1, v, 8, 1.0f, &e));
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(w->add_vector("collab", 1, v, 4, 1.0f, &e));
}

TEST(CatalogueWriter, FileAppearsOnlyWhenFinished) {
  const std::string path = CINERAG_BINARY_DIR "/writer_test.db";
  std::remove(path.c_str());
  Error e;
  {
    auto w = CatalogueWriter::create(path, &e);
    ASSERT_TRUE(w) << e.message;
    ASSERT_TRUE(w->add_vector_kind("content", kDims, "", "", &e));
    // Dropped without finish(): an interrupted build.
  }
  EXPECT_FALSE(std::ifstream(path).good());
  EXPECT_FALSE(std::ifstream(path + ".tmp").good());
  {
    auto w = CatalogueWriter::create(path, &e);
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->add_vector_kind("content", kDims, "", "", &e));
    ASSERT_TRUE(w->finish(&e)) << e.message;
  }
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  auto c = open_bytes(bytes, &e);
  ASSERT_TRUE(c) << e.message;
  EXPECT_EQ(c->movie_count(), 0u);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace cinerag
