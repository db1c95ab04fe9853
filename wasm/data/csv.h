// A streaming CSV reader (RFC 4180) for the catalogue build's inputs: MovieLens and TMDB files,
// up to the 32M-row ratings.csv, read in bounded memory. Bad records are counted and reported,
// never fatal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace cinerag {

struct CsvProblem {
  uint64_t line;        // 1-based line where the record starts
  std::string message;  // e.g. "unterminated quoted field"
};

class CsvReader {
 public:
  // Reads from `in` (not owned). A UTF-8 byte-order mark at the start is skipped; records end at
  // LF or CRLF outside quotes; quoted fields may hold commas, doubled quotes and newlines.
  // `max_record_bytes` bounds one record (a runaway quote cannot eat the whole file).
  explicit CsvReader(std::istream& in, size_t max_record_bytes = 1 << 20);

  // Reads the next record into *fields. Returns false at the end of the input. A malformed record
  // (a quote inside an unquoted field, text after a closing quote, an unterminated quote, an
  // over-long record) is skipped, counted and described in problems(); reading goes on with the
  // next line.
  bool next(std::vector<std::string>* fields);

  uint64_t line() const { return record_line_; }  // where the last record returned started
  uint64_t records() const { return records_; }
  const std::vector<CsvProblem>& problems() const { return problems_; }
  uint64_t problem_count() const { return problem_count_; }

  // Only the first kKeepProblems problems are kept in problems(); all are counted.
  static constexpr size_t kKeepProblems = 100;

 private:
  int get();
  void skip_rest_of_line();
  void report(uint64_t line, std::string message);

  std::istream& in_;
  size_t max_record_bytes_;
  uint64_t line_ = 1, record_line_ = 0, records_ = 0, problem_count_ = 0;
  bool started_ = false;
  std::vector<CsvProblem> problems_;
};

}  // namespace cinerag
