// Wires the stages of one query and turns QueryError exceptions into a Status: the only place
// where the query layer's internal exceptions are caught.
#include "kg/query/engine.h"

#include <list>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <unordered_map>

#include "binder.h"
#include "executor.h"
#include "parser.h"
#include "query_analysis.h"
#include "query_error.h"

namespace kg::query {
namespace {

Status ToStatus(const QueryError& e, std::string_view query) {
  std::string msg = e.type;
  std::string context;
  if (e.offset != std::string::npos && e.offset <= query.size()) {
    size_t line = 1, line_start = 0;
    for (size_t i = 0; i < e.offset; ++i) {
      if (query[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    size_t line_end = query.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = query.size();
    size_t column = e.offset - line_start + 1;
    msg += " at " + std::to_string(line) + ":" + std::to_string(column);
    // A long line (a 4 MB string literal) is quoted as a window around the caret, cut at UTF-8
    // character boundaries, so the error stays small.
    constexpr size_t kHalfWindow = 80;
    auto boundary = [&](size_t i) {
      while (i > line_start && i < line_end && (query[i] & 0xC0) == 0x80) --i;
      return i;
    };
    size_t from = e.offset > line_start + kHalfWindow ? boundary(e.offset - kHalfWindow)
                                                      : line_start;
    size_t to = line_end - e.offset > kHalfWindow ? boundary(e.offset + kHalfWindow) : line_end;
    std::string before = from > line_start ? "..." : "";
    std::string after = to < line_end ? "..." : "";
    context = "\n  " + before + std::string(query.substr(from, to - from)) + after + "\n  " +
              std::string(before.size() + (e.offset - from), ' ') + "^";
  }
  msg += ": ";
  msg += e.what();
  if (!e.detail.empty()) msg += " (" + e.detail + ")";
  msg += context;
  if (e.type == "SyntaxError") return Status::ParseError(msg);
  if (e.type == "TimeoutError") return Status::Timeout(msg);
  if (e.type == "LimitExceeded") return Status::Busy(msg);
  if (e.type == "InternalError") return Status::Internal(msg);
  return Status::InvalidArgument(msg);
}

}  // namespace

// The LRU list (most recently used first) and an index into it by text. The shared Query trees
// are read by several threads at once: the only thing a run writes into one is Expr::slot, an
// atomic hint (ast.h).
struct QueryCache::Impl {
  struct Entry {
    std::string text;
    int max_depth = 0;
    std::shared_ptr<const Query> query;
  };
  mutable std::mutex mu;
  size_t capacity = 0;
  std::list<Entry> lru;
  std::unordered_map<std::string_view, std::list<Entry>::iterator> by_text;  // keys: Entry::text
  uint64_t hits = 0;
  uint64_t misses = 0;

  void Trim() {
    while (lru.size() > capacity) {
      by_text.erase(lru.back().text);
      lru.pop_back();
    }
  }

  std::shared_ptr<const Query> Get(std::string_view text, int max_depth) {
    {
      std::lock_guard<std::mutex> lock(mu);
      auto it = by_text.find(text);
      if (it != by_text.end() && it->second->max_depth == max_depth) {
        ++hits;
        lru.splice(lru.begin(), lru, it->second);
        return it->second->query;
      }
      ++misses;
    }
    // Parsed outside the lock: other threads' hits do not wait for it. Throws QueryError.
    auto parsed = std::make_shared<Query>(Parse(text, max_depth));
    Bind(*parsed);
    parsed->analysis = Analyze(*parsed);
    if (text.size() > kMaxTextBytes) return parsed;
    std::lock_guard<std::mutex> lock(mu);
    if (capacity == 0) return parsed;
    auto it = by_text.find(text);
    if (it != by_text.end()) {  // another thread's, or one for another depth: this one wins
      it->second->max_depth = max_depth;
      it->second->query = parsed;
      lru.splice(lru.begin(), lru, it->second);
      return parsed;
    }
    lru.push_front(Entry{std::string(text), max_depth, parsed});
    by_text.emplace(lru.front().text, lru.begin());
    Trim();
    return parsed;
  }
};

QueryCache::QueryCache(size_t capacity) : impl_(std::make_unique<Impl>()) {
  impl_->capacity = capacity;
}

QueryCache::~QueryCache() = default;

void QueryCache::set_capacity(size_t entries) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->capacity = entries;
  impl_->Trim();
}

size_t QueryCache::capacity() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->capacity;
}

void QueryCache::Clear() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->by_text.clear();
  impl_->lru.clear();
}

QueryCache::Stats QueryCache::stats() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return Stats{impl_->hits, impl_->misses, impl_->lru.size()};
}

QueryCache& DefaultQueryCache() {
  static QueryCache* cache = new QueryCache();  // never destroyed: threads may outlive main
  return *cache;
}

struct CacheAccess {
  static QueryCache::Impl& Of(QueryCache& cache) { return *cache.impl_; }
};

Result<QueryResult> Execute(GraphAccess& graph, std::string_view query, const Map& params,
                            const QueryOptions& options) {
  try {
    QueryCache& cache = options.cache ? *options.cache : DefaultQueryCache();
    std::shared_ptr<const Query> parsed =
        CacheAccess::Of(cache).Get(query, options.max_parse_depth);
    QueryResult result = RunQuery(*parsed, graph, params, options, query);
    if (result.explain) {
      graph.Rollback();
    } else {
      KG_RETURN_IF_ERROR(graph.Commit());
    }
    return result;
  } catch (const QueryError& e) {
    graph.Rollback();
    return ToStatus(e, query);
  } catch (const std::bad_alloc&) {
    graph.Rollback();
    return Status::Busy("LimitExceeded: out of memory while running the query");
  } catch (const std::exception& e) {
    graph.Rollback();
    return Status::Internal(std::string("InternalError: ") + e.what());
  }
}

bool MayWrite(std::string_view query, const QueryOptions& options) {
  try {
    Query parsed = Parse(query, options.max_parse_depth);
    for (const auto& part : parsed.parts) {
      for (const auto& c : part.clauses) {
        if (c.kind == Clause::Kind::kCreate || c.kind == Clause::Kind::kDelete ||
            c.kind == Clause::Kind::kSet || c.kind == Clause::Kind::kRemove ||
            c.kind == Clause::Kind::kMerge) {
          return true;
        }
      }
    }
  } catch (const std::exception&) {
    // Running it reports the error.
  }
  return false;
}

std::string ErrorType(const Status& status) {
  const std::string& m = status.message();
  size_t end = m.find_first_of(" :");
  return m.substr(0, end);
}

std::string ErrorDetail(const Status& status) {
  const std::string& m = status.message();
  size_t line_end = m.find('\n');
  std::string first = m.substr(0, line_end);
  if (first.empty() || first.back() != ')') return "";
  size_t open = first.rfind('(');
  if (open == std::string::npos) return "";
  return first.substr(open + 1, first.size() - open - 2);
}

std::string FormatPlan(const QueryResult& result) {
  std::string out;
  for (size_t i = 0; i < result.plan.size(); ++i) {
    const auto& op = result.plan[i];
    out += std::to_string(i + 1) + ". " + op.name;
    if (result.profile) {
      char buf[96];
      std::snprintf(buf, sizeof(buf), "  [rows=%lld, %.3f ms]", static_cast<long long>(op.rows),
                    op.millis);
      out += buf;
    }
    out += "\n";
    if (!op.detail.empty()) out += "     " + op.detail + "\n";
  }
  return out;
}

}  // namespace kg::query
