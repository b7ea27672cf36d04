#include "kg/core/text_pipeline.h"

#include "kg/core/sentence_splitter.h"
#include "kg/core/tokenizer.h"

namespace kg {

AnnotatedText AnnotateText(std::string_view text) {
  std::vector<Token> tokens;
  tokens.reserve(text.size() / 5 + 1);
  Tokenize(text, 0, static_cast<uint32_t>(text.size()), &tokens);
  AnnotatedText annotated;
  annotated.sentences = SplitSentences(text, std::move(tokens));
  return annotated;
}

AnnotatedText AnnotateSentences(std::string_view text) {
  std::vector<TokenSpan> tokens;
  tokens.reserve(text.size() / 5 + 1);
  TokenizeSpans(text, 0, static_cast<uint32_t>(text.size()), &tokens);
  AnnotatedText annotated;
  annotated.sentences = SplitSentenceSpans(text, tokens);
  return annotated;
}

}  // namespace kg
