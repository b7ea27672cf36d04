// Fuzzes the JSON Lines dump reader: any bytes as a .jsonl file. Every line must end as an
// article or a reported problem; never a crash, hang or unbounded memory (the reader rejects
// deep nesting before nlohmann's parser sees it).

#include <cstdint>

#include "fuzz_support.h"
#include "kg/core/dump_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto path = kg::fuzz::WriteScratchFile("dump.jsonl", kg::fuzz::AsText(data, size));
  kg::ReaderOptions options;
  options.max_article_bytes = 1 << 20;
  uint64_t problems = 0;
  options.on_problem = [&](const kg::ReaderProblem& problem) {
    ++problems;
    if (problem.reason.empty()) kg::fuzz::Fail("a problem without a reason");
  };
  auto reader = kg::OpenDump({path.string()}, options);
  if (!reader) kg::fuzz::Fail("OpenDump failed on an existing file: " + reader.error().message());
  for (;;) {
    auto article = (*reader)->Next();
    if (!article) kg::fuzz::Fail("Next failed in lenient mode: " + article.error().message());
    if (!article->has_value()) break;
    const kg::Article& a = **article;
    if (!kg::IsValidUtf8(a.text) || !kg::IsValidUtf8(a.title)) {
      kg::fuzz::Fail("an article with invalid UTF-8");
    }
    (void)kg::ToDocumentInfo(a);
  }
  if ((*reader)->stats().problems != problems) kg::fuzz::Fail("problem count mismatch");
  return 0;
}
