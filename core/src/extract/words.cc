#include "extract/words.h"

#include <utf8proc.h>

#include <array>
#include <cctype>

namespace kg::extract {
namespace {

// Words that keep their final period.
constexpr std::array<std::string_view, 42> kAbbreviations = {
    "mr.",   "mrs.",  "ms.",  "dr.",   "st.",   "jr.",   "sr.",  "gen.",  "gov.",  "sen.",  "rep.",
    "lt.",   "col.",  "capt.", "prof.", "inc.",  "corp.", "co.",  "ltd.",  "jan.",  "feb.",  "mar.",
    "apr.",  "jun.",  "jul.",  "aug.",  "sep.",  "sept.", "oct.", "nov.",  "dec.",  "no.",   "vs.",
    "mt.",   "ft.",   "sgt.",  "adm.",  "rev.",  "messrs.", "u.n.", "e.u.", "p.m."};

bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Length in bytes of the punctuation mark starting at text[i] that is always a word of its own
// (ASCII brackets/quotes, typographic quotes, bullets), or 0.
inline size_t SeparatorLength(std::string_view text, size_t i) {
  unsigned char c = static_cast<unsigned char>(text[i]);
  // Fast path for the common case: letters and digits are never separators.
  if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) return 0;
  if (c == '(' || c == ')' || c == '[' || c == ']' || c == '"' || c == '{' || c == '}' ||
      c == ';' || c == '!' || c == '?' || c == '`') {
    return 1;
  }
  if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80) {
    unsigned char d = static_cast<unsigned char>(text[i + 2]);
    // “ ” • … — (but not ’ ‘, which may be apostrophes inside a word)
    if (d == 0x9C || d == 0x9D || d == 0xA2 || d == 0xA6 || d == 0x94) return 3;
  }
  if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xB7) return 2;
  return 0;
}

bool IsAbbreviation(std::string_view lower) {
  for (auto a : kAbbreviations) {
    if (a == lower) return true;
  }
  // Initials: "U.S.", "U.K.", "J.", "A.B.C."
  if (lower.size() >= 2 && lower.size() % 2 == 0) {
    bool initials = true;
    for (size_t i = 0; i < lower.size(); i += 2) {
      if (!std::isalpha(static_cast<unsigned char>(lower[i])) || lower[i + 1] != '.') initials = false;
    }
    if (initials) return true;
  }
  return false;
}

// True when `w` ends with the three bytes E2 80 `last` (’ is E2 80 99, ‘ is E2 80 98). Byte
// tests rather than string_view comparisons, which call memcmp for every word.
inline bool EndsWithE280(std::string_view w, unsigned char last) {
  const size_t n = w.size();
  return n >= 3 && static_cast<unsigned char>(w[n - 3]) == 0xE2 &&
         static_cast<unsigned char>(w[n - 2]) == 0x80 &&
         static_cast<unsigned char>(w[n - 1]) == last;
}

bool IsTrailingPunct(std::string_view s) {
  if (s.size() == 1) return s[0] == ',' || s[0] == '.' || s[0] == ':' || s[0] == '\'';
  return s.size() == 3 && (EndsWithE280(s, 0x99) || EndsWithE280(s, 0x98));  // ’ ‘
}

}  // namespace

std::string FoldPunctuation(std::string_view text) {
  // Every folded form starts with 0xE2: most words have none and are copied as they are.
  const size_t first = text.find('\xE2');
  if (first == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  out.append(text.substr(0, first));
  for (size_t i = first; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80) {
      unsigned char d = static_cast<unsigned char>(text[i + 2]);
      if (d == 0x98 || d == 0x99) { out += '\''; i += 2; continue; }
      if (d == 0x9C || d == 0x9D) { out += '"'; i += 2; continue; }
      if (d == 0x93 || d == 0x94 || d == 0x90 || d == 0x91) { out += '-'; i += 2; continue; }
    }
    out += static_cast<char>(c);
  }
  return out;
}

