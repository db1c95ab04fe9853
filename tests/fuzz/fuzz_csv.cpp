// libFuzzer target: any bytes through the CSV reader must end, with every problem counted.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "data/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  cinerag::CsvReader reader(in, 4096);
  std::vector<std::string> fields;
  uint64_t records = 0;
  while (reader.next(&fields)) {
    if (fields.empty()) std::abort();        // a record always has at least one field
    if (++records > size + 1) std::abort();  // more records than bytes: a loop that never ends
  }
  if (reader.problems().size() > cinerag::CsvReader::kKeepProblems) std::abort();
  return 0;
}
