// Directors and lead cast per MovieLens movie, merged from every cast & crew source in
// ../shared/data/people, the Wikipedia cast lists and kmrd's Korean names (native only).
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/error.h"
#include "data/sources.h"

namespace cinerag {

// The sources, in the order their directors are preferred (../shared/README.md: IMDB 5000 and
// MeLU agree 100%, cinemate 97%, entity2rec ~91%, HetRec 80-87%: "Prefer HetRec last").
enum class PeopleSource : uint8_t {
  kImdb5000,
  kMelu,
  kCinemate,
  kEntity2rec,
  kWikipedia,  // cast only
  kHetrec,     // directors only
};
constexpr size_t kPeopleSources = 6;
const char* people_source_name(PeopleSource source);  // "imdb5000", "melu", ...

// One record of one source: a film and the names it credits, cleaned but spelled as the source
// spells them. Which key is set depends on the source (see each reader).
struct FilmCredits {
  int64_t movie_id = 0;  // MovieLens movieId; 0 until imdb_id or title+year is resolved
  std::string imdb_id;   // IMDB 5000: "tt0499549"
  std::string title;     // Wikipedia: the film's title and year
  int year = 0;
  uint64_t line = 0;  // where the record starts (the entry's index in a JSON array)
  std::vector<std::string> directors;
  std::vector<std::string> cast;  // billing order where the source has one
};

// A Korean name from kmrd-small's peoples.txt; `original` is often empty for Korean people.
struct KmrdPerson {
  int64_t id = 0;
  std::string korean, original;
};

// --- names ------------------------------------------------------------------------------------

// The key two spellings of one person share: fold_for_matching (case, accents, punctuation,
// apostrophes), then letters NFKD leaves alone (ø, ł, æ, ß...) spelled out, runs of initials
// joined ("J.J." = "J. J." = "JJ") and "Jr." dropped. "" when the name has no letter or digit.
std::string normalise_person_name(std::string_view name);

// A credited name made tidy: spaces (NBSP too) trimmed and collapsed, a trailing "(...)" note
// dropped ("Andrew Stanton(co-director)", "Harry Carter (actor)"), stray brackets removed. ""
// when nothing is left or the source's placeholder ("N/A") remains.
std::string clean_person_name(std::string_view name);

// A DBpedia resource URI -> its page title: the segment after "/resource/" (else the last path
// segment) percent-decoded, underscores made spaces ("Taxi Driver (1954 film)").
std::string dbpedia_page(std::string_view uri);
// A person's URI -> the name: dbpedia_page with a trailing disambiguator ("_(actor)",
// "_(film_director)") dropped, cleaned as clean_person_name.
std::string dbpedia_name(std::string_view uri);

// --- one reader per source --------------------------------------------------------------------
// Each reads a whole stream (UTF-8 BOM and CRLF accepted), appends one FilmCredits per good
// record, counts and describes bad ones by line in *report, and fails only when the input cannot
// be the file it claims to be (kEmpty, kWrongSchema). Never throws.

// imdb5000/movie_metadata.csv: ';'-separated, columns by header name (director_name,
// actor_1_name..actor_3_name, movie_imdb_link). Sets imdb_id; actors are in the file's order,
// which ranks by Facebook likes, not billing.
bool read_imdb5000(std::istream& in, std::vector<FilmCredits>* out, ReadReport* report,
                   Error* error);
// hetrec2011/movie_directors.dat: "movieID directorID\tdirectorName" header (space or tab), then
// movieId\tdirectorId\tname. Sets movie_id.
bool read_hetrec_directors(std::istream& in, std::vector<FilmCredits>* out, ReadReport* report,
                           Error* error);
// hetrec2011/imdb_mismatch.csv: movieId,... -> the movieIds whose HetRec director is another
// film's.
bool read_hetrec_mismatch(std::istream& in, std::unordered_set<int64_t>* out, ReadReport* report,
                          Error* error);
// cinemate/movies_enriched.csv: movie_id, director, cast_top3 ("a|b|c", TMDB billing order).
bool read_cinemate(std::istream& in, std::vector<FilmCredits>* out, ReadReport* report,
                   Error* error);
// melu_ml1m/movies_extrainfos.dat: 11 '::'-separated fields; director (7th) and actors (9th) are
// ", " lists (OMDb billing order), "N/A" when unknown.
bool read_melu(std::istream& in, std::vector<FilmCredits>* out, ReadReport* report, Error* error);
// entity2rec_ml1m/mappings.tsv: ML-1M movieId \t title \t DBpedia film URI -> URI -> movieIds.
// A mapping to a series page or to a film of another year (more than one off) is a bad line;
// its URI is kept with no movieIds, so that its edges are skipped quietly.
bool read_entity2rec_mappings(std::istream& in,
                              std::unordered_map<std::string, std::vector<int64_t>>* film_movies,
                              ReadReport* report, Error* error);
// An entity2rec edgelist ("film-URI person-URI" a line): one FilmCredits per mapped movie, the
// people as directors (dbo_director) or cast (dbo_starring; DBpedia's order, not billing). Edges
// of films the mappings lack are counted as bad.
enum class PeopleRole : uint8_t { kDirector, kCast };
bool read_entity2rec_edges(std::istream& in,
                           const std::unordered_map<std::string, std::vector<int64_t>>& film_movies,
                           PeopleRole role, std::vector<FilmCredits>* out, ReadReport* report,
                           Error* error);
// One prust/wikipedia-movie-data file: the `cast` array of each {title, year, cast} entry, junk
// entries ("(voices)", "narrated by", "]") left out. Sets title and year; films without a cast
// are skipped silently, entries without a title or year are bad. kCorrupt for non-JSON.
bool read_wikipedia_cast(std::string_view json, std::vector<FilmCredits>* out, ReadReport* report,
                         Error* error);
// kmrd-small/peoples.txt: people \t korean \t original (tab-separated, header "people...").
bool read_kmrd_people(std::istream& in, std::vector<KmrdPerson>* out, ReadReport* report,
                      Error* error);

// --- keys to movieIds -------------------------------------------------------------------------

// Sets movie_id from imdb_id through ml-25m/links.csv rows; returns how many stayed unmatched.
size_t resolve_imdb_ids(const std::vector<Link>& links, std::vector<FilmCredits>* credits);

// (fold_for_matching(title), year) -> movieId, 0 when the film is not in the catalogue. The
// catalogue build should pass the Wikipedia join assemble.cpp already makes (it does not expose
// it yet); wikipedia_join_by_title applies the same rules from the film's side.
using WikiFilmJoin = std::function<int64_t(const std::string& folded_title, int year)>;
// Sets movie_id from title + year through `join`; returns how many stayed unmatched.
size_t resolve_wikipedia(const WikiFilmJoin& join, std::vector<FilmCredits>* credits);
// A join for callers without the build's: MovieLens titles and their alternates, folded as
// assemble.cpp folds them; the exact year first, then one year off; the lowest movieId when
// several share a title and year.
WikiFilmJoin wikipedia_join_by_title(const std::vector<MovieLensMovie>& movies);

// --- the merge --------------------------------------------------------------------------------

struct Person {
  std::string name;                 // display: the spelling the sources use most
  std::string key;                  // the key the sources use most (see by_key for the others)
  std::vector<std::string> korean;  // kmrd names whose original name finds this person
};

struct MovieCredits {
  // Indices into PeopleIndex::people: the most agreed on first, then source-priority order
  // (billing order for cast, where the source has one). Cast: at most kLeadCast.
  std::vector<uint32_t> directors, cast;
  // Bits (1 << PeopleSource): the sources whose list was taken (the anchor, and each that
  // agreed; see merge_people), and every source that named anyone (per-source coverage).
  uint8_t director_sources = 0, cast_sources = 0;
  uint8_t director_named = 0, cast_named = 0;
};

struct PeopleIndex {
  static constexpr size_t kLeadCast = 5;
  std::vector<Person> people;              // everyone some movie credits, ordered by key
  std::map<int64_t, MovieCredits> movies;  // movieId -> credits (movies with any)
  // Every key of a person: sources that put one person's names in different orders on one film
  // ("Kar-Wai Wong", "Wong Kar-wai") make those keys one person.
  std::unordered_map<std::string, uint32_t> by_key;
  std::unordered_map<std::string, std::vector<uint32_t>> by_any_order;  // key words sorted
  std::unordered_map<std::string, std::vector<uint32_t>> by_korean;     // spaces removed

