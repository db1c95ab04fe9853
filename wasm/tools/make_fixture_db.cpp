// Writes small catalogues for tests, fuzz seeds and benchmarks (synthetic vectors, fixed seed).
//   make_fixture_db OUT.db [--movies N] [--dims D] [--kind catalogue|other-schema|newer-version]
//                   [--vectors-out FILE]   (the f32 vectors, (N, D) little-endian, for oracles)
#include <sqlite3.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "search/kernels.h"
#include "store/catalogue.h"

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: make_fixture_db OUT.db [--movies N] [--dims D] "
               "[--kind catalogue|other-schema|newer-version] [--vectors-out FILE]\n");
  return 2;
}

// Titles the tests search for; the rest are numbered.
const char* const kTitles[] = {"Titanic",  "The Matrix",    "Toy Story 3",
                               "Parasite", "Spirited Away", "<img src=x onerror=alert(1)>"};

// Deterministic unit vector for movie i (the tests recompute it the same way).
std::vector<float> fixture_vector(uint32_t seed, size_t dims) {
  std::mt19937 rng(seed);
  std::vector<float> v(dims);
  double norm = 0;
  for (float& x : v) {
    // Uniform in [-1, 1) from the raw 32-bit output: identical on every platform.
    x = static_cast<float>(static_cast<double>(rng()) / 2147483648.0 - 1.0);
    norm += double{x} * x;
  }
  for (float& x : v) x = static_cast<float>(x / std::sqrt(norm));
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string out = argv[1];
  size_t movies = 200, dims = 512;
  std::string kind = "catalogue", vectors_out;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--movies")) {
      movies = std::stoul(argv[i + 1]);
    } else if (!std::strcmp(argv[i], "--dims")) {
      dims = std::stoul(argv[i + 1]);
    } else if (!std::strcmp(argv[i], "--kind")) {
      kind = argv[i + 1];
    } else if (!std::strcmp(argv[i], "--vectors-out")) {
      vectors_out = argv[i + 1];
    } else {
      return usage();
    }
  }
  cinerag::Error error;
  auto w = cinerag::CatalogueWriter::create(out, &error);
  if (!w) {
    std::fprintf(stderr, "make_fixture_db: %s\n", error.message.c_str());
    return 1;
  }
  bool ok = true;
  if (kind == "other-schema") {
    // A valid SQLite file that is not a catalogue: written with plain SQLite, no writer.
    w.reset();
    std::remove(out.c_str());
    sqlite3* db = nullptr;
    ok = sqlite3_open(out.c_str(), &db) == SQLITE_OK &&
         sqlite3_exec(db,
                      "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
                      "INSERT INTO notes (body) VALUES ('not a movie catalogue');",
                      nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    if (!ok) error.set(cinerag::ErrorCode::kIo, "cannot write " + out);
  } else {
    ok = w->add_vector_kind("content", dims, "fixture-random", "", &error);
    std::vector<int8_t> q(dims);
    std::FILE* raw = vectors_out.empty() ? nullptr : std::fopen(vectors_out.c_str(), "wb");
    if (!vectors_out.empty() && !raw) {
      std::fprintf(stderr, "make_fixture_db: cannot write %s\n", vectors_out.c_str());
      return 1;
    }
    for (size_t i = 0; ok && i < movies; ++i) {
      cinerag::Movie m;
      m.movie_id = static_cast<int64_t>(i + 1);
      m.title = i < std::size(kTitles) ? kTitles[i] : "Fixture Movie " + std::to_string(i + 1);
      m.year = 1950 + static_cast<int>(i % 70);
      m.genres = i % 2 ? "Drama|Romance" : "Action|Sci-Fi";
      m.overview = "A synthetic movie number " + std::to_string(i + 1) + " for tests.";
      if (i == 3) m.original_title = "기생충";
      const auto v = fixture_vector(static_cast<uint32_t>(i + 1), dims);
      if (raw) std::fwrite(v.data(), sizeof(float), dims, raw);
      const float scale = cinerag::quantize_i8(v.data(), dims, q.data());
      ok = w->add_movie(m, &error) &&
           w->add_vector("content", m.movie_id, q.data(), dims, scale, &error);
    }
    if (raw) std::fclose(raw);
    // A few people and a Korean title (schema 4), on the titled movies when there are enough.
    if (movies >= 4) {
      ok = ok && w->add_person({1, "James Cameron", {"제임스 카메론"}, {1}, {}}, &error) &&
           w->add_person({2, "Bong Joon-ho", {"봉준호"}, {4}, {}}, &error) &&
           w->add_person({3, "Keanu Reeves", {"키아누 리브스"}, {}, {2}}, &error) &&
           w->add_alias({1, "ko", "타이타닉"}, &error);
    }
    ok = ok && w->set_meta("model_name", "fixture-random", &error);
    ok = ok && w->finish(&error);
  }
  if (!ok) {
    std::fprintf(stderr, "make_fixture_db: %s\n", error.message.c_str());
    return 1;
  }
  if (kind == "newer-version") {
    // A catalogue from the future: same tables, a schema_version this build does not know.
    sqlite3* db = nullptr;
    const bool updated =
        sqlite3_open(out.c_str(), &db) == SQLITE_OK &&
        sqlite3_exec(db, "UPDATE meta SET value = '99' WHERE key = 'schema_version'", nullptr,
                     nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(db);
    if (!updated) {
      std::fprintf(stderr, "make_fixture_db: cannot rewrite schema_version\n");
      return 1;
    }
  }
  std::printf("wrote %s (%s, %zu movies, %zu dims)\n", out.c_str(), kind.c_str(),
              kind == "other-schema" ? size_t{0} : movies, dims);
  return 0;
}
