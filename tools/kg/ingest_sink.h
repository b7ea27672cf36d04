#pragma once
// Adapters between the core ingest pipeline (kg::ArticleSink) and what `kg ingest` / `kg extract`
// write to: the graph store, or standard output. Kept in tools/ so kg::core never depends on
// kg::store.

#include <cstdio>
#include <memory>
#include <string>

#include "kg/core/ingest_pipeline.h"
#include "kg/store/graph_store.h"

namespace kg::cli {

// Writes each article with GraphStore::WriteExtraction (one atomic batch). Borrows `store`,
// which must outlive the sink. Contains() is thread-safe (GraphStore reads are).
class StoreSink final : public ArticleSink {
 public:
  explicit StoreSink(store::GraphStore& store) : store_(store) {}
  Result<bool> Contains(const std::string& content_hash) override;
  Result<SinkWriteResult> Write(const Extraction& extraction) override;

 private:
  store::GraphStore& store_;
};

// Prints each extraction to `out` (borrowed) as one JSON line or as readable text; never stores
// anything, so Contains() is always false.
class PrintSink final : public ArticleSink {
 public:
  enum class Format { kText, kJson };
  PrintSink(std::FILE* out, Format format) : out_(out), format_(format) {}
  Result<bool> Contains(const std::string&) override { return false; }
  Result<SinkWriteResult> Write(const Extraction& extraction) override;

 private:
  std::FILE* out_;
  Format format_;
};

}  // namespace kg::cli