  // A person by any spelling: the normalised key, else the only person whose key has the same
  // words in another order, else a Korean name (spaces ignored); nullptr when unknown. Several
  // people with one Korean name: the first.
  const Person* find(std::string_view name) const;
};

// Every source's records, keyed (movie_id set), for merge_people.
struct PeopleSources {
  std::vector<FilmCredits> by_source[kPeopleSources];
  std::unordered_set<int64_t> hetrec_mismatch;  // HetRec rows for these movieIds are skipped
  std::vector<KmrdPerson> kmrd;
};

// Merges per movie, each role alike. The lists of one role are taken in priority order
// (directors: IMDB 5000, MeLU, cinemate, entity2rec, HetRec; cast by billing: MeLU, cinemate,
// Wikipedia, IMDB 5000, entity2rec), led by the first list that shares a name with another
// (the first list when none does); a list that then shares no name with what is taken describes
// another film or is wrong, and is left out (co-directors come from sources that agree). Names
// named by more of the taken lists come first, then priority and billing order; cast is cut to
// kLeadCast. Within a source, records of one movie are pooled; names are deduplicated by key,
// and by word order within a film (see PeopleIndex::by_key). Records with movie_id 0 and HetRec
// records on hetrec_mismatch ids are ignored.
void merge_people(const PeopleSources& sources, PeopleIndex* out);

// --- everything at once -----------------------------------------------------------------------

struct PeopleInputs {
  std::string people_dir;                   // data/people
  std::string links_csv;                    // data/movielens/ml-25m/links.csv
  std::vector<std::string> wikipedia_json;  // data/wikipedia/movies-*.json
  std::string kmrd_dir;                     // data/korean/kmrd-small
  WikiFilmJoin wikipedia_join;              // required when wikipedia_json is not empty
};
// The standard layout under a data directory (../shared/data); the join is left to the caller.
PeopleInputs people_inputs_under(const std::string& data_dir);

struct PeopleReport {
  std::vector<std::pair<std::string, ReadReport>> files;  // per file read, in reading order
  size_t unmatched_imdb = 0;       // IMDB 5000 rows whose IMDb id links.csv lacks
  size_t unmatched_wikipedia = 0;  // Wikipedia films with a cast that the join did not place
  size_t hetrec_skipped = 0;       // HetRec rows on imdb_mismatch ids
  size_t kmrd_mapped = 0;          // kmrd people whose original name matched one of ours
};

// Reads every source named by `in`, resolves keys and merges into *out. A missing or unreadable
// file is kIo naming it; a file that is not what it claims is that reader's error, prefixed with
// the path. Bad lines are counted in *report, never fatal.
bool read_people(const PeopleInputs& in, PeopleIndex* out, PeopleReport* report, Error* error);

}  // namespace cinerag
