#include "dump_check.h"

#include <cstdint>

#include "fuzz_support.h"
#include "kg/core/dump_reader.h"

namespace kg::fuzz {

void CheckDumpReads(const std::string& path) {
  kg::ReaderOptions options;
  options.max_article_bytes = 1 << 20;
  uint64_t problems = 0;
  options.on_problem = [&](const kg::ReaderProblem& problem) {
    ++problems;
    if (problem.reason.empty()) Fail("a problem without a reason");
  };
  auto reader = kg::OpenDump({path}, options);
  if (!reader) Fail("OpenDump failed on an existing dump: " + reader.error().message());
  for (;;) {
    auto article = (*reader)->Next();
    if (!article) Fail("Next failed in lenient mode: " + article.error().message());
    if (!article->has_value()) break;
    const kg::Article& a = **article;
    if (!kg::IsValidUtf8(a.text) || !kg::IsValidUtf8(a.title)) {
      Fail("an article with invalid UTF-8");
    }
    (void)kg::ToDocumentInfo(a);
  }
  if ((*reader)->stats().problems != problems) Fail("problem count mismatch");
}

}  // namespace kg::fuzz
