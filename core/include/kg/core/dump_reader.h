#pragma once
// Streaming readers of article dumps. A dump is any mix of:
//   - a folder tree of plain-text articles, one per file (*.txt, *.text or no extension; README*,
//     LICENSE*, SOURCE.md and hidden files are skipped), read in sorted path order;
//   - a JSON Lines file (*.jsonl, *.ndjson, *.json), one article object per line;
//   - either one gzip-compressed (*.gz, or any file starting with the gzip magic);
//   - standard input "-" (JSON Lines when its first non-blank byte is '{', else one article).
// Nothing is loaded whole: memory is bounded by the largest accepted article
// (ReaderOptions::max_article_bytes). Bad input (unreadable or binary files, malformed or
// too-deep JSON, missing text, oversized or empty articles, symlink loops) is reported through
// ReaderOptions::on_problem as "path:line: reason" and skipped, or ends the read when strict.
//
// Not thread-safe: one thread calls Next().

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kg/core/article.h"
#include "kg/core/status.h"

namespace kg {

struct ReaderProblem {
  std::string where;   // "dump.jsonl:17" or "dump/a.txt" or "dump.jsonl:17:5"
  std::string reason;  // "malformed JSON: ...", "binary file (NUL bytes)", ...
  std::string ToString() const { return where + ": " + reason; }
};

struct ReaderOptions {
  // Articles larger than this (raw bytes) are skipped with a problem, never buffered whole.
  uint64_t max_article_bytes = 16u << 20;
  // JSON nesting deeper than this is rejected before parsing (the parser recurses).
  int max_json_depth = 64;
  // JSON Lines field names; empty = try the usual names in order.
  std::string text_field;   // text, content, body, article, full_text, story
  std::string title_field;  // title, headline, name
  std::string date_field;   // date, published, publish_date, published_at, pubDate, datetime
  std::string url_field;    // url, link, source_url, permalink
  std::string id_field;     // id, guid, uuid, _id, doc_id
  // When true, the first problem makes Next() return it as an InvalidArgument error.
  bool strict = false;
  // JSON Lines records are parsed by simdjson, except those it rejects or might read otherwise
  // than nlohmann, which nlohmann parses and reports on; same articles and problems either way.
  // Off only to compare the two.
  bool json_fast_path = true;
  // Called for every skipped item (also in strict mode, before the error). May be empty.
  std::function<void(const ReaderProblem&)> on_problem;
};

// Counts kept by a reader; cumulative over all paths.
struct ReaderStats {
  uint64_t files = 0;                 // files opened (plain articles and JSONL/gz files)
  uint64_t articles = 0;              // articles returned
  uint64_t problems = 0;              // items skipped
  uint64_t blank_lines = 0;           // empty JSONL lines (not counted as problems)
  uint64_t json_fast_path_lines = 0;  // JSONL lines parsed by simdjson (json_fast_path)
  uint64_t boilerplate_lines = 0;     // lines stripped as page furniture
  uint64_t windows1252_articles = 0;  // articles that needed Windows-1252 repair
  uint64_t replaced_bytes = 0;        // bytes turned into U+FFFD
  uint64_t input_bytes_done = 0;      // bytes of input consumed so far (compressed size for gz)
};

class DumpReader {
 public:
  virtual ~DumpReader() = default;
  // The next article; nullopt at the end of all paths. Errors: strict-mode problems, and I/O
  // errors on standard input.
  virtual Result<std::optional<Article>> Next() = 0;
  virtual const ReaderStats& stats() const = 0;
  // Total input bytes when known up front (sum of file sizes; unknown for stdin).
  virtual std::optional<uint64_t> total_input_bytes() const = 0;
};

// Opens `paths` for reading in order. Fails (NotFound) only when a path does not exist; every
// other problem is reported per item while reading.
Result<std::unique_ptr<DumpReader>> OpenDump(const std::vector<std::string>& paths,
                                             ReaderOptions options);

}  // namespace kg
