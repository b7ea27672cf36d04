#pragma once
// Word tokens with byte offsets, split the way CoNLL-2003 / the Penn Treebank split them, so a
// tagger trained on CoNLL sees familiar tokens: "Japan's" -> "Japan" "'s", "don't" -> "do" "n't",
// "$1.13bn" -> "$" "1.13bn", "76%" -> "76" "%", while "U.S.", "Dec.", "G-7", "Abe-Putin",
// "1,000" and "10:30" stay whole. A final period stays attached only to known abbreviations,
// initials ("J.") and dotted acronyms ("U.S."). Pure functions, thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kg/core/text.h"

namespace kg {

// Appends the tokens of text[begin, end) to `tokens`; offsets are into `text`.
void Tokenize(std::string_view text, uint32_t begin, uint32_t end, std::vector<Token>* tokens);

// A token's byte offsets alone (text[start, end)).
struct TokenSpan {
  uint32_t start = 0;
  uint32_t end = 0;
};

// Tokenize's tokens as offsets only, without their text and matching form (for callers that
// need only where sentences end).
void TokenizeSpans(std::string_view text, uint32_t begin, uint32_t end,
                   std::vector<TokenSpan>* spans);

// The matching form of a token: typographic apostrophes and quotes become ' and ", en/em dashes
// become -, the ellipsis character becomes "...". Everything else is kept.
std::string NormalizeToken(std::string_view token);

// True when the dot-less `word` ("Mr", "Dec", "Gov", "No") is an abbreviation that keeps its
// period. Case-sensitive for the capitalised forms news uses.
bool IsKnownAbbreviation(std::string_view word);

// True for a token that is an abbreviation ending in '.' ("Mr.", "U.S.", "J.", "Dec.").
bool IsAbbreviationToken(std::string_view token);

// Byte length of the Unicode white space at text[pos] (ASCII space/tab/newline, NBSP, the
// U+2000..U+200A spaces, U+3000), or 0.
size_t WhitespaceLength(std::string_view text, size_t pos);

}  // namespace kg
