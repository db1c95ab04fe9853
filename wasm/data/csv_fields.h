// Reading CSV records by column name, for the catalogue build's readers (sources.cpp,
// people.cpp): the header's columns, a record's fields, and the checks both report alike.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "data/csv.h"
#include "data/sources.h"

namespace cinerag {

// Maps header names to positions; -1 for a column the file does not have.
class Columns {
 public:
  explicit Columns(const std::vector<std::string>& header) {
    for (size_t i = 0; i < header.size(); ++i) index_[header[i]] = static_cast<int>(i);
  }
  int operator[](const std::string& name) const {
    const auto it = index_.find(name);
    return it == index_.end() ? -1 : it->second;
  }

 private:
  std::map<std::string, int> index_;
};

inline const std::string& field(const std::vector<std::string>& f, int i) {
  static const std::string kEmpty;
  return i >= 0 && static_cast<size_t>(i) < f.size() ? f[static_cast<size_t>(i)] : kEmpty;
}

// Reads the header; false (kEmpty) for an empty input.
inline bool read_header(CsvReader& reader, std::vector<std::string>* header, const char* what,
                        Error* error) {
  if (!reader.next(header)) return fail(error, ErrorCode::kEmpty, std::string(what) + " is empty");
  return true;
}

// Whether the record has exactly `n` fields; reported when it has not.
inline bool has_fields(const std::vector<std::string>& f, size_t n, const CsvReader& reader,
                       ReadReport* report) {
  if (f.size() == n) return true;
  report->add_problem(reader.line(), "expected " + std::to_string(n) + " fields, found " +
                                         std::to_string(f.size()));
  return false;
}

inline bool require(const Columns& c, std::initializer_list<const char*> names, const char* what,
                    Error* error) {
  for (const char* n : names) {
    if (c[n] < 0) {
      return fail(error, ErrorCode::kWrongSchema,
                  std::string(what) + ": the header has no '" + n + "' column");
    }
  }
  return true;
}

}  // namespace cinerag
