#pragma once
// Sentence boundaries over tokens. A sentence ends at a blank line (paragraph break), before a
// bulleted line, or after ".", "!", "?" or "..." (plus any closing quotes and brackets) when
// the next token can start a sentence (a capital, a digit, an opening quote). Abbreviations keep
// sentences together: titles ("Mr.", "Gov.") never end one, "Dec. 16" / "No. 10" do not,
// initials ("J. R. R. Tolkien") do not, and acronyms ("U.S.") end one only before a usual
// sentence opener ("The", "But", "He", ...). Pure functions, thread-safe.

#include <cstdint>
#include <string_view>
#include <vector>

#include "kg/core/text.h"
#include "kg/core/tokenizer.h"

namespace kg {

// Groups `tokens` (from Tokenize over all of `text`, in order) into sentences; each sentence's
// start/end span its first and last token. Consumes `tokens`.
std::vector<Sentence> SplitSentences(std::string_view text, std::vector<Token> tokens);

// The same sentences from TokenizeSpans's offsets (over all of `text`), without their tokens:
// each Sentence's start/end as SplitSentences gives them, `tokens` empty.
std::vector<Sentence> SplitSentenceSpans(std::string_view text,
                                         const std::vector<TokenSpan>& tokens);

}  // namespace kg
