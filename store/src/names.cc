#include "kg/store/names.h"

#include <utf8proc.h>

#include <cstdlib>
#include <utility>
#include <vector>

namespace kg::store {
namespace {

bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
                                       c == '\f' || c == '\v' || c == '\0'; }

// Collapses white space (ASCII, and U+00A0 / U+2000-U+200B / U+3000 which NFKC maps to ASCII
// space anyway) to single spaces and trims.
std::string Collapse(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (unsigned char c : s) {
    if (IsSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(static_cast<char>(c));
  }
  return out;
}

// Words before a name that are no part of it: "Mr. Abe" and "Shinzo Abe" can be one person.
bool IsHonorific(std::string_view word) {
  static constexpr std::string_view kHonorifics[] = {
      "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "professor",
      "president", "prime", "minister", "chancellor", "king", "queen", "prince", "princess",
      "general", "gen", "senator", "sen", "rep", "gov", "governor", "judge", "rev", "st"};
  for (auto h : kHonorifics) {
    if (word == h) return true;
  }
  return false;
}

// The words of a normalised name (single spaces), full stops dropped ("w." is "w"), leading
// honorifics too ("mr. abe" is "abe").
std::vector<std::string_view> Words(std::string_view name, std::string* storage) {
  storage->clear();
  for (char c : name) {
    if (c != '.') storage->push_back(c);
  }
  std::vector<std::string_view> words;
  std::string_view rest(*storage);
  while (!rest.empty()) {
    size_t space = rest.find(' ');
    std::string_view word = rest.substr(0, space);
    if (!word.empty() && !(words.empty() && IsHonorific(word))) words.push_back(word);
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  return words;
}

}  // namespace

size_t NameWordCount(std::string_view name) {
  std::string storage;
  return Words(name, &storage).size();
}

bool NamesMayCorefer(std::string_view a, std::string_view b) {
  std::string a_storage, b_storage;
  auto short_words = Words(a, &a_storage);
  auto long_words = Words(b, &b_storage);
  if (short_words.size() > long_words.size()) std::swap(short_words, long_words);
  if (short_words.empty()) return false;
  size_t at = 0;  // short_words[at] is the next to find
  for (auto word : long_words) {
    if (at < short_words.size() && word == short_words[at]) ++at;
  }
  return at == short_words.size();
}

std::string NormalizeName(std::string_view text) {
  // ASCII is its own NFKC form and folds by lower-casing A-Z alone: skip utf8proc (which
  // allocates) for the common case. Same result as the general path (names_test checks).
  bool ascii = true;
  for (unsigned char c : text) ascii = ascii && c < 0x80;
  if (ascii) {
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    for (unsigned char c : text) {
      if (IsSpace(c)) {
        pending_space = !out.empty();
        continue;
      }
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    }
    return out;
  }
  utf8proc_uint8_t* mapped = nullptr;
  auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                 UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
  utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &mapped, options);
  if (n < 0) {
    std::string lowered(text);
    for (auto& c : lowered) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return Collapse(lowered);
  }
  std::string result = Collapse(std::string_view(reinterpret_cast<char*>(mapped), n));
  std::free(mapped);
  return result;
}

}  // namespace kg::store
