#pragma once
// What every route handler shares: the store, the options, and the read-view factory that keeps a
// read-only store caught up with its writer. Thread-safe: handlers on all workers use one state.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "kg/http/server.h"
#include "kg/store/graph_store.h"

namespace kg::http::internal {

class ServerState {
 public:
  ServerState(kg::store::GraphStore& store, ServerOptions options)
      : store_(store), options_(std::move(options)) {}

  kg::store::GraphStore& store() { return store_; }
  bool read_only() const { return store_.read_only(); }
  const ServerOptions& options() const { return options_; }

  // A fresh snapshot view for one request. For a read-only store, first catches up with the
  // writer when the last catch-up is older than options().catch_up_interval_ms (one worker does
  // it; the others do not wait for it). A failed catch-up is not fatal: the request reads the
  // state caught up last time.
  std::unique_ptr<kg::store::ReadView> NewView();
  // The catch-up NewView() does, for callers that make their own views (the query adapter).
  void MaybeCatchUp();

  // Which optional endpoints exist (GET /health reports them). Set during setup, before any
  // request is served.
  bool query_enabled = false;
  bool ingest_enabled = false;

 private:
  kg::store::GraphStore& store_;
  const ServerOptions options_;
  std::mutex catch_up_mu_;
  std::atomic<int64_t> last_catch_up_ms_{0};
};

}  // namespace kg::http::internal
