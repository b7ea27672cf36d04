#pragma once
// kg::http::Server: the HTTP API over one GraphStore (docs/HTTP.md) and the web explorer's files.
//
// Threading: requests run on a fixed pool of `threads` workers; each request reads its own
// ReadView (one RocksDB snapshot), so requests never see half an ingest batch. A read-only store
// (a RocksDB secondary beside a running `kg ingest`) is caught up with the writer at most once
// per `catch_up_interval_ms`, on the request path, so new articles show up without a restart.
//
// Lifetime: the Server borrows the GraphStore, which must outlive it. Bind() then Listen() on one
// thread; Stop() from any thread (or a signal-watching thread) makes Listen() return. The
// destructor stops a server that is still listening and waits for its workers.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "kg/core/status.h"
#include "kg/store/graph_store.h"

namespace kg::http {

struct ServerOptions {
  // Address to bind. The default is loopback only: cpp-httplib 0.11 is not meant to face an
  // untrusted network directly (docs/HTTP.md, "Security").
  std::string host = "127.0.0.1";
  // 0 binds any free port (Bind() returns the one it got).
  int port = 7474;
  // Worker threads. A kept-alive connection holds a worker while it waits for its next request,
  // so this bounds the number of concurrently served connections; more threads keep a few slow
  // clients from starving the rest.
  int threads = 64;

  // Largest request body accepted (413 beyond it).
  size_t max_body_bytes = 1u << 20;
  // Seconds a worker waits for a client to send / accept data before dropping the connection.
  int read_timeout_s = 5;
  int write_timeout_s = 10;
  // Requests served on one kept-alive connection before it is closed, and its idle timeout.
  int keep_alive_max_count = 100;
  int keep_alive_timeout_s = 2;

  // Cypher queries (POST /query): wall-clock limit and the most rows a result may have.
  int64_t query_timeout_ms = 30'000;
  int64_t query_max_rows = 100'000;
  // Query texts whose parsed form is kept for the next request with the same text (the
  // process's kg::query::DefaultQueryCache, shared by the workers); 0 = none.
  size_t query_cache_entries = 256;

  // Largest `limit` a listing endpoint accepts.
  size_t max_limit = 1000;

  // Read-only stores: the least time between two catch-ups with the writer.
  int64_t catch_up_interval_ms = 1000;

  // The web explorer: index.html, app.js, style.css. Empty = no explorer (the API only).
  std::filesystem::path web_dir;
  // cytoscape.js's dist/ folder (web/node_modules/cytoscape/dist), served under
  // /vendor/cytoscape/. Empty or missing = not served (the page then says so).
  std::filesystem::path cytoscape_dir;

  // One JSON line per request (method, path, status, bytes, milliseconds, remote address).
  // Null = no access log. Called from worker threads, one call at a time per request; must be
  // thread-safe.
  std::function<void(const std::string& line)> access_log;

  // POST /ingest is refused (403) unless allow_writes; then it needs "Authorization: Bearer
  // <write_token>" and write_token must be non-empty.
  bool allow_writes = false;
  std::string write_token;

  // Test hook: GET /TEST/throw throws, to check that exceptions become a JSON 500.
  bool TEST_throw_route = false;
};

class Server {
 public:
  // Checks the options (InvalidArgument naming the bad one) and sets up the routes; does not
  // bind yet. Borrows `store`.
  static Result<std::unique_ptr<Server>> Create(kg::store::GraphStore& store,
                                                ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds host:port and returns the port bound (useful with port 0). InvalidArgument when the
  // address is taken or not one of this machine's. Clients may connect as soon as this returns; they are served once Listen()
  // runs.
  Result<int> Bind();
  // Serves until Stop(). REQUIRES: Bind() succeeded. Returns IOError if the accept loop fails.
  Status Listen();
  // Makes Listen() return after the requests in progress finish. Idempotent; thread-safe.
  void Stop();

  // "http://127.0.0.1:7474" once bound.
  std::string url() const;

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kg::http
