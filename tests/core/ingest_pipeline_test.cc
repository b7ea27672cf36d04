#include <catch2/catch.hpp>

#include <cctype>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "kg/core/content_hash.h"
#include "kg/core/ingest_pipeline.h"
#include "test_support.h"

namespace {

using kg::testing::TempDir;
using kg::testing::WriteFile;

// Test-only extractor: one entity per capitalised token (never used by kg itself).
class CapitalisedTokenExtractor : public kg::Extractor {
 public:
  kg::Extraction Extract(const kg::DocumentInfo& doc,
                         const kg::AnnotatedText& text) const override {
    kg::Extraction extraction;
    extraction.doc = doc;
    for (const auto& sentence : text.sentences) {
      for (const auto& token : sentence.tokens) {
        if (std::isupper(static_cast<unsigned char>(token.text[0]))) {
          kg::ExtractedEntity entity;
          entity.name = token.text;
          entity.label = "Other";
          entity.mentions.push_back({token.start, token.end, token.text});
          extraction.entities.push_back(std::move(entity));
        }
      }
    }
    if (doc.text.find("EXPLODE") != std::string::npos) throw std::runtime_error("boom");
    return extraction;
  }
};

// An in-memory sink that records write order; Contains is thread-safe.
class MemorySink : public kg::ArticleSink {
 public:
  kg::Result<bool> Contains(const std::string& hash) override {
    std::lock_guard<std::mutex> lock(mu_);
    return hashes_.count(hash) > 0;
  }
  kg::Result<kg::SinkWriteResult> Write(const kg::Extraction& extraction) override {
    std::lock_guard<std::mutex> lock(mu_);
    kg::SinkWriteResult result;
    if (fail_after_ >= 0 && static_cast<int>(written_.size()) >= fail_after_) {
      return kg::Status::IOError("disk full");
    }
    if (!hashes_.insert(extraction.doc.content_hash).second) {
      result.already_present = true;
      return result;
    }
    written_.push_back(extraction.doc.id);
    result.entities_added = extraction.entities.size();
    return result;
  }
  std::vector<std::string> written_;
  int fail_after_ = -1;

 private:
  std::mutex mu_;
  std::set<std::string> hashes_;
};

std::string MakeDump(const TempDir& dir, int count) {
  std::string lines;
  for (int i = 0; i < count; ++i) {
    lines += "{\"id\":\"n" + std::to_string(i) + "\",\"text\":\"Article " + std::to_string(i) +
             " says Paris and Rome met.\"}\n";
  }
  auto path = dir.path() / "dump.jsonl";
  WriteFile(path, lines);
  return path.string();
}

kg::Result<kg::IngestSummary> Ingest(const std::string& path, MemorySink& sink, int workers,
                                     kg::ProblemLog* log = nullptr, bool strict = false) {
  kg::ReaderOptions reader_options;
  if (log) {
    reader_options.on_problem = [log](const kg::ReaderProblem& p) { log->Add(p.where, p.reason); };
  }
  auto reader = kg::OpenDump({path}, reader_options);
  REQUIRE(reader.has_value());
  CapitalisedTokenExtractor extractor;
  kg::IngestOptions options;
  options.workers = workers;
  options.max_in_flight = 3;
  options.problems = log;
  options.strict = strict;
  return kg::RunIngest(**reader, extractor, sink, options);
}

}  // namespace

TEST_CASE("ingest writes every article once, in read order, whatever the worker count",
          "[core][ingest]") {
  TempDir dir;
  std::string path = MakeDump(dir, 50);
  for (int workers : {1, 4}) {
    MemorySink sink;
    auto summary = Ingest(path, sink, workers);
    REQUIRE(summary.has_value());
    CHECK(summary->counters.articles_read == 50);
    CHECK(summary->counters.ingested == 50);
    CHECK(summary->counters.entities_added == 50 * 3);
    REQUIRE(sink.written_.size() == 50);
    for (int i = 0; i < 50; ++i) CHECK(sink.written_[i] == "n" + std::to_string(i));
  }
}

