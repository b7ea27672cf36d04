#include "dump_check.h"

#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "kg/core/dump_reader.h"

namespace kg::fuzz {
namespace {

// Reads the dump at `path` to the end in lenient mode, calling on_article for each article;
// Fail()s when the reader itself fails. Returns the reader's problem count.
template <typename OnArticle>
uint64_t ReadAll(const std::string& path, const kg::ReaderOptions& options,
                 OnArticle&& on_article) {
  auto reader = kg::OpenDump({path}, options);
  if (!reader) Fail("OpenDump failed on an existing dump: " + reader.error().message());
  for (;;) {
    auto article = (*reader)->Next();
    if (!article) Fail("Next failed in lenient mode: " + article.error().message());
    if (!article->has_value()) break;
    on_article(**article);
  }
  return (*reader)->stats().problems;
}

// Every article and problem of one read of `path`, as text.
std::vector<std::string> ReadOutcome(const std::string& path, bool json_fast_path) {
  std::vector<std::string> out;
  kg::ReaderOptions options;
  options.max_article_bytes = 1 << 20;
  options.json_fast_path = json_fast_path;
  options.on_problem = [&](const kg::ReaderProblem& problem) {
    out.push_back("problem " + problem.ToString());
  };
  ReadAll(path, options, [&](const kg::Article& a) {
    std::string record = "article " + a.id + "\x1F" + a.title + "\x1F" + a.date + "\x1F" +
                         a.source + "\x1F" + a.origin + "\x1F" + a.text + "\x1F" +
                         std::to_string(a.raw_bytes) + "\x1F" + a.encoding.Name();
    for (const std::string& line : a.boilerplate) record += "\x1F" + line;
    out.push_back(std::move(record));
  });
  return out;
}

}  // namespace

void CheckDumpReads(const std::string& path) {
  kg::ReaderOptions options;
  options.max_article_bytes = 1 << 20;
  uint64_t problems = 0;
  options.on_problem = [&](const kg::ReaderProblem& problem) {
    ++problems;
    if (problem.reason.empty()) Fail("a problem without a reason");
  };
  uint64_t counted = ReadAll(path, options, [](const kg::Article& a) {
    if (!kg::IsValidUtf8(a.text) || !kg::IsValidUtf8(a.title)) {
      Fail("an article with invalid UTF-8");
    }
    (void)kg::ToDocumentInfo(a);
  });
  if (counted != problems) Fail("problem count mismatch");
}

void CheckJsonFastPathAgrees(const std::string& path) {
  if (ReadOutcome(path, true) != ReadOutcome(path, false)) {
    Fail("the JSON fast path and nlohmann disagree");
  }
}

}  // namespace kg::fuzz
