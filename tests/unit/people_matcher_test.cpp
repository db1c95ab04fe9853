// The people matcher on a tiny hand-made catalogue: full names in either case and word order,
// "'s", surnames only with a cue, Korean names with particles and cues, Korean spellings of
// foreign names by sound only next to a cue, and the role a cue asks for.
#include <gtest/gtest.h>

#include <cmath>

#include "recommend/catalogue_index.h"
#include "recommend/people.h"
#include "search/kernels.h"

namespace cinerag {
namespace {

constexpr size_t kDims = 4;

// Movies 1..12 (all in the catalogue), people credited with some of them and with movie 99,
// which the catalogue does not have.
std::vector<uint8_t> catalogue_bytes() {
  Error e;
  auto w = CatalogueWriter::create("", &e);
  EXPECT_TRUE(w) << e.message;
  EXPECT_TRUE(w->add_vector_kind("content", kDims, "test", "", &e)) << e.message;
  for (int64_t id = 1; id <= 12; ++id) {
    Movie m;
    m.movie_id = id;
    m.title = "Film " + std::to_string(id);
    m.year = 1990 + static_cast<int>(id);
    m.genres = "Drama";
    m.vote_count = 1000;
    m.vote_average = 7.0;
    EXPECT_TRUE(w->add_movie(m, &e)) << e.message;
    std::vector<int8_t> v(kDims, 0);
    v[static_cast<size_t>(id) % kDims] = 127;
    EXPECT_TRUE(w->add_vector("content", id, v.data(), v.size(), 1.0f / 127, &e)) << e.message;
  }
  auto person = [&](int64_t pid, const char* name, std::vector<std::string> ko,
                    std::vector<int64_t> directed, std::vector<int64_t> starred) {
    PersonCredits p;
    p.person_id = pid;
    p.name = name;
    p.names_ko = std::move(ko);
    p.directed = std::move(directed);
    p.starred = std::move(starred);
    EXPECT_TRUE(w->add_person(p, &e)) << e.message;
  };
  person(1, "Christopher Nolan", {}, {1, 2, 3}, {});
  person(2, "Bong Joon-ho", {"봉준호"}, {4, 5, 6}, {});
  person(3, "Tom Hanks", {}, {}, {7, 8, 9});
  person(4, "Peter Sellers", {}, {}, {10, 11, 12});
  person(5, "Song Kang-ho", {"송강호"}, {}, {4, 5});
  person(6, "Jonathan Nolan", {}, {2}, {});  // one film: not notable enough for "Nolan" alone
  person(7, "Ghost Writer", {}, {99}, {});   // credited only with a film not in the catalogue
  auto bytes = w->finish_to_bytes(&e);
  EXPECT_FALSE(bytes.empty()) << e.message;
  return bytes;
}

class PeopleMatcherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Error e;
    bytes_ = new std::vector<uint8_t>(catalogue_bytes());
    index_ =
        CatalogueIndex::build(Catalogue::open(bytes_->data(), bytes_->size(), &e), &e).release();
    ASSERT_NE(index_, nullptr) << e.message;
    table_ = MovieTable::build(*index_, CatalogueTuning{}, &e).release();
    ASSERT_NE(table_, nullptr) << e.message;
    std::vector<PersonCredits> people;
    ASSERT_TRUE(index_->catalogue().read_people(&people, &e)) << e.message;
    matcher_ = new PeopleMatcher(people, *table_);
  }
  static void TearDownTestSuite() {
    delete matcher_;
    delete table_;
    delete index_;
    delete bytes_;
  }

  // The names of the people found in `text`, in order.
  static std::vector<std::string> found(const std::string& text) {
    std::vector<std::string> out;
    for (const PersonMention& m : matcher_->find(split_words(text))) {
      out.push_back(matcher_->people()[m.person].name);
    }
    return out;
  }
  static PersonMention only(const std::string& text) {
    const std::vector<PersonMention> m = matcher_->find(split_words(text));
    EXPECT_EQ(m.size(), 1u) << text;
    return m.empty() ? PersonMention{} : m[0];
  }
  static std::vector<int64_t> ids(const std::vector<Row>& rows) {
    std::vector<int64_t> out;
    for (Row r : rows) out.push_back(table_->movie(r).movie_id);
    return out;
  }

  static std::vector<uint8_t>* bytes_;
  static CatalogueIndex* index_;
  static MovieTable* table_;
  static PeopleMatcher* matcher_;
};

std::vector<uint8_t>* PeopleMatcherTest::bytes_ = nullptr;
CatalogueIndex* PeopleMatcherTest::index_ = nullptr;
MovieTable* PeopleMatcherTest::table_ = nullptr;
PeopleMatcher* PeopleMatcherTest::matcher_ = nullptr;

using Names = std::vector<std::string>;

TEST_F(PeopleMatcherTest, PeopleWithoutCataloguedFilmsAreDropped) {
  ASSERT_EQ(matcher_->people().size(), 6u);
  for (const Person& p : matcher_->people()) EXPECT_NE(p.name, "Ghost Writer");
  EXPECT_TRUE(found("anything by Ghost Writer").empty());
}

