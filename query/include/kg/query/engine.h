#pragma once
// The one entry point of the query layer: text -> Lexer -> Parser -> Binder -> Executor -> rows.
// Each call reads one snapshot (the GraphAccess given) and applies its writes only when the whole
// query succeeded. Errors come back as a Status whose message starts with the openCypher error
// name: "SyntaxError at 1:15: expected ')' (UnexpectedSyntax)" followed, for errors with a
// position, by the query line and a caret on the next two lines.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kg/core/status.h"
#include "kg/query/graph.h"
#include "kg/query/value.h"

namespace kg::query {

// The parsed and checked (bound) form of recent query texts, shared by every thread that runs
// queries through it (the HTTP server's, `kg query --repeat`): running a text again skips
// lexing, parsing and binding. Only what the text alone decides is kept; parameters, the
// snapshot and every plan choice that depends on the data (start node, index, type ids) are made
// anew by each run, so a cached text gives the rows a fresh parse gives. Bounded: at most
// capacity() texts (least recently used dropped first), each at most kMaxTextBytes long (longer
// ones are parsed every time); a text that fails to parse or bind is not kept. Thread-safe.
class QueryCache {
 public:
  static constexpr size_t kDefaultCapacity = 256;
  static constexpr size_t kMaxTextBytes = 16 * 1024;

  explicit QueryCache(size_t capacity = kDefaultCapacity);
  ~QueryCache();
  QueryCache(const QueryCache&) = delete;
  QueryCache& operator=(const QueryCache&) = delete;

  // 0 turns the cache off (and empties it); a smaller bound drops the oldest texts at once.
  void set_capacity(size_t entries);
  size_t capacity() const;
  void Clear();

  struct Stats {
    uint64_t hits = 0;    // runs that reused a cached text
    uint64_t misses = 0;  // runs that parsed (cached or not)
    size_t entries = 0;
  };
  Stats stats() const;

  struct Impl;  // engine.cc

 private:
  std::unique_ptr<Impl> impl_;
  friend struct CacheAccess;
};

// The cache Execute uses when QueryOptions::cache is null (QueryCache::kDefaultCapacity texts).
QueryCache& DefaultQueryCache();

struct QueryOptions {
  // Upper bound of a variable-length pattern written without one (`*`, `*2..`).
  int64_t default_max_hops = 15;
  // Wall-clock limit of one query; 0 = none.
  int64_t timeout_ms = 60'000;
  // Most rows a result may have.
  int64_t max_result_rows = 10'000'000;
  // Most rows any intermediate stage may hold (bounds memory).
  int64_t max_intermediate_rows = 20'000'000;
  // Deepest syntax nesting accepted (parentheses, lists, NOT, unary minus...).
  int max_parse_depth = 400;
  // Where parsed texts are kept; null = DefaultQueryCache(). Not owned.
  QueryCache* cache = nullptr;
};

struct OperatorProfile {
  std::string name;     // "Match (a:Person)-[:KNOWS]->(b)"
  std::string detail;   // how it runs: "start: name index on a", ...
  int64_t rows = 0;     // rows out (PROFILE)
  double millis = 0;    // time spent (PROFILE)
};

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
  bool ordered = false;  // the query ends with ORDER BY
  // Filled for EXPLAIN (no execution, no rows) and PROFILE (executed).
  bool explain = false;
  bool profile = false;
  std::vector<OperatorProfile> plan;
  int64_t nodes_created = 0;
  int64_t rels_created = 0;
  // DELETE (DETACH DELETE counts the relationships it removed), SET and REMOVE.
  int64_t nodes_deleted = 0;
  int64_t rels_deleted = 0;
  int64_t properties_set = 0;  // SET/REMOVE of one property, or each key of SET = / +=
  int64_t labels_added = 0;
  int64_t labels_removed = 0;
};

// True when `query` parses and has a clause that writes (CREATE, DELETE, SET, REMOVE): callers
// that open a store read-only for everything else open it writable for these. False when it
// does not parse (running it reports the error).
bool MayWrite(std::string_view query, const QueryOptions& options = {});

// Runs `query` against `graph` with parameters `params`. Writes go through graph.CreateNode/
// CreateRel and are committed (graph.Commit) only on success, rolled back otherwise.
Result<QueryResult> Execute(GraphAccess& graph, std::string_view query, const Map& params,
                            const QueryOptions& options = {});

// The openCypher error name at the start of a message Execute returned ("SyntaxError", ...).
std::string ErrorType(const Status& status);
// The detail code of such a message ("UndefinedVariable", ...), empty when none.
std::string ErrorDetail(const Status& status);

// Renders the plan of an EXPLAIN/PROFILE result as text lines.
std::string FormatPlan(const QueryResult& result);

}  // namespace kg::query
