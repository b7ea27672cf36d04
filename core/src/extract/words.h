#pragma once
// The extractor's own word split of one sentence. The text pipeline's tokens are made for search
// and NER; the patterns need a few decisions of their own (abbreviations such as "U.S." and
// "Dec." keep their period, possessive "'s" is split off, hyphenated names stay one word and are
// split later when their parts are names), so each sentence is re-split here. Offsets stay byte
// offsets into the article text.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kg::extract {

struct Word {
  uint32_t start = 0;  // byte offsets into the article text, end exclusive
  uint32_t end = 0;
  std::string text;   // the bytes of the article
  std::string norm;   // typographic quotes and dashes folded (’ → ', “ → ", — → -)
  std::string lower;  // `norm` lowercased (ASCII)
  bool capitalized = false;  // starts with an upper-case letter (any script)
  bool is_punct = false;
};

// Splits `text` (which starts at byte `base` of the article) into words. Never fails.
std::vector<Word> SplitWords(std::string_view text, uint32_t base);

// Folds typographic punctuation to ASCII (’ ‘ → ', “ ” → ", – — → -); other bytes unchanged.
std::string FoldPunctuation(std::string_view text);

// ASCII lowercase.
std::string Lower(std::string_view text);

// True when the first code point of `text` is an upper-case letter.
bool StartsUpper(std::string_view text);

}  // namespace kg::extract