TEST_F(PeopleMatcherTest, FullNamesInEitherCaseAndOrder) {
  EXPECT_EQ(found("I love Christopher Nolan"), Names{"Christopher Nolan"});
  EXPECT_EQ(found("i love christopher nolan"), Names{"Christopher Nolan"});
  EXPECT_EQ(found("Bong Joon-ho is great"), Names{"Bong Joon-ho"});
  EXPECT_EQ(found("Joon-ho Bong is great"), Names{"Bong Joon-ho"});
  EXPECT_EQ(found("Christopher Nolan's best"), Names{"Christopher Nolan"});
  EXPECT_EQ(found("Tom Hanks and Song Kang-ho"), (Names{"Tom Hanks", "Song Kang-ho"}));
  const PersonMention m = only("I love Tom Hanks!");
  const std::string text = "I love Tom Hanks!";
  EXPECT_EQ(text.substr(m.begin, m.end - m.begin), "Tom Hanks");
  EXPECT_EQ(m.first_word, 2u);
  EXPECT_EQ(m.last_word, 3u);
  EXPECT_FALSE(m.cued);
  EXPECT_TRUE(found("Tom. Hanks").empty());  // not across a sentence break
}

TEST_F(PeopleMatcherTest, SurnameAloneOnlyWithACue) {
  EXPECT_EQ(found("Nolan films please"), Names{"Christopher Nolan"});
  EXPECT_EQ(found("something directed by Nolan"), Names{"Christopher Nolan"});
  EXPECT_TRUE(only("Nolan films please").cued);
  EXPECT_TRUE(found("I like Nolan").empty());
  EXPECT_TRUE(found("nolan films please").empty());  // a lower-case word is no name
  EXPECT_EQ(found("Hanks movies"), Names{"Tom Hanks"});
  // Jonathan Nolan (one film) is found by his full name only.
  EXPECT_EQ(found("Jonathan Nolan films"), Names{"Jonathan Nolan"});
}

TEST_F(PeopleMatcherTest, KoreanNamesWithParticlesAndCues) {
  EXPECT_EQ(found("봉준호의 영화"), Names{"Bong Joon-ho"});
  EXPECT_EQ(found("봉준호 감독 영화 추천해줘"), Names{"Bong Joon-ho"});
  EXPECT_EQ(found("봉준호감독 작품"), Names{"Bong Joon-ho"});
  EXPECT_EQ(found("송강호가 나오는 영화"), Names{"Song Kang-ho"});
  const PersonMention m = only("봉준호 감독");
  EXPECT_EQ(m.role, PersonRole::kDirector);
  EXPECT_TRUE(m.cued);
  EXPECT_EQ(only("송강호 주연").role, PersonRole::kCast);
  EXPECT_TRUE(found("봉준 영화").empty());
}

// A name ends at its cue even with words after it: "봉준호 감독 영화" asks for Bong as a director.
TEST_F(PeopleMatcherTest, KoreanCueFollowedByAWordKeepsTheRole) {
  const PersonMention m = only("봉준호 감독 영화 추천해줘");
  EXPECT_EQ(m.role, PersonRole::kDirector);
  EXPECT_TRUE(m.cued);
}

TEST_F(PeopleMatcherTest, KoreanSpellingsBySoundOnlyNextToACue) {
  EXPECT_EQ(found("톰 행크스 영화 추천해줘"), Names{"Tom Hanks"});
  EXPECT_EQ(found("크리스토퍼 놀란 감독"), Names{"Christopher Nolan"});
  EXPECT_TRUE(found("톰 행크스").empty());
  // 포터 시리즈 ("the Potter series") sounds like Peter Sellers: no cue, no person.
  EXPECT_TRUE(found("포터 시리즈 추천해줘").empty());
  EXPECT_EQ(found("피터 셀러스 영화"), Names{"Peter Sellers"});
}

// A sound match does not start inside a Korean phrase: "해리 포터 시리즈 영화" ("Harry Potter
// series films") has "포터 시리즈", which sounds like Peter Sellers.
TEST_F(PeopleMatcherTest, SoundMatchDoesNotTakeTheEndOfATitle) {
  EXPECT_TRUE(found("해리 포터 시리즈 영화 추천해줘").empty());
}

TEST_F(PeopleMatcherTest, RolesAndFilms) {
  EXPECT_EQ(only("directed by Christopher Nolan").role, PersonRole::kDirector);
  EXPECT_EQ(only("starring Tom Hanks").role, PersonRole::kCast);
  EXPECT_EQ(only("with Song Kang-ho").role, PersonRole::kCast);
  EXPECT_EQ(only("Tom Hanks movies").role, PersonRole::kAny);
  EXPECT_TRUE(only("Tom Hanks movies").cued);
  EXPECT_EQ(only("Christopher Nolan directed it").role, PersonRole::kDirector);
  const PersonMention song = only("Song Kang-ho movies");
  EXPECT_EQ(ids(matcher_->films(song.person, PersonRole::kCast)), (std::vector<int64_t>{4, 5}));
  EXPECT_TRUE(matcher_->films(song.person, PersonRole::kDirector).empty());
  EXPECT_EQ(ids(matcher_->films(song.person, PersonRole::kAny)), (std::vector<int64_t>{4, 5}));
  const PersonMention nolan = only("Christopher Nolan");
  EXPECT_EQ(ids(matcher_->films(nolan.person, PersonRole::kDirector)),
            (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(matcher_->people()[nolan.person].films(), 3u);
}

}  // namespace
}  // namespace cinerag
