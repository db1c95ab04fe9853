// RFC 4180 parsing with recovery: a bad record costs that record, not the file.
#include "data/csv.h"

namespace cinerag {

CsvReader::CsvReader(std::istream& in, size_t max_record_bytes)
    : in_(in), max_record_bytes_(max_record_bytes) {}

int CsvReader::get() {
  const int c = in_.get();
  if (c == '\n') ++line_;
  return c;
}

void CsvReader::skip_rest_of_line() {
  for (int c = get(); c != EOF && c != '\n';) c = get();
}

void CsvReader::report(uint64_t line, std::string message) {
  ++problem_count_;
  if (problems_.size() < kKeepProblems) problems_.push_back({line, std::move(message)});
}

bool CsvReader::next(std::vector<std::string>* fields) {
  if (!started_) {
    started_ = true;
    if (in_.peek() == 0xEF) {  // UTF-8 BOM
      char bom[3];
      in_.read(bom, 3);
      if (in_.gcount() != 3 || static_cast<unsigned char>(bom[1]) != 0xBB ||
          static_cast<unsigned char>(bom[2]) != 0xBF) {
        in_.clear();
        in_.seekg(0);
      }
    }
  }
  for (;;) {
    fields->clear();
    if (in_.peek() == EOF) return false;
    record_line_ = line_;
    std::string field;
    size_t bytes = 0;
    bool quoted = false, after_quote = false, bad = false;
    std::string why;
    int c;
    while ((c = get()) != EOF) {
      if (++bytes > max_record_bytes_) {
        why = "record longer than " + std::to_string(max_record_bytes_) + " bytes";
        bad = true;
        break;
      }
      if (quoted) {
        if (c == '"') {
          if (in_.peek() == '"') {
            get();
            field += '"';
          } else {
            quoted = false;
            after_quote = true;
          }
        } else {
          field += static_cast<char>(c);
        }
        continue;
      }
      if (c == ',') {
        fields->push_back(std::move(field));
        field.clear();
        after_quote = false;
      } else if (c == '\n' || (c == '\r' && in_.peek() == '\n')) {
        if (c == '\r') get();
        break;
      } else if (c == '"') {
        if (!field.empty() || after_quote) {
          why = "quote inside an unquoted field";
          bad = true;
          break;
        }
        quoted = true;
      } else if (after_quote) {
        why = "text after a closing quote";
        bad = true;
        break;
      } else {
        field += static_cast<char>(c);
      }
    }
    if (!bad && quoted) {
      report(record_line_, "unterminated quoted field");
      return false;  // it ran to the end of the input
    }
    if (bad) {
      report(record_line_, why);
      if (c != '\n') skip_rest_of_line();
      continue;
    }
    fields->push_back(std::move(field));
    // A blank line is no record.
    if (fields->size() == 1 && (*fields)[0].empty()) {
      if (c == EOF) return false;
      continue;
    }
    ++records_;
    return true;
  }
}

}  // namespace cinerag
