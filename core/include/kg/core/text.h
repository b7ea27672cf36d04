#pragma once
// The text pipeline's output: an article split into sentences and tokens. Offsets are byte
// offsets into the original article text (end exclusive), so evidence always points at what the
// user can read; `norm` is the form used for matching (typographic quotes and dashes folded).

#include <cstdint>
#include <string>
#include <vector>

namespace kg {

struct Token {
  uint32_t start = 0;
  uint32_t end = 0;
  std::string text;  // the bytes text[start, end)
  std::string norm;  // normalised for matching: ’ → ', “ ” → ", – — → -
};

struct Sentence {
  uint32_t start = 0;
  uint32_t end = 0;
  std::vector<Token> tokens;
};

struct AnnotatedText {
  std::vector<Sentence> sentences;
};

}  // namespace kg