// ASCII only, like std::tolower and std::isalnum in the "C" locale kg runs in, without their
// per-byte library calls.
std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool StartsUpper(std::string_view text) {
  if (text.empty()) return false;
  // ASCII: the only upper-case letters (Unicode category Lu) are A-Z.
  if (static_cast<unsigned char>(text[0]) < 0x80) return text[0] >= 'A' && text[0] <= 'Z';
  utf8proc_int32_t cp = 0;
  auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                            static_cast<utf8proc_ssize_t>(text.size()), &cp);
  if (n <= 0) return false;
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

std::vector<Word> SplitWords(std::string_view text, uint32_t base) {
  // First cut at white space and separators, then peel trailing punctuation and possessives.
  std::vector<std::pair<size_t, size_t>> chunks;
  chunks.reserve(text.size() / 4 + 4);
  std::vector<std::pair<size_t, size_t>> tail;  // reused from word to word
  size_t i = 0;
  while (i < text.size()) {
    if (IsSpace(static_cast<unsigned char>(text[i]))) { ++i; continue; }
    if (size_t n = SeparatorLength(text, i); n > 0) {
      chunks.emplace_back(i, i + n);
      i += n;
      continue;
    }
    size_t j = i;
    while (j < text.size() && !IsSpace(static_cast<unsigned char>(text[j])) &&
           SeparatorLength(text, j) == 0) {
      ++j;
    }
    // Peel trailing punctuation: , . : ' ’ (a period stays on abbreviations).
    tail.clear();
    size_t end = j;
    while (end > i) {
      std::string_view w = text.substr(i, end - i);
      size_t n = 0;
      if (EndsWithE280(w, 0x99) || EndsWithE280(w, 0x98)) {  // ’ ‘
        // ’s possessive handled below; a lone closing quote is peeled.
        n = 3;
      } else if (w.back() == ',' || w.back() == ':' || w.back() == '\'' || w.back() == '.') {
        n = 1;
      }
      if (n == 0 || n == w.size()) break;
      if (w.back() == '.' && IsAbbreviation(Lower(w))) break;
      tail.emplace_back(end - n, end);
      end -= n;
    }
    // Possessive 's / ’s.
    std::string_view w = text.substr(i, end - i);
    if (w.size() > 2 && w[w.size() - 2] == '\'' && w.back() == 's') {
      chunks.emplace_back(i, end - 2);
      chunks.emplace_back(end - 2, end);
    } else if (w.size() > 4 && w.back() == 's' &&
               EndsWithE280(w.substr(0, w.size() - 1), 0x99)) {  // ’s
      chunks.emplace_back(i, end - 4);
      chunks.emplace_back(end - 4, end);
    } else {
      chunks.emplace_back(i, end);
    }
    for (auto it = tail.rbegin(); it != tail.rend(); ++it) chunks.push_back(*it);
    i = j;
  }

  std::vector<Word> words;
  words.reserve(chunks.size());
  for (auto [b, e] : chunks) {
    Word& word = words.emplace_back();
    word.start = base + static_cast<uint32_t>(b);
    word.end = base + static_cast<uint32_t>(e);
    word.text.assign(text.data() + b, e - b);
    // Every folded form starts with 0xE2: most words have none and are copied as they are
    // (a byte loop here; FoldPunctuation's find is a library call and a temporary per word).
    bool has_e2 = false;
    for (size_t k = b; k < e; ++k) has_e2 |= text[k] == '\xE2';
    if (has_e2) {
      word.norm = FoldPunctuation(word.text);
    } else {
      word.norm.assign(word.text);
    }
    word.lower.assign(word.norm);
    for (char& c : word.lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    word.capitalized = StartsUpper(word.text);
    bool any_alnum = false;
    for (unsigned char c : word.norm) {
      if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0x80) {
        any_alnum = true;
        break;
      }
    }
    word.is_punct = !any_alnum || IsTrailingPunct(word.text);
  }
  return words;
}

}  // namespace kg::extract
