// Fuzzes the plain-text dump reader: any bytes as one article file in a folder dump (UTF-8 repair,
// boilerplate stripping, title and date lines; gzip when the bytes start with its magic).

#include <cstdint>

#include "fuzz_support.h"
#include "kg/core/dump_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto dir = kg::fuzz::ScratchDir() / "folder";
  std::filesystem::create_directories(dir);
  kg::fuzz::WriteScratchFile("folder/article.txt", kg::fuzz::AsText(data, size));
  kg::ReaderOptions options;
  options.max_article_bytes = 1 << 20;
  options.on_problem = [](const kg::ReaderProblem& problem) {
    if (problem.reason.empty()) kg::fuzz::Fail("a problem without a reason");
  };
  auto reader = kg::OpenDump({dir.string()}, options);
  if (!reader) kg::fuzz::Fail("OpenDump failed on an existing folder: " + reader.error().message());
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
  return 0;
}
