// Fuzzes the text stage and extraction on arbitrary bytes, as ingest runs them on an article:
// UTF-8 repair, layout normalisation, tokenizer + sentence splitter (AnnotateText), the NER
// tagger (the shipped models/ner.model) and the news extractor (gazetteers, patterns and the
// relation classifier of models/re.model). Checks the offsets the evidence relies on.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "kg/core/article.h"
#include "kg/core/boilerplate.h"
#include "kg/core/ner_tagger.h"
#include "kg/core/news_extractor.h"
#include "kg/core/text_pipeline.h"
#include "kg/core/utf8.h"

namespace {

struct Models {
  std::unique_ptr<kg::NerTagger> tagger;
  std::unique_ptr<kg::Extractor> extractor;
};

const Models& LoadModels() {
  static const Models models = [] {
    Models m;
    auto tagger = kg::NerTagger::LoadDefault();
    if (!tagger) kg::fuzz::Fail("cannot load the NER model: " + tagger.error().message());
    m.tagger = std::move(*tagger);
    auto extractor = kg::NewNewsExtractor();
    if (!extractor) kg::fuzz::Fail("cannot build the extractor: " + extractor.error().message());
    m.extractor = std::move(*extractor);
    return m;
  }();
  return models;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)LoadModels();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Models& models = LoadModels();
  kg::Article article;
  article.id = "fuzz";
  article.text = kg::NormalizeLayout(kg::RepairUtf8(kg::fuzz::AsText(data, size)));
  if (!kg::IsValidUtf8(article.text)) kg::fuzz::Fail("RepairUtf8 left invalid UTF-8");
  kg::DocumentInfo doc = kg::ToDocumentInfo(article);

  kg::AnnotatedText annotated = kg::AnnotateText(doc.text);
  std::vector<std::vector<std::string>> words;
  uint32_t previous_end = 0;
  for (const auto& sentence : annotated.sentences) {
    if (sentence.start > sentence.end || sentence.end > doc.text.size() ||
        sentence.start < previous_end) {
      kg::fuzz::Fail("sentence offsets out of order or out of the text");
    }
    previous_end = sentence.end;
    auto& sentence_words = words.emplace_back();
    for (const auto& token : sentence.tokens) {
      if (token.start >= token.end || token.start < sentence.start || token.end > sentence.end ||
          doc.text.compare(token.start, token.end - token.start, token.text) != 0) {
        kg::fuzz::Fail("a token whose offsets do not give its text");
      }
      sentence_words.push_back(token.text);
    }
  }

  auto spans = models.tagger->TagDocument(words);
  if (spans.size() != words.size()) kg::fuzz::Fail("TagDocument: one result per sentence");
  for (size_t i = 0; i < spans.size(); ++i) {
    for (const auto& span : spans[i]) {
      if (span.begin >= span.end || span.end > words[i].size()) {
        kg::fuzz::Fail("an entity span outside its sentence");
      }
    }
  }

  kg::Extraction extraction = models.extractor->Extract(doc, annotated);
  for (const auto& entity : extraction.entities) {
    for (const auto& mention : entity.mentions) {
      if (mention.start > mention.end || mention.end > doc.text.size()) {
        kg::fuzz::Fail("mention offsets outside the text");
      }
    }
  }
  for (const auto& relation : extraction.relations) {
    if (relation.source >= extraction.entities.size() ||
        relation.target >= extraction.entities.size()) {
      kg::fuzz::Fail("a relation naming a missing entity");
    }
    for (const auto& evidence : relation.evidence) {
      if (evidence.start > evidence.end || evidence.end > doc.text.size()) {
        kg::fuzz::Fail("evidence offsets outside the text");
      }
    }
  }
  return 0;
}
