#include "kg/core/sentence_splitter.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "kg/core/tokenizer.h"

namespace kg {
namespace {

bool IsTitleAbbreviation(std::string_view token) {
  static constexpr std::array<std::string_view, 30> kTitles = {
      "Mr.",   "Mrs.",  "Ms.",  "Dr.",  "Prof.", "Gov.", "Sen.", "Rep.",   "Gen.", "Col.",
      "Lt.",   "Sgt.",  "Capt.", "Cmdr.", "Adm.", "Maj.", "Brig.", "Cpl.", "Pvt.", "St.",
      "Rev.",  "Hon.",  "Pres.", "Atty.", "Supt.", "Messrs.", "Mt.", "Ft.", "Gens.", "Sens."};
  return std::find(kTitles.begin(), kTitles.end(), token) != kTitles.end();
}

// Abbreviations that are followed by a number inside a sentence: "Dec. 16", "No. 10".
bool IsNumberAbbreviation(std::string_view token) {
  static constexpr std::array<std::string_view, 18> kBeforeNumber = {
      "No.",  "Nos.", "Vol.", "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.",
      "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.", "Art.", "Fig.", "Approx."};
  return std::find(kBeforeNumber.begin(), kBeforeNumber.end(), token) != kBeforeNumber.end();
}

// Words that usually open a sentence, so "... the U.S. The ..." ends one there.
bool IsSentenceOpener(std::string_view word) {
  static constexpr std::array<std::string_view, 40> kOpeners = {
      "The",   "A",       "An",    "But",    "And",   "He",     "She",   "It",   "They",
      "We",    "I",       "In",    "On",     "At",    "This",   "That",  "These", "Those",
      "There", "His",     "Her",   "Its",    "Their", "However", "Meanwhile", "Mr.", "Mrs.",
      "Ms.",   "Dr.",     "After", "As",     "If",    "When",   "While", "Some", "Many",
      "Yet",   "So",      "Our",   "You"};
  return std::find(kOpeners.begin(), kOpeners.end(), word) != kOpeners.end();
}

bool IsClosingPunct(std::string_view norm) {
  return norm == "\"" || norm == "'" || norm == ")" || norm == "]" || norm == "}";
}

// A token can open a sentence: capital letter (any script with case: a lead byte >= 0xC3 is
// treated as a letter that may be capital), digit, opening quote or bracket, bullet.
bool CanStartSentence(const Token& token) {
  auto c = static_cast<unsigned char>(token.text[0]);
  if (std::isupper(c) || std::isdigit(c)) return true;
  if (c == '"' || c == '\'' || c == '(' || c == '[' || c == '`' || c == '$' || c == '-') {
    return true;
  }
  if (c >= 0xC3 && c < 0xE2) return true;  // Latin-1 supplement and other letters
  std::string_view norm = token.norm;
  return norm == "\"" || norm == "'" || norm == "-" || norm == "\xE2\x80\xA2" ||
         norm.substr(0, 2) == "\xC2\xA3";
}

// Counts newlines in text[from, to).
int NewlinesBetween(std::string_view text, uint32_t from, uint32_t to) {
  return static_cast<int>(std::count(text.begin() + from, text.begin() + to, '\n'));
}

bool IsBullet(const Token& token) {
  return token.norm == "\xE2\x80\xA2" || token.norm == "\xC2\xB7" || token.text == "*";
}

}  // namespace

std::vector<Sentence> SplitSentences(std::string_view text, std::vector<Token> tokens) {
  std::vector<Sentence> sentences;
  size_t first = 0;
  auto close = [&](size_t last_exclusive) {
    if (last_exclusive <= first) return;
    Sentence s;
    s.start = tokens[first].start;
    s.end = tokens[last_exclusive - 1].end;
    s.tokens.assign(std::make_move_iterator(tokens.begin() + static_cast<long>(first)),
                    std::make_move_iterator(tokens.begin() + static_cast<long>(last_exclusive)));
    sentences.push_back(std::move(s));
    first = last_exclusive;
  };
  const size_t n = tokens.size();
  for (size_t i = 0; i < n; ++i) {
    if (i + 1 == n) {
      close(n);
      break;
    }
    const Token& next = tokens[i + 1];
    int newlines = NewlinesBetween(text, tokens[i].end, next.start);
    if (newlines >= 2 || (newlines == 1 && IsBullet(next))) {
      close(i + 1);
      continue;
    }
    std::string_view norm = tokens[i].norm;
    bool terminal = norm == "." || norm == "!" || norm == "?" || norm == "...";
    bool abbreviation = !terminal && IsAbbreviationToken(tokens[i].text);
    if (!terminal && !abbreviation) continue;
    // Closing quotes and brackets glued to the mark belong to this sentence.
    size_t last = i;
    while (last + 1 < n && IsClosingPunct(tokens[last + 1].norm) &&
           tokens[last + 1].start == tokens[last].end) {
      ++last;
    }
    if (last + 1 >= n) continue;  // the final token closes the sentence anyway
    const Token& after = tokens[last + 1];
    if (NewlinesBetween(text, tokens[last].end, after.start) >= 2) continue;  // handled above
    if (!CanStartSentence(after)) continue;
    if (abbreviation) {
      std::string_view token = tokens[i].text;
      if (IsTitleAbbreviation(token)) continue;
      if (token.size() == 2) continue;  // an initial: "J. R. R. Tolkien", "George W. Bush"
      if (IsNumberAbbreviation(token) &&
          std::isdigit(static_cast<unsigned char>(after.text[0]))) {
        continue;
      }
      if (!IsSentenceOpener(after.text) && last == i) continue;
    }
    i = last;
    close(last + 1);
  }
  return sentences;
}


}  // namespace kg
