#pragma once
// The ingest pipeline: one reader thread -> N extraction workers -> one writer thread.
//
//   DumpReader --Article--> [bounded] --> worker: content hash, skip if the sink has it,
//   AnnotateText (AnnotateSentences, without tokens, when !Extractor::needs_tokens()),
//   Extractor::Extract --Extraction--> [reorder by read order] --> writer:
//   ArticleSink::Write (one atomic batch per article)
//
// At most `max_in_flight` articles exist between reader and writer, so memory does not grow with
// the dump. The writer commits in read order, so a run writes the same things in the same order
// whatever the number of workers. Idempotent: an article whose content hash the sink already has
// (or that appeared earlier in this run) is skipped and counted; since each article is one atomic
// write, a run killed at any moment and started again completes with nothing lost or doubled.
//
// The sink is how core writes without knowing the store (tools/kg/ingest_sink.h adapts
// kg::store::GraphStore; `kg extract` prints instead).

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kg/core/dump_reader.h"
#include "kg/core/extraction.h"
#include "kg/core/extractor.h"
#include "kg/core/status.h"

namespace kg {

// What storing one article did.
struct SinkWriteResult {
  bool already_present = false;  // the sink had the content hash: nothing was written
  uint64_t entities_added = 0;   // new nodes
  uint64_t entities_merged = 0;  // entities resolved to existing nodes
  uint64_t edges_added = 0;      // new edges
  uint64_t evidence_added = 0;
};

class ArticleSink {
 public:
  virtual ~ArticleSink() = default;
  // Whether an article with this content hash is already stored. Called from worker threads
  // concurrently with each other and with Write(): must be thread-safe.
  virtual Result<bool> Contains(const std::string& content_hash) = 0;
  // Stores one article atomically (all or nothing). Called from the writer thread only, in read
  // order. An error stops the run.
  virtual Result<SinkWriteResult> Write(const Extraction& extraction) = 0;
};

// Problems met during a run (items skipped), from any thread. Counts them by reason class and
// passes each one to `on_problem` (serialised, so it may print). Thread-safe.
class ProblemLog {
 public:
  explicit ProblemLog(std::function<void(const std::string& where, const std::string& reason)>
                          on_problem = nullptr)
      : on_problem_(std::move(on_problem)) {}
  void Add(const std::string& where, const std::string& reason);
  uint64_t count() const;
  // Reason class ("malformed JSON", "binary file", ...) -> count.
  std::map<std::string, uint64_t> reasons() const;

 private:
  std::function<void(const std::string&, const std::string&)> on_problem_;
  mutable std::mutex mu_;
  uint64_t count_ = 0;
  std::map<std::string, uint64_t> reasons_;
};

// The class of a problem reason: the text before the first ':' or '(' with digit runs as "N"
// ("malformed JSON: syntax error..." -> "malformed JSON").
std::string ProblemClass(const std::string& reason);

// Counters of a run; a consistent copy is passed to the progress callback.
struct IngestCounters {
  uint64_t articles_read = 0;      // returned by the reader
  uint64_t ingested = 0;           // written by the sink
  uint64_t skipped_present = 0;    // already in the sink before this run
  uint64_t skipped_duplicate = 0;  // same content as an earlier article of this run
  uint64_t bad = 0;                // reader problems and extraction failures
  uint64_t text_bytes = 0;         // cleaned text bytes of articles read
  uint64_t input_bytes_done = 0;   // dump bytes consumed (compressed size for gz)
  std::optional<uint64_t> input_bytes_total;  // when known
  uint64_t entities_added = 0;
  uint64_t entities_merged = 0;
  uint64_t edges_added = 0;
  uint64_t evidence_added = 0;
  double seconds = 0;              // since the run started
};

struct IngestOptions {
  int workers = 0;            // extraction threads; 0 = std::thread::hardware_concurrency()
  size_t max_in_flight = 0;   // articles between reader and writer; 0 = 4 * workers + 4
  // Stop at the first failed extraction (reader problems are made fatal by
  // ReaderOptions::strict).
  bool strict = false;
  // Where extraction failures go; give the same log to ReaderOptions::on_problem so the summary
  // counts reader problems too. May be null.
  ProblemLog* problems = nullptr;
  // Called from the writer thread about every `progress_interval_ms` and once at the end.
  std::function<void(const IngestCounters&)> on_progress;
  int progress_interval_ms = 200;
  // Checked between articles; when it becomes true the run stops cleanly (what was written
  // stays written) and returns what it did. May be null.
  const std::atomic<bool>* cancel = nullptr;
};

struct IngestSummary {
  IngestCounters counters;
  // Why items were skipped as bad: reason class -> count (from IngestOptions::problems).
  std::map<std::string, uint64_t> bad_reasons;
  bool cancelled = false;
};

// Runs the pipeline to the end of `reader`. Borrows everything for the call. Errors: a strict-mode
// problem (InvalidArgument with "where: reason"), a sink error, a reader I/O error; what was
// written before stays written.
Result<IngestSummary> RunIngest(DumpReader& reader, const Extractor& extractor, ArticleSink& sink,
                                const IngestOptions& options);

}  // namespace kg