TEST_CASE("a second run over the same dump skips everything as present", "[core][ingest]") {
  TempDir dir;
  std::string path = MakeDump(dir, 20);
  MemorySink sink;
  REQUIRE(Ingest(path, sink, 2).has_value());
  auto again = Ingest(path, sink, 2);
  REQUIRE(again.has_value());
  CHECK(again->counters.ingested == 0);
  CHECK(again->counters.skipped_present == 20);
  CHECK(sink.written_.size() == 20);
}

TEST_CASE("duplicate articles inside one dump are stored once", "[core][ingest]") {
  TempDir dir;
  WriteFile(dir.path() / "dup.jsonl",
            "{\"id\":\"x\",\"text\":\"Same text.\"}\n{\"id\":\"y\",\"text\":\"Same text.\"}\n");
  MemorySink sink;
  auto summary = Ingest((dir.path() / "dup.jsonl").string(), sink, 3);
  REQUIRE(summary.has_value());
  CHECK(summary->counters.ingested == 1);
  CHECK(summary->counters.skipped_duplicate == 1);
  CHECK(sink.written_ == std::vector<std::string>{"x"});
}

TEST_CASE("bad lines and failed extractions are counted by reason and skipped",
          "[core][ingest]") {
  TempDir dir;
  WriteFile(dir.path() / "mixed.jsonl",
            "{\"id\":\"ok\",\"text\":\"Fine.\"}\nnot json\n"
            "{\"id\":\"bad\",\"text\":\"EXPLODE now.\"}\n{\"id\":\"ok2\",\"text\":\"Also fine.\"}\n");
  MemorySink sink;
  kg::ProblemLog log;
  auto summary = Ingest((dir.path() / "mixed.jsonl").string(), sink, 2, &log);
  REQUIRE(summary.has_value());
  CHECK(summary->counters.ingested == 2);
  CHECK(summary->counters.bad == 2);
  CHECK(summary->bad_reasons.at("malformed JSON") == 1);
  CHECK(summary->bad_reasons.at("extraction failed") == 1);
}

TEST_CASE("strict mode stops at a failed extraction", "[core][ingest]") {
  TempDir dir;
  WriteFile(dir.path() / "x.jsonl", "{\"id\":\"bad\",\"text\":\"EXPLODE now.\"}\n");
  MemorySink sink;
  auto summary = Ingest((dir.path() / "x.jsonl").string(), sink, 2, nullptr, /*strict=*/true);
  REQUIRE_FALSE(summary.has_value());
  CHECK(summary.error().message().find("x.jsonl:1: extraction failed: boom") !=
        std::string::npos);
}

TEST_CASE("a sink error stops the run and is returned", "[core][ingest]") {
  TempDir dir;
  std::string path = MakeDump(dir, 30);
  MemorySink sink;
  sink.fail_after_ = 5;
  auto summary = Ingest(path, sink, 3);
  REQUIRE_FALSE(summary.has_value());
  CHECK(summary.error().code() == kg::Status::Code::kIOError);
  CHECK(sink.written_.size() == 5);
}

TEST_CASE("problem classes drop details and numbers", "[core][ingest]") {
  CHECK(kg::ProblemClass("malformed JSON: syntax error") == "malformed JSON");
  CHECK(kg::ProblemClass("line of 104857600 bytes is larger than 16777216 (--max)") ==
        "line of N bytes is larger than N");
}

TEST_CASE("content hashes are stable, 32 hex digits, and differ for different texts",
          "[core][ingest]") {
  CHECK(kg::ContentHash("abc").size() == 32);
  CHECK(kg::ContentHash("abc") == kg::ContentHash("abc"));
  CHECK(kg::ContentHash("abc") != kg::ContentHash("abd"));
  CHECK(kg::ContentHash("") != kg::ContentHash(std::string(1, '\0')));
  // Pinned: stores persist these hashes, so the function must never change.
  CHECK(kg::ContentHash("Japan") == "219eb4f2ed5c04f2c67ff683dd5d4e5a");
}
