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
bool CanStartSentence(std::string_view token_text, std::string_view norm) {
  auto c = static_cast<unsigned char>(token_text[0]);
  if (std::isupper(c) || std::isdigit(c)) return true;
  if (c == '"' || c == '\'' || c == '(' || c == '[' || c == '`' || c == '$' || c == '-') {
    return true;
  }
  if (c >= 0xC3 && c < 0xE2) return true;  // Latin-1 supplement and other letters
  return norm == "\"" || norm == "'" || norm == "-" || norm == "\xE2\x80\xA2" ||
         norm.substr(0, 2) == "\xC2\xA3";
}

// Counts newlines in text[from, to).
int NewlinesBetween(std::string_view text, uint32_t from, uint32_t to) {
  return static_cast<int>(std::count(text.begin() + from, text.begin() + to, '\n'));
}

bool IsBullet(std::string_view token_text, std::string_view norm) {
  return norm == "\xE2\x80\xA2" || norm == "\xC2\xB7" || token_text == "*";
}

// Tokens as the rules read them: Token has its text and matching form.
struct TokenView {
  const std::vector<Token>& tokens;
  size_t size() const { return tokens.size(); }
  uint32_t start(size_t i) const { return tokens[i].start; }
  uint32_t end(size_t i) const { return tokens[i].end; }
  std::string_view text(size_t i) const { return tokens[i].text; }
  std::string_view norm(size_t i) const { return tokens[i].norm; }
};

// Offsets only: the text is a view of the article, the matching form made when asked (only
// bytes >= 0xC2 can start a form NormalizeToken changes, so most tokens are their own). The
// form returned lives until the next call.
struct SpanView {
  std::string_view article;
  const std::vector<TokenSpan>& spans;
  mutable std::string scratch;
  size_t size() const { return spans.size(); }
  uint32_t start(size_t i) const { return spans[i].start; }
  uint32_t end(size_t i) const { return spans[i].end; }
  std::string_view text(size_t i) const {
    return article.substr(spans[i].start, spans[i].end - spans[i].start);
  }
  std::string_view norm(size_t i) const {
    std::string_view t = text(i);
    for (char c : t) {
      if (static_cast<unsigned char>(c) >= 0xC2) {
        scratch = NormalizeToken(t);
        return scratch;
      }
    }
    return t;
  }
};

// The sentence rules over any token list: calls close(k) when a sentence ends before token k
// (the last call is close(size())), in order.
template <typename Tokens, typename Close>
void FindSentenceEnds(std::string_view text, const Tokens& tokens, const Close& close) {
  const size_t n = tokens.size();
  for (size_t i = 0; i < n; ++i) {
    if (i + 1 == n) {
      close(n);
      break;
    }
    int newlines = NewlinesBetween(text, tokens.end(i), tokens.start(i + 1));
    if (newlines >= 2 || (newlines == 1 && IsBullet(tokens.text(i + 1), tokens.norm(i + 1)))) {
      close(i + 1);
      continue;
    }
    std::string_view norm = tokens.norm(i);
    bool terminal = norm == "." || norm == "!" || norm == "?" || norm == "...";
    bool abbreviation = !terminal && IsAbbreviationToken(tokens.text(i));
    if (!terminal && !abbreviation) continue;
    // Closing quotes and brackets glued to the mark belong to this sentence.
    size_t last = i;
    while (last + 1 < n && IsClosingPunct(tokens.norm(last + 1)) &&
           tokens.start(last + 1) == tokens.end(last)) {
      ++last;
    }
    if (last + 1 >= n) continue;  // the final token closes the sentence anyway
    const size_t after = last + 1;
    if (NewlinesBetween(text, tokens.end(last), tokens.start(after)) >= 2) continue;  // above
    if (!CanStartSentence(tokens.text(after), tokens.norm(after))) continue;
    if (abbreviation) {
      std::string_view token = tokens.text(i);
      if (IsTitleAbbreviation(token)) continue;
      if (token.size() == 2) continue;  // an initial: "J. R. R. Tolkien", "George W. Bush"
      if (IsNumberAbbreviation(token) &&
          std::isdigit(static_cast<unsigned char>(tokens.text(after)[0]))) {
        continue;
      }
      if (!IsSentenceOpener(tokens.text(after)) && last == i) continue;
    }
    i = last;
    close(last + 1);
  }
}

}  // namespace

std::vector<Sentence> SplitSentences(std::string_view text, std::vector<Token> tokens) {
  std::vector<Sentence> sentences;
  size_t first = 0;
  FindSentenceEnds(text, TokenView{tokens}, [&](size_t last_exclusive) {
    if (last_exclusive <= first) return;
    Sentence s;
    s.start = tokens[first].start;
    s.end = tokens[last_exclusive - 1].end;
    s.tokens.assign(std::make_move_iterator(tokens.begin() + static_cast<long>(first)),
                    std::make_move_iterator(tokens.begin() + static_cast<long>(last_exclusive)));
    sentences.push_back(std::move(s));
    first = last_exclusive;
  });
  return sentences;
}

std::vector<Sentence> SplitSentenceSpans(std::string_view text,
                                         const std::vector<TokenSpan>& tokens) {
  std::vector<Sentence> sentences;
  size_t first = 0;
  FindSentenceEnds(text, SpanView{text, tokens, {}}, [&](size_t last_exclusive) {
    if (last_exclusive <= first) return;
    Sentence& s = sentences.emplace_back();
    s.start = tokens[first].start;
    s.end = tokens[last_exclusive - 1].end;
    first = last_exclusive;
  });
  return sentences;
}


}  // namespace kg
