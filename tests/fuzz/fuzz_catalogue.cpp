// libFuzzer target: any bytes as a catalogue file. Opening must fail with an error value or
// succeed; a catalogue that opens must survive every read the app makes.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "recommend/catalogue_index.h"
#include "store/catalogue.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  cinerag::Error e;
  auto catalogue = cinerag::Catalogue::open(data, size, &e);
  if (!catalogue) {
    if (e.ok() || e.message.empty()) std::abort();  // a failure must say why
    return 0;
  }
  catalogue->meta("model_name", &e);
  catalogue->vector_kinds(&e);
  cinerag::Movie m;
  catalogue->movie(1, &m, &e);
  catalogue->search_text("titanic love 기생충", 5, &e);
  for (const std::string& kind : catalogue->neighbour_kinds(&e)) {
    cinerag::NeighbourSet lists;
    if (catalogue->read_neighbours(kind, &lists, &e) &&
        lists.offsets.size() != lists.movie_ids.size() + 1)
      std::abort();  // a list set that reads must be whole
  }
  std::vector<cinerag::PersonCredits> people;
  if (catalogue->read_people(&people, &e)) {
    for (const auto& p : people) {  // credits that read must be ascending
      for (const auto* ids : {&p.directed, &p.starred})
        for (size_t i = 1; i < ids->size(); ++i)
          if ((*ids)[i] <= (*ids)[i - 1]) std::abort();
    }
  }
  std::vector<cinerag::TitleAlias> aliases;
  catalogue->read_aliases(&aliases, &e);
  auto index = cinerag::CatalogueIndex::build(std::move(catalogue), &e);
  if (index && index->dims() > 0 && index->dims() <= 4096) {
    std::vector<float> q(index->dims(), 0.0f);
    q[0] = 1.0f;
    cinerag::MovieHit hits[5];
    index->search(q.data(), 5, cinerag::Kernel::kAuto, hits);
  }
  return 0;
}
