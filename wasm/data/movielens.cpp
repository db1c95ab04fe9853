// Reading MovieLens's title conventions.
#include "data/movielens.h"

#include <cctype>

namespace cinerag {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// "(1995)", "(1995-1998)", "(2007-)" at the end: returns the first year, 0 when none.
int take_year(std::string_view* s) {
  if (s->size() < 6 || s->back() != ')') return 0;
  const size_t open = s->rfind('(');
  if (open == std::string_view::npos) return 0;
  const std::string_view inner = s->substr(open + 1, s->size() - open - 2);
  const std::string_view first = inner.substr(0, 4);
  if (inner.size() < 4 || !all_digits(first)) return 0;
  const std::string_view rest = inner.substr(4);
  if (!rest.empty() && !(rest[0] == '-' && (rest.size() == 1 || all_digits(rest.substr(1))))) {
    return 0;
  }
  const int year = std::stoi(std::string(first));
  if (year < 1870 || year > 2100) return 0;
  *s = trim(s->substr(0, open));
  return year;
}

}  // namespace

std::string move_article_to_front(std::string_view title) {
  static const char* const kArticles[] = {"The", "A",   "An",  "La",  "Le",  "Les", "L'",  "Il",
                                          "El",  "Los", "Las", "Das", "Der", "Die", "Den", "Det",
                                          "Un",  "Une", "Uno", "Una", "Lo",  "Gli", "I",   "De",
                                          "Het", "Ett", "En",  "O",   "Os",  "As",  "Ang", "Ta"};
  title = trim(title);
  const size_t comma = title.rfind(", ");
  if (comma == std::string_view::npos) return std::string(title);
  const std::string_view article = title.substr(comma + 2);
  for (const char* a : kArticles) {
    if (article == a) {
      const std::string head(title.substr(0, comma));
      return article.back() == '\'' ? std::string(article) + head
                                    : std::string(article) + " " + head;
    }
  }
  return std::string(title);
}

MovieLensTitle parse_movielens_title(std::string_view raw) {
  MovieLensTitle out;
  std::string_view s = trim(raw);
  out.year = take_year(&s);
  std::vector<std::string> alternates;
  // Trailing parenthesised groups are alternate titles; the first text before them is the title.
  while (!s.empty() && s.back() == ')') {
    int depth = 0;
    size_t open = std::string_view::npos;
    for (size_t i = s.size(); i-- > 0;) {
      if (s[i] == ')') ++depth;
      if (s[i] == '(' && --depth == 0) {
        open = i;
        break;
      }
    }
    if (open == std::string_view::npos || open == 0) break;  // unbalanced, or all parentheses
    std::string_view inner = trim(s.substr(open + 1, s.size() - open - 2));
    if (inner.substr(0, 7) == "a.k.a. ") inner = trim(inner.substr(7));
    if (!inner.empty()) alternates.push_back(move_article_to_front(inner));
    s = trim(s.substr(0, open));
  }
  out.title = move_article_to_front(s.empty() ? trim(raw) : s);
  out.alternates.assign(alternates.rbegin(), alternates.rend());
  return out;
}

}  // namespace cinerag
